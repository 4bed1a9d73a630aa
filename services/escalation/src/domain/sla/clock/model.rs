//! The clock against a reference model, under random sequences of events and time: a one-off clock breaches at
//! most once, exactly when its running (unpaused) time reaches the target before it ends, with its due time moved
//! by exactly the paused time; it climbs one level at a time, never past the top; it ends once and changes no more.
//! A recurring clock breaches each missed period once and never a period that was met. Re-classification keeps
//! elapsed time: the clock continuing a stopped one is due exactly its target minus the running time counted.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::fixtures::{clock as start, clock_at, t0};
use super::*;

#[derive(Debug, Clone)]
enum Op {
    Advance(i64),
    Meet,
    Stop,
    Pause,
    Resume,
    Waive,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1..40i64).prop_map(Op::Advance),
        1 => Just(Op::Meet),
        1 => Just(Op::Stop),
        1 => Just(Op::Pause),
        1 => Just(Op::Resume),
        1 => Just(Op::Waive),
    ]
}

/// The reference model of a one-off clock: running time, paused time, whether it ended.
#[derive(Default)]
struct Model {
    paused_since: Option<DateTime<Utc>>,
    paused: Duration,
    ended: bool,
    breached_due: Option<DateTime<Utc>>,
}

impl Model {
    fn due(&self) -> DateTime<Utc> {
        t0() + Duration::minutes(15) + self.paused
    }

    /// Whether the clock must have breached by `now` (running time reached the target while it ran).
    fn must_breach_by(&self, now: DateTime<Utc>) -> bool {
        !self.ended && self.breached_due.is_none() && self.paused_since.is_none() && now >= self.due()
    }
}

proptest! {
    #[test]
    fn a_one_off_clock_matches_the_model(ops in proptest::collection::vec(op(), 1..60)) {
        let mut clock = start("confirmation");
        let mut model = Model::default();
        let mut now = t0();
        let (mut breaches, mut closed, mut last_level) = (0, 0, 0);
        let mut record = |effects: &[Effect], model: &mut Model, now: DateTime<Utc>| {
            for effect in effects {
                match effect {
                    Effect::Breached { due_at, .. } => {
                        breaches += 1;
                        prop_assert!(breaches == 1, "a one-off clock breaches once");
                        prop_assert_eq!(*due_at, model.due(), "paused time moved the due time exactly");
                        prop_assert!(*due_at <= now);
                        model.breached_due = Some(*due_at);
                    }
                    Effect::Escalated { level, .. } => {
                        prop_assert_eq!(*level, last_level + 1, "one level at a time");
                        prop_assert!(*level <= 2, "never past the top");
                        last_level = *level;
                    }
                    Effect::Closed => {
                        closed += 1;
                        prop_assert!(closed == 1, "it ends once");
                    }
                }
            }
            Ok(())
        };
        for op in ops {
            let was_ended = model.ended;
            match op {
                Op::Advance(minutes) => {
                    now += Duration::minutes(minutes);
                    let must = model.must_breach_by(now);
                    let effects = clock.fire(now);
                    record(&effects, &mut model, now)?;
                    prop_assert_eq!(must, effects.iter().any(|e| matches!(e, Effect::Breached { .. })));
                }
                Op::Pause => {
                    let result = clock.pause("waiting_for_customer", "advisor", now);
                    prop_assert_eq!(result.is_ok(), !model.ended && model.paused_since.is_none());
                    if result.is_ok() { model.paused_since = Some(now); }
                }
                Op::Resume => {
                    let result = clock.resume("advisor", now);
                    prop_assert_eq!(result.is_ok(), !model.ended && model.paused_since.is_some());
                    if let (Ok(()), Some(since)) = (result, model.paused_since.take())
                        && model.breached_due.is_none()
                    {
                        model.paused += now - since;
                    }
                }
                Op::Meet | Op::Stop | Op::Waive => {
                    let must = model.must_breach_by(now);
                    let result = match op {
                        Op::Meet => clock.meet(now),
                        Op::Stop => clock.stop(now),
                        _ => clock.waive("far away", "oem", now),
                    };
                    prop_assert_eq!(result.is_ok(), !was_ended, "only a live clock ends");
                    if let Ok(effects) = result {
                        prop_assert_eq!(must, effects.iter().any(|e| matches!(e, Effect::Breached { .. })));
                        record(&effects, &mut model, now)?;
                        model.ended = true;
                        model.paused_since = None;
                    }
                }
            }
            if was_ended {
                prop_assert!(clock.fire(now + Duration::days(1)).is_empty(), "an ended clock never fires");
            }
        }
    }

    #[test]
    fn a_recurring_clock_breaches_each_missed_period_once(ops in proptest::collection::vec(op(), 1..60)) {
        let mut clock = start("progress");
        let mut now = t0();
        let mut breached = std::collections::BTreeSet::new();
        let mut met = std::collections::BTreeSet::new();
        for op in ops {
            let effects = match op {
                Op::Advance(minutes) => { now += Duration::minutes(minutes * 3); clock.fire(now) }
                Op::Meet => {
                    let period = clock.period;
                    let effects = clock.meet(now).unwrap_or_default();
                    if clock.history.last() == Some(&Entry::Met { period, at: now, late_by_seconds: 0 }) {
                        met.insert(period);
                    }
                    effects
                }
                _ => Vec::new(),
            };
            for effect in effects {
                if let Effect::Breached { period, due_at } = effect {
                    prop_assert!(breached.insert(period), "period {} breached twice", period);
                    prop_assert!(!met.contains(&period), "a met period never breaches");
                    prop_assert_eq!(due_at, t0() + Duration::hours(i64::from(period) + 1), "on the fixed schedule");
                }
            }
        }
    }

    #[test]
    fn re_classification_keeps_elapsed_time(ops in proptest::collection::vec(op(), 0..40), after in 0..120i64) {
        // The important onsite clock lives through random time, pauses and resumes; then the case is re-classified
        // urgent and the urgent onsite clock continues it.
        let mut important = start("onsite_important");
        let (mut now, mut paused, mut paused_since) = (t0(), Duration::zero(), None);
        for op in ops {
            match op {
                Op::Advance(minutes) => now += Duration::minutes(minutes),
                Op::Pause if important.pause("waiting_for_customer", "support", now).is_ok() => {
                    paused_since = Some(now);
                }
                Op::Resume if important.resume("support", now).is_ok() => {
                    paused += now - paused_since.take().unwrap();
                }
                _ => {}
            }
        }
        important.stop(now).unwrap();
        if let Some(since) = paused_since {
            paused += now - since;
        }
        let counted = now - t0() - paused;
        prop_assert_eq!(important.counted(now + Duration::days(3)), counted, "counting ends with the clock");
        let reclassified = now + Duration::minutes(after);
        let mut urgent = clock_at("onsite_urgent", reclassified);
        urgent.continue_from(&important, reclassified);
        prop_assert_eq!(urgent.due_at, reclassified + Duration::hours(1) - counted);
        let breaches_at_once = urgent.fire(reclassified).iter().any(|e| matches!(e, Effect::Breached { .. }));
        prop_assert_eq!(breaches_at_once, counted >= Duration::hours(1), "only when the target is used up");
    }
}
