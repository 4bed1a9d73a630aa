//! From diagnosis to the customer's confirmation, and root cause, responsibility and closing — one rule per test.

use aftersales_kernel::{Currency, Money, SupplierId};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::*;

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A case contacted by support at 10:00, of `severity`.
fn contacted(severity: CaseSeverity) -> Case {
    let mut case = super::fixtures::received(at(0));
    case.classify(Classification { severity, category: "cold_start".into() }, at(20)).unwrap();
    case.assign("engine_support".into(), at(30)).unwrap();
    case.record_contact("called the driver".into(), at(60)).unwrap();
    case
}

fn review(approved: bool, by: &str, minutes: i64) -> Review {
    Review { approved, by: by.into(), at: at(minutes), note: if approved { String::new() } else { "no".into() } }
}

/// A case of `severity` taken as far as implementation (a general one's solution approved by the lead).
fn implementing(severity: CaseSeverity) -> Case {
    let mut case = contacted(severity);
    case.record_diagnosis("read the fault codes".into(), "glow plug 3 open".into(), "support-1", at(90)).unwrap();
    case.propose_solution("replace glow plug 3".into(), "support-1", at(100)).unwrap();
    if severity == CaseSeverity::General {
        case.review_solution(review(true, "lead-1", 110)).unwrap();
    }
    case.start_implementation(at(120)).unwrap();
    case
}

fn confirmed(severity: CaseSeverity) -> Case {
    let mut case = implementing(severity);
    case.resolve(at(300)).unwrap();
    case.record_confirmation(confirmation(true, 4, 320)).unwrap();
    case
}

fn confirmation(confirmed: bool, satisfaction: u8, minutes: i64) -> Confirmation {
    Confirmation { confirmed, satisfaction, comment: String::new(), by: "support-1".into(), at: at(minutes) }
}

fn supplier_part() -> Party {
    Party::Supplier { supplier_id: SupplierId::new(), part_number: "GP-0417".into(), batch: "B2026-02".into() }
}

fn report(minutes: i64) -> ResponsibilityReport {
    ResponsibilityReport {
        summary: "glow plugs of batch B2026-02 open early".into(),
        compensation: Some(Compensation {
            amount: Money::new(Currency::parse("CNY").unwrap(), 50_000),
            note: "towing".into(),
        }),
        issued_by: "lead-1".into(),
        issued_at: at(minutes),
        review: None,
    }
}

fn root_cause(minutes: i64) -> RootCause {
    let measure = |kind, description: &str| Measure {
        number: 0,
        kind,
        description: description.into(),
        department: "quality".into(),
        person: "Wang Fang".into(),
        due_on: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        done: None,
    };
    RootCause {
        category: CauseCategory::Material,
        analysis: "coil wire thinner than drawn".into(),
        measures: vec![
            measure(MeasureKind::Corrective, "replace batch B2026-02 in the field"),
            measure(MeasureKind::Preventive, "incoming inspection of coil wire"),
        ],
        by: "quality-1".into(),
        at: at(minutes),
    }
}

#[test]
fn diagnosis_follows_the_first_contact_and_keeps_every_step() {
    let mut case = contacted(CaseSeverity::General);
    case.record_diagnosis("read the fault codes".into(), "P0380".into(), "support-1", at(70)).unwrap();
    assert_eq!(case.state, CaseState::Diagnosis);
    case.record_diagnosis("measured plug resistance".into(), "plug 3 open".into(), "support-2", at(80)).unwrap();
    assert_eq!(case.notes.len(), 2, "both steps kept, oldest first");
    assert_eq!(
        (case.notes[1].steps.as_str(), case.notes[1].text.as_str()),
        ("measured plug resistance", "plug 3 open")
    );
    let mut assigned = contacted(CaseSeverity::General);
    assigned.state = CaseState::Assigned;
    assert!(matches!(assigned.record_diagnosis("x".into(), "y".into(), "s", at(70)), Err(StepError::NotNow { .. })));
}

