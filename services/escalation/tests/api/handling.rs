//! Handling a case over gRPC, with the engine's case clocks (config/policies/cases.toml) on the manual clock:
//! a hotline case received at 09:00 is triaged at 09:40 (the 1 h triage clock met) and assigned to a support group;
//! nobody contacts the customer within 2 h, so the contact clock breaches at 11:40 and the OEM's support lead hears
//! of it; the contact at 11:45 meets it 5 minutes late. Re-classified important, a general case's contact clock
//! stops. Severity is never lowered, nothing is assigned before triage, and every field is checked. Categories and
//! support groups are configuration: a case assigned without a group goes to its category's, and another routing
//! file changes both what triage accepts and where cases go.

use aftersales_proto::escalation::v1 as pb;
use tonic::Code;

use crate::support::{Caller, SUPPORT, TestApp, hotline_case, spawn_app, spawn_app_with};

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn classify(case: &str, severity: pb::CaseSeverity, category: &str) -> pb::ClassifyCaseRequest {
    pb::ClassifyCaseRequest {
        request_id: id(),
        case_id: case.to_string(),
        severity: severity as i32,
        category: category.into(),
        reason: "white smoke only when cold: injector or glow plug".into(),
    }
}

fn assign(case: &str, group: &str) -> pb::AssignCaseRequest {
    pb::AssignCaseRequest { request_id: id(), case_id: case.to_string(), support_group: group.into() }
}

fn contact(case: &str) -> pb::RecordCustomerContactRequest {
    pb::RecordCustomerContactRequest {
        request_id: id(),
        case_id: case.to_string(),
        note: "asked for a cold-start video; engineer to call back".into(),
    }
}

