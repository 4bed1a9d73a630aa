use chrono::{DateTime, Duration, Utc};

use super::fixtures::{clock, clock_at, t0};
use super::*;

fn min(m: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(m)
}

fn escalations(effects: &[Effect]) -> Vec<i32> {
    effects.iter().filter_map(|e| if let Effect::Escalated { level, .. } = e { Some(*level) } else { None }).collect()
}

#[test]
fn a_clock_is_due_by_its_policy_from_when_the_event_happened() {
    let c = clock("confirmation");
    assert_eq!((c.due_at, c.next_fire_at), (min(15), Some(min(15))));
}

#[test]
fn met_in_time_it_ends_with_nothing_to_report() {
    let mut c = clock("confirmation");
    assert_eq!(c.meet(min(10)), Ok(vec![Effect::Closed]));
    assert_eq!((c.status.clone(), c.next_fire_at), (ClockStatus::Met, None));
    assert!(c.fire(min(60)).is_empty(), "an ended clock never fires");
}

#[test]
fn missed_it_breaches_once_and_climbs_one_level() {
    let mut c = clock("confirmation");
    assert!(c.fire(min(14)).is_empty(), "not yet due");
    let effects = c.fire(min(15));
    assert_eq!(effects[0], Effect::Breached { period: 0, due_at: min(15) });
    assert_eq!(effects[1], Effect::Escalated { level: 1, role: "dealer_manager".into() });
    assert_eq!(c.next_fire_at, Some(min(45)), "the next climb, 30 min on");
    assert!(c.fire(min(15)).is_empty(), "never twice");
}

#[test]
fn unmet_it_climbs_every_re_escalation_interval_up_to_the_top_and_stops_climbing() {
    let mut c = clock("confirmation");
    assert_eq!(escalations(&c.fire(min(15))), [1]);
    assert_eq!(escalations(&c.fire(min(45))), [2]);
    assert_eq!(c.next_fire_at, None, "the top of the ladder: nothing more to wake for");
    assert!(c.fire(min(500)).is_empty());
}

#[test]
fn a_scheduler_that_was_down_fires_everything_due_in_order_with_its_true_times() {
    let mut c = clock("confirmation");
    let effects = c.fire(min(120));
    assert_eq!(effects[0], Effect::Breached { period: 0, due_at: min(15) });
    assert_eq!(escalations(&effects), [1, 2]);
    assert!(c.history.contains(&Entry::Escalated { level: 2, role: "support_lead".into(), at: min(45) }));
}

#[test]
fn met_late_it_records_how_late_and_the_breach_it_missed() {
    let mut c = clock("confirmation");
    let effects = c.meet(min(25)).unwrap();
    assert_eq!(effects[0], Effect::Breached { period: 0, due_at: min(15) }, "a late meeting event still breached");
    assert_eq!(effects.last(), Some(&Effect::Closed));
    assert!(c.history.contains(&Entry::Met { period: 0, at: min(25), late_by_seconds: 600 }));
}

#[test]
fn a_stopping_event_ends_it_neither_met_nor_missed() {
    let mut c = clock("confirmation");
    assert_eq!(c.stop(min(5)), Ok(vec![Effect::Closed]));
    assert_eq!(c.status, ClockStatus::Stopped);
    assert_eq!(c.meet(min(6)), Err(ClockError::Ended("stopped")));
}

#[test]
fn paused_time_never_counts() {
    let mut c = clock("confirmation");
    c.pause("waiting_for_customer", "advisor", min(5)).unwrap();
    assert!(c.fire(min(100)).is_empty(), "a paused clock does not fire");
    c.resume("advisor", min(65)).unwrap();
    assert_eq!(c.due_at, min(75), "due 60 min later: the hour it was held");
    assert_eq!(c.next_fire_at, Some(min(75)));
}

#[test]
fn only_the_policys_pause_reasons_pause_it() {
    let mut c = clock("confirmation");
    assert_eq!(c.pause("lunch", "advisor", min(5)), Err(ClockError::PauseNotAllowed("lunch".into())));
    assert_eq!(c.resume("advisor", min(6)), Err(ClockError::NotInState("running")));
}

#[test]
fn a_waiver_ends_it_apart_from_met_and_missed() {
    let mut c = clock("confirmation");
    assert_eq!(c.waive("customer abroad", "oem-manager", min(5)), Ok(vec![Effect::Closed]));
    assert_eq!(c.status, ClockStatus::Waived);
    assert_eq!(c.waive("again", "oem-manager", min(6)), Err(ClockError::Ended("waived")));
}

