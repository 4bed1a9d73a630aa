//! The fitting record and parts warranty (三包 / 索赔, DOMAIN.md Parts 3 and 7). Rules:
//! - every issue on a requisition records which part and batch went into which vehicle, when and at what mileage;
//!   what came back is no longer fitted;
//! - a failed part is judged against its latest fitting on that vehicle before the failure: covered while neither
//!   set warranty limit (months from fitting, km since fitting) is reached; a part with no warranty or no fitting
//!   is not covered, and the verdict says why.

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId, Vin};
use chrono::{DateTime, Datelike, Utc};

use super::Warranty;
use super::stock::BatchCode;

/// One batch of a part fitted to a vehicle on a requisition (what stayed in: issued less returned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitting {
    /// The vehicle.
    pub vin: Vin,
    /// The part.
    pub part_number: PartNumber,
    /// The batch.
    pub batch: BatchCode,
    /// The dealer that fitted it.
    pub dealer_id: DealerId,
    /// The repair order.
    pub order_id: RepairOrderId,
    /// The requisition.
    pub requisition_id: uuid::Uuid,
    /// When it was (first) issued.
    pub fitted_at: DateTime<Utc>,
    /// The odometer at the order's check-in.
    pub mileage_km: i64,
    /// How much stayed in, hundredths (> 0).
    pub quantity: i64,
}

/// A failed part as reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureReport {
    /// The vehicle.
    pub vin: Vin,
    /// The part.
    pub part_number: PartNumber,
    /// When it failed.
    pub failed_at: DateTime<Utc>,
    /// The odometer then.
    pub mileage_km: i64,
    /// Photos, documents.
    pub evidence: Vec<String>,
}

/// What the warranty says of a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Inside the warranty.
    Covered {
        /// The fitting judged.
        fitting: Fitting,
        /// Whole months from fitting to failure.
        months: i32,
        /// Km from fitting to failure.
        km: i64,
    },
    /// A limit was reached.
    Expired {
        /// The fitting judged.
        fitting: Fitting,
        /// Whole months from fitting to failure.
        months: i32,
        /// Km from fitting to failure.
        km: i64,
    },
    /// The part carries no warranty.
    NoWarranty,
    /// No fitting of the part on this vehicle before the failure.
    NotFitted,
}

/// Why a report cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The reading is below the one at fitting.
    #[error("is below the reading when the part was fitted ({0} km)")]
    MileageBelowFitting(i64),
}

/// Whole calendar months from `from` to `to` (a month counts once its day of month is reached).
pub fn whole_months(from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

/// Judges `report` against the vehicle's fittings of the part and the part's warranty.
pub fn judge(report: &FailureReport, fittings: &[Fitting], warranty: Warranty) -> Result<Verdict, ReportError> {
    if !warranty.exists() {
        return Ok(Verdict::NoWarranty);
    }
    let latest = fittings
        .iter()
        .filter(|f| f.vin == report.vin && f.part_number == report.part_number && f.quantity > 0)
        .filter(|f| f.fitted_at <= report.failed_at)
        .max_by_key(|f| f.fitted_at);
    let Some(fitting) = latest else { return Ok(Verdict::NotFitted) };
    if report.mileage_km < fitting.mileage_km {
        return Err(ReportError::MileageBelowFitting(fitting.mileage_km));
    }
    let months = whole_months(fitting.fitted_at, report.failed_at);
    let km = report.mileage_km - fitting.mileage_km;
    let fitting = fitting.clone();
    Ok(if warranty.covers(months, km) {
        Verdict::Covered { fitting, months, km }
    } else {
        Verdict::Expired { fitting, months, km }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
    }

    fn fitting(fitted: DateTime<Utc>, km: i64, quantity: i64) -> Fitting {
        Fitting {
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            part_number: PartNumber::parse("A-1001").unwrap(),
            batch: BatchCode::parse("L-2026-01").unwrap(),
            dealer_id: DealerId::new(),
            order_id: RepairOrderId::new(),
            requisition_id: uuid::Uuid::now_v7(),
            fitted_at: fitted,
            mileage_km: km,
            quantity,
        }
    }

    fn report(failed: DateTime<Utc>, km: i64) -> FailureReport {
        FailureReport {
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            part_number: PartNumber::parse("A-1001").unwrap(),
            failed_at: failed,
            mileage_km: km,
            evidence: vec!["photo://failure/1".into()],
        }
    }

    #[test]
    fn months_count_once_the_day_of_month_is_reached() {
        assert_eq!(whole_months(at(2026, 1, 31), at(2026, 2, 28)), 0);
        assert_eq!(whole_months(at(2026, 1, 15), at(2026, 2, 15)), 1);
        assert_eq!(whole_months(at(2024, 3, 2), at(2026, 3, 1)), 23);
    }

    #[test]
    fn a_failure_inside_both_limits_of_the_latest_fitting_is_covered() {
        let warranty = Warranty::new(24, 60_000).unwrap();
        let older = fitting(at(2023, 1, 10), 10_000, 100);
        let latest = fitting(at(2025, 6, 1), 42_000, 100);
        let verdict = judge(&report(at(2026, 3, 2), 50_000), &[older, latest.clone()], warranty).unwrap();
        assert_eq!(verdict, Verdict::Covered { fitting: latest, months: 9, km: 8_000 });
    }

    #[test]
    fn a_failure_past_either_limit_is_not_covered_and_says_by_how_much() {
        let warranty = Warranty::new(24, 60_000).unwrap();
        let fitted = fitting(at(2024, 1, 10), 42_000, 100);
        let late = judge(&report(at(2026, 1, 10), 50_000), std::slice::from_ref(&fitted), warranty).unwrap();
        assert!(matches!(late, Verdict::Expired { months: 24, .. }));
        let far = judge(&report(at(2024, 6, 1), 102_000), std::slice::from_ref(&fitted), warranty).unwrap();
        assert!(matches!(far, Verdict::Expired { km: 60_000, .. }));
    }

    #[test]
    fn no_fitting_no_warranty_and_returned_parts_are_not_covered() {
        let warranty = Warranty::new(24, 0).unwrap();
        assert_eq!(judge(&report(at(2026, 3, 2), 50_000), &[], warranty), Ok(Verdict::NotFitted));
        let returned = fitting(at(2025, 6, 1), 42_000, 0);
        assert_eq!(judge(&report(at(2026, 3, 2), 50_000), &[returned], warranty), Ok(Verdict::NotFitted));
        let after = fitting(at(2026, 4, 1), 42_000, 100);
        assert_eq!(judge(&report(at(2026, 3, 2), 50_000), &[after], warranty), Ok(Verdict::NotFitted), "fitted later");
        let none = Warranty::new(0, 0).unwrap();
        assert_eq!(
            judge(&report(at(2026, 3, 2), 50_000), &[fitting(at(2025, 6, 1), 42_000, 100)], none),
            Ok(Verdict::NoWarranty)
        );
    }

    #[test]
    fn a_reading_below_the_fitting_is_refused() {
        let warranty = Warranty::new(24, 60_000).unwrap();
        let fitted = fitting(at(2025, 6, 1), 42_000, 100);
        assert_eq!(
            judge(&report(at(2026, 3, 2), 41_000), &[fitted], warranty),
            Err(ReportError::MileageBelowFitting(42_000))
        );
    }
}