async fn classify_as(app: &TestApp, r: pb::ClassifyCaseRequest) -> Result<pb::Case, tonic::Status> {
    app.cases.clone().classify_case(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
}

async fn assign_as(app: &TestApp, r: pb::AssignCaseRequest) -> Result<pb::Case, tonic::Status> {
    app.cases.clone().assign_case(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
}

async fn contact_as(app: &TestApp, r: pb::RecordCustomerContactRequest) -> Result<pb::Case, tonic::Status> {
    app.cases.clone().record_customer_contact(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
}

fn clock<'a>(clocks: &'a [pb::ClockExplanation], policy: &str) -> &'a pb::ClockExplanation {
    clocks.iter().find(|c| c.policy == policy).unwrap_or_else(|| panic!("no {policy} clock in {clocks:?}"))
}

fn kinds(c: &pb::ClockExplanation) -> Vec<&str> {
    c.history.iter().map(|e| e.kind.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_general_case_is_triaged_in_time_and_contacted_late() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    let triage = app.clocks_of(&case.id).await;
    assert_eq!(triage.len(), 1, "the triage clock starts at receipt");
    assert_eq!(triage[0].policy, "case_triage");
    assert_eq!(triage[0].due_time.as_ref().unwrap().seconds - case.received_at.as_ref().unwrap().seconds, 3600);

    // 09:40: triaged general, assigned.
    app.advance(40).await;
    let triaged = classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    assert_eq!((triaged.state(), triaged.severity()), (pb::CaseState::Triaged, pb::CaseSeverity::General));
    let assigned = assign_as(&app, assign(&case.id, "engine_support")).await.unwrap();
    assert_eq!((assigned.state(), assigned.support_group.as_str()), (pb::CaseState::Assigned, "engine_support"));
    let clocks = app.clocks_of(&case.id).await;
    assert_eq!(clock(&clocks, "case_triage").status(), pb::ClockStatus::Met);
    assert_eq!(clock(&clocks, "case_triage").history.last().unwrap().late_by_seconds, 0);
    let contact_clock = clock(&clocks, "case_contact").clone();
    assert_eq!(contact_clock.status(), pb::ClockStatus::Running);

    // 11:45: nobody called within 2 h — breached at 11:40, the support lead told.
    app.advance(125).await;
    let breached = app.wait_for_clock(&contact_clock.clock_id, |c| c.level == 1).await;
    assert_eq!(kinds(&breached), ["started", "breached", "escalated"]);
    assert_eq!(breached.history[2].role, "support_lead");
    let contacted = contact_as(&app, contact(&case.id)).await.unwrap();
    assert_eq!(contacted.state(), pb::CaseState::Contacted);
    let met = app.wait_for_clock(&contact_clock.clock_id, |c| c.status() == pb::ClockStatus::Met).await;
    assert_eq!(met.history.last().unwrap().late_by_seconds, 5 * 60, "met 5 minutes late");

    // Once only.
    let again = contact_as(&app, contact(&case.id)).await.unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition);
}

/// Polls ExplainClock until `done` holds (the scheduler fires after the clock moves).

#[tokio::test(flavor = "multi_thread")]
async fn re_classified_important_a_general_case_stops_its_contact_clock() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    assign_as(&app, assign(&case.id, "engine_support")).await.unwrap();
    app.advance(30).await;

    // A new category at the same severity is a re-classification that keeps the contact clock.
    classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "fuel_system")).await.unwrap();
    assert_eq!(clock(&app.clocks_of(&case.id).await, "case_contact").status(), pb::ClockStatus::Running);

    let raised = classify_as(&app, classify(&case.id, pb::CaseSeverity::Important, "fuel_system")).await.unwrap();
    assert_eq!((raised.state(), raised.severity()), (pb::CaseState::Assigned, pb::CaseSeverity::Important));
    let contact_clock = clock(&app.clocks_of(&case.id).await, "case_contact").clone();
    assert_eq!(contact_clock.status(), pb::ClockStatus::Stopped, "it no longer applies");

    let lowered = classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "fuel_system")).await.unwrap_err();
    assert_eq!(lowered.code(), Code::FailedPrecondition);
    assert!(lowered.message().contains("lowered"), "{}", lowered.message());
    let same = classify_as(&app, classify(&case.id, pb::CaseSeverity::Important, "fuel_system")).await.unwrap_err();
    assert_eq!(same.code(), Code::FailedPrecondition);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_assigned_before_triage_and_repeats_make_nothing_twice() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    let early = assign_as(&app, assign(&case.id, "engine_support")).await.unwrap_err();
    assert_eq!(early.code(), Code::FailedPrecondition);
    assert_eq!(app.get(SUPPORT, &case.id).await.unwrap().state(), pb::CaseState::Received, "nothing changed");

    let request = classify(&case.id, pb::CaseSeverity::Urgent, "engine_stall");
    let first = classify_as(&app, request.clone()).await.unwrap();
    let repeat = classify_as(&app, request).await.unwrap();
    assert_eq!(first, repeat, "the same request_id answers the first result");
    let missing = classify_as(&app, classify(&id(), pb::CaseSeverity::General, "cold_start")).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    let dealer = aftersales_kernel::DealerId::new();
    let advisor = Caller::Dealer("service_advisor", dealer);
    let refused = app
        .cases
        .clone()
        .classify_case(app.request_as(advisor, classify(&case.id, pb::CaseSeverity::Urgent, "cold_start")))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied, "triage is the OEM support desk's");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_field_of_the_handling_requests_is_checked() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    let long = "x".repeat(4001);
    let classify_rows: Vec<(&str, pb::ClassifyCaseRequest)> = vec![
        (
            "request_id",
            pb::ClassifyCaseRequest {
                request_id: "nope".into(),
                ..classify(&case.id, pb::CaseSeverity::General, "cold_start")
            },
        ),
        (
            "case_id",
            pb::ClassifyCaseRequest {
                case_id: "nope".into(),
                ..classify(&case.id, pb::CaseSeverity::General, "cold_start")
            },
        ),
        ("severity", classify(&case.id, pb::CaseSeverity::Unspecified, "c")),
        (
            "severity",
            pb::ClassifyCaseRequest { severity: 9, ..classify(&case.id, pb::CaseSeverity::General, "cold_start") },
        ),
        ("category", classify(&case.id, pb::CaseSeverity::General, "")),
        ("category", classify(&case.id, pb::CaseSeverity::General, &"c".repeat(201))),
        ("category", classify(&case.id, pb::CaseSeverity::General, "gearbox")),
        (
            "reason",
            pb::ClassifyCaseRequest {
                reason: String::new(),
                ..classify(&case.id, pb::CaseSeverity::General, "cold_start")
            },
        ),
        (
            "reason",
            pb::ClassifyCaseRequest {
                reason: long.clone(),
                ..classify(&case.id, pb::CaseSeverity::General, "cold_start")
            },
        ),
    ];
    for (field, request) in classify_rows {
        names(classify_as(&app, request).await, field);
    }
    let assign_rows = vec![
        ("request_id", pb::AssignCaseRequest { request_id: String::new(), ..assign(&case.id, "engine_support") }),
        ("case_id", assign("", "engine_support")),
        ("support_group", assign(&case.id, "nobody_here")),
        ("support_group", assign(&case.id, "Engine Support")),
        ("support_group", assign(&case.id, &"g".repeat(101))),
    ];
    for (field, request) in assign_rows {
        names(assign_as(&app, request).await, field);
    }
    let contact_rows = vec![
        ("request_id", pb::RecordCustomerContactRequest { request_id: "1".into(), ..contact(&case.id) }),
        ("case_id", pb::RecordCustomerContactRequest { case_id: "1".into(), ..contact(&case.id) }),
        ("note", pb::RecordCustomerContactRequest { note: String::new(), ..contact(&case.id) }),
        ("note", pb::RecordCustomerContactRequest { note: long.clone(), ..contact(&case.id) }),
    ];
    for (field, request) in contact_rows {
        names(contact_as(&app, request).await, field);
    }
    let untouched = app.get(SUPPORT, &case.id).await.unwrap();
    assert_eq!((untouched.state(), untouched.severity()), (pb::CaseState::Received, pb::CaseSeverity::Unspecified));
}

