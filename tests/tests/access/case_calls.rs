//! The harness's calls of escalation's case-handling RPCs: a fresh case of dealer A for 'own', of dealer B for
//! 'foreign' (each brought to the state the call needs by OEM support), an id that does not exist for 'missing'.

use aftersales_e2e::{Bearer, Caller};
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::escalation::v1::case_service_client::CaseServiceClient;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::Target;
use super::calls::code;
use super::world::World;

type Cases = CaseServiceClient<InterceptedService<Channel, Bearer>>;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn classify(case_id: String, severity: escalation::CaseSeverity) -> escalation::ClassifyCaseRequest {
    escalation::ClassifyCaseRequest {
        request_id: id(),
        case_id,
        severity: severity as i32,
        category: "cold_start".into(),
        reason: "smoke at cold start".into(),
    }
}

fn assign(case_id: String) -> escalation::AssignCaseRequest {
    escalation::AssignCaseRequest { request_id: id(), case_id, support_group: "engine_support".into() }
}

/// How far a fresh case is brought before the call.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Stage {
    Received,
    Triaged,
    Assigned,
    /// Triaged important (the meeting and onsite steps).
    Important,
}

/// A case of the target's dealer at `stage` (a random id for 'missing').
async fn case_at(world: &World, target: Target, stage: Stage) -> String {
    let dealer = match target {
        Target::Own => &world.dealer_a,
        Target::Foreign => &world.dealer_b,
        Target::Missing => return id(),
    };
    let data = world.data();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", dealer).token(&data)));
    let mut filer = CaseServiceClient::with_interceptor(world.channels["escalation"].clone(), advisor);
    let case = filer.create_case(aftersales_e2e::fixtures::new_case("")).await.expect("case").into_inner().id;
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let mut desk = CaseServiceClient::with_interceptor(world.channels["escalation"].clone(), support);
    let severity = match stage {
        Stage::Important => escalation::CaseSeverity::Important,
        _ => escalation::CaseSeverity::General,
    };
    if stage >= Stage::Triaged {
        desk.classify_case(classify(case.clone(), severity)).await.expect("triage");
    }
    if stage == Stage::Assigned {
        desk.assign_case(assign(case.clone())).await.expect("assignment");
    }
    case
}

/// Makes the call; `None` when the method is not one of the case-handling RPCs.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let mut cases: Cases =
        CaseServiceClient::with_interceptor(world.channels[at].clone(), World::bearer(world.token(role, at)));
    let code = match method.strip_prefix("aftersales.escalation.v1.CaseService/")? {
        "ClassifyCase" => {
            let case_id = case_at(world, target, Stage::Received).await;
            code(cases.classify_case(classify(case_id, escalation::CaseSeverity::General)).await)
        }
        "RecordAnalysisMeeting" => {
            let request = escalation::RecordAnalysisMeetingRequest {
                request_id: id(),
                case_id: case_at(world, target, Stage::Important).await,
                initial_measures: "stop the affected trucks".into(),
            };
            code(cases.record_analysis_meeting(request).await)
        }
        "RecordOnsite" => {
            let case_id = case_at(world, target, Stage::Important).await;
            code(cases.record_onsite(escalation::RecordOnsiteRequest { request_id: id(), case_id }).await)
        }
        "AssignCase" => code(cases.assign_case(assign(case_at(world, target, Stage::Triaged).await)).await),
        "RecordCustomerContact" => {
            let request = escalation::RecordCustomerContactRequest {
                request_id: id(),
                case_id: case_at(world, target, Stage::Assigned).await,
                note: "called back".into(),
            };
            code(cases.record_customer_contact(request).await)
        }
        _ => return None,
    };
    Some(code)
}
