//! The harness's calls of the supplier service's `ClaimService`: a claim against supplier 1 for 'own', against
//! supplier 2 for 'foreign' (each brought to the stage the call needs by quality and the supplier's own system),
//! an id that does not exist for 'missing'.

use std::collections::BTreeMap;
use std::sync::Mutex;

use aftersales_e2e::fixtures::{eight_d_report, new_claim};
use aftersales_e2e::{Bearer, Caller};
use aftersales_proto::common::v1::Money;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::Target;
use super::calls::code;
use super::world::World;

type Claims = ClaimServiceClient<InterceptedService<Channel, Bearer>>;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The claimed total of `new_claim`, which a supplier agreeing to the cost agrees to.
fn claimed_total() -> Option<Money> {
    Some(Money { currency_code: "CNY".into(), units_minor: 125_000 })
}

/// How far a fresh claim is brought before the call.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Stage {
    Drafted,
    Sent,
    Acknowledged,
    SolutionProposed,
    Contained,
    EightDSubmitted,
    Accepted,
    CostDisputed,
    CostAgreed,
    ChargedBack,
}

/// The stage a method's claim is brought to; `None` for the calls that take no claim.
fn stage_of(name: &str) -> Option<Stage> {
    Some(match name {
        "ReviseClaimDraft" | "SendClaim" | "WithdrawClaim" => Stage::Drafted,
        "GetClaim" | "AcknowledgeClaim" => Stage::Sent,
        "ProposeClaimSolution" => Stage::Acknowledged,
        "RecordContainment" => Stage::SolutionProposed,
        "SubmitEightD" => Stage::Contained,
        "JudgeEightD" => Stage::EightDSubmitted,
        "AnswerClaimCost" => Stage::Accepted,
        "SettleClaimCost" => Stage::CostDisputed,
        "RecordChargeback" => Stage::CostAgreed,
        "CloseClaim" => Stage::ChargedBack,
        _ => return None,
    })
}

/// Claims brought to a stage and left untouched by the call made on them, kept per method and target.
static UNTOUCHED: Mutex<BTreeMap<(String, u8), String>> = Mutex::new(BTreeMap::new());

/// The claim the call of `method` on `target` is made on: one left untouched before, else a fresh one at `stage`.
async fn claim_for(world: &World, method: &str, target: Target, stage: Stage) -> String {
    let kept = UNTOUCHED.lock().expect("lock").remove(&(method.to_string(), target as u8));
    match kept {
        Some(claim) => claim,
        None => claim_at(world, target, stage).await,
    }
}

/// Keeps `claim` for the next call of `method` on `target` unless this one changed it.
fn recycle(method: &str, target: Target, claim: String, code: Code) {
    if code != Code::Ok && target != Target::Missing {
        UNTOUCHED.lock().expect("lock").insert((method.to_string(), target as u8), claim);
    }
}

/// A claim against the target's supplier at `stage` (a random id for 'missing').
async fn claim_at(world: &World, target: Target, stage: Stage) -> String {
    let supplier_id = match target {
        Target::Own => &world.supplier_1,
        Target::Foreign => &world.supplier_2,
        Target::Missing => return id(),
    };
    let data = world.data();
    let channel = || world.channels["supplier"].clone();
    let mut quality: Claims =
        ClaimServiceClient::with_interceptor(channel(), Bearer(Some(Caller::role("quality").token(&data))));
    let mut system: Claims =
        ClaimServiceClient::with_interceptor(channel(), Bearer(Some(Caller::supplier(supplier_id).token(&data))));
    let claim = quality.draft_claim(new_claim(supplier_id)).await.expect("draft").into_inner().id;
    let claim_id = || claim.clone();
    if stage >= Stage::Sent {
        quality.send_claim(supplier::SendClaimRequest { request_id: id(), claim_id: claim_id() }).await.expect("sent");
    }
    if stage >= Stage::Acknowledged {
        system.acknowledge_claim(acknowledge(claim_id())).await.expect("acknowledged");
    }
    if stage >= Stage::SolutionProposed {
        system.propose_claim_solution(solution(claim_id())).await.expect("solution");
    }
    if stage >= Stage::Contained {
        system.record_containment(containment(claim_id())).await.expect("contained");
    }
    if stage >= Stage::EightDSubmitted {
        system.submit_eight_d(eight_d(claim_id())).await.expect("8D");
    }
    if stage >= Stage::Accepted {
        quality.judge_eight_d(accept(claim_id())).await.expect("accepted");
    }
    if stage == Stage::CostDisputed {
        system.answer_claim_cost(dispute(claim_id())).await.expect("disputed");
    }
    if stage >= Stage::CostAgreed {
        system.answer_claim_cost(agree(claim_id())).await.expect("agreed");
    }
    if stage >= Stage::ChargedBack {
        quality.record_chargeback(chargeback(claim_id())).await.expect("charged back");
    }
    claim
}

