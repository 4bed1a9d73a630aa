//! Repeat cases (DOMAIN.md: "a case with the same VIN/serial and category within a configurable window is a
//! repeat"). Rules:
//! - a case is a repeat of the latest other case about the same engine or vehicle with the same category received
//!   no more than the window before it (and not after it);
//! - it is decided when the category is set — at triage and again at each re-classification, which may make a case
//!   a repeat of another case or of none;
//! - the window is configuration (`escalation.repeat_window_days`, 90 days by default).

use chrono::Duration;

use super::Case;

/// How far back a case looks for the one it repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatWindow(pub Duration);

impl RepeatWindow {
    /// A window of `days` days.
    pub fn days(days: u32) -> RepeatWindow {
        RepeatWindow(Duration::days(i64::from(days)))
    }
}

impl Case {
    /// Whether this case repeats `earlier` under `window`.
    pub fn repeats(&self, earlier: &Case, window: RepeatWindow) -> bool {
        let same_category = match (&self.classification, &earlier.classification) {
            (Some(mine), Some(theirs)) => mine.category == theirs.category,
            _ => false,
        };
        earlier.id != self.id
            && same_category
            && earlier.serial_or_vin == self.serial_or_vin
            && earlier.received_at <= self.received_at
            && self.received_at - earlier.received_at <= window.0
    }

    /// Marks this case a repeat of the latest of `candidates` it repeats, or of none.
    pub fn mark_repeat(&mut self, candidates: &[Case], window: RepeatWindow) {
        self.repeat_of = candidates
            .iter()
            .filter(|earlier| self.repeats(earlier, window))
            .max_by_key(|earlier| (earlier.received_at, earlier.id.to_string()))
            .map(|earlier| earlier.id);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::domain::case::fixtures;
    use crate::domain::{CaseSeverity, Classification};

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap() + Duration::days(n)
    }

    fn case(serial: &str, category: &str, received: i64) -> Case {
        let mut case = fixtures::received_about(serial, day(received));
        case.classify(Classification { severity: CaseSeverity::General, category: category.into() }, day(received))
            .unwrap();
        case
    }

    const WINDOW: RepeatWindow = RepeatWindow(Duration::days(90));

    #[test]
    fn the_same_engine_and_category_within_the_window_is_a_repeat_of_the_latest() {
        let first = case("WP10-2024-000917", "cold_start", 0);
        let second = case("WP10-2024-000917", "cold_start", 30);
        let mut third = case("WP10-2024-000917", "cold_start", 100);
        third.mark_repeat(&[first.clone(), second.clone()], WINDOW);
        assert_eq!(third.repeat_of, Some(second.id), "the latest one, 70 days before");
        let mut again = case("WP10-2024-000917", "cold_start", 90);
        again.mark_repeat(std::slice::from_ref(&first), WINDOW);
        assert_eq!(again.repeat_of, Some(first.id), "exactly 90 days is within the window");
    }

    #[test]
    fn another_engine_another_category_or_an_older_case_is_no_repeat() {
        let earlier = case("WP10-2024-000917", "cold_start", 0);
        for mut later in [
            case("WP10-2024-000918", "cold_start", 10),
            case("WP10-2024-000917", "power_loss", 10),
            case("WP10-2024-000917", "cold_start", 91),
        ] {
            later.mark_repeat(std::slice::from_ref(&earlier), WINDOW);
            assert_eq!(later.repeat_of, None);
        }
    }

    #[test]
    fn a_case_never_repeats_itself_nor_a_later_one() {
        let mut first = case("WP10-2024-000917", "cold_start", 0);
        let later = case("WP10-2024-000917", "cold_start", 5);
        first.mark_repeat(&[first.clone(), later], WINDOW);
        assert_eq!(first.repeat_of, None);
    }

    #[test]
    fn a_wider_window_makes_an_older_case_a_repeat() {
        let earlier = case("WP10-2024-000917", "cold_start", 0);
        let mut later = case("WP10-2024-000917", "cold_start", 120);
        later.mark_repeat(std::slice::from_ref(&earlier), RepeatWindow::days(180));
        assert_eq!(later.repeat_of, Some(earlier.id));
    }
}
