//! The case state machine under random commands (proptest): whatever support, the heads, quality and the
//! executive do, in any order, at any time —
//! - a refused command changes nothing at all; an accepted one bumps the revision by exactly one;
//! - the state only ever moves along `CaseState::may_become`;
//! - the severity never goes down; a closed case takes no command;
//! - a general case reaches implementation only with its solution approved by someone other than its proposer;
//! - an onsite waiver is decided only by someone other than who requested it, never once the experts are there,
//!   and never changes the state;
//! - a closed case has its responsibility determined, a root cause if important or urgent, and, if urgent, its
//!   post-incident review with the follow-up period over.

use aftersales_kernel::SupplierId;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
enum Command {
    Classify(CaseSeverity, bool),
    Assign,
    Contact,
    Meeting,
    Onsite,
    Diagnose,
    Propose(bool),
    Review(bool, bool),
    Implement,
    Progress,
    Resolve,
    Confirm(bool, u8),
    RootCause,
    CompleteMeasure(u32),
    Determine(bool, bool),
    Investigate,
    Issue,
    ReviewReport(bool),
    Close,
    Plan,
    Temporary,
    IncidentReview(u8),
    RequestWaiver(bool),
    DecideWaiver(bool, bool),
    Wait(u16),
}

fn command() -> impl Strategy<Value = Command> {
    let severity = prop_oneof![Just(CaseSeverity::General), Just(CaseSeverity::Important), Just(CaseSeverity::Urgent)];
    prop_oneof![
        (severity, any::<bool>()).prop_map(|(s, other)| Command::Classify(s, other)),
        Just(Command::Assign),
        Just(Command::Contact),
        Just(Command::Meeting),
        Just(Command::Onsite),
        Just(Command::Diagnose),
        any::<bool>().prop_map(Command::Propose),
        (any::<bool>(), any::<bool>()).prop_map(|(a, b)| Command::Review(a, b)),
        Just(Command::Implement),
        Just(Command::Progress),
        Just(Command::Resolve),
        (any::<bool>(), 1u8..=5).prop_map(|(c, s)| Command::Confirm(c, s)),
        Just(Command::RootCause),
        (0u32..4).prop_map(Command::CompleteMeasure),
        (any::<bool>(), any::<bool>()).prop_map(|(p, d)| Command::Determine(p, d)),
        Just(Command::Investigate),
        Just(Command::Issue),
        any::<bool>().prop_map(Command::ReviewReport),
        Just(Command::Close),
        Just(Command::Plan),
        Just(Command::Temporary),
        (0u8..3).prop_map(Command::IncidentReview),
        any::<bool>().prop_map(Command::RequestWaiver),
        (any::<bool>(), any::<bool>()).prop_map(|(a, m)| Command::DecideWaiver(a, m)),
        (1u16..3000).prop_map(Command::Wait),
    ]
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn fresh() -> Case {
    super::fixtures::received(start())
}

fn party() -> Party {
    Party::Supplier { supplier_id: SupplierId::new(), part_number: "GP-1".into(), batch: "B1".into() }
}

/// Applies `command` at `now`; `Err(())` when refused.
fn apply(case: &mut Case, command: &Command, now: DateTime<Utc>) -> Result<(), ()> {
    let review = |approved: bool, by: &str| Review { approved, by: by.into(), at: now, note: "n".into() };
    let result = match command {
        Command::Classify(severity, other) => {
            let category = if *other { "power_loss" } else { "cold_start" };
            case.classify(Classification { severity: *severity, category: category.into() }, now).map(|_| ())
        }
        Command::Assign => case.assign("engine_support".into(), now).map(|_| ()),
        Command::Contact => case.record_contact("called".into(), now),
        Command::Meeting => {
            case.hold_meeting(Meeting { held_at: now, chaired_by: "head".into(), initial_measures: "m".into() })
        }
        Command::Onsite => case.arrive_onsite(now),
        Command::Diagnose => case.record_diagnosis("s".into(), "f".into(), "support", now),
        Command::Propose(lead) => case.propose_solution("fix".into(), if *lead { "lead" } else { "support" }, now),
        Command::Review(approve, lead) => {
            case.review_solution(review(*approve, if *lead { "lead" } else { "support" }))
        }
        Command::Implement => case.start_implementation(now),
        Command::Progress => case.report_progress("p".into(), true, "support", now),
        Command::Resolve => case.resolve(now),
        Command::Confirm(confirmed, satisfaction) => case.record_confirmation(Confirmation {
            confirmed: *confirmed,
            satisfaction: *satisfaction,
            comment: String::new(),
            by: "support".into(),
            at: now,
        }),
        Command::RootCause => case.record_root_cause(RootCause {
            category: CauseCategory::Material,
            analysis: "a".into(),
            measures: vec![Measure {
                number: 0,
                kind: MeasureKind::Corrective,
                description: "d".into(),
                department: "q".into(),
                person: "p".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                done: None,
            }],
            by: "quality".into(),
            at: now,
        }),
        Command::CompleteMeasure(n) => case.complete_measure(*n, Done { at: now, by: "q".into(), note: String::new() }),
        Command::Determine(named, disputed) => {
            case.determine_responsibility(named.then(party), *disputed, "m".into(), "lead", now)
        }
        Command::Investigate => case.investigate(
            Investigation { evidence: vec!["e".into()], finding: "f".into(), by: "quality".into(), at: now },
            party(),
        ),
        Command::Issue => case.issue_report(ResponsibilityReport {
            summary: "s".into(),
            compensation: None,
            issued_by: "lead".into(),
            issued_at: now,
            review: None,
        }),
        Command::ReviewReport(approve) => case.review_report(review(*approve, "executive")),
        Command::Close => case.close(now),
        Command::Plan => case.start_emergency_plan(EmergencyPlan {
            department_head: "h".into(),
            experts: vec!["e".into()],
            production_head: "p".into(),
            resources: "r".into(),
            supplier_coordination: String::new(),
            by: "lead".into(),
            at: now,
        }),
        Command::Temporary => case.record_temporary_solution(Recorded { text: "t".into(), by: "s".into(), at: now }),
        Command::IncidentReview(days) => case.review_incident(PostIncidentReview {
            review: "r".into(),
            plan_revision: "p".into(),
            follow_up_until: now + Duration::days(i64::from(*days)),
            by: "lead".into(),
            at: now,
        }),
        Command::RequestWaiver(manager) => {
            case.request_onsite_waiver("far".into(), if *manager { "manager" } else { "support" }, now)
        }
        Command::DecideWaiver(approved, manager) => case.decide_onsite_waiver(WaiverDecision {
            approved: *approved,
            note: "n".into(),
            by: if *manager { "manager" } else { "other_manager" }.into(),
            at: now,
        }),
        Command::Wait(_) => return Ok(()),
    };
    result.map_err(|_| ())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_run_of_commands_keeps_the_case_rules(commands in proptest::collection::vec(command(), 1..120)) {
        let mut case = fresh();
        let mut now = start();
        for command in &commands {
            if let Command::Wait(minutes) = command {
                now += Duration::minutes(i64::from(*minutes));
                continue;
            }
            let before = case.clone();
            match apply(&mut case, command, now) {
                Err(()) => prop_assert_eq!(&case, &before, "a refused {:?} changed the case", command),
                Ok(()) => {
                    prop_assert_eq!(case.revision, before.revision + 1, "{:?}", command);
                    prop_assert_ne!(before.state, CaseState::Closed, "a closed case took {:?}", command);
                    if case.state != before.state {
                        prop_assert!(before.state.may_become(case.state), "{:?} → {:?} by {:?}", before.state, case.state, command);
                    }
                    prop_assert!(case.severity() >= before.severity(), "severity lowered by {:?}", command);
                    if let Command::RequestWaiver(_) | Command::DecideWaiver(..) = command {
                        prop_assert_eq!(case.state, before.state, "a waiver moved the state");
                        prop_assert!(case.onsite_at.is_none(), "a waiver after the experts arrived");
                    }
                    if let Command::DecideWaiver(..) = command {
                        let waiver = case.onsite_waiver.as_ref().unwrap();
                        prop_assert_ne!(&waiver.requested_by, &waiver.decision.as_ref().unwrap().by);
                    }
                    if case.state == CaseState::Implementation && before.state == CaseState::Solution
                        && case.severity() == Some(CaseSeverity::General) {
                        let solution = case.solution.as_ref().unwrap();
                        let review = solution.review.as_ref().unwrap();
                        prop_assert!(review.approved && review.by != solution.proposed_by);
                    }
                    if case.state == CaseState::Closed {
                        prop_assert!(case.responsibility.as_ref().unwrap().determined());
                        if case.severity() > Some(CaseSeverity::General) {
                            prop_assert!(case.root_cause.is_some());
                        }
                        if case.severity() == Some(CaseSeverity::Urgent) {
                            prop_assert!(case.incident_review.as_ref().unwrap().follow_up_until <= now);
                        }
                    }
                }
            }
        }
    }

    /// A purposeful run reaches closing — the machine is not refusing everything.
    #[test]
    fn the_straight_path_closes_a_case_of_any_severity(severity in prop_oneof![
        Just(CaseSeverity::General), Just(CaseSeverity::Important), Just(CaseSeverity::Urgent)
    ]) {
        let mut case = fresh();
        let now = start();
        let path = [
            Command::Classify(severity, false), Command::Plan, Command::Assign, Command::Contact, Command::Diagnose,
            Command::RootCause, Command::Propose(false), Command::Review(true, true), Command::Implement,
            Command::Resolve, Command::IncidentReview(0), Command::Confirm(true, 4), Command::Determine(true, false),
            Command::Issue, Command::ReviewReport(true), Command::Close,
        ];
        for command in &path {
            let optional = matches!(command, Command::Plan | Command::IncidentReview(_) | Command::Review(..));
            let done = apply(&mut case, command, now);
            prop_assert!(done.is_ok() || optional, "{:?} refused on the straight path", command);
        }
        prop_assert_eq!(case.state, CaseState::Closed);
    }
}
