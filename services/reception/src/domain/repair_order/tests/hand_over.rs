//! Settled, delivered, followed up — only in that order.

use super::*;
use crate::domain::{FollowUp, FollowUpChannel, OldParts, Score, WrongState};

fn ready() -> RepairOrder {
    let mut order = approved_order();
    order.job_started(now());
    order.job_ready(&[], now());
    order
}

fn follow_up(score: i32, complaint: bool) -> FollowUp {
    FollowUp {
        channel: FollowUpChannel::Phone,
        score: Score::new(score).unwrap(),
        comments: "ok".into(),
        complaint,
        recorded_by: "advisor-1".into(),
        recorded_at: now(),
    }
}

#[test]
fn the_car_goes_back_only_after_the_settlement_is_signed() {
    let mut order = ready();
    let deliver = |order: &mut RepairOrder| {
        order.deliver("advisor-1", OldParts::Shown, None, Some(57_000), chrono::Duration::days(3), now())
    };
    assert_eq!(deliver(&mut order), Err(WrongState { state: RepairOrderState::Ready, what: "delivered" }));
    order.settle(now()).unwrap();
    let delivery = deliver(&mut order).unwrap();
    assert_eq!(order.state, RepairOrderState::Delivered);
    assert_eq!(delivery.follow_up_due_at, now() + chrono::Duration::days(3));
    assert!(delivery.on_time, "delivered before the promise");
}

#[test]
fn a_late_delivery_is_not_on_time() {
    let mut order = ready();
    order.settle(now()).unwrap();
    let late = order.promised_at + chrono::Duration::minutes(1);
    let delivery = order.deliver("a", OldParts::NoneReplaced, None, None, chrono::Duration::days(3), late).unwrap();
    assert!(!delivery.on_time);
}

#[test]
fn a_follow_up_closes_a_delivered_order_and_low_scores_or_complaints_mean_dissatisfaction() {
    let mut order = ready();
    assert!(order.follow_up(follow_up(5, false)).is_err(), "not before delivery");
    order.settle(now()).unwrap();
    order.deliver("a", OldParts::HandedOver, None, None, chrono::Duration::days(3), now()).unwrap();
    order.follow_up(follow_up(4, false)).unwrap();
    assert_eq!(order.state, RepairOrderState::FollowedUp);
    assert!(follow_up(2, false).dissatisfied());
    assert!(follow_up(1, false).dissatisfied());
    assert!(!follow_up(3, false).dissatisfied());
    assert!(follow_up(5, true).dissatisfied(), "a complaint, whatever the score");
    assert_eq!(Score::new(0), None);
    assert_eq!(Score::new(6), None);
}
