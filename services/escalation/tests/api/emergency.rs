//! An urgent case's emergency response over gRPC, on the manual clock: the plan started by the department head,
//! a temporary solution under it, the case handled and resolved, the post-incident review with a 30-day follow-up
//! period — and the case closes only once that period is over. Only urgent cases have one; every field is checked.

use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::emergency_service_client::EmergencyServiceClient;
use tonic::Code;

use crate::resolution::{
    Answer, Desk, EXECUTIVE, HEAD, MANAGER, QUALITY, confirmation, decision, diagnosis, id, meeting, ok, refused,
    report, root_cause, solution, supplier_party,
};
use crate::support::{Caller, SUPPORT, TestApp, hotline_case, spawn_app};

async fn plan(app: &TestApp, who: Caller, r: pb::StartEmergencyPlanRequest) -> Answer {
    let mut client = EmergencyServiceClient::new(app.channel());
    client.start_emergency_plan(app.request_as(who, r)).await.map(tonic::Response::into_inner)
}

async fn temporary(app: &TestApp, r: pb::RecordTemporarySolutionRequest) -> Answer {
    let mut client = EmergencyServiceClient::new(app.channel());
    client.record_temporary_solution(app.request_as(SUPPORT, r)).await.map(tonic::Response::into_inner)
}

async fn review(app: &TestApp, r: pb::RecordPostIncidentReviewRequest) -> Answer {
    let mut client = EmergencyServiceClient::new(app.channel());
    client.record_post_incident_review(app.request_as(HEAD, r)).await.map(tonic::Response::into_inner)
}

fn plan_request(case: &str) -> pb::StartEmergencyPlanRequest {
    pb::StartEmergencyPlanRequest {
        request_id: id(),
        case_id: case.into(),
        department_head: "Chen Hua".into(),
        experts: vec!["Liu Yang".into(), "Sun Mei".into()],
        production_head: "Zhou Qiang".into(),
        resources: "two service vans, four spare ECUs".into(),
        supplier_coordination: "ECU supplier's engineer on call".into(),
    }
}

fn temporary_request(case: &str) -> pb::RecordTemporarySolutionRequest {
    pb::RecordTemporarySolutionRequest {
        request_id: id(),
        case_id: case.into(),
        solution: "swap the ECUs of the stopped trucks".into(),
    }
}

fn review_request(case: &str, days: i32) -> pb::RecordPostIncidentReviewRequest {
    pb::RecordPostIncidentReviewRequest {
        request_id: id(),
        case_id: case.into(),
        review: "team on site in 50 minutes; spares ran short".into(),
        plan_revision: "keep six spare ECUs at the regional hub".into(),
        follow_up_days: days,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_urgent_case_closes_after_its_review_and_follow_up_period() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(desk.classify(&case, pb::CaseSeverity::Urgent).await, "triage");

    assert_eq!(plan(&app, SUPPORT, plan_request(&case)).await.unwrap_err().code(), Code::PermissionDenied);
    refused(temporary(&app, temporary_request(&case)).await, Code::FailedPrecondition, "emergency plan");
    let planned = ok(plan(&app, HEAD, plan_request(&case)).await, "plan");
    assert_eq!(planned.emergency_plan.as_ref().unwrap().experts, ["Liu Yang", "Sun Mei"]);
    ok(temporary(&app, temporary_request(&case)).await, "temporary solution");
    refused(review(&app, review_request(&case, 30)).await, Code::FailedPrecondition, "follows the resolution");

    ok(desk.assign_and_contact(&case).await, "contact");
    ok(desk.diagnose(diagnosis(&case, "ECU firmware resets under load")).await, "diagnosis");
    ok(desk.propose(SUPPORT, solution(&case)).await, "solution");
    ok(desk.implement(&case).await, "implementation");
    ok(desk.resolve(&case).await, "resolved");
    let reviewed = ok(review(&app, review_request(&case, 30)).await, "review");
    let held = reviewed.incident_review.as_ref().unwrap();
    let days = held.follow_up_end_time.as_ref().unwrap().seconds - held.review_time.as_ref().unwrap().seconds;
    assert_eq!(days, 30 * 86_400);

    ok(desk.confirm(confirmation(&case, true, 3)).await, "confirmed");
    ok(desk.root_cause(QUALITY, root_cause(&case)).await, "root cause");
    let supplier = aftersales_kernel::SupplierId::new().to_string();
    ok(desk.determine(MANAGER, meeting(&case, Some(supplier_party(&supplier)), false)).await, "meeting");
    ok(desk.issue(report(&case)).await, "report");
    ok(desk.decide(EXECUTIVE, decision(&case, true)).await, "approved");
    refused(desk.close(&case).await, Code::FailedPrecondition, "follow-up period");
    app.advance(30 * 24 * 60).await;
    assert_eq!(ok(desk.close(&case).await, "closed").state(), pb::CaseState::Closed);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_urgent_cases_have_an_emergency_response_and_every_field_is_checked() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let case = app.create(SUPPORT, hotline_case()).await.unwrap().id;
    ok(desk.classify(&case, pb::CaseSeverity::Important).await, "triage");
    refused(plan(&app, HEAD, plan_request(&case)).await, Code::FailedPrecondition, "urgent");

    let c = case.as_str();
    let names = |answer: Answer, field: &str| refused(answer, Code::InvalidArgument, field);
    let long = "x".repeat(4001);
    let bad_plans = [
        ("request_id", pb::StartEmergencyPlanRequest { request_id: "x".into(), ..plan_request(c) }),
        ("case_id", pb::StartEmergencyPlanRequest { case_id: "x".into(), ..plan_request(c) }),
        ("department_head", pb::StartEmergencyPlanRequest { department_head: String::new(), ..plan_request(c) }),
        ("experts", pb::StartEmergencyPlanRequest { experts: vec![], ..plan_request(c) }),
        ("experts[1]", pb::StartEmergencyPlanRequest { experts: vec!["a".into(), String::new()], ..plan_request(c) }),
        ("production_head", pb::StartEmergencyPlanRequest { production_head: "p".repeat(201), ..plan_request(c) }),
        ("resources", pb::StartEmergencyPlanRequest { resources: String::new(), ..plan_request(c) }),
        (
            "supplier_coordination",
            pb::StartEmergencyPlanRequest { supplier_coordination: long.clone(), ..plan_request(c) },
        ),
    ];
    for (field, request) in bad_plans {
        names(plan(&app, HEAD, request).await, field);
    }
    let empty = pb::RecordTemporarySolutionRequest { solution: String::new(), ..temporary_request(c) };
    names(temporary(&app, empty).await, "solution");
    names(
        review(&app, pb::RecordPostIncidentReviewRequest { review: String::new(), ..review_request(c, 1) }).await,
        "review",
    );
    names(
        review(&app, pb::RecordPostIncidentReviewRequest { plan_revision: long, ..review_request(c, 1) }).await,
        "plan_revision",
    );
    names(review(&app, review_request(c, -1)).await, "follow_up_days");
    names(review(&app, review_request(c, 366)).await, "follow_up_days");
    let untouched = app.get(SUPPORT, c).await.unwrap();
    assert!(untouched.emergency_plan.is_none() && untouched.temporary_solution.is_none());
}