#[test]
fn a_general_solution_is_approved_by_a_superior_before_it_is_carried_out() {
    let mut case = contacted(CaseSeverity::General);
    case.record_diagnosis("codes".into(), "plug 3 open".into(), "support-1", at(70)).unwrap();
    case.propose_solution("replace plug 3".into(), "support-1", at(80)).unwrap();
    assert_eq!(case.state, CaseState::Solution);
    assert_eq!(case.start_implementation(at(85)), Err(StepError::NotApproved));
    assert_eq!(
        case.review_solution(review(true, "support-1", 85)),
        Err(StepError::SelfApproval),
        "not by the proposer"
    );
    case.review_solution(review(true, "lead-1", 90)).unwrap();
    case.start_implementation(at(95)).unwrap();
    assert_eq!(case.state, CaseState::Implementation);
}

#[test]
fn a_rejected_solution_is_proposed_anew() {
    let mut case = contacted(CaseSeverity::General);
    case.record_diagnosis("codes".into(), "plug 3 open".into(), "support-1", at(70)).unwrap();
    case.propose_solution("replace all plugs".into(), "support-1", at(80)).unwrap();
    assert!(matches!(case.propose_solution("again".into(), "support-1", at(81)), Err(StepError::Unchanged(_))));
    case.review_solution(review(false, "lead-1", 90)).unwrap();
    assert_eq!(case.start_implementation(at(95)), Err(StepError::NotApproved));
    case.propose_solution("replace plug 3 only".into(), "support-1", at(100)).unwrap();
    assert_eq!(case.solution.as_ref().unwrap().review, None, "the new proposal awaits its own review");
    case.review_solution(review(true, "lead-1", 110)).unwrap();
    assert!(case.start_implementation(at(115)).is_ok());
}

#[test]
fn an_important_solution_needs_no_approval() {
    let mut case = contacted(CaseSeverity::Important);
    case.record_diagnosis("codes".into(), "plug 3 open".into(), "support-1", at(70)).unwrap();
    case.propose_solution("replace plug 3".into(), "expert-1", at(80)).unwrap();
    assert_eq!(case.review_solution(review(true, "lead-1", 85)), Err(StepError::NoApprovalNeeded));
    assert!(case.start_implementation(at(90)).is_ok());
}

#[test]
fn progress_is_reported_from_triage_until_the_case_is_resolved() {
    let mut case = implementing(CaseSeverity::Important);
    case.report_progress("parts ordered".into(), true, "expert-1", at(130)).unwrap();
    case.report_progress("plug replaced, testing".into(), false, "expert-1", at(250)).unwrap();
    assert_eq!(case.progress_reports().count(), 2);
    assert!(case.progress_reports().next().unwrap().customer_told);
    case.resolve(at(300)).unwrap();
    assert_eq!((case.state, case.resolved_at), (CaseState::CustomerConfirmation, Some(at(300))));
    assert!(case.report_progress("late".into(), true, "expert-1", at(310)).is_err(), "resolved: no more reports");
}

#[test]
fn an_unconvinced_customer_sends_the_case_back_to_implementation() {
    let mut case = implementing(CaseSeverity::General);
    case.resolve(at(300)).unwrap();
    case.record_confirmation(confirmation(false, 2, 320)).unwrap();
    assert_eq!((case.state, case.resolved_at), (CaseState::Implementation, None));
    case.resolve(at(400)).unwrap();
    case.record_confirmation(confirmation(true, 5, 420)).unwrap();
    assert_eq!(case.state, CaseState::Responsibility);
    assert_eq!(case.confirmation.as_ref().unwrap().satisfaction, 5, "the last answer counts");
}

