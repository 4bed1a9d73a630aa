//! The advisors' monthly KPIs of a dealer, read in one consistent snapshot.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::{AppError, AppResult};

use super::Reception;
use crate::domain::kpi::{advisor_figures, month_bounds};
use crate::store::{directory, kpis};

impl Reception {
    /// `dealer`'s advisors' figures for `year`-`month`, in the dealer's time zone (UTC outside the directory).
    pub async fn advisor_kpis(&self, dealer: DealerId, year: i32, month: u32) -> AppResult<pb::GetAdvisorKpisResponse> {
        let conn = self.db.read().await?;
        let zone = directory::dealer(&conn, dealer).await?.map_or(chrono_tz::UTC, |d| d.profile.time_zone);
        let (from, to) = month_bounds(year, month, zone).ok_or_else(|| AppError::invalid("month", "is not a month"))?;
        let facts = kpis::facts(&conn, dealer, from, to).await?;
        conn.commit().await?;
        let advisors = advisor_figures(&facts)
            .into_iter()
            .map(|(advisor, f)| pb::AdvisorFigures {
                appointment_success_rate_bp: f.appointment_success_rate_bp(),
                settlement_accuracy_bp: f.settlement_accuracy_bp(),
                satisfaction_hundredths: f.satisfaction_hundredths(),
                on_time_delivery_rate_bp: f.on_time_delivery_rate_bp(),
                advisor,
                customers_received: f.customers_received,
                appointments_kept: f.appointments_kept,
                appointments_missed: f.appointments_missed,
                invoices: f.invoices,
                invoices_corrected: f.invoices_corrected,
                follow_ups: f.follow_ups,
                deliveries: f.deliveries,
                on_time_deliveries: f.on_time_deliveries,
            })
            .collect();
        Ok(pb::GetAdvisorKpisResponse {
            from: from.with_timezone(&zone).to_rfc3339(),
            to: to.with_timezone(&zone).to_rfc3339(),
            advisors,
        })
    }
}
