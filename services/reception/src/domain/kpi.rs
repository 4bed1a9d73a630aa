//! The service advisors' monthly KPIs (seed 003), computed from the month's facts. Formulas (also in `kpis.proto`):
//! customers received R; appointment success K / (K + M); settlement accuracy (I − C) / I; satisfaction Σ scores / F;
//! on-time delivery T / D — rates in basis points rounded half up, 0 when there is nothing to divide by.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// How an appointment the advisor confirmed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentOutcome {
    /// The car came in.
    Kept,
    /// No-show or cancelled.
    Missed,
}

/// One fact of the month, attributed to an advisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A check-in by the advisor.
    CheckIn,
    /// An appointment the advisor confirmed, with its slot in the month.
    Appointment(AppointmentOutcome),
    /// An invoice signed on an order the advisor opened; `corrected` if it has a credit note.
    Invoice { corrected: bool },
    /// A follow-up recorded on an order the advisor opened.
    FollowUp { score: u8 },
    /// A delivery of an order the advisor opened.
    Delivery { on_time: bool },
}

/// One advisor's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdvisorFigures {
    /// R.
    pub customers_received: i64,
    /// K.
    pub appointments_kept: i64,
    /// M.
    pub appointments_missed: i64,
    /// I.
    pub invoices: i64,
    /// C.
    pub invoices_corrected: i64,
    /// F.
    pub follow_ups: i64,
    /// Σ scores.
    pub score_sum: i64,
    /// D.
    pub deliveries: i64,
    /// T.
    pub on_time_deliveries: i64,
}

/// `10000 × part / whole` rounded half up; 0 for an empty whole.
pub fn basis_points(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { (part * 20_000 + whole) / (2 * whole) }
}

impl AdvisorFigures {
    /// K / (K + M).
    pub fn appointment_success_rate_bp(&self) -> i64 {
        basis_points(self.appointments_kept, self.appointments_kept + self.appointments_missed)
    }

    /// (I − C) / I.
    pub fn settlement_accuracy_bp(&self) -> i64 {
        basis_points(self.invoices - self.invoices_corrected, self.invoices)
    }

    /// 100 × Σ scores / F, half up.
    pub fn satisfaction_hundredths(&self) -> i64 {
        if self.follow_ups == 0 { 0 } else { (self.score_sum * 200 + self.follow_ups) / (2 * self.follow_ups) }
    }

    /// T / D.
    pub fn on_time_delivery_rate_bp(&self) -> i64 {
        basis_points(self.on_time_deliveries, self.deliveries)
    }

    fn count(&mut self, fact: &Fact) {
        match fact {
            Fact::CheckIn => self.customers_received += 1,
            Fact::Appointment(AppointmentOutcome::Kept) => self.appointments_kept += 1,
            Fact::Appointment(AppointmentOutcome::Missed) => self.appointments_missed += 1,
            Fact::Invoice { corrected } => {
                self.invoices += 1;
                self.invoices_corrected += i64::from(*corrected);
            }
            Fact::FollowUp { score } => {
                self.follow_ups += 1;
                self.score_sum += i64::from(*score);
            }
            Fact::Delivery { on_time } => {
                self.deliveries += 1;
                self.on_time_deliveries += i64::from(*on_time);
            }
        }
    }
}

/// The month's figures per advisor (by subject) from `(advisor, fact)` pairs.
pub fn advisor_figures(facts: &[(String, Fact)]) -> BTreeMap<String, AdvisorFigures> {
    let mut figures: BTreeMap<String, AdvisorFigures> = BTreeMap::new();
    for (advisor, fact) in facts {
        figures.entry(advisor.clone()).or_default().count(fact);
    }
    figures
}

/// `[first instant of the month, first instant of the next)` of `year`-`month` in `zone`.
pub fn month_bounds(year: i32, month: u32, zone: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let start = zone.from_local_datetime(&first.and_hms_opt(0, 0, 0)?).earliest()?;
    let end = zone.from_local_datetime(&next.and_hms_opt(0, 0, 0)?).earliest()?;
    debug_assert_eq!(first.month(), month);
    Some((start.with_timezone(&Utc), end.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed month of two advisors, figures worked out by hand:
    /// alice: 3 check-ins; appointments kept 2, missed 1 → 6667 bp; invoices 4, one corrected → 7500 bp;
    ///        follow-ups 5, 4, 2 → 11 / 3 = 3.666… → 367; deliveries 3, on time 2 → 6667 bp.
    /// bob:   1 check-in; no appointments → 0; invoices 1, none corrected → 10000; follow-up 5 → 500;
    ///        deliveries 1 late → 0.
    #[test]
    fn the_figures_of_a_hand_computed_month() {
        let a = |fact: Fact| ("alice".to_string(), fact);
        let b = |fact: Fact| ("bob".to_string(), fact);
        let facts = vec![
            a(Fact::CheckIn),
            a(Fact::CheckIn),
            a(Fact::CheckIn),
            a(Fact::Appointment(AppointmentOutcome::Kept)),
            a(Fact::Appointment(AppointmentOutcome::Kept)),
            a(Fact::Appointment(AppointmentOutcome::Missed)),
            a(Fact::Invoice { corrected: false }),
            a(Fact::Invoice { corrected: true }),
            a(Fact::Invoice { corrected: false }),
            a(Fact::Invoice { corrected: false }),
            a(Fact::FollowUp { score: 5 }),
            a(Fact::FollowUp { score: 4 }),
            a(Fact::FollowUp { score: 2 }),
            a(Fact::Delivery { on_time: true }),
            a(Fact::Delivery { on_time: false }),
            a(Fact::Delivery { on_time: true }),
            b(Fact::CheckIn),
            b(Fact::Invoice { corrected: false }),
            b(Fact::FollowUp { score: 5 }),
            b(Fact::Delivery { on_time: false }),
        ];
        let figures = advisor_figures(&facts);
        let alice = &figures["alice"];
        assert_eq!(alice.customers_received, 3);
        assert_eq!(alice.appointment_success_rate_bp(), 6667);
        assert_eq!(alice.settlement_accuracy_bp(), 7500);
        assert_eq!(alice.satisfaction_hundredths(), 367);
        assert_eq!(alice.on_time_delivery_rate_bp(), 6667);
        let bob = &figures["bob"];
        assert_eq!(
            (
                bob.customers_received,
                bob.appointment_success_rate_bp(),
                bob.settlement_accuracy_bp(),
                bob.satisfaction_hundredths(),
                bob.on_time_delivery_rate_bp()
            ),
            (1, 0, 10_000, 500, 0)
        );
    }

    #[test]
    fn rates_round_half_up() {
        assert_eq!(basis_points(1, 3), 3333);
        assert_eq!(basis_points(2, 3), 6667);
        assert_eq!(basis_points(1, 8), 1250);
        assert_eq!(basis_points(1, 16), 625);
        assert_eq!(basis_points(1, 20_000), 1, "0.5 bp rounds up");
        assert_eq!(basis_points(0, 0), 0);
    }

    #[test]
    fn a_month_is_read_in_the_dealers_time_zone() {
        let (from, to) = month_bounds(2026, 3, chrono_tz::Asia::Shanghai).unwrap();
        assert_eq!(from.to_rfc3339(), "2026-02-28T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-03-31T16:00:00+00:00");
        let (_, december_end) = month_bounds(2026, 12, chrono_tz::UTC).unwrap();
        assert_eq!(december_end.to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert!(month_bounds(2026, 13, chrono_tz::UTC).is_none());
    }
}
