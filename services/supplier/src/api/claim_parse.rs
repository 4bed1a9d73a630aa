//! Proto → domain for `ClaimService` requests: shapes, lengths and ids are checked here, every violation named by
//! its field; the claim's own rules (currency, dates against now, the 8D's disciplines, amounts) are the domain's.

use aftersales_kernel::{ClaimId, Money, SupplierId};
use aftersales_proto::common::v1 as common;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::validate::{Check, REFERENCE_MAX, TEXT_MAX};
use aftersales_runtime::{AppError, from_timestamp};

use crate::app::claim_steps::{EightDText, Step};
use crate::convert::claims::state_from;
use crate::domain::claim::{ClaimState, ClaimedCost, Failure};

/// At most this many evidence references.
const EVIDENCE_MAX: usize = 20;
/// A debit note reference's length.
const DEBIT_NOTE_MAX: usize = 100;

/// A request that names a claim and takes a step on it.
pub struct StepRequest {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The claim.
    pub claim_id: ClaimId,
    /// The step.
    pub step: Step,
}

fn claim_id(check: &mut Check, value: &str) -> Option<ClaimId> {
    check.parse("claim_id", ClaimId::parse(value))
}

/// An optional timestamp: absent is None, a malformed one is refused.
fn optional_time(
    check: &mut Check,
    field: &str,
    value: Option<&prost_types::Timestamp>,
) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    match value {
        None => Some(None),
        Some(t) => check.required(field, from_timestamp(Some(t))).map(Some),
    }
}

fn money(check: &mut Check, field: &str, value: Option<&common::Money>) -> Option<Money> {
    check.money(field, value)
}

/// What failed and what is claimed: the fields `DraftClaimRequest` and `ReviseClaimDraftRequest` share.
struct FailureFields<'a> {
    part_number: &'a str,
    batch: &'a str,
    model: &'a str,
    symptom: &'a str,
    failure_time: Option<&'a prost_types::Timestamp>,
    mileage_km: Option<i64>,
    evidence: &'a [String],
    parts_cost: Option<&'a common::Money>,
    labour_cost: Option<&'a common::Money>,
}

fn failure_and_cost(check: &mut Check, f: FailureFields) -> Option<(Failure, ClaimedCost)> {
    let part_number = check.text("part_number", f.part_number, 1, 40);
    let batch = check.text("batch", f.batch, 1, 100);
    let model = check.text("model", f.model, 1, 200);
    let symptom = check.text("symptom", f.symptom, 1, TEXT_MAX);
    let failed_at = optional_time(check, "failure_time", f.failure_time);
    if let Some(km) = f.mileage_km.filter(|km| *km < 0) {
        check.fail("mileage_km", format!("must not be negative (got {km})"));
    }
    if f.evidence.len() > EVIDENCE_MAX {
        check.fail("evidence_references", format!("at most {EVIDENCE_MAX}"));
    }
    let evidence: Vec<Option<String>> = f
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| check.text(&format!("evidence_references[{i}]"), e, 1, REFERENCE_MAX))
        .collect();
    let parts = money(check, "parts_cost", f.parts_cost);
    let labour = money(check, "labour_cost", f.labour_cost);
    let failure = Failure {
        part_number: part_number?,
        batch: batch?,
        model: model?,
        symptom: symptom?,
        failed_at: failed_at?,
        mileage_km: f.mileage_km,
        evidence: evidence.into_iter().collect::<Option<Vec<_>>>()?,
    };
    Some((failure, ClaimedCost { parts: parts?, labour: labour? }))
}

/// `DraftClaimRequest` → key, supplier, failure, cost.
pub fn draft(r: &pb::DraftClaimRequest) -> Result<(uuid::Uuid, SupplierId, Failure, ClaimedCost), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &r.request_id);
    let supplier = check.parse("supplier_id", SupplierId::parse(&r.supplier_id));
    let fields = failure_and_cost(
        &mut check,
        FailureFields {
            part_number: &r.part_number,
            batch: &r.batch,
            model: &r.model,
            symptom: &r.symptom,
            failure_time: r.failure_time.as_ref(),
            mileage_km: r.mileage_km,
            evidence: &r.evidence_references,
            parts_cost: r.parts_cost.as_ref(),
            labour_cost: r.labour_cost.as_ref(),
        },
    );
    check.finish_with(|| {
        let (failure, cost) = fields?;
        Some((request_id?, supplier?, failure, cost))
    })
}

/// `ReviseClaimDraftRequest` → key, claim, expected revision, failure (its part and batch are the draft's, kept
/// by the domain), cost.
pub fn revision(r: &pb::ReviseClaimDraftRequest) -> Result<(uuid::Uuid, ClaimId, i64, Failure, ClaimedCost), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &r.request_id);
    let id = claim_id(&mut check, &r.claim_id);
    let expected = check.range("expected_revision", r.expected_revision, 1, i64::MAX);
    // Part number and batch are not revisable: placeholders the domain replaces with the draft's.
    let fields = failure_and_cost(
        &mut check,
        FailureFields {
            part_number: "kept",
            batch: "kept",
            model: &r.model,
            symptom: &r.symptom,
            failure_time: r.failure_time.as_ref(),
            mileage_km: r.mileage_km,
            evidence: &r.evidence_references,
            parts_cost: r.parts_cost.as_ref(),
            labour_cost: r.labour_cost.as_ref(),
        },
    );
    check.finish_with(|| {
        let (failure, cost) = fields?;
        Some((request_id?, id?, expected?, failure, cost))
    })
}

