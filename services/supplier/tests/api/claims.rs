//! ClaimService over real gRPC: a claim from the draft to its close with quality's and the supplier's own
//! tokens, tenancy between suppliers, bad input named by field, a concurrent answer applied once.

use aftersales_proto::common::v1::Money;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Role;
use tonic::Code;

use crate::helpers::{TestApp, new_supplier, refused_for, spawn_app, violated_fields};

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn cny(minor: i64) -> Option<Money> {
    Some(Money { currency_code: "CNY".into(), units_minor: minor })
}

/// A complete draft against `supplier`: 1,000.00 CNY of parts and 250.00 of labour.
pub fn draft(supplier: &str) -> pb::DraftClaimRequest {
    pb::DraftClaimRequest {
        request_id: request_id(),
        supplier_id: supplier.into(),
        part_number: "INJ-4410".into(),
        batch: "B2026-07".into(),
        model: "WP10".into(),
        symptom: "injector sticks open under load".into(),
        failure_time: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() - 86_400, nanos: 0 }),
        mileage_km: Some(81_200),
        evidence_references: vec!["lab-report-7731".into()],
        parts_cost: cny(100_000),
        labour_cost: cny(25_000),
    }
}

/// A supplier registered by quality; its id.
pub async fn supplier(app: &TestApp, code: &str) -> String {
    let created = app.client.clone().create_supplier(app.as_role(Role::Quality, new_supplier(code))).await;
    created.unwrap().into_inner().id
}

/// A claim against `supplier`, drafted and sent by quality.
pub async fn sent_claim(app: &TestApp, supplier: &str) -> pb::Claim {
    let drafted = app.claims.clone().draft_claim(app.as_role(Role::Quality, draft(supplier))).await.unwrap();
    let send = pb::SendClaimRequest { request_id: request_id(), claim_id: drafted.into_inner().id };
    app.claims.clone().send_claim(app.as_role(Role::Quality, send)).await.unwrap().into_inner()
}

/// A week from now, as the date a supplier commits to.
pub fn next_week() -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() + 7 * 86_400, nanos: 0 })
}

pub fn acknowledge(claim: &str) -> pb::AcknowledgeClaimRequest {
    pb::AcknowledgeClaimRequest {
        request_id: request_id(),
        claim_id: claim.into(),
        committed_solution_time: next_week(),
    }
}

