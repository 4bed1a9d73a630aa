//! What a report counts in one stretch of time, additive: the facts of two stretches merge into the facts of both,
//! so a year is the sum of its months (kept, see `units.rs`) and the days not yet settled. Durations are ranked as a
//! histogram of their ranking values (`rank_value`), so a p90 survives the merge exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::p90_rank;

/// Below this many seconds a duration ranks to the second (what is met "at once" or within minutes).
const EXACT_BELOW: i64 = 10 * 60;
/// Below this many seconds it ranks to the minute; beyond, to the hour.
const MINUTES_BELOW: i64 = 48 * 3600;

/// The value a duration of `seconds` is ranked by (and reported as, when it is the p90): the duration itself below
/// 10 min, truncated to the minute below 48 h, to the hour beyond — so a month's durations take at most some 3,500
/// ranking values per clock policy, however many there are.
pub fn rank_value(seconds: i64) -> i64 {
    match seconds {
        s if s < EXACT_BELOW => s,
        s if s < MINUTES_BELOW => s / 60 * 60,
        s => s / 3600 * 3600,
    }
}

/// The SQL expression of [`rank_value`] over the integer expression `seconds` (both databases divide integers
/// exactly).
pub fn rank_value_sql(seconds: &str) -> String {
    format!(
        "CASE WHEN {seconds} < {EXACT_BELOW} THEN {seconds} WHEN {seconds} < {MINUTES_BELOW} \
         THEN ({seconds}) / 60 * 60 ELSE ({seconds}) / 3600 * 3600 END"
    )
}

/// How many durations had each ranking value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram(BTreeMap<i64, i64>);

impl Histogram {
    /// Counts `n` more durations of ranking value `value`.
    pub fn add(&mut self, value: i64, n: i64) {
        *self.0.entry(value).or_default() += n;
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        for (value, n) in &other.0 {
            self.add(*value, *n);
        }
    }

    /// The ranking value of rank ⌈0.9 n⌉ (nearest rank); 0 when empty.
    pub fn p90(&self) -> i64 {
        let Some(rank) = p90_rank(self.0.values().sum()) else { return 0 };
        let mut seen = 0;
        for (value, n) in &self.0 {
            seen += n;
            if seen >= rank {
                return *value;
            }
        }
        unreachable!("the rank is within the count")
    }
}

/// A clock policy's clocks started in the stretch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockFacts {
    /// Started.
    pub started: i64,
    /// Σ periods on time (waived clocks excluded).
    pub on_time: i64,
    /// Σ periods late (waived clocks excluded).
    pub late: i64,
    /// Waived.
    pub waived: i64,
    /// Met at least once.
    pub met: i64,
    /// Σ seconds to meet of the met ones.
    pub met_seconds: i64,
    /// Their seconds to meet, ranked.
    pub to_meet: Histogram,
}

/// Measures of one department, person and kind: open and done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureCount {
    /// Responsible department.
    pub department: String,
    /// Responsible person.
    pub person: String,
    /// `corrective` or `preventive`.
    pub kind: String,
    /// Not yet done.
    pub open: i64,
    /// Done.
    pub done: i64,
}

/// Everything a report counts in one stretch: cases received in it, closed in it, root-caused in it, and clocks
/// started in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Cases received.
    pub received: i64,
    /// Of which repeats.
    pub repeats: i64,
    /// Of which not triaged.
    pub untriaged: i64,
    /// The triaged ones per category.
    pub categories: BTreeMap<String, i64>,
    /// Cases closed.
    pub closed: i64,
    /// Σ seconds from received to closed.
    pub close_seconds: i64,
    /// Those seconds, ranked.
    pub to_close: Histogram,
    /// Σ satisfaction of the closed ones with one.
    pub satisfaction: i64,
    /// How many of them have one.
    pub rated: i64,
    /// Closed cases per 5M1E category of their root cause.
    pub causes: BTreeMap<String, i64>,
    /// Closed cases per responsible party of their approved report ("department/person", "supplier:<id>").
    pub responsible: BTreeMap<String, i64>,
    /// Measures of the root-cause reports recorded in the stretch.
    pub measures: Vec<MeasureCount>,
    /// Case clocks started, per policy.
    pub clocks: BTreeMap<String, ClockFacts>,
}

