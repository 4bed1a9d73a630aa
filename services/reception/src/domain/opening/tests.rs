//! The opening rules, one test each.

use aftersales_kernel::{DealerId, Money, PartNumber};

use super::testing::{opening_terms, operation};
use super::*;
use crate::domain::check_in::WalkAround;
use crate::domain::{LineRequirement, NewLine};

fn labour(code: &str, currency: Currency) -> NewLine {
    NewLine {
        item: LineItem::Labour {
            operation_code: OperationCode::parse(code).unwrap(),
            hours: Hundredths::from_hundredths(100).unwrap(),
            hourly_rate: Money::new(currency, 8_000),
        },
        requirement: LineRequirement::Required,
    }
}

fn part(currency: Currency) -> NewLine {
    NewLine {
        item: LineItem::Part {
            part_number: PartNumber::parse("A-1001").unwrap(),
            quantity: Hundredths::from_hundredths(100).unwrap(),
            unit_price: Money::new(currency, 1_999),
        },
        requirement: LineRequirement::Optional,
    }
}

fn vin(text: &str) -> Vin {
    Vin::parse(text).unwrap()
}

fn check_in(km: i64) -> CheckIn {
    CheckIn {
        id: uuid::Uuid::now_v7(),
        dealer_id: DealerId::new(),
        appointment_id: None,
        customer_id: uuid::Uuid::now_v7(),
        vehicle_id: uuid::Uuid::now_v7(),
        vin: vin("1M8GDM9AXKP042788"),
        walk_around: WalkAround {
            mileage_km: km,
            fuel_level_percent: 50,
            exterior_damage: vec![],
            interior_notes: String::new(),
            belongings: vec![],
            fault_symptoms: "rattle".into(),
            could_not_reproduce: false,
            photo_references: vec![],
        },
        by: "advisor-1".into(),
        at: DateTime::UNIX_EPOCH,
    }
}

#[test]
fn a_labour_line_must_name_an_operation_of_the_catalogue() {
    let terms = opening_terms();
    assert_eq!(terms.check_lines(&[labour("ENG-0420", Currency::EUR), part(Currency::EUR)]), Ok(()));
    assert_eq!(
        terms.check_lines(&[part(Currency::EUR), labour("ZZ-9999", Currency::EUR)]),
        Err(TermsError::UnknownOperation { line: 1, code: OperationCode::parse("ZZ-9999").unwrap() })
    );
}

#[test]
fn a_retired_operation_cannot_be_used_on_a_new_estimate() {
    let mut terms = opening_terms();
    terms.operations.insert(OperationCode::parse("ENG-0001").unwrap(), operation("ENG-0001", false));
    assert_eq!(
        terms.check_lines(&[labour("ENG-0001", Currency::EUR)]),
        Err(TermsError::RetiredOperation { line: 0, code: OperationCode::parse("ENG-0001").unwrap() })
    );
}

#[test]
fn prices_are_in_the_dealers_currency_once_the_dealer_is_in_the_directory() {
    let mut terms = opening_terms();
    // Not in the directory yet: any one currency (the order itself refuses mixed ones).
    assert_eq!(terms.check_lines(&[labour("ENG-0420", Currency::USD)]), Ok(()));
    terms.dealer_currency = Some(Currency::CNY);
    assert_eq!(
        terms.check_lines(&[labour("ENG-0420", Currency::CNY), part(Currency::EUR)]),
        Err(TermsError::NotDealerCurrency { line: 1, expected: Currency::CNY })
    );
}

#[test]
fn an_order_for_a_check_in_takes_the_checked_in_car_and_reading() {
    let visit = check_in(42_180);
    let terms = OpeningTerms { check_in: Some(visit.clone()), ..opening_terms() };
    let only_the_check_in = OrderVehicle::CheckedIn { check_in_id: visit.id, vin: None, mileage_km: None };
    assert_eq!(terms.vehicle(&only_the_check_in), Ok((visit.vin, 42_180)));
    let agreeing = OrderVehicle::CheckedIn { check_in_id: visit.id, vin: Some(visit.vin), mileage_km: Some(42_180) };
    assert_eq!(terms.vehicle(&agreeing), Ok((visit.vin, 42_180)));
}

#[test]
fn a_vin_or_reading_that_disagrees_with_the_check_in_is_refused() {
    let visit = check_in(42_180);
    let terms = OpeningTerms { check_in: Some(visit.clone()), ..opening_terms() };
    let other_car =
        OrderVehicle::CheckedIn { check_in_id: visit.id, vin: Some(vin("1HGCM82633A004352")), mileage_km: None };
    assert_eq!(terms.vehicle(&other_car), Err(TermsError::VinDiffersFromCheckIn(visit.vin)));
    let other_reading = OrderVehicle::CheckedIn { check_in_id: visit.id, vin: None, mileage_km: Some(42_000) };
    assert_eq!(terms.vehicle(&other_reading), Err(TermsError::MileageDiffersFromCheckIn(42_180)));
}

#[test]
fn a_check_in_of_another_dealer_or_none_at_all_is_unknown() {
    let named = OrderVehicle::CheckedIn { check_in_id: uuid::Uuid::now_v7(), vin: None, mileage_km: None };
    assert_eq!(opening_terms().vehicle(&named), Err(TermsError::UnknownCheckIn));
    // The use case loads only the dealer's own check-ins; one loaded under another id is not the one named.
    let terms = OpeningTerms { check_in: Some(check_in(1)), ..opening_terms() };
    assert_eq!(terms.vehicle(&named), Err(TermsError::UnknownCheckIn));
}

#[test]
fn only_a_later_catalogue_record_replaces_the_copy() {
    let kept = operation("ENG-0420", true);
    let mut later = operation("ENG-0420", false);
    later.changed_at = kept.changed_at + chrono::Duration::seconds(1);
    assert!(kept.is_superseded_by(&later));
    assert!(!later.is_superseded_by(&kept), "an older record arriving late changes nothing");
    assert!(!kept.is_superseded_by(&kept.clone()), "a redelivery changes nothing");
}
