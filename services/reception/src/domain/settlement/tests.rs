//! The settlement's rules, one test each, and the totals checked against an independent sum for random orders.

use std::collections::HashMap;

use aftersales_kernel::{Currency, DealerId, Hundredths, Money, OperationCode, PartNumber, Vin};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::domain::LineItem;
use crate::domain::opening::testing::opening_terms;
use crate::domain::{Consent, ConsentChannel, LineRequirement, NewLine, NewRepairOrder, OrderVehicle, RepairOrder};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(Currency::EUR, minor)
}

fn h(hundredths: i64) -> Hundredths {
    Hundredths::from_hundredths(hundredths).unwrap()
}

fn labour(hours: i64, rate: i64, requirement: LineRequirement) -> NewLine {
    NewLine {
        item: LineItem::Labour {
            operation_code: OperationCode::parse("ENG-0420").unwrap(),
            hours: h(hours),
            hourly_rate: eur(rate),
        },
        requirement,
    }
}

fn part(quantity: i64, price: i64, requirement: LineRequirement) -> NewLine {
    NewLine {
        item: LineItem::Part {
            part_number: PartNumber::parse("A-1001").unwrap(),
            quantity: h(quantity),
            unit_price: eur(price),
        },
        requirement,
    }
}

/// An order with `lines`, approved declining every optional line listed in `declined` (by index), started, made
/// ready with `actuals` (by line index: hours clocked on labour lines, quantities used on part lines), and its
/// requisitions closed by parts — a part line not listed used exactly its consented quantity.
fn ready_order(lines: Vec<NewLine>, declined: &[usize], actuals: &[(usize, i64)]) -> RepairOrder {
    let new = NewRepairOrder {
        dealer_id: DealerId::new(),
        vehicle: OrderVehicle::Given { vin: Vin::parse("1M8GDM9AXKP042788").unwrap(), mileage_km: 42_000 },
        urgent: false,
        fault_description: "noise".into(),
        promised_at: now() + chrono::Duration::hours(8),
        lines,
        created_by: "advisor-1".into(),
    };
    let mut order = RepairOrder::open(new, &opening_terms(), now()).unwrap();
    let declined: Vec<_> = declined.iter().map(|i| (order.lines[*i].id, "not now".to_string())).collect();
    let consent = Consent {
        estimate_version: 1,
        consented_by: "Li Wei".into(),
        channel: ConsentChannel::InPerson,
        signature_reference: "sig://1".into(),
        recorded_by: "advisor-1".into(),
        consented_at: now(),
    };
    order.approve(consent, &declined, now()).unwrap();
    order.job_started(now());
    let given = |i: usize| actuals.iter().find(|(line, _)| *line == i).map(|(_, q)| h(*q));
    let hours: Vec<_> = actuals.iter().map(|(i, hours)| (order.lines[*i].id, h(*hours))).collect();
    order.job_ready(&hours, now());
    let used: Vec<_> = order
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| match &line.item {
            LineItem::Part { quantity, .. } if !line.is_declined() => Some((line.id, given(i).unwrap_or(*quantity))),
            _ => None,
        })
        .collect();
    order.requisitions_closed(&used, now());
    order
}

fn discount(amount: i64) -> Discount {
    Discount {
        id: uuid::Uuid::now_v7(),
        description: "loyalty".into(),
        amount: eur(amount),
        reason: "tenth visit".into(),
        added_by: "advisor-1".into(),
        added_at: now(),
    }
}

fn number() -> InvoiceNumber {
    InvoiceNumber::invoice("BJ01", 1)
}

#[test]
fn labour_is_charged_at_the_hours_clocked_and_parts_at_what_parts_issued_less_returned() {
    // 1.50 h estimated at 80.00, 1.20 h clocked → 96.00; 2 × 19.99 → 39.98.
    let order = ready_order(
        vec![labour(150, 8000, LineRequirement::Required), part(200, 1999, LineRequirement::Required)],
        &[],
        &[(0, 120)],
    );
    let draft = Draft::of(&order, &HashMap::new(), vec![], 1300).unwrap();
    assert_eq!(draft.lines[0].charged_amount, eur(9600));
    assert_eq!(draft.lines[1].charged_amount, eur(3998));
    let totals = draft.totals().unwrap();
    assert_eq!(totals.subtotal, eur(13598));
    // 135.98 × 13 % = 17.6774 → 17.68
    assert_eq!(totals.tax, eur(1768));
    assert_eq!(totals.total, eur(15366));
}

