//! Case reports' arithmetic (DOMAIN.md, "Reports"): periods in the configured time zone, rates in basis points,
//! the p90 by nearest rank, Pareto rows — plain functions, so every figure's formula is tested against hand-computed
//! numbers here and the store only counts.
//!
//! - A period is a calendar month, quarter or year in the report's time zone: from its first local midnight
//!   (inclusive) to the next period's (exclusive).
//! - A rate is `part × 10 000 / whole` in basis points, rounded half up; 0 when `whole` is 0.
//! - A mean is `sum / count` rounded half up; 0 when `count` is 0.
//! - The p90 of n values is the value of rank ⌈0.9 n⌉ in ascending order (nearest rank), none when n is 0;
//!   durations are ranked exact to the second below 10 min, to the minute below 48 h, to the hour beyond
//!   (`facts::rank_value`).
//! - Pareto rows: counts in descending order (ties by label), each with its share and the cumulative share of
//!   the total, both rates as above.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

mod facts;
mod units;

pub use facts::{ClockFacts, Facts, Histogram, MeasureCount, rank_value, rank_value_sql};
pub use units::{Stretch, marked, stretches};

/// How long a report's period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

/// A report's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Month, quarter or year.
    pub kind: PeriodKind,
    /// The year.
    pub year: i32,
    /// Month 1..=12, quarter 1..=4; 1 for a year.
    pub number: u32,
}

/// Why a period is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Out of range for its kind.
    #[error("must be 1..={0}")]
    Number(u32),
    /// A year outside 2000..=2100.
    #[error("must be 2000..=2100")]
    Year,
}

impl Period {
    /// A checked period.
    pub fn new(kind: PeriodKind, year: i32, number: u32) -> Result<Period, PeriodError> {
        if !(2000..=2100).contains(&year) {
            return Err(PeriodError::Year);
        }
        let most = match kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Year => 1,
        };
        if !(1..=most).contains(&number) {
            return Err(PeriodError::Number(most));
        }
        Ok(Period { kind, year, number })
    }

    /// Its first month (1-based) and its length in months.
    fn months(&self) -> (u32, u32) {
        match self.kind {
            PeriodKind::Month => (self.number, 1),
            PeriodKind::Quarter => ((self.number - 1) * 3 + 1, 3),
            PeriodKind::Year => (1, 12),
        }
    }

    /// Its bounds in UTC: [start, end).
    pub fn bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let (first, length) = self.months();
        let start = local_midnight(tz, self.year, first);
        let after = first - 1 + length;
        let end = local_midnight(tz, self.year + (after / 12) as i32, after % 12 + 1);
        (start, end)
    }

    /// The period before it, of the same kind.
    pub fn previous(&self) -> Period {
        match (self.kind, self.number) {
            (PeriodKind::Year, _) => Period { year: self.year - 1, ..*self },
            (PeriodKind::Month, 1) => Period { year: self.year - 1, number: 12, ..*self },
            (PeriodKind::Quarter, 1) => Period { year: self.year - 1, number: 4, ..*self },
            _ => Period { number: self.number - 1, ..*self },
        }
    }

    /// "2026-03", "2026-Q1", "2026".
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}-{:02}", self.year, self.number),
            PeriodKind::Quarter => format!("{}-Q{}", self.year, self.number),
            PeriodKind::Year => self.year.to_string(),
        }
    }
}

/// The first local midnight of `month` in `tz` (the earliest, should midnight repeat).
fn local_midnight(tz: Tz, year: i32, month: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
    // Midnight may not exist on a DST change: then the first instant of the day that does.
    (0..24)
        .find_map(|hour| tz.with_ymd_and_hms(day.year(), day.month(), 1, hour, 0, 0).earliest())
        .expect("some hour of the day exists")
        .with_timezone(&Utc)
}

pub use aftersales_kernel::figures::{mean, rate_bp};

/// The 1-based rank of the p90 of `n` values by nearest rank, ⌈0.9 n⌉; None when `n` is 0.
pub fn p90_rank(n: i64) -> Option<i64> {
    (n > 0).then(|| (9 * n + 9) / 10)
}

