//! The supplier's rules, one test each (a contact's own rules are tested in `contact`).

use chrono::TimeZone;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn contact(name: &str) -> Contact {
    Contact {
        name: name.into(),
        email: format!("{}@bosch.example", name.to_lowercase()),
        phone: "+86 21 5555 0100".into(),
        duty: "claims".into(),
    }
}

fn bosch() -> Draft {
    Draft {
        name: "Bosch Automotive (China)".into(),
        code: "BOSCH-CN".into(),
        contacts: vec![contact("Wang"), contact("Li")],
        status: SupplierStatus::Approved,
    }
}

fn broken(draft: Draft) -> Vec<SupplierField> {
    match Supplier::register(draft, now()) {
        Ok(_) => Vec::new(),
        Err(violations) => violations.into_iter().map(|v| v.field).collect(),
    }
}

#[test]
fn a_registered_supplier_gets_a_fresh_id_and_keeps_its_contacts_in_order() {
    let first = Supplier::register(bosch(), now()).unwrap();
    let second = Supplier::register(bosch(), now()).unwrap();
    assert_ne!(first.id(), second.id());
    assert_eq!(first.code().as_str(), "BOSCH-CN");
    let names: Vec<_> = first.contacts().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Wang", "Li"]);
    assert_eq!((first.created_at(), first.updated_at()), (now(), now()));
}

#[test]
fn the_name_is_required_one_line_and_at_most_200_characters() {
    for (name, ok) in [
        (String::new(), false),
        ("博世".to_string(), true),
        ("x".repeat(200), true),
        ("x".repeat(201), false),
        ("A\nB".to_string(), false),
    ] {
        assert_eq!(broken(Draft { name: name.clone(), ..bosch() }).is_empty(), ok, "{name:?}");
    }
}

#[test]
fn a_malformed_code_is_refused() {
    assert_eq!(broken(Draft { code: "bosch".into(), ..bosch() }), [SupplierField::Code]);
}

#[test]
fn a_supplier_has_1_to_20_contacts() {
    let contacts = |n: usize| (0..n).map(|i| contact(&format!("P{i}"))).collect::<Vec<_>>();
    assert_eq!(broken(Draft { contacts: Vec::new(), ..bosch() }), [SupplierField::Contacts]);
    assert!(broken(Draft { contacts: contacts(20), ..bosch() }).is_empty());
    assert_eq!(broken(Draft { contacts: contacts(21), ..bosch() }), [SupplierField::Contacts]);
}

#[test]
fn a_contact_breaking_its_rules_is_named_by_its_position_and_field() {
    let mut draft = bosch();
    draft.contacts[1].email = "li.bosch.example".into();
    let violations = Supplier::register(draft, now()).unwrap_err();
    assert_eq!(
        violations,
        [Violation { field: SupplierField::Contact(1, ContactField::Email), rule: ContactRule::NotAnEmail.into() }]
    );
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let mut draft = Draft { name: String::new(), code: "X".into(), ..bosch() };
    draft.contacts[0].phone = "call me".into();
    assert_eq!(
        broken(draft),
        [SupplierField::Name, SupplierField::Code, SupplierField::Contact(0, ContactField::Phone)]
    );
}

#[test]
fn every_status_name_round_trips() {
    for status in [SupplierStatus::Approved, SupplierStatus::Probation, SupplierStatus::Blocked] {
        assert_eq!(SupplierStatus::parse(status.as_str()), Some(status));
    }
    assert_eq!(SupplierStatus::parse("unspecified"), None);
}

#[test]
fn a_status_change_says_what_it_was_and_the_same_status_changes_nothing() {
    let mut supplier = Supplier::register(bosch(), now()).unwrap();
    let later = now() + chrono::Duration::days(90);
    assert_eq!(supplier.set_status(SupplierStatus::Probation, later), Some(SupplierStatus::Approved));
    assert_eq!((supplier.status(), supplier.updated_at()), (SupplierStatus::Probation, later));
    assert_eq!(supplier.set_status(SupplierStatus::Probation, later + chrono::Duration::days(1)), None);
    assert_eq!(supplier.updated_at(), later, "unchanged");
}