#[test]
fn a_line_is_charged_at_most_its_consented_amount() {
    // 1.00 h consented at 80.00; 1.75 h clocked: 140.00 worked, 80.00 charged.
    let order = ready_order(vec![labour(100, 8000, LineRequirement::Required)], &[], &[(0, 175)]);
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(draft.lines[0].actual_amount, eur(14000));
    assert_eq!(draft.lines[0].charged_amount, eur(8000));
}

#[test]
fn declined_lines_are_never_charged() {
    let order = ready_order(
        vec![labour(100, 8000, LineRequirement::Required), part(100, 5000, LineRequirement::Optional)],
        &[1],
        &[(0, 100)],
    );
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(draft.totals().unwrap().total, eur(8000));
}

#[test]
fn signing_needs_a_reason_on_every_line_where_actual_and_estimate_differ() {
    let order = ready_order(
        vec![labour(100, 8000, LineRequirement::Required), labour(50, 8000, LineRequirement::Required)],
        &[],
        &[(0, 130), (1, 50)],
    );
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    let differing = order.lines[0].id;
    assert_eq!(
        draft.clone().sign(&order, number(), "Li Wei", "sig://2", now()),
        Err(SettlementError::ReasonsMissing(vec![differing]))
    );
    let reasons = HashMap::from([(differing, "seized bolt took longer".to_string())]);
    let invoice =
        Draft::of(&order, &reasons, vec![], 0).unwrap().sign(&order, number(), "Li Wei", "sig://2", now()).unwrap();
    assert_eq!(invoice.number.text, "BJ01-000001");
    assert_eq!(invoice.lines[0].variance_reason.as_deref(), Some("seized bolt took longer"));
}

#[test]
fn parts_used_below_the_estimate_are_charged_as_used_and_need_a_reason() {
    // Two pieces consented; parts issued two and took one back.
    let order = ready_order(vec![part(200, 1999, LineRequirement::Required)], &[], &[(0, 100)]);
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(draft.lines[0].charged_amount, eur(1999));
    assert_eq!(draft.reasons_missing(), [order.lines[0].id]);
}

#[test]
fn the_draft_cannot_be_signed_before_parts_closes_the_requisitions() {
    let mut order = ready_order(vec![labour(100, 5000, LineRequirement::Required)], &[], &[(0, 100)]);
    order.requisitions_closed_at = None;
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(draft.sign(&order, number(), "Li Wei", "sig://1", now()), Err(SettlementError::RequisitionsOpen));
}

#[test]
fn the_draft_cannot_be_signed_before_the_job_is_ready() {
    let mut order = ready_order(vec![labour(100, 8000, LineRequirement::Required)], &[], &[(0, 100)]);
    order.state = RepairOrderState::InWorkshop;
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(
        draft.sign(&order, number(), "Li Wei", "sig", now()),
        Err(SettlementError::WrongState { state: RepairOrderState::InWorkshop, what: "signed" })
    );
}

#[test]
fn the_invoice_is_in_the_dealers_currency_and_never_converts() {
    let order = ready_order(vec![labour(100, 5000, LineRequirement::Required)], &[], &[(0, 100)]);
    let draft = Draft::of(&order, &HashMap::new(), vec![], 1300).unwrap();
    let terms = |currency| DealerTerms { tax_rate_bp: 1300, invoice_prefix: "SH01".into(), currency };
    assert_eq!(draft.check_currency(&terms(Currency::EUR)), Ok(()));
    assert_eq!(
        draft.check_currency(&terms(Currency::CNY)),
        Err(SettlementError::ForeignCurrency { order: Currency::EUR, dealer: Currency::CNY })
    );
}

#[test]
fn a_discount_given_while_the_job_runs_is_checked_against_what_is_charged_at_signing() {
    // Two hours consented at 100.00, one clocked: 200.00 could be charged, 100.00 is.
    let order = ready_order(vec![labour(200, 10000, LineRequirement::Required)], &[], &[(0, 100)]);
    let draft = Draft::of(&order, &HashMap::new(), vec![], 0).unwrap();
    assert_eq!(draft.check_discount(eur(15000)), Ok(()), "within what the consented lines could charge");
    let reasons = HashMap::from([(order.lines[0].id, "finished early".to_string())]);
    let draft = Draft::of(&order, &reasons, vec![discount(15000)], 0).unwrap();
    assert_eq!(
        draft.sign(&order, number(), "Li Wei", "sig://1", now()),
        Err(SettlementError::DiscountsExceedCharges { charged: eur(10000) })
    );
}

