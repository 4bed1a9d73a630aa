//! The repair order's rules, one test each.

mod additional;
mod hand_over;
mod inform;
mod machine;

use super::*;
use crate::domain::opening::testing::opening_terms;
use crate::domain::{ConsentChannel, LineItem, OperationCode, OrderVehicle};
use aftersales_kernel::Currency;
use aftersales_kernel::{Hundredths, PartNumber};
use chrono::TimeZone;

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub(super) fn eur(minor: i64) -> Money {
    Money::new(Currency::EUR, minor)
}

pub(super) fn labour(hours: i64, rate: Money, requirement: LineRequirement) -> NewLine {
    NewLine {
        item: LineItem::Labour {
            operation_code: OperationCode::parse("ENG-0420").unwrap(),
            hours: Hundredths::from_hundredths(hours).unwrap(),
            hourly_rate: rate,
        },
        requirement,
    }
}

pub(super) fn part(quantity: i64, price: Money, requirement: LineRequirement) -> NewLine {
    NewLine {
        item: LineItem::Part {
            part_number: PartNumber::parse("A-1001").unwrap(),
            quantity: Hundredths::from_hundredths(quantity).unwrap(),
            unit_price: price,
        },
        requirement,
    }
}

pub(super) fn new_order(lines: Vec<NewLine>) -> NewRepairOrder {
    NewRepairOrder {
        dealer_id: DealerId::new(),
        vehicle: OrderVehicle::Given { vin: Vin::parse("1M8GDM9AXKP042788").unwrap(), mileage_km: 42_000 },
        urgent: false,
        fault_description: "rattle from the front left wheel".into(),
        promised_at: now() + chrono::Duration::hours(8),
        lines,
        created_by: "advisor-1".into(),
    }
}

pub(super) fn consent(version: i32) -> Consent {
    Consent {
        estimate_version: version,
        consented_by: "Li Wei".into(),
        channel: ConsentChannel::InPerson,
        signature_reference: "sig://1".into(),
        recorded_by: "advisor-1".into(),
        consented_at: now(),
    }
}

#[test]
fn an_opened_order_is_estimated_at_version_one_with_its_total() {
    let order = RepairOrder::open(
        new_order(vec![
            labour(150, eur(8000), LineRequirement::Required), // 1.5 h × 80.00 = 120.00
            part(200, eur(1999), LineRequirement::Optional),   // 2 × 19.99 = 39.98
        ]),
        &opening_terms(),
        now(),
    )
    .unwrap();
    assert_eq!(order.state, RepairOrderState::Estimated);
    assert_eq!(order.estimate_version, 1);
    assert_eq!(order.estimate_total().unwrap(), eur(15998));
}

#[test]
fn line_amounts_round_half_up_to_the_cent() {
    // 0.33 h × 10.05 = 3.3165 → 3.32
    let line = labour(33, eur(1005), LineRequirement::Required);
    assert_eq!(line.item.amount().unwrap(), eur(332));
}

#[test]
fn an_order_without_lines_cannot_be_opened() {
    assert_eq!(RepairOrder::open(new_order(vec![]), &opening_terms(), now()), Err(OpenError::NoLines));
}

#[test]
fn lines_in_two_currencies_are_refused() {
    let usd = Money::new(Currency::USD, 100);
    let result = RepairOrder::open(
        new_order(vec![labour(100, eur(100), LineRequirement::Required), part(100, usd, LineRequirement::Required)]),
        &opening_terms(),
        now(),
    );
    assert!(matches!(result, Err(OpenError::MixedCurrency { line: 1, .. })));
}

#[test]
fn a_promise_in_the_past_is_refused() {
    let mut new = new_order(vec![labour(100, eur(100), LineRequirement::Required)]);
    new.promised_at = now() - chrono::Duration::minutes(1);
    assert_eq!(RepairOrder::open(new, &opening_terms(), now()), Err(OpenError::PromisedInThePast));
}

#[test]
fn consent_approves_and_keeps_declined_optional_lines_with_their_reason() {
    let mut order = RepairOrder::open(
        new_order(vec![
            labour(100, eur(5000), LineRequirement::Required),
            part(100, eur(2000), LineRequirement::Optional),
        ]),
        &opening_terms(),
        now(),
    )
    .unwrap();
    let optional = order.lines[1].id;
    order.approve(consent(1), &[(optional, "only fix the noise".into())], now()).unwrap();
    assert_eq!(order.state, RepairOrderState::Approved);
    assert_eq!(order.lines.len(), 2, "a declined line stays on the order");
    assert_eq!(order.lines[1].declined_reason.as_deref(), Some("only fix the noise"));
    assert_eq!(order.consented_lines().count(), 1);
    assert_eq!(order.estimate_total().unwrap(), eur(5000));
}

#[test]
fn a_required_line_cannot_be_declined() {
    let mut order =
        RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    let required = order.lines[0].id;
    assert_eq!(order.approve(consent(1), &[(required, "no".into())], now()), Err(ApproveError::RequiredLine(0)));
    assert_eq!(order.state, RepairOrderState::Estimated, "nothing changed");
}

#[test]
fn consent_to_an_old_version_is_refused() {
    let mut order =
        RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    assert_eq!(order.approve(consent(2), &[], now()), Err(ApproveError::StaleVersion { current: 1 }));
}

