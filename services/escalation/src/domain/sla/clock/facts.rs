//! What reports count of a clock (DOMAIN.md, "Reports": on-time rate per clock, mean and p90 time to triage,
//! contact, onsite). Rules:
//! - every period met by its due time counts on time; every missed period (a breach) counts late — a one-off clock
//!   met late counts one late period, a recurring clock one per missed period;
//! - a waived clock counts neither (it is reported apart); a clock stopped before its due time counts nothing;
//! - the time to meet is from the start to the first meeting event, pauses included (what the customer waited).

use super::{Clock, Entry};

/// A clock's contribution to the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportFacts {
    /// Periods met by their due time.
    pub periods_on_time: i32,
    /// Periods missed.
    pub periods_late: i32,
    /// Seconds from the start to the first meeting event, once met.
    pub met_seconds: Option<i64>,
}

impl Clock {
    /// What the reports count of this clock now.
    pub fn report_facts(&self) -> ReportFacts {
        if self.status.as_str() == "waived" {
            return ReportFacts::default();
        }
        let mut facts = ReportFacts::default();
        for entry in &self.history {
            match entry {
                Entry::Met { at, late_by_seconds, .. } => {
                    if *late_by_seconds == 0 {
                        facts.periods_on_time += 1;
                    }
                    facts.met_seconds.get_or_insert((*at - self.started_at).num_seconds());
                }
                Entry::Breached { .. } => facts.periods_late += 1,
                _ => {}
            }
        }
        facts
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};

    use super::super::fixtures::{clock, t0};
    use super::*;

    fn t(minutes: i64) -> DateTime<Utc> {
        t0() + Duration::minutes(minutes)
    }

    #[test]
    fn a_clock_met_in_time_counts_one_period_on_time_and_its_time_to_meet() {
        let mut confirmation = clock("confirmation");
        confirmation.meet(t(10)).unwrap();
        let facts = confirmation.report_facts();
        assert_eq!(facts, ReportFacts { periods_on_time: 1, periods_late: 0, met_seconds: Some(600) });
    }

    #[test]
    fn a_clock_met_late_counts_one_late_period() {
        let mut confirmation = clock("confirmation");
        confirmation.fire(t(15));
        confirmation.meet(t(20)).unwrap();
        let facts = confirmation.report_facts();
        assert_eq!(facts, ReportFacts { periods_on_time: 0, periods_late: 1, met_seconds: Some(1200) });
    }

    #[test]
    fn a_waived_clock_counts_nothing() {
        let mut confirmation = clock("confirmation");
        confirmation.fire(t(15));
        confirmation.waive("far away", "oem_manager", t(20)).unwrap();
        assert_eq!(confirmation.report_facts(), ReportFacts::default());
    }

    #[test]
    fn a_recurring_clock_counts_each_period_met_or_missed() {
        let mut progress = clock("progress");
        progress.meet(t(50)).unwrap();
        progress.fire(t(120));
        progress.meet(t(150)).unwrap();
        let facts = progress.report_facts();
        assert_eq!((facts.periods_on_time, facts.periods_late, facts.met_seconds), (2, 1, Some(3000)));
    }
}