fn acknowledge(claim_id: String) -> supplier::AcknowledgeClaimRequest {
    let next_week = chrono::Utc::now().timestamp() + 7 * 86_400;
    supplier::AcknowledgeClaimRequest {
        request_id: id(),
        claim_id,
        committed_solution_time: Some(prost_types::Timestamp { seconds: next_week, nanos: 0 }),
    }
}

fn solution(claim_id: String) -> supplier::ProposeClaimSolutionRequest {
    supplier::ProposeClaimSolutionRequest { request_id: id(), claim_id, solution: "new spring".into() }
}

fn containment(claim_id: String) -> supplier::RecordContainmentRequest {
    supplier::RecordContainmentRequest { request_id: id(), claim_id, containment: "stock sorted".into() }
}

fn eight_d(claim_id: String) -> supplier::SubmitEightDRequest {
    supplier::SubmitEightDRequest { request_id: id(), claim_id, report: Some(eight_d_report()) }
}

fn accept(claim_id: String) -> supplier::JudgeEightDRequest {
    supplier::JudgeEightDRequest { request_id: id(), claim_id, accept: true, reasons: String::new() }
}

fn dispute(claim_id: String) -> supplier::AnswerClaimCostRequest {
    supplier::AnswerClaimCostRequest { request_id: id(), claim_id, agree: false, reason: "labour too high".into() }
}

fn agree(claim_id: String) -> supplier::AnswerClaimCostRequest {
    supplier::AnswerClaimCostRequest { request_id: id(), claim_id, agree: true, reason: String::new() }
}

fn chargeback(claim_id: String) -> supplier::RecordChargebackRequest {
    supplier::RecordChargebackRequest { request_id: id(), claim_id, amount: claimed_total(), reference: "DN-1".into() }
}

/// Makes the call of a `ClaimService` RPC; `None` when the method is not one of them.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let name = method.strip_prefix("aftersales.supplier.v1.ClaimService/")?;
    let mut claims: Claims =
        ClaimServiceClient::with_interceptor(world.channels[at].clone(), World::bearer(world.token(role, at)));
    let supplier_of_target = match target {
        Target::Own => world.supplier_1.clone(),
        Target::Foreign => world.supplier_2.clone(),
        Target::Missing => aftersales_kernel::SupplierId::new().to_string(),
    };
    let Some(stage) = stage_of(name) else {
        return Some(match name {
            "DraftClaim" => code(claims.draft_claim(new_claim(&supplier_of_target)).await),
            "ListClaims" => {
                let request = supplier::ListClaimsRequest { supplier_id: supplier_of_target, ..Default::default() };
                code(claims.list_claims(request).await)
            }
            // The call answers once headers arrive; the stream itself is dropped at once. A stream is always the
            // caller's own: the target does not change it.
            "WatchClaims" => code(claims.watch_claims(supplier::WatchClaimsRequest { after_cursor: 0 }).await),
            _ => return None,
        });
    };
    let claim = claim_for(world, method, target, stage).await;
    let claim_id = claim.clone();
    let code = match name {
        "GetClaim" => code(claims.get_claim(supplier::GetClaimRequest { id: claim_id }).await),
        "ReviseClaimDraft" => {
            let request = supplier::ReviseClaimDraftRequest {
                request_id: id(),
                claim_id,
                expected_revision: 1,
                symptom: "revised".into(),
                model: "WP10".into(),
                parts_cost: claimed_total(),
                labour_cost: Some(Money { currency_code: "CNY".into(), units_minor: 0 }),
                ..Default::default()
            };
            code(claims.revise_claim_draft(request).await)
        }
        "SendClaim" => code(claims.send_claim(supplier::SendClaimRequest { request_id: id(), claim_id }).await),
        "WithdrawClaim" => {
            code(claims.withdraw_claim(supplier::WithdrawClaimRequest { request_id: id(), claim_id }).await)
        }
        "AcknowledgeClaim" => code(claims.acknowledge_claim(acknowledge(claim_id)).await),
        "ProposeClaimSolution" => code(claims.propose_claim_solution(solution(claim_id)).await),
        "RecordContainment" => code(claims.record_containment(containment(claim_id)).await),
        "SubmitEightD" => code(claims.submit_eight_d(eight_d(claim_id)).await),
        "JudgeEightD" => code(claims.judge_eight_d(accept(claim_id)).await),
        "AnswerClaimCost" => code(claims.answer_claim_cost(agree(claim_id)).await),
        "SettleClaimCost" => {
            let request = supplier::SettleClaimCostRequest {
                request_id: id(),
                claim_id,
                agreed_amount: claimed_total(),
                note: "as claimed".into(),
            };
            code(claims.settle_claim_cost(request).await)
        }
        "RecordChargeback" => code(claims.record_chargeback(chargeback(claim_id)).await),
        "CloseClaim" => code(claims.close_claim(supplier::CloseClaimRequest { request_id: id(), claim_id }).await),
        _ => return None,
    };
    recycle(method, target, claim, code);
    Some(code)
}