fn names(result: Result<pb::Case, tonic::Status>, field: &str) {
    let status = result.expect_err(field);
    assert_eq!(status.code(), Code::InvalidArgument, "{field}: {status:?}");
    assert!(status.message().contains(field), "{field}: {}", status.message());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_assigned_without_a_group_goes_to_its_categorys() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "fuel_system")).await.unwrap();
    let assigned = assign_as(&app, assign(&case.id, "")).await.unwrap();
    assert_eq!(assigned.support_group, "fuel_system_support", "config/cases/routing.toml");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_routing_file_changes_the_categories_and_where_cases_go() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("routing.toml");
    let text = "[[group]]\nname = \"night_desk\"\n\n[[category]]\nname = \"cold_start\"\ngroup = \"night_desk\"\n\n\
                [[category]]\nname = \"frozen_fuel_line\"\ngroup = \"night_desk\"\n";
    std::fs::write(&file, text).unwrap();
    let path = file.display().to_string();
    let app = spawn_app_with(&[("AFTERSALES__ESCALATION__CASE_ROUTING", path.as_str())]).await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    let gone = classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "fuel_system")).await.unwrap_err();
    assert_eq!(gone.code(), Code::InvalidArgument, "no longer a category");
    classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "frozen_fuel_line")).await.unwrap();
    let assigned = assign_as(&app, assign(&case.id, "")).await.unwrap();
    assert_eq!(assigned.support_group, "night_desk");
}

fn meeting(case: &str) -> pb::RecordAnalysisMeetingRequest {
    pb::RecordAnalysisMeetingRequest {
        request_id: id(),
        case_id: case.to_string(),
        initial_measures: "stop the fleet's affected trucks; fit the spare ECU".into(),
    }
}

