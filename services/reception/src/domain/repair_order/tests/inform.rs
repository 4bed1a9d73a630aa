//! Keeping the customer informed: progress while the job runs, delays before the car is ready.

use super::*;
use crate::domain::{NoticeChannel, NoticeContent, NoticeError};

#[test]
fn progress_is_told_while_the_job_runs_and_changes_nothing_on_the_order() {
    let mut order = approved_order();
    assert!(matches!(
        order.notify_progress("waiting", None, NoticeChannel::Phone, "advisor-1", now()),
        Err(NoticeError::WrongState { state: RepairOrderState::Approved, .. })
    ));
    order.job_started(now());
    let before = order.clone();
    let expected = now() + chrono::Duration::hours(2);
    let notice = order
        .notify_progress("gearbox opened, clutch worn", Some(expected), NoticeChannel::Sms, "advisor-1", now())
        .unwrap();
    assert_eq!(
        notice.content,
        NoticeContent::Progress { message: "gearbox opened, clutch worn".into(), expected_ready_at: Some(expected) }
    );
    assert_eq!(order, before);
    assert_eq!(
        order.notify_progress("x", Some(now()), NoticeChannel::Sms, "advisor-1", now()),
        Err(NoticeError::ExpectedInThePast)
    );
}

#[test]
fn a_delay_notice_moves_the_promise_and_keeps_the_previous_one() {
    let mut order = approved_order();
    let previous = order.promised_at;
    let later = previous + chrono::Duration::hours(3);
    let notice = order
        .notify_delay("part arrives tomorrow", later, "free wash", NoticeChannel::Phone, "advisor-1", now())
        .unwrap();
    assert_eq!(order.promised_at, later);
    assert!(
        matches!(notice.content, NoticeContent::Delay { previous_promised_at, .. } if previous_promised_at == previous)
    );
}

#[test]
fn a_delay_must_be_later_than_the_current_promise_and_the_car_not_yet_ready() {
    let mut order = approved_order();
    let current = order.promised_at;
    assert_eq!(
        order.notify_delay("r", current, "o", NoticeChannel::Phone, "a", now()),
        Err(NoticeError::NotLater { current })
    );
    order.job_started(now());
    order.job_ready(&[], now());
    assert!(matches!(
        order.notify_delay("r", current + chrono::Duration::hours(1), "o", NoticeChannel::Phone, "a", now()),
        Err(NoticeError::WrongState { state: RepairOrderState::Ready, .. })
    ));
}
