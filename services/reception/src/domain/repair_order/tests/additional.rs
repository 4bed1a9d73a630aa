//! Additional work (增项): the workshop asks, the customer answers as a new consent.

use super::*;
use crate::domain::{AdditionalWorkRequest, AnswerError, CustomerAnswer, Decision, Pricing};

fn in_workshop() -> RepairOrder {
    let mut order = approved_order();
    order.job_started(now());
    order
}

fn request(operations: usize, parts: usize) -> AdditionalWorkRequest {
    AdditionalWorkRequest {
        id: uuid::Uuid::now_v7(),
        job_id: uuid::Uuid::now_v7(),
        finding: "front brake pads worn to 2 mm".into(),
        operations: (0..operations)
            .map(|_| (OperationCode::parse("BRK-0100").unwrap(), Hundredths::from_hundredths(50).unwrap()))
            .collect(),
        parts: (0..parts)
            .map(|_| (PartNumber::parse("BP-2001").unwrap(), Hundredths::from_hundredths(400).unwrap()))
            .collect(),
        media_references: vec!["photo://pads".into()],
        requested_by: "tech-1".into(),
        requested_at: now(),
    }
}

fn answer() -> CustomerAnswer {
    CustomerAnswer {
        by: "Li Wei".into(),
        channel: ConsentChannel::Phone,
        signature_reference: "call://42".into(),
        recorded_by: "advisor-1".into(),
        at: now(),
    }
}

fn pricing(rate: Option<Money>, parts: Vec<Money>) -> Pricing {
    Pricing { hourly_rate: rate, part_unit_prices: parts }
}

#[test]
fn a_request_makes_the_order_wait_for_the_customer_and_a_redelivery_changes_nothing() {
    let mut order = in_workshop();
    let asked = request(1, 1);
    assert_eq!(order.additional_work_requested(asked.clone(), now()), Ok(true));
    assert_eq!(order.state, RepairOrderState::AwaitingAdditionalConsent);
    let revision = order.revision;
    assert_eq!(order.additional_work_requested(asked, now()), Ok(false));
    assert_eq!(order.revision, revision);
}

#[test]
fn no_request_is_taken_for_an_order_whose_job_is_not_running() {
    let mut order = approved_order();
    assert_eq!(
        order.additional_work_requested(request(1, 0), now()),
        Err(crate::domain::NotInWorkshop(RepairOrderState::Approved))
    );
}

#[test]
fn approval_adds_priced_required_lines_in_a_new_estimate_version_and_the_job_goes_on() {
    let mut order = in_workshop();
    let asked = request(1, 1);
    order.additional_work_requested(asked.clone(), now()).unwrap();
    // 0.50 h × 80.00 = 40.00; 4 × 12.50 = 50.00; before: 1.50 h × 80.00 = 120.00
    let ids =
        order.approve_additional_work(asked.id, &pricing(Some(eur(8000)), vec![eur(1250)]), answer(), now()).unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(order.estimate_version, 2);
    assert_eq!(order.state, RepairOrderState::InWorkshop);
    assert_eq!(order.estimate_total().unwrap(), eur(21000));
    let added: Vec<_> = order.lines_of_request(asked.id).collect();
    assert!(added.iter().all(|l| l.requirement == LineRequirement::Required && l.additional_work_id == Some(asked.id)));
    assert!(matches!(order.additional_work[0].decision, Decision::Approved { version: 2, .. }));
}

#[test]
fn a_refusal_is_kept_with_its_reason_and_adds_nothing() {
    let mut order = in_workshop();
    let asked = request(1, 0);
    order.additional_work_requested(asked.clone(), now()).unwrap();
    order.refuse_additional_work(asked.id, "too expensive now", answer(), now()).unwrap();
    assert_eq!(order.state, RepairOrderState::InWorkshop);
    assert_eq!(order.lines.len(), 1);
    assert_eq!(order.estimate_version, 1);
    assert!(
        matches!(&order.additional_work[0].decision, Decision::Refused { reason, .. } if reason == "too expensive now")
    );
}

#[test]
fn the_order_waits_until_every_open_request_is_answered() {
    let mut order = in_workshop();
    let (first, second) = (request(1, 0), request(0, 1));
    order.additional_work_requested(first.clone(), now()).unwrap();
    order.additional_work_requested(second.clone(), now()).unwrap();
    order.refuse_additional_work(first.id, "no", answer(), now()).unwrap();
    assert_eq!(order.state, RepairOrderState::AwaitingAdditionalConsent);
    order.approve_additional_work(second.id, &pricing(None, vec![eur(100)]), answer(), now()).unwrap();
    assert_eq!(order.state, RepairOrderState::InWorkshop);
}

#[test]
fn a_decided_request_cannot_be_answered_again_and_an_unknown_one_not_at_all() {
    let mut order = in_workshop();
    let asked = request(1, 0);
    order.additional_work_requested(asked.clone(), now()).unwrap();
    order.refuse_additional_work(asked.id, "no", answer(), now()).unwrap();
    assert_eq!(
        order.approve_additional_work(asked.id, &pricing(Some(eur(1)), vec![]), answer(), now()),
        Err(AnswerError::AlreadyDecided("refused"))
    );
    assert_eq!(
        order.refuse_additional_work(uuid::Uuid::now_v7(), "no", answer(), now()),
        Err(AnswerError::UnknownRequest)
    );
}

#[test]
fn pricing_must_fit_the_request_and_the_order_currency() {
    let mut order = in_workshop();
    let asked = request(1, 2);
    order.additional_work_requested(asked.clone(), now()).unwrap();
    let approve = |order: &mut RepairOrder, p: Pricing| order.approve_additional_work(asked.id, &p, answer(), now());
    assert_eq!(approve(&mut order, pricing(None, vec![eur(1), eur(1)])), Err(AnswerError::RateMissing));
    assert_eq!(
        approve(&mut order, pricing(Some(eur(1)), vec![eur(1)])),
        Err(AnswerError::PartPriceCount { expected: 2 })
    );
    let usd = Money::new(Currency::USD, 1);
    assert_eq!(
        approve(&mut order, pricing(Some(eur(1)), vec![eur(1), usd])),
        Err(AnswerError::Currency { field: "part_unit_prices[1]".into(), expected: "EUR".into() })
    );
    assert_eq!(order.state, RepairOrderState::AwaitingAdditionalConsent, "nothing changed");
    assert_eq!(order.lines.len(), 1);
}
