//! The catalogue's rules, one test each.

use aftersales_kernel::Currency;
use chrono::TimeZone;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn part(number: &str) -> PartNumber {
    PartNumber::parse(number).unwrap()
}

fn brake_pad() -> Draft {
    Draft {
        part_number: part("8W0-698-151.A"),
        name: "Brake pad set, front".into(),
        specification: "Ceramic, 4 pads\nwith wear indicator".into(),
        applicable_models: vec!["A4 B9".into(), "A5 F5".into()],
        maker: "TRW".into(),
        supplier_id: Some(SupplierId::new()),
        list_price: Money::new(Currency::EUR, 8_950),
        warranty_months: 24,
        warranty_km: 50_000,
        superseded_by: None,
    }
}

/// The fields the draft's violations name, in order.
fn broken(draft: Draft) -> Vec<EntryField> {
    match CatalogueEntry::parse(draft, now()) {
        Ok(_) => Vec::new(),
        Err(violations) => violations.into_iter().map(|v| v.field).collect(),
    }
}

#[test]
fn a_complete_draft_becomes_an_entry_created_now() {
    let entry = CatalogueEntry::parse(brake_pad(), now()).unwrap();
    assert_eq!(entry.part_number().as_str(), "8W0-698-151.A");
    assert_eq!(entry.applicable_models(), ["A4 B9", "A5 F5"], "models keep their order");
    assert_eq!(entry.created_at(), now());
    assert_eq!(entry.updated_at(), now());
}

#[test]
fn the_name_is_required_and_at_most_200_characters() {
    for (length, ok) in [(0, false), (1, true), (200, true), (201, false)] {
        let draft = Draft { name: "x".repeat(length), ..brake_pad() };
        assert_eq!(broken(draft).is_empty(), ok, "a name of {length} characters");
    }
}

#[test]
fn names_and_makers_are_one_line_but_the_specification_may_span_lines() {
    let draft = Draft { name: "Brake\npad".into(), maker: "TRW\nLucas".into(), ..brake_pad() };
    assert_eq!(broken(draft), [EntryField::Name, EntryField::Maker]);
    let draft = Draft { specification: "line 1\nline 2\n".into(), ..brake_pad() };
    assert!(broken(draft).is_empty());
}

#[test]
fn the_specification_and_the_maker_may_be_empty_but_not_too_long() {
    let draft = Draft { specification: String::new(), maker: String::new(), ..brake_pad() };
    assert!(broken(draft).is_empty());
    let draft = Draft { specification: "x".repeat(4001), maker: "x".repeat(201), ..brake_pad() };
    assert_eq!(broken(draft), [EntryField::Specification, EntryField::Maker]);
}

#[test]
fn an_entry_fits_at_most_100_models() {
    let models = |n: usize| (0..n).map(|i| format!("Model {i}")).collect::<Vec<_>>();
    assert!(broken(Draft { applicable_models: models(100), ..brake_pad() }).is_empty());
    assert_eq!(broken(Draft { applicable_models: models(101), ..brake_pad() }), [EntryField::ApplicableModels]);
    assert!(broken(Draft { applicable_models: Vec::new(), ..brake_pad() }).is_empty(), "no models is allowed");
}

#[test]
fn each_model_is_named_in_1_to_200_characters_on_one_line() {
    let draft =
        Draft { applicable_models: vec!["A4".into(), String::new(), "x".repeat(201), "A\n6".into()], ..brake_pad() };
    assert_eq!(
        broken(draft),
        [EntryField::ApplicableModel(1), EntryField::ApplicableModel(2), EntryField::ApplicableModel(3)]
    );
}

#[test]
fn a_model_listed_twice_is_refused_at_its_second_place() {
    let draft = Draft { applicable_models: vec!["A4".into(), "A5".into(), "A4".into()], ..brake_pad() };
    let violations = CatalogueEntry::parse(draft, now()).unwrap_err();
    assert_eq!(violations, [Violation { field: EntryField::ApplicableModel(2), rule: Rule::DuplicateModel }]);
}

#[test]
fn the_list_price_may_be_zero_but_not_negative() {
    assert!(broken(Draft { list_price: Money::zero(Currency::EUR), ..brake_pad() }).is_empty());
    assert_eq!(broken(Draft { list_price: Money::new(Currency::EUR, -1), ..brake_pad() }), [EntryField::ListPrice]);
}

#[test]
fn the_warranty_runs_at_most_240_months_and_2_000_000_km() {
    let cases =
        [(0, 0, true), (240, 2_000_000, true), (241, 0, false), (-1, 0, false), (0, 2_000_001, false), (0, -1, false)];
    for (months, km, ok) in cases {
        let draft = Draft { warranty_months: months, warranty_km: km, ..brake_pad() };
        assert_eq!(broken(draft).is_empty(), ok, "{months} months, {km} km");
    }
}

#[test]
fn a_part_cannot_be_superseded_by_itself() {
    let draft = Draft { superseded_by: Some(part("8w0-698-151.a")), ..brake_pad() };
    let violations = CatalogueEntry::parse(draft, now()).unwrap_err();
    assert_eq!(violations, [Violation { field: EntryField::SupersededBy, rule: Rule::SupersedesItself }]);
    assert!(broken(Draft { superseded_by: Some(part("8W0-698-151.B")), ..brake_pad() }).is_empty());
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let draft =
        Draft { name: String::new(), list_price: Money::new(Currency::EUR, -5), warranty_months: 300, ..brake_pad() };
    assert_eq!(broken(draft), [EntryField::Name, EntryField::ListPrice, EntryField::WarrantyMonths]);
}

#[test]
fn a_restored_entry_keeps_its_times() {
    let later = now() + chrono::Duration::days(3);
    let entry = CatalogueEntry::restore(brake_pad(), now(), later).unwrap();
    assert_eq!((entry.created_at(), entry.updated_at()), (now(), later));
}