/// A request of one step: its key, its claim, and what it says.
fn step_request(
    request_id: &str,
    id: &str,
    parse_step: impl FnOnce(&mut Check) -> Option<Step>,
) -> Result<StepRequest, AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", request_id);
    let claim_id = claim_id(&mut check, id);
    let step = parse_step(&mut check);
    check.finish_with(|| Some(StepRequest { request_id: request_id?, claim_id: claim_id?, step: step? }))
}

/// `SendClaimRequest`.
pub fn send(r: &pb::SendClaimRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |_| Some(Step::Send))
}

/// `WithdrawClaimRequest`.
pub fn withdraw(r: &pb::WithdrawClaimRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |_| Some(Step::Withdraw))
}

/// `AcknowledgeClaimRequest`.
pub fn acknowledge(r: &pb::AcknowledgeClaimRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        let committed = from_timestamp(r.committed_solution_time.as_ref());
        check.required("committed_solution_time", committed).map(Step::Acknowledge)
    })
}

/// `ProposeClaimSolutionRequest`.
pub fn propose(r: &pb::ProposeClaimSolutionRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        check.text("solution", &r.solution, 1, TEXT_MAX).map(Step::ProposeSolution)
    })
}

/// `RecordContainmentRequest`.
pub fn containment(r: &pb::RecordContainmentRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        check.text("containment", &r.containment, 1, TEXT_MAX).map(Step::RecordContainment)
    })
}

/// `SubmitEightDRequest`: each discipline 1..=4000 characters.
pub fn eight_d(r: &pb::SubmitEightDRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        let report = check.required("report", r.report.as_ref())?;
        let named = [
            ("team", &report.team),
            ("problem", &report.problem),
            ("containment", &report.containment),
            ("root_cause", &report.root_cause),
            ("corrective_action", &report.corrective_action),
            ("verification", &report.verification),
            ("prevention", &report.prevention),
            ("closure", &report.closure),
        ];
        let texts = named.map(|(name, text)| check.text(&format!("report.{name}"), text, 1, TEXT_MAX));
        let disciplines: Vec<String> = texts.into_iter().collect::<Option<_>>()?;
        Some(Step::SubmitEightD(EightDText { disciplines: disciplines.try_into().ok()? }))
    })
}

/// `JudgeEightDRequest`: a rejection says why.
pub fn judge(r: &pb::JudgeEightDRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        let min = if r.accept { 0 } else { 1 };
        let reasons = check.text("reasons", &r.reasons, min, TEXT_MAX)?;
        Some(Step::Judge { accept: r.accept, reasons })
    })
}

/// `AnswerClaimCostRequest`: a dispute says why; an agreement says nothing.
pub fn answer_cost(r: &pb::AnswerClaimCostRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        if r.agree {
            if !r.reason.is_empty() {
                check.fail("reason", "must be empty when agreeing");
                return None;
            }
            return Some(Step::AnswerCost { agree: true, reason: String::new() });
        }
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX)?;
        Some(Step::AnswerCost { agree: false, reason })
    })
}

/// `SettleClaimCostRequest`.
pub fn settle(r: &pb::SettleClaimCostRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        let amount = money(check, "agreed_amount", r.agreed_amount.as_ref());
        let note = check.text("note", &r.note, 1, TEXT_MAX);
        Some(Step::Settle { amount: amount?, note: note? })
    })
}

/// `RecordChargebackRequest`.
pub fn chargeback(r: &pb::RecordChargebackRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |check| {
        let amount = money(check, "amount", r.amount.as_ref());
        let reference = check.text("reference", &r.reference, 1, DEBIT_NOTE_MAX);
        Some(Step::ChargeBack { amount: amount?, reference: reference? })
    })
}

/// `CloseClaimRequest`.
pub fn close(r: &pb::CloseClaimRequest) -> Result<StepRequest, AppError> {
    step_request(&r.request_id, &r.claim_id, |_| Some(Step::Close))
}

/// `GetClaimRequest`.
pub fn get(r: &pb::GetClaimRequest) -> Result<ClaimId, AppError> {
    let mut check = Check::new();
    let id = check.parse("id", ClaimId::parse(&r.id));
    check.finish_with(|| id)
}

/// `ListClaimsRequest`'s filters: the supplier (when named) and the state (None: every state).
pub fn list_filter(r: &pb::ListClaimsRequest) -> Result<(Option<SupplierId>, Option<ClaimState>), AppError> {
    let mut check = Check::new();
    let supplier = if r.supplier_id.is_empty() {
        Some(None)
    } else {
        check.parse("supplier_id", SupplierId::parse(&r.supplier_id)).map(Some)
    };
    let state = match pb::ClaimState::try_from(r.state) {
        Ok(state) => Some(state_from(state)),
        Err(_) => {
            check.fail("state", format!("unknown value {}", r.state));
            None
        }
    };
    check.finish_with(|| Some((supplier?, state?)))
}