#[test]
fn a_recurring_clock_needs_a_meeting_event_in_every_period() {
    let mut c = clock("progress");
    c.meet(min(50)).unwrap();
    assert_eq!((c.period, c.due_at), (1, min(120)), "period 1 runs from 60 to 120");
    c.meet(min(55)).unwrap();
    assert_eq!(c.period, 1, "a second notice in the same hour does not count for the next");
    let effects = c.fire(min(120));
    assert_eq!(effects[0], Effect::Breached { period: 1, due_at: min(120) });
    assert_eq!((c.period, c.due_at), (2, min(180)), "the next period begins on the fixed schedule");
    c.meet(min(130)).unwrap();
    assert_eq!(c.period, 3);
    assert!(c.fire(min(179)).is_empty(), "period 2 was met");
}

#[test]
fn a_recurring_clock_breaches_each_missed_period_once() {
    let mut c = clock("progress");
    let effects = c.fire(min(300));
    let breached: Vec<i32> = effects
        .iter()
        .filter_map(|e| if let Effect::Breached { period, .. } = e { Some(*period) } else { None })
        .collect();
    assert_eq!(breached, [0, 1, 2, 3, 4]);
    assert_eq!(c.due_at, min(360));
}

#[test]
fn a_later_starting_event_re_arms_it() {
    let mut c = clock("confirmation");
    c.rearm(min(10), min(40)).unwrap();
    assert!(c.fire(min(30)).is_empty());
    assert_eq!(c.next_fire_at, Some(min(40)));
}

#[test]
fn re_classified_urgent_the_onsite_clock_keeps_the_time_already_counted() {
    // Important at 08:00 (onsite within 24 h); waiting for the customer 09:00–09:30; re-classified urgent at
    // 10:00: 2 h elapsed, 30 min of them paused — 1.5 h counted.
    let mut important = clock("onsite_important");
    important.pause("waiting_for_customer", "support", min(60)).unwrap();
    important.resume("support", min(90)).unwrap();
    important.stop(min(120)).unwrap();
    assert_eq!(important.counted(min(600)), Duration::minutes(90), "counting ended with the clock");

    // The urgent onsite target is 1 h: 1.5 h are counted already, so it was due at 09:30 and breaches at once.
    let mut urgent = clock_at("onsite_urgent", min(120));
    urgent.continue_from(&important, min(120));
    assert_eq!(urgent.due_at, min(90));
    assert_eq!(urgent.carried_seconds, 90 * 60);
    assert!(matches!(&urgent.history[1], Entry::Continued { from_policy, counted_seconds: 5400, .. }
        if from_policy == "onsite_important"));
    let effects = urgent.fire(min(120));
    assert_eq!(effects[0], Effect::Breached { period: 0, due_at: min(90) }, "late by the time already lost");
}

#[test]
fn a_clock_stopped_early_leaves_the_rest_of_the_new_target() {
    // Re-classified 20 minutes in: the urgent hour has 40 minutes left.
    let mut important = clock("onsite_important");
    important.stop(min(20)).unwrap();
    let mut urgent = clock_at("onsite_urgent", min(20));
    urgent.continue_from(&important, min(20));
    assert_eq!(urgent.due_at, min(60));
    assert!(urgent.fire(min(59)).is_empty());
    assert_eq!(urgent.meet(min(55)), Ok(vec![Effect::Closed]), "onsite in time");
}

#[test]
fn counted_time_carries_along_a_chain_of_re_classifications() {
    // important (10 min) → urgent (stopped after 5 more) → important again: 15 min counted.
    let mut first = clock("onsite_important");
    first.stop(min(10)).unwrap();
    let mut second = clock_at("onsite_urgent", min(10));
    second.continue_from(&first, min(10));
    second.stop(min(15)).unwrap();
    assert_eq!(second.counted(min(15)), Duration::minutes(15));
    let mut third = clock_at("onsite_important", min(15));
    third.continue_from(&second, min(15));
    assert_eq!(third.due_at, min(15) + Duration::hours(24) - Duration::minutes(15));
}

#[test]
fn a_stopped_recurring_clock_restarts_in_its_next_period_and_only_a_stopped_one() {
    let mut c = clock("progress");
    c.meet(min(50)).unwrap();
    c.stop(min(70)).unwrap();
    assert_eq!(c.restart(min(100), min(160)).map(|()| c.status.clone()), Ok(ClockStatus::Running));
    assert_eq!((c.period, c.due_at, c.next_fire_at), (2, min(160), Some(min(160))), "a new window, due in an hour");
    assert_eq!(c.restart(min(110), min(170)), Err(ClockError::NotInState("running")), "a running one re-arms");
    let effects = c.fire(min(160));
    assert_eq!(effects[0], Effect::Breached { period: 2, due_at: min(160) });
    let mut met = clock("confirmation");
    met.meet(min(5)).unwrap();
    assert_eq!(met.restart(min(10), min(70)), Err(ClockError::NotInState("met")), "a met clock stays met");
}
