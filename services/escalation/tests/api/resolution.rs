//! From diagnosis to closing over gRPC, on the manual clock: a general case's solution approved by a superior (not
//! its proposer), the customer unconvinced once, a disputed responsibility settled by `quality` on a supplier's part,
//! the report rejected once and approved by `oem_executive` — `ResponsibilityDetermined` on the feed without customer
//! data — and the case closed. An important case reports progress every 2 h from the experts' arrival until it is
//! resolved (a missed period breaches), and cannot close without its root-cause report, whose measures are tracked
//! to done. Every field of every request is checked.

use aftersales_proto::common::v1 as common;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

use crate::support::{Caller, SUPPORT, TestApp, hotline_case, spawn_app};

pub(crate) const HEAD: Caller = Caller::Oem("support_lead");
pub(crate) const MANAGER: Caller = Caller::Oem("oem_manager");
pub(crate) const QUALITY: Caller = Caller::Oem("quality");
pub(crate) const EXECUTIVE: Caller = Caller::Oem("oem_executive");

pub(crate) fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) type Answer = Result<pb::Case, tonic::Status>;

pub(crate) fn ok(answer: Answer, step: &str) -> pb::Case {
    answer.unwrap_or_else(|e| panic!("{step}: {e:?}"))
}

pub(crate) fn refused(answer: Answer, code: Code, needle: &str) {
    let status = answer.expect_err(needle);
    assert_eq!(status.code(), code, "{needle}: {status:?}");
    assert!(status.message().contains(needle), "{needle}: {}", status.message());
}

/// The RPCs, each as `who`.
pub(crate) struct Desk<'a>(pub(crate) &'a TestApp);