/// A row of a Pareto chart (排列图).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParetoRow {
    /// What is counted (a category).
    pub label: String,
    /// How many.
    pub count: i64,
    /// Its share of the total, basis points.
    pub share_bp: i64,
    /// The share of this row and all before it, basis points.
    pub cumulative_bp: i64,
}

/// The Pareto rows of `counts`.
pub fn pareto(mut counts: Vec<(String, i64)>) -> Vec<ParetoRow> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let mut running = 0;
    counts
        .into_iter()
        .map(|(label, count)| {
            running += count;
            ParetoRow { label, count, share_bp: rate_bp(count, total), cumulative_bp: rate_bp(running, total) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_local_midnight_to_the_next_in_the_reports_time_zone() {
        let march = Period::new(PeriodKind::Month, 2026, 3).unwrap();
        let (start, end) = march.bounds(chrono_tz::Asia::Shanghai);
        assert_eq!(start.to_rfc3339(), "2026-02-28T16:00:00+00:00", "Shanghai is UTC+8");
        assert_eq!(end.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        let december = Period::new(PeriodKind::Month, 2026, 12).unwrap();
        assert_eq!(december.bounds(chrono_tz::UTC).1.to_rfc3339(), "2027-01-01T00:00:00+00:00");
    }

    #[test]
    fn a_quarter_and_a_year_span_their_months_and_daylight_saving_is_followed() {
        let q1 = Period::new(PeriodKind::Quarter, 2026, 1).unwrap();
        let (start, end) = q1.bounds(chrono_tz::Europe::Berlin);
        assert_eq!(start.to_rfc3339(), "2025-12-31T23:00:00+00:00", "winter: UTC+1");
        assert_eq!(end.to_rfc3339(), "2026-03-31T22:00:00+00:00", "summer from 29 March: UTC+2");
        let year = Period::new(PeriodKind::Year, 2026, 1).unwrap();
        assert_eq!(year.bounds(chrono_tz::UTC).1.to_rfc3339(), "2027-01-01T00:00:00+00:00");
    }

    #[test]
    fn the_previous_period_crosses_the_year() {
        let january = Period::new(PeriodKind::Month, 2026, 1).unwrap();
        assert_eq!(january.previous(), Period { kind: PeriodKind::Month, year: 2025, number: 12 });
        let q1 = Period::new(PeriodKind::Quarter, 2026, 1).unwrap();
        assert_eq!(q1.previous().label(), "2025-Q4");
        assert_eq!(Period::new(PeriodKind::Year, 2026, 1).unwrap().previous().label(), "2025");
    }

    #[test]
    fn out_of_range_periods_are_refused() {
        assert_eq!(Period::new(PeriodKind::Month, 2026, 13), Err(PeriodError::Number(12)));
        assert_eq!(Period::new(PeriodKind::Quarter, 2026, 0), Err(PeriodError::Number(4)));
        assert_eq!(Period::new(PeriodKind::Year, 1999, 1), Err(PeriodError::Year));
    }

    #[test]
    fn the_p90_is_the_nearest_rank() {
        assert_eq!(p90_rank(0), None);
        assert_eq!(p90_rank(1), Some(1));
        assert_eq!(p90_rank(10), Some(9));
        assert_eq!(p90_rank(11), Some(10), "9.9 rounds up to 10");
        assert_eq!(p90_rank(20), Some(18));
    }

    #[test]
    fn pareto_rows_run_from_the_largest_count_with_cumulative_shares() {
        let rows = pareto(vec![("b".into(), 2), ("a".into(), 5), ("c".into(), 2), ("d".into(), 1)]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["a", "b", "c", "d"], "ties by label");
        let shares: Vec<(i64, i64)> = rows.iter().map(|r| (r.share_bp, r.cumulative_bp)).collect();
        assert_eq!(shares, [(5000, 5000), (2000, 7000), (2000, 9000), (1000, 10_000)]);
    }
}