#[test]
fn a_root_cause_names_its_5m1e_category_and_numbers_its_measures_tracked_to_done() {
    let mut case = implementing(CaseSeverity::Important);
    case.record_root_cause(root_cause(200)).unwrap();
    let numbers: Vec<u32> = case.root_cause.as_ref().unwrap().measures.iter().map(|m| m.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert!(matches!(case.record_root_cause(root_cause(210)), Err(StepError::Unchanged(_))), "once");
    let done = Done { at: at(400), by: "quality-1".into(), note: "replaced 40 engines".into() };
    case.complete_measure(1, done.clone()).unwrap();
    assert_eq!(case.root_cause.as_ref().unwrap().measures[0].done, Some(done.clone()));
    assert!(matches!(case.complete_measure(1, done.clone()), Err(StepError::Unchanged(_))));
    assert_eq!(case.complete_measure(3, done), Err(StepError::NoSuchMeasure(3)));
}

#[test]
fn no_root_cause_before_diagnosis() {
    let mut case = contacted(CaseSeverity::Important);
    assert!(matches!(case.record_root_cause(root_cause(70)), Err(StepError::NotNow { .. })));
}

#[test]
fn responsibility_on_a_supplier_part_is_determined_when_the_executive_approves_the_report() {
    let mut case = confirmed(CaseSeverity::General);
    case.determine_responsibility(Some(supplier_part()), false, "supplier batch".into(), "lead-1", at(400)).unwrap();
    assert!(!case.responsibility.as_ref().unwrap().determined());
    assert_eq!(case.close(at(410)), Err(StepError::NotDetermined));
    case.issue_report(report(420)).unwrap();
    case.review_report(review(true, "exec-1", 430)).unwrap();
    assert!(case.responsibility.as_ref().unwrap().determined());
    case.close(at(440)).unwrap();
    assert_eq!((case.state, case.closed_at), (CaseState::Closed, Some(at(440))));
}

#[test]
fn a_disputed_responsibility_goes_to_quality_before_any_report() {
    let mut case = confirmed(CaseSeverity::General);
    assert_eq!(case.determine_responsibility(None, false, "?".into(), "lead-1", at(400)), Err(StepError::NoParty));
    case.determine_responsibility(None, true, "plant and supplier disagree".into(), "lead-1", at(400)).unwrap();
    assert_eq!(case.issue_report(report(410)), Err(StepError::Disputed));
    let investigation = Investigation {
        evidence: vec!["inspection report IR-2026-117".into(), "production record PR-88".into()],
        finding: "wire gauge below drawing".into(),
        by: "quality-1".into(),
        at: at(420),
    };
    case.investigate(investigation, supplier_part()).unwrap();
    assert_eq!(
        case.investigate(case.responsibility.clone().unwrap().investigation.unwrap(), supplier_part()),
        Err(StepError::NotDisputed)
    );
    assert!(case.issue_report(report(430)).is_ok());
}

#[test]
fn a_rejected_report_is_issued_anew() {
    let mut case = confirmed(CaseSeverity::General);
    let party = Party::Department { department: "assembly".into(), person: "Zhao Lei".into() };
    case.determine_responsibility(Some(party), false, "torque not to spec".into(), "lead-1", at(400)).unwrap();
    case.issue_report(report(410)).unwrap();
    assert!(matches!(case.issue_report(report(411)), Err(StepError::Unchanged(_))), "one report at a time");
    case.review_report(review(false, "exec-1", 420)).unwrap();
    case.issue_report(report(430)).unwrap();
    case.review_report(review(true, "exec-1", 440)).unwrap();
    assert!(case.close(at(450)).is_ok());
}

#[test]
fn an_important_case_needs_its_root_cause_report_before_closing() {
    let mut case = confirmed(CaseSeverity::Important);
    case.determine_responsibility(Some(supplier_part()), false, "supplier".into(), "lead-1", at(400)).unwrap();
    case.issue_report(report(410)).unwrap();
    case.review_report(review(true, "exec-1", 420)).unwrap();
    assert_eq!(case.close(at(430)), Err(StepError::NoRootCause));
    case.record_root_cause(root_cause(440)).unwrap();
    assert!(case.close(at(450)).is_ok());
    assert!(case.complete_measure(1, Done { at: at(460), by: "q".into(), note: String::new() }).is_err(), "closed");
}