impl Desk<'_> {
    pub(crate) async fn classify(&self, case: &str, severity: pb::CaseSeverity) -> Answer {
        let r = pb::ClassifyCaseRequest {
            request_id: id(),
            case_id: case.into(),
            severity: severity as i32,
            category: "cold_start".into(),
            reason: "white smoke when cold".into(),
        };
        self.0.cases.clone().classify_case(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn assign_and_contact(&self, case: &str) -> Answer {
        let app = self.0;
        let r = pb::AssignCaseRequest { request_id: id(), case_id: case.into(), support_group: String::new() };
        app.cases.clone().assign_case(app.request_as(SUPPORT, r)).await?;
        let r = pb::RecordCustomerContactRequest { request_id: id(), case_id: case.into(), note: "called".into() };
        app.cases.clone().record_customer_contact(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn diagnose(&self, r: pb::RecordDiagnosisRequest) -> Answer {
        self.0.cases.clone().record_diagnosis(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn propose(&self, who: Caller, r: pb::ProposeSolutionRequest) -> Answer {
        self.0.cases.clone().propose_solution(self.0.request_as(who, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn review(&self, who: Caller, r: pb::ReviewSolutionRequest) -> Answer {
        self.0.cases.clone().review_solution(self.0.request_as(who, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn implement(&self, case: &str) -> Answer {
        let r = pb::StartImplementationRequest { request_id: id(), case_id: case.into() };
        self.0.cases.clone().start_implementation(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn progress(&self, r: pb::ReportProgressRequest) -> Answer {
        self.0.cases.clone().report_progress(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn resolve(&self, case: &str) -> Answer {
        let r = pb::ResolveCaseRequest { request_id: id(), case_id: case.into() };
        self.0.cases.clone().resolve_case(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn confirm(&self, r: pb::RecordCustomerConfirmationRequest) -> Answer {
        let request = self.0.request_as(SUPPORT, r);
        self.0.cases.clone().record_customer_confirmation(request).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn close(&self, case: &str) -> Answer {
        let r = pb::CloseCaseRequest { request_id: id(), case_id: case.into() };
        self.0.cases.clone().close_case(self.0.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn root_cause(&self, who: Caller, r: pb::RecordRootCauseRequest) -> Answer {
        self.0
            .responsibility
            .clone()
            .record_root_cause(self.0.request_as(who, r))
            .await
            .map(tonic::Response::into_inner)
    }

    pub(crate) async fn complete(&self, r: pb::CompleteMeasureRequest) -> Answer {
        let request = self.0.request_as(QUALITY, r);
        self.0.responsibility.clone().complete_measure(request).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn determine(&self, who: Caller, r: pb::DetermineResponsibilityRequest) -> Answer {
        let request = self.0.request_as(who, r);
        self.0.responsibility.clone().determine_responsibility(request).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn investigate(&self, who: Caller, r: pb::RecordInvestigationRequest) -> Answer {
        let request = self.0.request_as(who, r);
        self.0.responsibility.clone().record_investigation(request).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn issue(&self, r: pb::IssueResponsibilityReportRequest) -> Answer {
        let request = self.0.request_as(HEAD, r);
        self.0.responsibility.clone().issue_responsibility_report(request).await.map(tonic::Response::into_inner)
    }

    pub(crate) async fn decide(&self, who: Caller, r: pb::ReviewResponsibilityReportRequest) -> Answer {
        let request = self.0.request_as(who, r);
        self.0.responsibility.clone().review_responsibility_report(request).await.map(tonic::Response::into_inner)
    }
}

pub(crate) fn diagnosis(case: &str, findings: &str) -> pb::RecordDiagnosisRequest {
    pb::RecordDiagnosisRequest {
        request_id: id(),
        case_id: case.into(),
        steps: "read fault codes; measured glow plug resistance".into(),
        findings: findings.into(),
    }
}

pub(crate) fn solution(case: &str) -> pb::ProposeSolutionRequest {
    pb::ProposeSolutionRequest { request_id: id(), case_id: case.into(), solution: "replace glow plug 3".into() }
}

pub(crate) fn review(case: &str, approve: bool) -> pb::ReviewSolutionRequest {
    let note = if approve { "" } else { "check the relay first" };
    pb::ReviewSolutionRequest { request_id: id(), case_id: case.into(), approve, note: note.into() }
}

pub(crate) fn progress(case: &str) -> pb::ReportProgressRequest {
    pb::ReportProgressRequest {
        request_id: id(),
        case_id: case.into(),
        report: "plug ordered, fitting tomorrow".into(),
        customer_told: true,
    }
}

pub(crate) fn confirmation(case: &str, confirmed: bool, satisfaction: i32) -> pb::RecordCustomerConfirmationRequest {
    pb::RecordCustomerConfirmationRequest {
        request_id: id(),
        case_id: case.into(),
        confirmed,
        satisfaction,
        comment: "starts first time".into(),
    }
}

pub(crate) fn supplier_party(supplier: &str) -> pb::ResponsibleParty {
    pb::ResponsibleParty {
        party: Some(pb::responsible_party::Party::Supplier(pb::SupplierParty {
            supplier_id: supplier.into(),
            part_number: "GP-0417".into(),
            batch: "B2026-02".into(),
        })),
    }
}

pub(crate) fn meeting(
    case: &str,
    party: Option<pb::ResponsibleParty>,
    disputed: bool,
) -> pb::DetermineResponsibilityRequest {
    pb::DetermineResponsibilityRequest {
        request_id: id(),
        case_id: case.into(),
        party,
        disputed,
        meeting_note: "plant says supplier batch, supplier says fitting".into(),
    }
}

pub(crate) fn investigation(case: &str, supplier: &str) -> pb::RecordInvestigationRequest {
    pb::RecordInvestigationRequest {
        request_id: id(),
        case_id: case.into(),
        evidence: vec!["inspection report IR-2026-117".into(), "production record PR-88".into()],
        finding: "coil wire below the drawing's gauge".into(),
        party: Some(supplier_party(supplier)),
    }
}

pub(crate) fn report(case: &str) -> pb::IssueResponsibilityReportRequest {
    pb::IssueResponsibilityReportRequest {
        request_id: id(),
        case_id: case.into(),
        summary: "glow plugs of batch B2026-02 fail open early".into(),
        compensation: Some(common::Money { currency_code: "CNY".into(), units_minor: 50_000 }),
        compensation_note: "towing and a day's lost work".into(),
    }
}

pub(crate) fn decision(case: &str, approve: bool) -> pb::ReviewResponsibilityReportRequest {
    let note = if approve { "" } else { "name the batch's production dates" };
    pb::ReviewResponsibilityReportRequest { request_id: id(), case_id: case.into(), approve, note: note.into() }
}

pub(crate) fn root_cause(case: &str) -> pb::RecordRootCauseRequest {
    let measure = |kind: pb::MeasureKind, description: &str| pb::Measure {
        kind: kind as i32,
        description: description.into(),
        department: "quality".into(),
        person: "Wang Fang".into(),
        due_on: "2026-03-31".into(),
        ..Default::default()
    };
    pb::RecordRootCauseRequest {
        request_id: id(),
        case_id: case.into(),
        category: pb::CauseCategory::Material as i32,
        analysis: "coil wire thinner than drawn".into(),
        measures: vec![
            measure(pb::MeasureKind::Corrective, "replace batch B2026-02 in the field"),
            measure(pb::MeasureKind::Preventive, "incoming inspection of coil wire"),
        ],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_general_case_is_handled_to_closing_with_a_supplier_held_responsible() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let supplier = aftersales_kernel::SupplierId::new().to_string();
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(desk.classify(&case, pb::CaseSeverity::General).await, "triage");
    ok(desk.assign_and_contact(&case).await, "contact");

    // Diagnosis: two steps, both kept.
    ok(desk.diagnose(diagnosis(&case, "P0380 stored")).await, "diagnosis 1");
    let diagnosed = ok(desk.diagnose(diagnosis(&case, "glow plug 3 open")).await, "diagnosis 2");
    assert_eq!(diagnosed.state(), pb::CaseState::Diagnosis);
    assert_eq!(diagnosed.notes.len(), 2);
    assert_eq!(diagnosed.notes[1].text, "glow plug 3 open");

    // The lead proposes; the lead cannot approve their own solution, support staff cannot approve at all.
    ok(desk.propose(HEAD, solution(&case)).await, "solution");
    refused(desk.implement(&case).await, Code::FailedPrecondition, "approved");
    refused(desk.review(HEAD, review(&case, true)).await, Code::FailedPrecondition, "not by the one who proposed");
    assert_eq!(desk.review(SUPPORT, review(&case, true)).await.unwrap_err().code(), Code::PermissionDenied);
    let approved = ok(desk.review(MANAGER, review(&case, true)).await, "approval");
    let solution_review = approved.solution.as_ref().unwrap().review.as_ref().unwrap();
    assert!(solution_review.approved && solution_review.reviewed_by == "oem_manager");
    assert_eq!(ok(desk.implement(&case).await, "implementation").state(), pb::CaseState::Implementation);

    // Progress told to the customer; resolved; the customer is not convinced the first time.
    ok(desk.progress(progress(&case)).await, "progress");
    ok(desk.resolve(&case).await, "resolved");
    let back = ok(desk.confirm(confirmation(&case, false, 2)).await, "not confirmed");
    assert_eq!((back.state(), back.resolve_time), (pb::CaseState::Implementation, None));
    ok(desk.resolve(&case).await, "resolved again");
    let confirmed = ok(desk.confirm(confirmation(&case, true, 4)).await, "confirmed");
    assert_eq!(confirmed.state(), pb::CaseState::Responsibility);
    assert_eq!(confirmed.confirmation.as_ref().unwrap().satisfaction, 4);
    refused(desk.close(&case).await, Code::FailedPrecondition, "approved by oem_executive");

    // The meeting cannot agree; quality investigates and names the supplier's batch.
    ok(desk.determine(HEAD, meeting(&case, None, true)).await, "disputed meeting");
    refused(desk.issue(report(&case)).await, Code::FailedPrecondition, "disputed");
    assert_eq!(
        desk.investigate(HEAD, investigation(&case, &supplier)).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let settled = ok(desk.investigate(QUALITY, investigation(&case, &supplier)).await, "investigation");
    let found = settled.responsibility.as_ref().unwrap();
    assert!(!found.disputed && found.investigation.as_ref().unwrap().evidence.len() == 2);

    // The report: rejected once by the executive, issued again, approved.
    ok(desk.issue(report(&case)).await, "report");
    assert_eq!(desk.decide(MANAGER, decision(&case, true)).await.unwrap_err().code(), Code::PermissionDenied);
    ok(desk.decide(EXECUTIVE, decision(&case, false)).await, "rejected");
    ok(desk.issue(report(&case)).await, "report again");
    let determined = ok(desk.decide(EXECUTIVE, decision(&case, true)).await, "approved");
    assert!(determined.responsibility.as_ref().unwrap().determined);

    let events = app.events_of("aftersales.escalation.v1.ResponsibilityDetermined").await;
    assert_eq!(events.len(), 1, "one determination");
    let event: pb::ResponsibilityDetermined = decode_payload(&events[0]).unwrap().unwrap();
    assert_eq!((event.case_id.as_str(), event.approved_by.as_str()), (case.as_str(), "oem_executive"));
    assert_eq!(event.party, Some(supplier_party(&supplier)));
    assert_eq!(event.compensation.as_ref().map(|m| m.units_minor), Some(50_000));
    let raw = &events[0].payload.as_ref().unwrap().value;
    for personal in ["Li Wei", "+86 138 0013 8000", "li.wei@example.cn"] {
        assert!(!raw.windows(personal.len()).any(|w| w == personal.as_bytes()), "{personal} on the feed");
    }

    let closed = ok(desk.close(&case).await, "closed");
    assert_eq!(closed.state(), pb::CaseState::Closed);
    assert!(closed.close_time.is_some());
    let event: pb::CaseClosed =
        decode_payload(&app.events_of("aftersales.escalation.v1.CaseClosed").await[0]).unwrap().unwrap();
    assert_eq!(event.satisfaction, 4);
    refused(desk.progress(progress(&case)).await, Code::FailedPrecondition, "resolved");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_important_case_reports_progress_every_two_hours_until_resolved_and_closes_with_its_root_cause() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(desk.classify(&case, pb::CaseSeverity::Important).await, "triage");
    ok(desk.assign_and_contact(&case).await, "contact");
    app.advance(30).await;
    let onsite = pb::RecordOnsiteRequest { request_id: id(), case_id: case.clone() };
    app.cases.clone().record_onsite(app.request_as(SUPPORT, onsite)).await.unwrap();
    let clocks = app.clocks_of(&case).await;
    let clock = clocks.iter().find(|c| c.policy == "case_progress").expect("the progress clock starts on site");
    let seconds = |t: &Option<prost_types::Timestamp>| t.as_ref().unwrap().seconds;
    assert_eq!(seconds(&clock.due_time) - seconds(&clock.start_time), 2 * 3600);
    let clock_id = clock.clock_id.clone();

    // The first two hours' report at 1 h 40; nothing in the next two hours: breached, the support lead told.
    app.advance(100).await;
    ok(desk.progress(progress(&case)).await, "first report");
    app.wait_for_clock(&clock_id, |c| c.period == 1).await;
    app.advance(150).await;
    let breached =
        app.wait_for_clock(&clock_id, |c| c.history.iter().any(|e| e.kind == "breached" && e.period == 1)).await;
    assert_eq!(breached.history.iter().find(|e| e.kind == "escalated").unwrap().role, "support_lead");
    ok(desk.progress(progress(&case)).await, "third period's report");

    // Diagnosis, solution (no approval for an important case), implementation, resolved: the clock stops.
    ok(desk.diagnose(diagnosis(&case, "glow plug 3 open")).await, "diagnosis");
    ok(desk.propose(SUPPORT, solution(&case)).await, "solution");
    refused(desk.review(HEAD, review(&case, true)).await, Code::FailedPrecondition, "general");
    ok(desk.implement(&case).await, "implementation");
    ok(desk.resolve(&case).await, "resolved");
    app.wait_for_clock(&clock_id, |c| c.status() == pb::ClockStatus::Stopped).await;
    assert_eq!(desk.progress(progress(&case)).await.unwrap_err().code(), Code::FailedPrecondition);

    // The customer is not convinced: back to implementation, and the progress clock runs again, due in 2 h.
    app.advance(20).await;
    ok(desk.confirm(confirmation(&case, false, 2)).await, "not confirmed");
    let again = app.wait_for_clock(&clock_id, |c| c.status() == pb::ClockStatus::Running).await;
    let restarted = again.history.iter().rfind(|e| e.kind == "started").unwrap();
    assert_eq!(seconds(&restarted.due_time) - seconds(&restarted.time), 2 * 3600);
    assert_eq!(seconds(&again.due_time), seconds(&restarted.due_time));
    ok(desk.progress(progress(&case)).await, "a report while reworked");
    ok(desk.resolve(&case).await, "resolved again");
    app.wait_for_clock(&clock_id, |c| c.status() == pb::ClockStatus::Stopped).await;

    ok(desk.confirm(confirmation(&case, true, 5)).await, "confirmed");
    let party = pb::ResponsibleParty {
        party: Some(pb::responsible_party::Party::Department(pb::DepartmentParty {
            department: "assembly".into(),
            person: "Zhao Lei".into(),
        })),
    };
    ok(desk.determine(MANAGER, meeting(&case, Some(party), false)).await, "meeting");
    assert_eq!(
        desk.investigate(QUALITY, investigation(&case, &id())).await.unwrap_err().code(),
        Code::FailedPrecondition
    );
    ok(desk.issue(report(&case)).await, "report");
    ok(desk.decide(EXECUTIVE, decision(&case, true)).await, "approved");
    refused(desk.close(&case).await, Code::FailedPrecondition, "root-cause");

    // The root-cause report, by quality; its measures done one by one.
    let reported = ok(desk.root_cause(QUALITY, root_cause(&case)).await, "root cause");
    let measures = &reported.root_cause.as_ref().unwrap().measures;
    assert_eq!(measures.iter().map(|m| m.number).collect::<Vec<_>>(), [1, 2]);
    let done = |n: i32| pb::CompleteMeasureRequest {
        request_id: id(),
        case_id: case.clone(),
        measure_number: n,
        note: "done".into(),
    };
    refused(desk.complete(done(3)).await, Code::InvalidArgument, "measure_number");
    let completed = ok(desk.complete(done(1)).await, "measure 1");
    let first = &completed.root_cause.as_ref().unwrap().measures[0];
    assert!(first.done && first.done_by == "quality");
    assert_eq!(ok(desk.close(&case).await, "closed").state(), pb::CaseState::Closed);
}

/// Each request's fields, one violation at a time: refused naming the field, nothing written.
#[tokio::test(flavor = "multi_thread")]
async fn every_field_of_the_handling_requests_is_checked() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    let c = case.as_str();
    let long = "x".repeat(4001);
    let names = |answer: Answer, field: &str| refused(answer, Code::InvalidArgument, field);

    names(
        desk.diagnose(pb::RecordDiagnosisRequest { request_id: "x".into(), ..diagnosis(c, "f") }).await,
        "request_id",
    );
    names(desk.diagnose(pb::RecordDiagnosisRequest { case_id: "x".into(), ..diagnosis(c, "f") }).await, "case_id");
    names(desk.diagnose(pb::RecordDiagnosisRequest { steps: String::new(), ..diagnosis(c, "f") }).await, "steps");
    names(desk.diagnose(diagnosis(c, "")).await, "findings");
    names(desk.diagnose(diagnosis(c, &long)).await, "findings");
    names(
        desk.propose(SUPPORT, pb::ProposeSolutionRequest { solution: long.clone(), ..solution(c) }).await,
        "solution",
    );
    names(desk.review(HEAD, pb::ReviewSolutionRequest { note: String::new(), ..review(c, false) }).await, "note");
    names(desk.progress(pb::ReportProgressRequest { report: String::new(), ..progress(c) }).await, "report");
    names(desk.confirm(confirmation(c, true, 0)).await, "satisfaction");
    names(desk.confirm(confirmation(c, true, 6)).await, "satisfaction");
    names(
        desk.confirm(pb::RecordCustomerConfirmationRequest { comment: long.clone(), ..confirmation(c, true, 3) }).await,
        "comment",
    );
    names(desk.close("x").await, "case_id");
    names(desk.implement("").await, "case_id");
    names(desk.resolve("nope").await, "case_id");

    let root = root_cause(c);
    names(desk.root_cause(QUALITY, pb::RecordRootCauseRequest { category: 0, ..root.clone() }).await, "category");
    names(desk.root_cause(QUALITY, pb::RecordRootCauseRequest { category: 99, ..root.clone() }).await, "category");
    names(
        desk.root_cause(QUALITY, pb::RecordRootCauseRequest { analysis: String::new(), ..root.clone() }).await,
        "analysis",
    );
    names(desk.root_cause(QUALITY, pb::RecordRootCauseRequest { measures: vec![], ..root.clone() }).await, "measures");
    for (field, change) in [
        ("measures[1].kind", (|m: &mut pb::Measure| m.kind = 0) as fn(&mut pb::Measure)),
        ("measures[1].description", |m| m.description.clear()),
        ("measures[1].department", |m| m.department.clear()),
        ("measures[1].person", |m| m.person = "p".repeat(201)),
        ("measures[1].due_on", |m| m.due_on = "31.03.2026".into()),
    ] {
        let mut bad = root.clone();
        change(&mut bad.measures[1]);
        names(desk.root_cause(QUALITY, bad).await, field);
    }
    let done =
        pb::CompleteMeasureRequest { request_id: id(), case_id: c.into(), measure_number: 0, note: String::new() };
    names(desk.complete(done).await, "measure_number");

    let supplier = aftersales_kernel::SupplierId::new().to_string();
    names(desk.determine(HEAD, meeting(c, None, false)).await, "party");
    names(
        desk.determine(
            HEAD,
            pb::DetermineResponsibilityRequest { meeting_note: String::new(), ..meeting(c, None, true) },
        )
        .await,
        "meeting_note",
    );
    let mut party = supplier_party(&supplier);
    if let Some(pb::responsible_party::Party::Supplier(s)) = party.party.as_mut() {
        s.supplier_id = "acme".into();
        s.batch.clear();
    }
    names(desk.determine(HEAD, meeting(c, Some(party.clone()), false)).await, "party.supplier.supplier_id");
    names(desk.determine(HEAD, meeting(c, Some(party), false)).await, "party.supplier.batch");
    let department = pb::ResponsibleParty {
        party: Some(pb::responsible_party::Party::Department(pb::DepartmentParty {
            department: String::new(),
            person: "Zhao Lei".into(),
        })),
    };
    names(desk.determine(HEAD, meeting(c, Some(department), false)).await, "party.department.department");
    let inquiry = investigation(c, &supplier);
    names(
        desk.investigate(QUALITY, pb::RecordInvestigationRequest { evidence: vec![], ..inquiry.clone() }).await,
        "evidence",
    );
    names(
        desk.investigate(QUALITY, pb::RecordInvestigationRequest { evidence: vec![String::new()], ..inquiry.clone() })
            .await,
        "evidence[0]",
    );
    names(
        desk.investigate(QUALITY, pb::RecordInvestigationRequest { finding: String::new(), ..inquiry.clone() }).await,
        "finding",
    );
    names(desk.investigate(QUALITY, pb::RecordInvestigationRequest { party: None, ..inquiry }).await, "party");
    let paper = report(c);
    names(
        desk.issue(pb::IssueResponsibilityReportRequest { summary: String::new(), ..paper.clone() }).await,
        "summary",
    );
    let negative = Some(common::Money { currency_code: "CNY".into(), units_minor: -1 });
    names(
        desk.issue(pb::IssueResponsibilityReportRequest { compensation: negative, ..paper.clone() }).await,
        "compensation.units_minor",
    );
    let unknown = Some(common::Money { currency_code: "XX".into(), units_minor: 1 });
    names(
        desk.issue(pb::IssueResponsibilityReportRequest { compensation: unknown, ..paper.clone() }).await,
        "compensation.currency_code",
    );
    names(desk.issue(pb::IssueResponsibilityReportRequest { compensation: None, ..paper }).await, "compensation_note");
    names(
        desk.decide(EXECUTIVE, pb::ReviewResponsibilityReportRequest { note: String::new(), ..decision(c, false) })
            .await,
        "note",
    );

    let untouched = app.get(SUPPORT, c).await.unwrap();
    assert_eq!((untouched.state(), untouched.notes.len()), (pb::CaseState::Received, 0));
    assert!(untouched.root_cause.is_none() && untouched.responsibility.is_none());
}