#[test]
fn an_approved_order_cannot_be_approved_again() {
    let mut order =
        RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    order.approve(consent(1), &[], now()).unwrap();
    assert_eq!(order.approve(consent(1), &[], now()), Err(ApproveError::NotEstimated(RepairOrderState::Approved)));
}

#[test]
fn cancellation_is_possible_only_until_the_job_starts() {
    use RepairOrderState::*;
    for state in [Draft, Estimated, Approved] {
        assert!(state.may_become(Cancelled), "{state:?}");
    }
    for state in [InWorkshop, AwaitingAdditionalConsent, Ready, Settled, Delivered, FollowedUp, Cancelled] {
        assert!(!state.may_become(Cancelled), "{state:?}");
    }
}

#[test]
fn every_state_name_round_trips() {
    use RepairOrderState::*;
    for state in [
        Draft,
        Estimated,
        Approved,
        InWorkshop,
        AwaitingAdditionalConsent,
        Ready,
        Settled,
        Delivered,
        FollowedUp,
        Cancelled,
    ] {
        assert_eq!(RepairOrderState::parse(state.as_str()), Some(state));
    }
}

pub(super) fn approved_order() -> RepairOrder {
    let mut order =
        RepairOrder::open(new_order(vec![labour(150, eur(8000), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    order.approve(consent(1), &[], now()).unwrap();
    order
}

#[test]
fn an_order_may_be_cancelled_until_its_job_starts_and_keeps_the_reason() {
    let mut estimated =
        RepairOrder::open(new_order(vec![labour(150, eur(8000), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    estimated.cancel("customer changed their mind", now()).unwrap();
    assert_eq!(estimated.state, RepairOrderState::Cancelled);
    assert_eq!(estimated.cancellation_reason.as_deref(), Some("customer changed their mind"));

    let mut approved = approved_order();
    let revision = approved.revision;
    approved.cancel("found a cheaper garage", now()).unwrap();
    assert_eq!(approved.revision, revision + 1);
}

#[test]
fn a_started_job_puts_the_order_in_the_workshop_and_it_can_no_longer_be_cancelled() {
    let mut order = approved_order();
    assert!(order.job_started(now()));
    assert_eq!(order.state, RepairOrderState::InWorkshop);
    assert!(!order.job_started(now()), "a redelivered JobStarted changes nothing");
    assert_eq!(order.cancel("too late", now()), Err(NotCancellable(RepairOrderState::InWorkshop)));
    assert_eq!(order.cancellation_reason, None);
}

#[test]
fn a_cancelled_order_cannot_be_cancelled_again_nor_started() {
    let mut order = approved_order();
    order.cancel("no", now()).unwrap();
    assert_eq!(order.cancel("again", now()), Err(NotCancellable(RepairOrderState::Cancelled)));
    assert!(!order.job_started(now()));
}

#[test]
fn a_ready_job_makes_an_order_in_the_workshop_ready_once() {
    let mut order = approved_order();
    assert!(!order.job_ready(&[], now()), "not before the job started");
    order.job_started(now());
    let labour = order.lines[0].id;
    assert!(order.job_ready(&[(labour, Hundredths::from_hundredths(175).unwrap())], now()));
    assert_eq!(order.state, RepairOrderState::Ready);
    assert_eq!(order.lines[0].actual, Some(Hundredths::from_hundredths(175).unwrap()), "hours clocked kept");
    assert!(!order.job_ready(&[], now()), "a redelivered JobReady changes nothing");
}

#[test]
fn parts_issued_and_returned_move_a_part_lines_running_actual_until_the_requisitions_close() {
    let mut order = RepairOrder::open(
        new_order(vec![
            labour(150, eur(8000), LineRequirement::Required),
            part(200, eur(1999), LineRequirement::Required),
        ]),
        &opening_terms(),
        now(),
    )
    .unwrap();
    let (labour_line, part_line) = (order.lines[0].id, order.lines[1].id);
    assert!(order.parts_moved(part_line, 200, now()));
    assert!(order.parts_moved(part_line, -50, now()));
    assert_eq!(order.lines[1].actual, Some(Hundredths::from_hundredths(150).unwrap()));
    assert!(!order.parts_moved(labour_line, 100, now()), "a labour line has no parts");
    assert!(!order.parts_moved(LineId(uuid::Uuid::now_v7()), 100, now()), "nor has a line not on the order");

    // Closing is final: parts' figures win, later movements and a redelivery change nothing.
    assert!(order.requisitions_closed(&[(part_line, Hundredths::from_hundredths(100).unwrap())], now()));
    assert_eq!(order.lines[1].actual, Some(Hundredths::from_hundredths(100).unwrap()));
    assert!(order.requisitions_closed_at.is_some());
    assert!(!order.parts_moved(part_line, 100, now()));
    assert!(!order.requisitions_closed(&[], now()));
    assert_eq!(order.lines[1].actual, Some(Hundredths::from_hundredths(100).unwrap()));
}

#[test]
fn a_part_line_parts_does_not_name_at_closing_used_nothing() {
    let mut order =
        RepairOrder::open(new_order(vec![part(200, eur(1999), LineRequirement::Required)]), &opening_terms(), now())
            .unwrap();
    assert!(order.requisitions_closed(&[], now()));
    assert_eq!(order.lines[0].actual, Some(Hundredths::ZERO));
}
