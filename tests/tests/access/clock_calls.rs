//! The harness's calls of escalation's policy and clock RPCs: the confirmation clock of a fresh appointment of
//! dealer A for 'own', of dealer B for 'foreign', an id that does not exist for 'missing'.

use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::escalation::v1::policy_service_client::PolicyServiceClient;
use tonic::Code;

use super::Target;
use super::calls::code;
use super::world::World;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Makes the call (`method` is one of PolicyService's or ClockService's).
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Code {
    let bearer = World::bearer(world.token(role, at));
    let mut policies = PolicyServiceClient::with_interceptor(world.channels[at].clone(), bearer.clone());
    let mut clocks = ClockServiceClient::with_interceptor(world.channels[at].clone(), bearer);
    match method.strip_prefix("aftersales.escalation.v1.").unwrap_or(method) {
        "PolicyService/PublishPolicies" => {
            // The newest set again, as a new version.
            let current = world.policies().await;
            let request = escalation::PublishPoliciesRequest {
                request_id: id(),
                policies_toml: current,
                note: "re-issued".into(),
            };
            code(policies.publish_policies(request).await)
        }
        "PolicyService/GetPolicies" => code(policies.get_policies(escalation::GetPoliciesRequest { version: 0 }).await),
        "ClockService/ExplainClock" => {
            let clock_id = world.clock_at(target, false).await;
            code(clocks.explain_clock(escalation::ExplainClockRequest { clock_id }).await)
        }
        "ClockService/ListClocks" => {
            let subject_id = world.appointment_at(target, false).await;
            code(clocks.list_clocks(escalation::ListClocksRequest { subject_id, page: None }).await)
        }
        "ClockService/WaiveClock" => {
            let clock_id = world.clock_at(target, false).await;
            let request =
                escalation::WaiveClockRequest { request_id: id(), clock_id, reason: "customer abroad".into() };
            code(clocks.waive_clock(request).await)
        }
        "ClockService/PauseClock" => {
            let clock_id = world.clock_at(target, false).await;
            let request =
                escalation::PauseClockRequest { request_id: id(), clock_id, reason: "waiting_for_customer".into() };
            code(clocks.pause_clock(request).await)
        }
        "ClockService/ResumeClock" => {
            let clock_id = world.clock_at(target, true).await;
            code(clocks.resume_clock(escalation::ResumeClockRequest { request_id: id(), clock_id }).await)
        }
        // The call answers once headers arrive; the stream itself is dropped at once.
        _ => code(clocks.watch_escalations(escalation::WatchEscalationsRequest {}).await),
    }
}