fn onsite(case: &str) -> pb::RecordOnsiteRequest {
    pb::RecordOnsiteRequest { request_id: id(), case_id: case.to_string() }
}

const HEAD: Caller = Caller::Oem("support_lead");

async fn meeting_as(
    app: &TestApp,
    who: Caller,
    r: pb::RecordAnalysisMeetingRequest,
) -> Result<pb::Case, tonic::Status> {
    app.cases.clone().record_analysis_meeting(app.request_as(who, r)).await.map(tonic::Response::into_inner)
}

async fn onsite_as(app: &TestApp, r: pb::RecordOnsiteRequest) -> Result<pb::Case, tonic::Status> {
    app.cases.clone().record_onsite(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
}

/// An important case meets its meeting clock; re-classified urgent 40 minutes in, its urgent onsite hour keeps those
/// 40 minutes (due 20 minutes later, not an hour), breaches, and the team's arrival meets it late.
#[tokio::test(flavor = "multi_thread")]
async fn re_classified_urgent_midway_the_onsite_clock_keeps_the_time_already_counted() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    app.advance(10).await;
    classify_as(&app, classify(&case.id, pb::CaseSeverity::Important, "power_loss")).await.unwrap();
    let clocks = app.clocks_of(&case.id).await;
    let meeting_clock = clock(&clocks, "case_meeting").clone();
    assert_eq!(clock(&clocks, "case_onsite_important").status(), pb::ClockStatus::Running);

    // 09:30: the meeting, 20 minutes after classification — chaired by a head, not by support staff.
    app.advance(20).await;
    let refused = meeting_as(&app, SUPPORT, meeting(&case.id)).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    let met = meeting_as(&app, HEAD, meeting(&case.id)).await.unwrap();
    assert!(met.meeting_time.is_some() && !met.initial_measures.is_empty());
    let meeting_clock = app.wait_for_clock(&meeting_clock.clock_id, |c| c.status() == pb::ClockStatus::Met).await;
    assert_eq!(meeting_clock.history.last().unwrap().late_by_seconds, 0);

    // 09:50: urgent. The important onsite clock stops after 40 minutes; the urgent hour has 20 minutes left.
    app.advance(20).await;
    classify_as(&app, classify(&case.id, pb::CaseSeverity::Urgent, "power_loss")).await.unwrap();
    let clocks = app.clocks_of(&case.id).await;
    assert_eq!(clock(&clocks, "case_onsite_important").status(), pb::ClockStatus::Stopped);
    let urgent = clock(&clocks, "case_onsite_urgent").clone();
    let seconds = |t: &Option<prost_types::Timestamp>| t.as_ref().unwrap().seconds;
    assert_eq!(seconds(&urgent.due_time) - seconds(&urgent.start_time), 20 * 60, "40 minutes already counted");
    let continued = urgent.history.iter().find(|e| e.kind == "continued").expect("continued");
    assert_eq!((continued.reason.as_str(), continued.counted_seconds), ("case_onsite_important", 40 * 60));

    // 10:15: nobody on site by 10:10 — breached; the team arrives now, 5 minutes late.
    app.advance(25).await;
    app.wait_for_clock(&urgent.clock_id, |c| c.level == 1).await;
    let arrived = onsite_as(&app, onsite(&case.id)).await.unwrap();
    assert!(arrived.onsite_time.is_some());
    let met = app.wait_for_clock(&urgent.clock_id, |c| c.status() == pb::ClockStatus::Met).await;
    assert_eq!(met.history.last().unwrap().late_by_seconds, 5 * 60);
    assert_eq!(onsite_as(&app, onsite(&case.id)).await.unwrap_err().code(), Code::FailedPrecondition, "once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_general_case_has_no_meeting_nor_experts_on_site_and_their_fields_are_checked() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&app, classify(&case.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    let meeting_refused = meeting_as(&app, HEAD, meeting(&case.id)).await.unwrap_err();
    assert_eq!(meeting_refused.code(), Code::FailedPrecondition);
    assert_eq!(onsite_as(&app, onsite(&case.id)).await.unwrap_err().code(), Code::FailedPrecondition);

    let rows = vec![
        ("request_id", pb::RecordAnalysisMeetingRequest { request_id: "x".into(), ..meeting(&case.id) }),
        ("case_id", pb::RecordAnalysisMeetingRequest { case_id: "x".into(), ..meeting(&case.id) }),
        ("initial_measures", pb::RecordAnalysisMeetingRequest { initial_measures: String::new(), ..meeting(&case.id) }),
        (
            "initial_measures",
            pb::RecordAnalysisMeetingRequest { initial_measures: "m".repeat(4001), ..meeting(&case.id) },
        ),
    ];
    for (field, request) in rows {
        names(meeting_as(&app, HEAD, request).await, field);
    }
    names(
        onsite_as(&app, pb::RecordOnsiteRequest { request_id: String::new(), ..onsite(&case.id) }).await,
        "request_id",
    );
    names(onsite_as(&app, pb::RecordOnsiteRequest { case_id: "x".into(), ..onsite(&case.id) }).await, "case_id");
    let untouched = app.get(SUPPORT, &case.id).await.unwrap();
    assert!(untouched.meeting_time.is_none() && untouched.onsite_time.is_none());
}

/// A second case about the same VIN with the same category a day later repeats the first — with the default 90-day
/// window; re-classified to another category it repeats nothing; with a window of 0 days it is no repeat at all.
#[tokio::test(flavor = "multi_thread")]
async fn a_case_about_the_same_engine_and_category_within_the_window_repeats_the_earlier_one() {
    let app = spawn_app().await;
    let first = app.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&app, classify(&first.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    app.advance(24 * 60).await;
    let second = app.create(SUPPORT, hotline_case()).await.unwrap();
    let repeat = classify_as(&app, classify(&second.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    assert_eq!(repeat.repeat_of_case_id, first.id);
    let moved = classify_as(&app, classify(&second.id, pb::CaseSeverity::General, "power_loss")).await.unwrap();
    assert_eq!(moved.repeat_of_case_id, "", "another category repeats nothing");

    let narrow = spawn_app_with(&[("AFTERSALES__ESCALATION__REPEAT_WINDOW_DAYS", "0")]).await;
    let first = narrow.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&narrow, classify(&first.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    narrow.advance(24 * 60).await;
    let second = narrow.create(SUPPORT, hotline_case()).await.unwrap();
    let later = classify_as(&narrow, classify(&second.id, pb::CaseSeverity::General, "cold_start")).await.unwrap();
    assert_eq!(later.repeat_of_case_id, "", "a day is outside a window of 0 days");
}

/// Experts already on site when an important case turns urgent: no urgent onsite clock starts (it could never be
/// met — the team is there), the important one stays met.
#[tokio::test(flavor = "multi_thread")]
async fn re_classified_urgent_after_the_experts_arrived_no_onsite_clock_starts() {
    let app = spawn_app().await;
    let case = app.create(SUPPORT, hotline_case()).await.unwrap();
    classify_as(&app, classify(&case.id, pb::CaseSeverity::Important, "power_loss")).await.unwrap();
    app.advance(120).await;
    onsite_as(&app, onsite(&case.id)).await.unwrap();
    classify_as(&app, classify(&case.id, pb::CaseSeverity::Urgent, "power_loss")).await.unwrap();
    let clocks = app.clocks_of(&case.id).await;
    assert!(clocks.iter().all(|c| c.policy != "case_onsite_urgent"), "{clocks:?}");
    assert_eq!(clock(&clocks, "case_onsite_important").status(), pb::ClockStatus::Met);
}