impl Facts {
    /// Adds the facts of another stretch.
    pub fn merge(&mut self, other: &Facts) {
        self.received += other.received;
        self.repeats += other.repeats;
        self.untriaged += other.untriaged;
        add_all(&mut self.categories, &other.categories);
        self.closed += other.closed;
        self.close_seconds += other.close_seconds;
        self.to_close.merge(&other.to_close);
        self.satisfaction += other.satisfaction;
        self.rated += other.rated;
        add_all(&mut self.causes, &other.causes);
        add_all(&mut self.responsible, &other.responsible);
        for m in &other.measures {
            self.add_measures(m.clone());
        }
        for (policy, theirs) in &other.clocks {
            let ours = self.clocks.entry(policy.clone()).or_default();
            ours.started += theirs.started;
            ours.on_time += theirs.on_time;
            ours.late += theirs.late;
            ours.waived += theirs.waived;
            ours.met += theirs.met;
            ours.met_seconds += theirs.met_seconds;
            ours.to_meet.merge(&theirs.to_meet);
        }
    }

    /// Counts measures of a department, person and kind (kept in that order).
    pub fn add_measures(&mut self, count: MeasureCount) {
        let key = |m: &MeasureCount| (m.department.clone(), m.person.clone(), m.kind.clone());
        match self.measures.binary_search_by_key(&key(&count), key) {
            Ok(at) => {
                self.measures[at].open += count.open;
                self.measures[at].done += count.done;
            }
            Err(at) => self.measures.insert(at, count),
        }
    }
}

fn add_all(ours: &mut BTreeMap<String, i64>, theirs: &BTreeMap<String, i64>) {
    for (label, n) in theirs {
        *ours.entry(label.clone()).or_default() += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_rank_to_the_second_below_ten_minutes_then_to_the_minute_then_to_the_hour() {
        assert_eq!(rank_value(599), 599);
        assert_eq!(rank_value(600 + 59), 600);
        assert_eq!(rank_value(7200 + 59), 7200);
        assert_eq!(rank_value(23 * 3600 + 41 * 60 + 7), 23 * 3600 + 41 * 60);
        assert_eq!(rank_value(48 * 3600 + 3599), 48 * 3600);
        assert_eq!(rank_value(5 * 86_400 + 7000), 5 * 86_400 + 3600);
    }

    #[test]
    fn the_p90_of_a_histogram_is_the_nearest_rank_over_its_counts() {
        let mut h = Histogram::default();
        assert_eq!(h.p90(), 0, "none");
        // 600, 1200, 1800, 5400: rank ⌈3.6⌉ = 4.
        for v in [600, 1200, 1800, 5400] {
            h.add(v, 1);
        }
        assert_eq!(h.p90(), 5400);
        // Ten values, nine of them 60: rank 9 is 60.
        let mut h = Histogram::default();
        h.add(60, 9);
        h.add(7000, 1);
        assert_eq!(h.p90(), 60);
    }

    #[test]
    fn merged_stretches_count_as_one() {
        let mut march = Facts { received: 3, repeats: 1, ..Default::default() };
        march.categories.insert("cold_start".into(), 2);
        march.clocks.entry("case_triage".into()).or_default().to_meet.add(600, 9);
        march.add_measures(MeasureCount {
            department: "q".into(),
            person: "p".into(),
            kind: "corrective".into(),
            open: 1,
            done: 0,
        });
        let mut april = Facts { received: 2, ..Default::default() };
        april.categories.insert("cold_start".into(), 1);
        april.categories.insert("noise".into(), 1);
        april.clocks.entry("case_triage".into()).or_default().to_meet.add(5400, 1);
        april.add_measures(MeasureCount {
            department: "q".into(),
            person: "p".into(),
            kind: "corrective".into(),
            open: 0,
            done: 2,
        });
        april.add_measures(MeasureCount {
            department: "a".into(),
            person: "p".into(),
            kind: "preventive".into(),
            open: 1,
            done: 0,
        });
        march.merge(&april);
        assert_eq!((march.received, march.repeats), (5, 1));
        assert_eq!(march.categories, BTreeMap::from([("cold_start".into(), 3), ("noise".into(), 1)]));
        assert_eq!(march.clocks["case_triage"].to_meet.p90(), 600, "rank 9 of 10");
        let measures: Vec<_> = march.measures.iter().map(|m| (m.department.as_str(), m.open, m.done)).collect();
        assert_eq!(measures, [("a", 1, 0), ("q", 1, 2)]);
        let text = serde_json::to_string(&march).unwrap();
        assert_eq!(serde_json::from_str::<Facts>(&text).unwrap(), march, "kept as JSON");
    }
}
