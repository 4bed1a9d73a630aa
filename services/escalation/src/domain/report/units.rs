//! Which stretches of a period a report reads from kept facts, and which it counts afresh. Facts of a stretch that
//! ended at least [`SETTLED_AFTER`] ago are kept (whole local months, else whole local days); the rest — the last
//! two days or so — is counted from the rows each time. A later change to something a kept stretch counted (a case
//! re-classified, a clock met late) marks the hour of the instant it is counted by (see `store::report_cache`), and
//! a kept stretch whose hours were marked since it was counted is counted again.
//!
//! Why 48 h: a change is marked when the instant it is counted by lies more than [`MARKED_BEFORE`] in the past — so
//! changes to the last day, the busy one, never contend for a mark — and 48 h > 24 h leaves a day of margin.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A stretch is kept once it ended this long ago.
pub const SETTLED_AFTER: Duration = Duration::hours(48);
/// A change is marked when the instant it is counted by lies this far back.
pub const MARKED_BEFORE: Duration = Duration::hours(24);

/// A stretch of time: [start, end).
pub type Stretch = (DateTime<Utc>, DateTime<Utc>);

/// The kept stretches of [start, end) (a period: it starts at a local month start) at `now`, in order, and the
/// rest to count afresh (None when the kept ones cover it all).
pub fn stretches(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> (Vec<Stretch>, Option<Stretch>) {
    let settled = now - SETTLED_AFTER;
    let mut kept = Vec::new();
    let mut cursor = start;
    while cursor < end {
        let local = cursor.with_timezone(&tz).date_naive();
        let month_end = local_midnight(tz, next_month(local));
        let next = if local.day() == 1 && month_end <= end && month_end <= settled {
            month_end
        } else {
            let day_end = local_midnight(tz, local.succ_opt().expect("a next day"));
            if day_end > end || day_end > settled {
                break;
            }
            day_end
        };
        kept.push((cursor, next));
        cursor = next;
    }
    (kept, (cursor < end).then_some((cursor, end)))
}

/// Whether a change to something counted at `instant` must be marked at `now`.
pub fn marked(instant: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    instant < now - MARKED_BEFORE
}

fn next_month(day: NaiveDate) -> NaiveDate {
    let (year, month) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month")
}

/// The first instant of `day` in `tz` (midnight, or the first hour that exists on a DST change).
fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    (0..24)
        .find_map(|hour| tz.with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0).earliest())
        .expect("some hour of the day exists")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{Period, PeriodKind};

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn shanghai() -> Tz {
        "Asia/Shanghai".parse().unwrap()
    }

    #[test]
    fn a_past_year_is_its_twelve_months_kept() {
        let (start, end) = Period::new(PeriodKind::Year, 2025, 1).unwrap().bounds(shanghai());
        let (kept, rest) = stretches(start, end, utc("2026-12-07T01:00:00Z"), shanghai());
        assert_eq!(kept.len(), 12);
        assert_eq!(kept[0], (utc("2024-12-31T16:00:00Z"), utc("2025-01-31T16:00:00Z")), "local months");
        assert_eq!(kept[11].1, end);
        assert_eq!(rest, None);
    }

    #[test]
    fn the_running_month_keeps_its_settled_days_and_counts_the_last_two_afresh() {
        // 7 December 2026 09:00 in Shanghai: 1–4 December ended 48 h ago or more; from the 5th on, afresh.
        let (start, end) = Period::new(PeriodKind::Quarter, 2026, 4).unwrap().bounds(shanghai());
        let (kept, rest) = stretches(start, end, utc("2026-12-07T01:00:00Z"), shanghai());
        assert_eq!(kept.len(), 2 + 4, "October, November, then 1–4 December");
        assert_eq!(kept[2], (utc("2026-11-30T16:00:00Z"), utc("2026-12-01T16:00:00Z")));
        assert_eq!(rest, Some((utc("2026-12-04T16:00:00Z"), end)));
    }

    #[test]
    fn a_period_just_ended_is_counted_in_days_until_it_settles() {
        let (start, end) = Period::new(PeriodKind::Month, 2026, 11).unwrap().bounds(shanghai());
        let (kept, rest) = stretches(start, end, utc("2026-12-01T01:00:00Z"), shanghai());
        assert_eq!(kept.len(), 28, "1–28 November kept; the 29th and 30th afresh");
        assert_eq!(rest, Some((utc("2026-11-28T16:00:00Z"), end)));
        let (kept, rest) = stretches(start, end, utc("2026-12-02T16:00:00Z"), shanghai());
        assert_eq!((kept, rest), (vec![(start, end)], None), "settled: the whole month");
    }

    #[test]
    fn changes_are_marked_only_for_instants_a_day_back() {
        let now = utc("2026-12-07T01:00:00Z");
        assert!(!marked(utc("2026-12-06T02:00:00Z"), now));
        assert!(marked(utc("2026-12-06T00:59:59Z"), now));
    }
}