pub fn report() -> pb::EightDReport {
    let d = |text: &str| format!("{text} (8D)");
    pb::EightDReport {
        team: d("Zhang, Liu, Chen"),
        problem: d("spring fatigue"),
        containment: d("batch B2026-07 quarantined"),
        root_cause: d("heat treatment too short"),
        corrective_action: d("furnace profile corrected"),
        verification: d("500 h bench test"),
        prevention: d("furnace interlock"),
        closure: d("closed with the team"),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_claim_goes_from_quality_to_the_supplier_and_back_to_its_chargeback() {
    let app = spawn_app().await;
    let supplier = supplier(&app, "DENSO-CN").await;
    let mut claims = app.claims.clone();
    let drafted = claims.draft_claim(app.as_role(Role::Quality, draft(&supplier))).await.unwrap().into_inner();
    assert_eq!(
        (drafted.state, drafted.origin, drafted.revision),
        (pb::ClaimState::Drafted as i32, pb::ClaimOrigin::Manual as i32, 1)
    );
    assert_eq!(drafted.claimed_total, cny(125_000));
    let id = drafted.id.clone();

    // Quality revises the draft from the revision it read; a stale one is refused.
    let revise = |expected| pb::ReviseClaimDraftRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        expected_revision: expected,
        symptom: "injector sticks open above 1,800 rpm".into(),
        model: "WP10H".into(),
        parts_cost: cny(100_000),
        labour_cost: cny(30_000),
        ..Default::default()
    };
    let revised = claims.revise_claim_draft(app.as_role(Role::Quality, revise(1))).await.unwrap().into_inner();
    assert_eq!((revised.revision, revised.claimed_total.clone()), (2, cny(130_000)));
    let stale = claims.revise_claim_draft(app.as_role(Role::Quality, revise(1))).await.unwrap_err();
    assert!(refused_for(&stale, "CLAIM_REVISION"), "{stale:?}");

    let send = pb::SendClaimRequest { request_id: request_id(), claim_id: id.clone() };
    claims.send_claim(app.as_role(Role::Quality, send)).await.unwrap();
    let ack = claims.acknowledge_claim(app.as_supplier(&supplier, acknowledge(&id))).await.unwrap().into_inner();
    assert_eq!(ack.state, pb::ClaimState::Acknowledged as i32);
    assert_eq!(ack.committed_solution_time.map(|t| t.seconds), next_week().map(|t| t.seconds));
    let propose = pb::ProposeClaimSolutionRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        solution: "new spring".into(),
    };
    claims.propose_claim_solution(app.as_supplier(&supplier, propose)).await.unwrap();
    let contain =
        pb::RecordContainmentRequest { request_id: request_id(), claim_id: id.clone(), containment: "sorted".into() };
    claims.record_containment(app.as_supplier(&supplier, contain)).await.unwrap();
    let submit = || pb::SubmitEightDRequest { request_id: request_id(), claim_id: id.clone(), report: Some(report()) };
    claims.submit_eight_d(app.as_supplier(&supplier, submit())).await.unwrap();
    let judge = |accept: bool, reasons: &str| pb::JudgeEightDRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        accept,
        reasons: reasons.into(),
    };
    let rejected =
        claims.judge_eight_d(app.as_role(Role::Quality, judge(false, "no bench data"))).await.unwrap().into_inner();
    assert_eq!(rejected.state, pb::ClaimState::Rejected as i32);
    let resubmitted = claims.submit_eight_d(app.as_supplier(&supplier, submit())).await.unwrap().into_inner();
    assert_eq!(resubmitted.eight_d.map(|d| d.revision), Some(2));
    let accepted = claims.judge_eight_d(app.as_role(Role::Quality, judge(true, ""))).await.unwrap().into_inner();
    assert_eq!(accepted.verdict.map(|v| v.eight_d_revision), Some(2));

    let dispute = pb::AnswerClaimCostRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        agree: false,
        reason: "labour above the flat rate".into(),
    };
    claims.answer_claim_cost(app.as_supplier(&supplier, dispute)).await.unwrap();
    let settle = |minor| pb::SettleClaimCostRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        agreed_amount: cny(minor),
        note: "flat-rate labour".into(),
    };
    let too_much = claims.settle_claim_cost(app.as_role(Role::Quality, settle(130_001))).await.unwrap_err();
    assert_eq!(violated_fields(&too_much), ["agreed_amount"]);
    let agreed = claims.settle_claim_cost(app.as_role(Role::Quality, settle(120_000))).await.unwrap().into_inner();
    assert_eq!(agreed.agreed_amount, cny(120_000));
    let charge = |minor| pb::RecordChargebackRequest {
        request_id: request_id(),
        claim_id: id.clone(),
        amount: cny(minor),
        reference: "DN-2026-0042".into(),
    };
    let wrong = claims.record_chargeback(app.as_role(Role::Quality, charge(130_000))).await.unwrap_err();
    assert!(refused_for(&wrong, "CLAIM_CHARGEBACK_AMOUNT"), "{wrong:?}");
    claims.record_chargeback(app.as_role(Role::Quality, charge(120_000))).await.unwrap();
    let close = pb::CloseClaimRequest { request_id: request_id(), claim_id: id.clone() };
    let closed = claims.close_claim(app.as_role(Role::Quality, close)).await.unwrap().into_inner();
    assert_eq!(closed.state, pb::ClaimState::Closed as i32);
    assert!(closed.end_time.is_some());

    let got = claims.get_claim(app.as_supplier(&supplier, pb::GetClaimRequest { id: id.clone() })).await.unwrap();
    assert_eq!(got.into_inner(), closed, "the supplier reads what quality last answered");

    // One supplier-created event per step, each with the claim as it stood right after it, in order.
    let events = app.events(15).await;
    let claim_events: Vec<(&str, i64)> = events
        .iter()
        .filter(|e| e.aggregate_type == "claim")
        .map(|e| (e.event_type.trim_start_matches("aftersales.supplier.v1."), snapshot_revision(e)))
        .collect();
    assert_eq!(
        claim_events,
        [
            ("ClaimDrafted", 1),
            ("ClaimDraftRevised", 2),
            ("ClaimSent", 3),
            ("ClaimAcknowledged", 4),
            ("SolutionProposed", 5),
            ("ContainmentRecorded", 6),
            ("EightDSubmitted", 7),
            ("ClaimRejected", 8),
            ("EightDSubmitted", 9),
            ("ClaimAccepted", 10),
            ("ChargebackDisputed", 11),
            ("ChargebackAgreed", 12),
            ("ClaimChargedBack", 13),
            ("ClaimClosed", 14),
        ]
    );
    assert!(events.iter().filter(|e| e.aggregate_type == "claim").all(|e| e.tenant_id == supplier));
}

