//! Business hours: a dealer's opening hours in its own time zone (daylight saving included). A clock on the dealer's
//! calendar counts only open time: "2 hours" from Friday 17:00 with hours 08:00–18:00 on weekdays is due Monday
//! 09:00.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// The furthest a due time is looked for (a dealer open one hour a week still gets a year of targets).
const HORIZON_DAYS: i64 = 400;

/// A dealer's opening hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    /// Its time zone.
    pub time_zone: Tz,
    /// Open intervals of local time per weekday (opens < closes).
    pub intervals: Vec<(Weekday, NaiveTime, NaiveTime)>,
}

impl BusinessHours {
    /// When `span` of open time has passed after `from` (`from` itself may be outside the hours); None when the
    /// dealer is never open within the horizon.
    pub fn add(&self, from: DateTime<Utc>, span: Duration) -> Option<DateTime<Utc>> {
        let mut left = span;
        let start_day = from.with_timezone(&self.time_zone).date_naive();
        for offset in 0..HORIZON_DAYS {
            let day = start_day + Duration::days(offset);
            let mut today: Vec<(DateTime<Utc>, DateTime<Utc>)> = self
                .intervals
                .iter()
                .filter(|(weekday, _, _)| *weekday == day.weekday())
                .filter_map(|(_, opens, closes)| {
                    Some((self.instant(day.and_time(*opens))?, self.instant(day.and_time(*closes))?))
                })
                .collect();
            today.sort();
            for (opens, closes) in today {
                let begin = opens.max(from);
                if begin >= closes {
                    continue;
                }
                let open = closes - begin;
                if left <= open {
                    return Some(begin + left);
                }
                left -= open;
            }
        }
        None
    }

    /// A local time as an instant: the earlier of two in a fall-back hour; a time skipped by spring-forward moves
    /// to the first instant after the gap.
    fn instant(&self, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.time_zone.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
            chrono::LocalResult::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
            chrono::LocalResult::None => self
                .time_zone
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// Weekdays 08:00–18:00 (a lunch break on Wednesday), Saturday 09:00–12:00, Berlin.
    fn berlin() -> BusinessHours {
        let mut intervals = Vec::new();
        for day in [Weekday::Mon, Weekday::Tue, Weekday::Thu, Weekday::Fri] {
            intervals.push((day, hm(8, 0), hm(18, 0)));
        }
        intervals.push((Weekday::Wed, hm(8, 0), hm(12, 0)));
        intervals.push((Weekday::Wed, hm(13, 0), hm(18, 0)));
        intervals.push((Weekday::Sat, hm(9, 0), hm(12, 0)));
        BusinessHours { time_zone: chrono_tz::Europe::Berlin, intervals }
    }

    fn berlin_time(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Berlin.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn inside_the_hours_it_is_plain_addition() {
        // Tuesday 2026-12-08, 10:00 + 2 h.
        assert_eq!(
            berlin().add(berlin_time(2026, 12, 8, 10, 0), Duration::hours(2)),
            Some(berlin_time(2026, 12, 8, 12, 0))
        );
    }

    #[test]
    fn closed_time_does_not_count() {
        // Friday 17:00 + 2 h: one hour on Friday, one on Saturday morning.
        assert_eq!(
            berlin().add(berlin_time(2026, 12, 11, 17, 0), Duration::hours(2)),
            Some(berlin_time(2026, 12, 12, 10, 0))
        );
        // Saturday 11:30 + 2 h: half an hour on Saturday, then Monday 08:00–09:30.
        assert_eq!(
            berlin().add(berlin_time(2026, 12, 12, 11, 30), Duration::hours(2)),
            Some(berlin_time(2026, 12, 14, 9, 30))
        );
    }

    #[test]
    fn a_start_outside_the_hours_counts_from_the_next_opening() {
        // Sunday 15:00 + 30 min → Monday 08:30.
        assert_eq!(
            berlin().add(berlin_time(2026, 12, 13, 15, 0), Duration::minutes(30)),
            Some(berlin_time(2026, 12, 14, 8, 30))
        );
    }

    #[test]
    fn a_lunch_break_is_skipped() {
        // Wednesday 11:30 + 1 h → 13:30.
        assert_eq!(
            berlin().add(berlin_time(2026, 12, 9, 11, 30), Duration::hours(1)),
            Some(berlin_time(2026, 12, 9, 13, 30))
        );
    }

    #[test]
    fn daylight_saving_is_read_in_the_dealers_zone() {
        // Friday 2027-03-26 17:00 (UTC+1) + 5 h: 1 h on Friday, 3 h on Saturday, and the clocks go forward on
        // Sunday 28 March — Monday 08:00–09:00 is summer time (UTC+2).
        let due = berlin().add(berlin_time(2027, 3, 26, 17, 0), Duration::hours(5)).unwrap();
        assert_eq!(due, berlin_time(2027, 3, 29, 9, 0), "1 h Friday, 3 h Saturday, 1 h Monday at summer time");
        assert_eq!(due.to_rfc3339(), "2027-03-29T07:00:00+00:00");
    }

    #[test]
    fn a_dealer_never_open_has_no_due_time() {
        let closed = BusinessHours { time_zone: chrono_tz::Europe::Berlin, intervals: Vec::new() };
        assert_eq!(closed.add(berlin_time(2026, 12, 8, 10, 0), Duration::hours(1)), None);
    }
}
