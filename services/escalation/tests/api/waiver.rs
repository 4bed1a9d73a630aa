//! Onsite waivers over gRPC, on the manual clock: support asks, `oem_manager` decides — never on a request of their
//! own — and an approval waives the case's running onsite clock in the same transaction (the policies'
//! `waived_by`), so it never breaches; a rejection leaves it running and a new request may follow. Every field is
//! checked.

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

use crate::resolution::{Answer, Desk, HEAD, MANAGER, id, ok, refused};
use crate::support::{Caller, SUPPORT, TestApp, hotline_case, spawn_app};

const REASON: &str = "the engine drives a pump on an island; the next ferry is in three days";

async fn request(app: &TestApp, who: Caller, case: &str, reason: &str) -> Answer {
    let r = pb::RequestOnsiteWaiverRequest { request_id: id(), case_id: case.into(), reason: reason.into() };
    app.cases.clone().request_onsite_waiver(app.request_as(who, r)).await.map(tonic::Response::into_inner)
}

async fn decide(app: &TestApp, who: Caller, case: &str, approve: bool, note: &str) -> Answer {
    let r = pb::DecideOnsiteWaiverRequest { request_id: id(), case_id: case.into(), approve, note: note.into() };
    app.cases.clone().decide_onsite_waiver(app.request_as(who, r)).await.map(tonic::Response::into_inner)
}

fn clock<'a>(clocks: &'a [pb::ClockExplanation], policy: &str) -> &'a pb::ClockExplanation {
    clocks.iter().find(|c| c.policy == policy).unwrap_or_else(|| panic!("no {policy} clock in {clocks:?}"))
}

async fn important_case(app: &TestApp) -> String {
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(Desk(app).classify(&case, pb::CaseSeverity::Important).await, "triage");
    case
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_waiver_waives_the_onsite_clock_and_it_never_breaches() {
    let app = spawn_app().await;
    let case = important_case(&app).await;
    app.advance(60).await;
    let asked = ok(request(&app, SUPPORT, &case, REASON).await, "request");
    let waiver = asked.onsite_waiver.as_ref().unwrap();
    assert_eq!((waiver.reason.as_str(), waiver.requested_by.as_str(), waiver.decided), (REASON, "oem_support", false));
    assert_eq!(waiver.severity(), pb::CaseSeverity::Important);
    assert_eq!(clock(&app.clocks_of(&case).await, "case_onsite_important").status(), pb::ClockStatus::Running);

    let by_head = decide(&app, HEAD, &case, true, "").await.unwrap_err();
    assert_eq!(by_head.code(), Code::PermissionDenied, "oem_manager decides");
    let approved = ok(decide(&app, MANAGER, &case, true, "").await, "approval");
    let decided = approved.onsite_waiver.as_ref().unwrap();
    assert_eq!((decided.decided, decided.approved, decided.decided_by.as_str()), (true, true, "oem_manager"));

    let clocks = app.clocks_of(&case).await;
    let onsite = clock(&clocks, "case_onsite_important");
    assert_eq!(onsite.status(), pb::ClockStatus::Waived, "waived with the decision");
    let entry = onsite.history.iter().find(|e| e.kind == "waived").expect("a waived entry");
    assert_eq!((entry.reason.as_str(), entry.by.as_str()), (REASON, "oem_manager"));
    assert_eq!(clock(&clocks, "case_meeting").status(), pb::ClockStatus::Running, "only the onsite clock");

    app.advance(25 * 60).await;
    let onsite = clock(&app.clocks_of(&case).await, "case_onsite_important").clone();
    assert!(!onsite.history.iter().any(|e| e.kind == "breached"), "a waived clock never breaches: {onsite:?}");
    refused(request(&app, SUPPORT, &case, REASON).await, Code::FailedPrecondition, "waived its onsite visit");

    let events = app.events_of("aftersales.escalation.v1.OnsiteWaiverDecided").await;
    let event: pb::OnsiteWaiverDecided = decode_payload(&events[0]).unwrap().expect("a payload");
    assert_eq!((event.case_id.as_str(), event.approved, event.reason.as_str()), (case.as_str(), true, REASON));
    assert_eq!(app.events_of("aftersales.escalation.v1.OnsiteWaiverRequested").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejection_leaves_the_clock_running_and_nobody_decides_their_own_request() {
    let app = spawn_app().await;
    let case = important_case(&app).await;
    refused(decide(&app, MANAGER, &case, true, "").await, Code::FailedPrecondition, "no onsite waiver request");
    ok(request(&app, SUPPORT, &case, REASON).await, "request");
    refused(request(&app, HEAD, &case, REASON).await, Code::FailedPrecondition, "waits for oem_manager");
    refused(decide(&app, MANAGER, &case, false, "").await, Code::InvalidArgument, "note");
    let rejected = ok(decide(&app, MANAGER, &case, false, "a field engineer is on the island").await, "rejection");
    assert!(!rejected.onsite_waiver.as_ref().unwrap().approved);
    assert_eq!(clock(&app.clocks_of(&case).await, "case_onsite_important").status(), pb::ClockStatus::Running);

    ok(request(&app, MANAGER, &case, "the field engineer fell ill").await, "a new request");
    let own = decide(&app, MANAGER, &case, true, "").await;
    refused(own, Code::FailedPrecondition, "other than the one who requested it");

    let general = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(Desk(&app).classify(&general, pb::CaseSeverity::General).await, "triage");
    refused(request(&app, SUPPORT, &general, REASON).await, Code::FailedPrecondition, "important and urgent");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_field_of_a_waiver_is_checked_by_name() {
    let app = spawn_app().await;
    let case = important_case(&app).await;
    refused(request(&app, SUPPORT, &case, "").await, Code::InvalidArgument, "reason");
    refused(request(&app, SUPPORT, &case, &"x".repeat(4001)).await, Code::InvalidArgument, "reason");
    refused(request(&app, SUPPORT, "not-a-case", REASON).await, Code::InvalidArgument, "case_id");
    let r = pb::RequestOnsiteWaiverRequest { request_id: "nope".into(), case_id: case.clone(), reason: REASON.into() };
    let bad_key = app.cases.clone().request_onsite_waiver(app.request_as(SUPPORT, r)).await;
    refused(bad_key.map(tonic::Response::into_inner), Code::InvalidArgument, "request_id");
    refused(decide(&app, MANAGER, &case, true, &"x".repeat(4001)).await, Code::InvalidArgument, "note");
    let dealer = Caller::Dealer("service_advisor", aftersales_kernel::DealerId::new());
    assert_eq!(request(&app, dealer, &case, REASON).await.unwrap_err().code(), Code::PermissionDenied);
    let untouched = app.get(SUPPORT, &case).await.unwrap();
    assert_eq!(untouched.onsite_waiver, None, "nothing half-written");
}