/// The revision of the claim an event carries (every claim event has it as field `claim`).
fn snapshot_revision(event: &aftersales_proto::common::v1::EventEnvelope) -> i64 {
    use prost::Message;
    let bytes = event.payload.as_ref().unwrap().value.as_slice();
    let claim = match event.event_type.trim_start_matches("aftersales.supplier.v1.") {
        "ClaimSent" => pb::ClaimSent::decode(bytes).unwrap().claim,
        "ClaimAcknowledged" => pb::ClaimAcknowledged::decode(bytes).unwrap().claim,
        "SolutionProposed" => pb::SolutionProposed::decode(bytes).unwrap().claim,
        // The others share fields 1..=3: claim_id, supplier_id, claim.
        _ => pb::ClaimDrafted::decode(bytes).unwrap().claim,
    };
    claim.expect("every claim event carries the claim").revision
}

#[tokio::test]
async fn a_supplier_sees_and_answers_only_its_own_claims_once_sent() {
    let app = spawn_app().await;
    let a = supplier(&app, "SUPPLIER-A").await;
    let b = supplier(&app, "SUPPLIER-B").await;
    let mut claims = app.claims.clone();
    let draft_of_a = claims.draft_claim(app.as_role(Role::Quality, draft(&a))).await.unwrap().into_inner();
    let sent_to_a = sent_claim(&app, &a).await;
    let sent_to_b = sent_claim(&app, &b).await;

    let get = |id: &str| pb::GetClaimRequest { id: id.into() };
    let unseen = claims.get_claim(app.as_supplier(&a, get(&draft_of_a.id))).await.unwrap_err();
    assert_eq!(unseen.code(), Code::NotFound, "a draft is the OEM's working paper");
    let foreign = claims.get_claim(app.as_supplier(&a, get(&sent_to_b.id))).await.unwrap_err();
    assert_eq!(foreign.code(), Code::NotFound, "another supplier's claim answers like a missing one");
    let act = claims.acknowledge_claim(app.as_supplier(&a, acknowledge(&sent_to_b.id))).await.unwrap_err();
    assert_eq!(act.code(), Code::NotFound);
    claims.get_claim(app.as_supplier(&a, get(&sent_to_a.id))).await.unwrap();

    let list = |supplier: &str| pb::ListClaimsRequest { supplier_id: supplier.into(), ..Default::default() };
    let own = claims.list_claims(app.as_supplier(&a, list(""))).await.unwrap().into_inner().claims;
    assert_eq!(own.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [sent_to_a.id.as_str()]);
    let naming_b = claims.list_claims(app.as_supplier(&a, list(&b))).await.unwrap_err();
    assert_eq!(naming_b.code(), Code::PermissionDenied);
    let all = claims.list_claims(app.as_role(Role::Quality, list(""))).await.unwrap().into_inner().claims;
    assert_eq!(all.len(), 3, "quality sees every claim, drafts included");
    let only_b = claims.list_claims(app.as_role(Role::OemManager, list(&b))).await.unwrap().into_inner().claims;
    assert_eq!(only_b.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [sent_to_b.id.as_str()]);
    let drafts = pb::ListClaimsRequest { state: pb::ClaimState::Drafted as i32, ..Default::default() };
    let drafts = claims.list_claims(app.as_role(Role::Quality, drafts)).await.unwrap().into_inner().claims;
    assert_eq!(drafts.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [draft_of_a.id.as_str()]);

    // Roles: quality's steps are not the supplier's and the other way round.
    let send = pb::SendClaimRequest { request_id: request_id(), claim_id: draft_of_a.id.clone() };
    assert_eq!(claims.send_claim(app.as_supplier(&a, send)).await.unwrap_err().code(), Code::PermissionDenied);
    let ack = claims.acknowledge_claim(app.as_role(Role::Quality, acknowledge(&sent_to_a.id))).await.unwrap_err();
    assert_eq!(ack.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn every_field_of_a_draft_and_a_step_is_checked_by_name_and_nothing_is_written() {
    let app = spawn_app().await;
    let supplier = supplier(&app, "BOSCH-CN").await;
    let mut claims = app.claims.clone();
    let bad = pb::DraftClaimRequest {
        request_id: "not-a-uuid".into(),
        supplier_id: "nope".into(),
        part_number: String::new(),
        batch: "x".repeat(101),
        model: String::new(),
        symptom: String::new(),
        failure_time: None,
        mileage_km: Some(-1),
        evidence_references: vec![String::new()],
        parts_cost: None,
        labour_cost: Some(Money { currency_code: "CNY".into(), units_minor: -5 }),
    };
    let refused = claims.draft_claim(app.as_role(Role::Quality, bad)).await.unwrap_err();
    assert_eq!(
        violated_fields(&refused),
        [
            "request_id",
            "supplier_id",
            "part_number",
            "batch",
            "model",
            "symptom",
            "mileage_km",
            "evidence_references[0]",
            "parts_cost",
            "labour_cost.units_minor"
        ]
    );
    let unknown =
        claims.draft_claim(app.as_role(Role::Quality, draft(&aftersales_kernel::SupplierId::new().to_string())));
    assert_eq!(violated_fields(&unknown.await.unwrap_err()), ["supplier_id"]);
    let future = pb::DraftClaimRequest {
        failure_time: Some(prost_types::Timestamp { seconds: chrono::Utc::now().timestamp() + 3_600, nanos: 0 }),
        ..draft(&supplier)
    };
    assert_eq!(
        violated_fields(&claims.draft_claim(app.as_role(Role::Quality, future)).await.unwrap_err()),
        ["failure_time"]
    );
    let two_currencies = pb::DraftClaimRequest {
        labour_cost: Some(Money { currency_code: "USD".into(), units_minor: 1 }),
        ..draft(&supplier)
    };
    let refused = claims.draft_claim(app.as_role(Role::Quality, two_currencies)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["labour_cost.currency_code"]);
    let listed = claims.list_claims(app.as_role(Role::Quality, pb::ListClaimsRequest::default())).await.unwrap();
    assert!(listed.into_inner().claims.is_empty(), "nothing half-written");

    let claim = sent_claim(&app, &supplier).await;
    let too_late = pb::AcknowledgeClaimRequest {
        committed_solution_time: Some(prost_types::Timestamp {
            seconds: chrono::Utc::now().timestamp() + 91 * 86_400,
            nanos: 0,
        }),
        ..acknowledge(&claim.id)
    };
    let refused = claims.acknowledge_claim(app.as_supplier(&supplier, too_late)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["committed_solution_time"]);
    let missing =
        pb::AcknowledgeClaimRequest { committed_solution_time: None, claim_id: "x".into(), ..acknowledge(&claim.id) };
    let refused = claims.acknowledge_claim(app.as_supplier(&supplier, missing)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["claim_id", "committed_solution_time"]);
    let early = pb::SubmitEightDRequest {
        request_id: request_id(),
        claim_id: claim.id.clone(),
        report: Some(pb::EightDReport { root_cause: String::new(), ..report() }),
    };
    let refused = claims.submit_eight_d(app.as_supplier(&supplier, early)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["report.root_cause"]);
    let out_of_turn =
        pb::SubmitEightDRequest { request_id: request_id(), claim_id: claim.id.clone(), report: Some(report()) };
    let refused = claims.submit_eight_d(app.as_supplier(&supplier, out_of_turn)).await.unwrap_err();
    assert!(refused_for(&refused, "CLAIM_STATE"), "{refused:?}");
    let reject_without_reason = pb::JudgeEightDRequest {
        request_id: request_id(),
        claim_id: claim.id.clone(),
        accept: false,
        reasons: String::new(),
    };
    let refused = claims.judge_eight_d(app.as_role(Role::Quality, reject_without_reason)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["reasons"]);
    let still = claims.get_claim(app.as_supplier(&supplier, pb::GetClaimRequest { id: claim.id.clone() })).await;
    assert_eq!(still.unwrap().into_inner(), claim, "refused steps change nothing");
}

#[tokio::test]
async fn two_answers_to_one_claim_at_once_apply_one_and_refuse_the_other() {
    let app = spawn_app().await;
    let supplier = supplier(&app, "CONTI-CN").await;
    let claim = sent_claim(&app, &supplier).await;
    let (mut one, mut other) = (app.claims.clone(), app.claims.clone());
    let (first, second) = tokio::join!(
        one.acknowledge_claim(app.as_supplier(&supplier, acknowledge(&claim.id))),
        other.acknowledge_claim(app.as_supplier(&supplier, acknowledge(&claim.id))),
    );
    let outcomes = [first.map(|_| ()), second.map(|_| ())];
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
    let refused = outcomes.into_iter().find_map(Result::err).unwrap();
    assert!(refused_for(&refused, "CLAIM_STATE"), "{refused:?}");
    let events = app.events(4).await;
    let acknowledged = events.iter().filter(|e| e.event_type.ends_with(".ClaimAcknowledged")).count();
    assert_eq!(acknowledged, 1, "one acknowledgement published");

    // The same request twice answers the first result and publishes nothing more.
    let propose =
        pb::ProposeClaimSolutionRequest { request_id: request_id(), claim_id: claim.id.clone(), solution: "x".into() };
    let once = app.claims.clone().propose_claim_solution(app.as_supplier(&supplier, propose.clone())).await.unwrap();
    let twice = app.claims.clone().propose_claim_solution(app.as_supplier(&supplier, propose)).await.unwrap();
    assert_eq!(once.into_inner(), twice.into_inner());
}