#[test]
fn discounts_are_taken_off_before_tax_and_never_exceed_the_lines() {
    let order = ready_order(vec![labour(100, 10000, LineRequirement::Required)], &[], &[(0, 100)]);
    let draft = Draft::of(&order, &HashMap::new(), vec![discount(1000)], 1000).unwrap();
    let totals = draft.totals().unwrap();
    assert_eq!((totals.net, totals.tax, totals.total), (eur(9000), eur(900), eur(9900)));
    assert_eq!(draft.check_discount(eur(9000)), Ok(()));
    assert!(matches!(draft.check_discount(eur(9001)), Err(SettlementError::DiscountTooLarge { .. })));
    assert!(matches!(draft.check_discount(eur(0)), Err(SettlementError::DiscountTooLarge { .. })));
    assert!(matches!(
        draft.check_discount(Money::new(Currency::USD, 1)),
        Err(SettlementError::DiscountTooLarge { .. })
    ));
}

#[test]
fn tax_is_rounded_half_up_once_per_invoice() {
    // Three lines of 0.05 at 10 %: per line 0.005 would round to 0.01 each (0.03); per invoice 0.15 × 10 % = 0.015
    // → 0.02.
    let order = ready_order(
        vec![
            part(100, 5, LineRequirement::Required),
            part(100, 5, LineRequirement::Required),
            part(100, 5, LineRequirement::Required),
        ],
        &[],
        &[],
    );
    let totals = Draft::of(&order, &HashMap::new(), vec![], 1000).unwrap().totals().unwrap();
    assert_eq!(totals.tax, eur(2));
}

#[test]
fn credit_notes_correct_a_signed_invoice_up_to_its_total() {
    let order = ready_order(vec![labour(100, 8000, LineRequirement::Required)], &[], &[(0, 100)]);
    let mut invoice =
        Draft::of(&order, &HashMap::new(), vec![], 0).unwrap().sign(&order, number(), "Li Wei", "sig", now()).unwrap();
    invoice.credit(InvoiceNumber::credit_note("BJ01", 1), eur(3000), "wrong rate", "manager", now()).unwrap();
    assert_eq!(invoice.credited(), eur(3000));
    assert_eq!(
        invoice.check_credit(eur(5001)),
        Err(CreditError::TooLarge { currency: Currency::EUR, left: eur(5000) })
    );
    assert_eq!(invoice.check_credit(eur(5000)), Ok(()));
    assert_eq!(invoice.credit_notes[0].number.text, "BJ01-CN-000001");
}

proptest! {
    /// For random orders (labour and parts lines, some optional and declined, random clocked hours and discounts),
    /// the total is exactly Σ min(actual, consented) over the consented lines − discounts + tax, computed here
    /// independently in integer arithmetic.
    #[test]
    fn the_total_is_the_capped_consented_lines_less_discounts_plus_tax(
        lines in prop::collection::vec((any::<bool>(), 1i64..2000, 0i64..50_000, any::<bool>(), any::<bool>(), 0i64..3000), 1..12),
        discount_share in 0i64..100,
        rate in 0i64..3000,
    ) {
        let new_lines: Vec<NewLine> = lines
            .iter()
            .map(|(is_labour, quantity, price, optional, _, _)| {
                let requirement = if *optional { LineRequirement::Optional } else { LineRequirement::Required };
                if *is_labour { labour(*quantity, *price, requirement) } else { part(*quantity, *price, requirement) }
            })
            .collect();
        let declined: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.3 && l.4).map(|(i, _)| i).collect();
        let hours: Vec<(usize, i64)> =
            lines.iter().enumerate().filter(|(_, l)| l.0).map(|(i, l)| (i, l.5)).collect();
        let order = ready_order(new_lines, &declined, &hours);

        // Independently: amounts in hundredths of a minor unit, rounded half-up.
        let round = |x: i128, d: i128| (x + d / 2) / d;
        let mut subtotal: i128 = 0;
        for (i, (is_labour, quantity, price, _, _, clocked)) in lines.iter().enumerate() {
            if declined.contains(&i) { continue; }
            let consented = round(i128::from(*quantity) * i128::from(*price), 100);
            let actual_quantity = if *is_labour { *clocked } else { *quantity };
            let actual = round(i128::from(actual_quantity) * i128::from(*price), 100);
            subtotal += actual.min(consented);
        }
        let discount_amount = subtotal * i128::from(discount_share) / 100;
        let discounts = if discount_amount > 0 { vec![discount(discount_amount as i64)] } else { vec![] };
        let net = subtotal - discount_amount;
        let tax = round(net * i128::from(rate), 10_000);

        let totals = Draft::of(&order, &HashMap::new(), discounts, rate).unwrap().totals().unwrap();
        prop_assert_eq!(i128::from(totals.subtotal.minor_units()), subtotal);
        prop_assert_eq!(i128::from(totals.tax.minor_units()), tax);
        prop_assert_eq!(i128::from(totals.total.minor_units()), net + tax);
    }
}
