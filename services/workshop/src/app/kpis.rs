//! Workshop KPIs: the facts of the jobs ready in a period, computed by the domain.

use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::{AppResult, to_timestamp};
use chrono::{DateTime, Utc};

use super::Workshop;
use crate::domain::kpi::{Figures, Kpis};
use crate::store::{jobs, technicians};

fn figures(f: &Figures) -> pb::KpiFigures {
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    pb::KpiFigures {
        jobs_ready: count(f.jobs_ready),
        jobs_reworked: count(f.jobs_reworked),
        failed_inspections: count(f.failed_inspections),
        rework_rate_bp: count(f.rework_rate_bp()),
        jobs_on_time: count(f.jobs_on_time),
        on_time_ready_rate_bp: count(f.on_time_ready_rate_bp()),
        jobs_within_revised_promise: count(f.jobs_within_revised_promise),
        within_revised_promise_rate_bp: count(f.within_revised_promise_rate_bp()),
    }
}

impl Workshop {
    /// The KPIs of the jobs ready in `[from, to)` within `scope`.
    pub async fn kpis(
        &self,
        scope: &DealerScope,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<pb::WorkshopKpis> {
        let conn = &self.db.read().await?;
        let ready = jobs::ready_between(conn, scope, from, to).await?;
        let kpis = Kpis::of(&ready);
        let names = technicians::names(conn, kpis.by_technician.keys().copied()).await?;
        Ok(pb::WorkshopKpis {
            dealer_id: match scope {
                DealerScope::Only(dealer) => dealer.to_string(),
                DealerScope::All => String::new(),
            },
            from: Some(to_timestamp(from)),
            to: Some(to_timestamp(to)),
            overall: Some(figures(&kpis.overall)),
            technicians: kpis
                .by_technician
                .iter()
                .map(|(id, f)| pb::TechnicianKpis {
                    technician_id: id.to_string(),
                    technician_name: names.get(id).cloned().unwrap_or_default(),
                    figures: Some(figures(f)),
                })
                .collect(),
        })
    }
}
