//! Triage, assignment and first contact, one rule per test.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn received() -> Case {
    super::fixtures::received(at(0))
}

fn kind(severity: CaseSeverity, category: &str) -> Classification {
    Classification { severity, category: category.into() }
}

#[test]
fn triage_sets_severity_and_category_together() {
    let mut case = received();
    assert_eq!(case.classify(kind(CaseSeverity::General, "cold_start"), at(40)), Ok(None));
    assert_eq!(case.state, CaseState::Triaged);
    assert_eq!(case.classification, Some(kind(CaseSeverity::General, "cold_start")));
    assert_eq!((case.updated_at, case.revision), (at(40), 2));
}

#[test]
fn re_classification_raises_the_severity_and_keeps_the_state() {
    let mut case = received();
    case.classify(kind(CaseSeverity::General, "cold_start"), at(40)).unwrap();
    case.assign("engine_support".into(), at(45)).unwrap();
    let before = case.classify(kind(CaseSeverity::Important, "cold_start"), at(90)).unwrap();
    assert_eq!(before, Some(kind(CaseSeverity::General, "cold_start")), "the history is on the event");
    assert_eq!(case.state, CaseState::Assigned, "the state stays where it is");
    assert!(case.classify(kind(CaseSeverity::Urgent, "fuel_system"), at(95)).is_ok(), "and a new category");
}

#[test]
fn severity_is_never_lowered_nor_re_classified_to_what_it_is() {
    let mut case = received();
    case.classify(kind(CaseSeverity::Important, "cold_start"), at(40)).unwrap();
    let lowered = case.classify(kind(CaseSeverity::General, "cold_start"), at(50));
    assert_eq!(lowered, Err(StepError::Lowered { from: "important", to: "general" }));
    let same = case.classify(kind(CaseSeverity::Important, "cold_start"), at(50));
    assert!(matches!(same, Err(StepError::Unchanged(_))));
    assert!(case.classify(kind(CaseSeverity::Important, "injector"), at(50)).is_ok(), "a new category is a change");
}

#[test]
fn nothing_is_assigned_before_triage() {
    let mut case = received();
    let refused = case.assign("engine_support".into(), at(10));
    assert!(matches!(refused, Err(StepError::NotNow { state: "received", .. })));
    assert_eq!(case.revision, 1, "nothing changed");
}

#[test]
fn an_assigned_case_may_be_handed_to_another_group_in_the_same_state() {
    let mut case = received();
    case.classify(kind(CaseSeverity::General, "cold_start"), at(40)).unwrap();
    assert_eq!(case.assign("engine_support".into(), at(45)), Ok(None));
    assert_eq!(case.state, CaseState::Assigned);
    assert_eq!(case.assign("fuel_support".into(), at(50)), Ok(Some("engine_support".into())));
    assert_eq!(case.state, CaseState::Assigned);
    assert!(matches!(case.assign("fuel_support".into(), at(55)), Err(StepError::Unchanged(_))));
}

#[test]
fn the_first_contact_follows_assignment_once() {
    let mut case = received();
    case.classify(kind(CaseSeverity::General, "cold_start"), at(40)).unwrap();
    let early = case.record_contact("called".into(), at(41));
    assert!(matches!(early, Err(StepError::NotNow { state: "triaged", .. })));
    case.assign("engine_support".into(), at(45)).unwrap();
    case.record_contact("explained the cold-start check".into(), at(100)).unwrap();
    assert_eq!(
        (case.state, case.contact_note.as_deref()),
        (CaseState::Contacted, Some("explained the cold-start check"))
    );
    assert!(case.record_contact("again".into(), at(110)).is_err(), "once");
}

#[test]
fn a_closed_case_is_neither_re_classified_nor_reassigned() {
    let mut case = received();
    case.classify(kind(CaseSeverity::General, "cold_start"), at(40)).unwrap();
    case.state = CaseState::Closed;
    assert!(matches!(case.classify(kind(CaseSeverity::Urgent, "x"), at(50)), Err(StepError::NotNow { .. })));
    assert!(matches!(case.assign("g".into(), at(50)), Err(StepError::NotNow { state: "closed", .. })));
}

#[test]
fn a_case_is_never_assigned_to_no_group() {
    let mut case = received();
    case.classify(kind(CaseSeverity::General, "cold_start"), at(40)).unwrap();
    assert_eq!(case.assign(String::new(), at(45)), Err(StepError::NoGroup));
    assert_eq!(case.state, CaseState::Triaged);
}
