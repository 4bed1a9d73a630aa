//! The steps of a claim after its draft: which domain transition each is, which event it publishes, and how a
//! refused one answers.

use aftersales_kernel::Money;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::outbox::{EventTenant, NewEvent};
use aftersales_runtime::{to_money, to_timestamp};
use chrono::{DateTime, Utc};

use crate::convert::claims::claim as wire;
use crate::domain::claim::{Chargeback, Claim, ClaimError, EightD, Recorded, Verdict};

/// The aggregate name of claims on the feed.
pub const AGGREGATE: &str = "claim";

/// The eight disciplines of an 8D report as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EightDText {
    /// D1..D8 in order: team, problem, containment, root cause, corrective action, verification, prevention,
    /// closure.
    pub disciplines: [String; 8],
}

/// A step on a claim, with what the caller said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `quality` sends the draft.
    Send,
    /// `quality` withdraws the draft.
    Withdraw,
    /// The supplier acknowledges, committing to a solution date.
    Acknowledge(DateTime<Utc>),
    /// The supplier proposes its solution.
    ProposeSolution(String),
    /// The supplier records its containment.
    RecordContainment(String),
    /// The supplier submits its 8D.
    SubmitEightD(EightDText),
    /// `quality` accepts the 8D, or rejects it with reasons.
    Judge {
        /// Accept (else reject).
        accept: bool,
        /// Why.
        reasons: String,
    },
    /// The supplier agrees to the claimed cost, or disputes it with a reason.
    AnswerCost {
        /// Agree (else dispute).
        agree: bool,
        /// Why it is disputed.
        reason: String,
    },
    /// `quality` settles a disputed cost.
    Settle {
        /// The amount agreed.
        amount: Money,
        /// How it was settled.
        note: String,
    },
    /// `quality` records the chargeback.
    ChargeBack {
        /// The amount.
        amount: Money,
        /// The debit note reference.
        reference: String,
    },
    /// `quality` closes the claim.
    Close,
}

impl Step {
    /// The RPC that asks for it (idempotency keys are scoped by it).
    pub fn method(&self) -> &'static str {
        match self {
            Step::Send => "SendClaim",
            Step::Withdraw => "WithdrawClaim",
            Step::Acknowledge(_) => "AcknowledgeClaim",
            Step::ProposeSolution(_) => "ProposeClaimSolution",
            Step::RecordContainment(_) => "RecordContainment",
            Step::SubmitEightD(_) => "SubmitEightD",
            Step::Judge { .. } => "JudgeEightD",
            Step::AnswerCost { .. } => "AnswerClaimCost",
            Step::Settle { .. } => "SettleClaimCost",
            Step::ChargeBack { .. } => "RecordChargeback",
            Step::Close => "CloseClaim",
        }
    }

    /// Whether the supplier takes this step (else `quality`).
    pub fn by_supplier(&self) -> bool {
        matches!(
            self,
            Step::Acknowledge(_)
                | Step::ProposeSolution(_)
                | Step::RecordContainment(_)
                | Step::SubmitEightD(_)
                | Step::AnswerCost { .. }
        )
    }

    /// Applies the step to `claim` as `by` at `now`.
    pub fn apply(&self, claim: &mut Claim, by: &str, now: DateTime<Utc>) -> Result<(), ClaimError> {
        let recorded = |text: &str| Recorded { text: text.to_string(), by: by.to_string(), at: now };
        match self {
            Step::Send => claim.send(now),
            Step::Withdraw => claim.withdraw(now),
            Step::Acknowledge(committed) => claim.acknowledge(*committed, now),
            Step::ProposeSolution(text) => claim.propose_solution(recorded(text)),
            Step::RecordContainment(text) => claim.record_containment(recorded(text)),
            Step::SubmitEightD(text) => {
                let [team, problem, containment, root_cause, corrective_action, verification, prevention, closure] =
                    text.disciplines.clone();
                claim.submit_eight_d(EightD {
                    team,
                    problem,
                    containment,
                    root_cause,
                    corrective_action,
                    verification,
                    prevention,
                    closure,
                    by: by.to_string(),
                    at: now,
                    revision: 0,
                })
            }
            Step::Judge { accept, reasons } => claim.judge_eight_d(Verdict {
                accepted: *accept,
                reasons: reasons.clone(),
                by: by.to_string(),
                at: now,
                eight_d_revision: 0,
            }),
            Step::AnswerCost { agree: true, .. } => claim.agree_cost(now),
            Step::AnswerCost { agree: false, reason } => claim.dispute_cost(recorded(reason)),
            Step::Settle { amount, note } => claim.settle_dispute(*amount, recorded(note)),
            Step::ChargeBack { amount, reference } => claim.charge_back(Chargeback {
                amount: *amount,
                reference: reference.clone(),
                by: by.to_string(),
                at: now,
            }),
            Step::Close => claim.close(now),
        }
    }

    /// The event the applied step publishes, carrying the claim as it now stands.
    pub fn event(&self, claim: &Claim, now: DateTime<Utc>) -> NewEvent {
        let (claim_id, supplier_id, snapshot) =
            (claim.id.to_string(), claim.supplier_id.to_string(), Some(wire(claim)));
        match self {
            Step::Send => claim_event(
                claim,
                now,
                &pb::ClaimSent {
                    claim_id,
                    supplier_id,
                    part_number: claim.failure.part_number.clone(),
                    batch: claim.failure.batch.clone(),
                    sent_at: Some(to_timestamp(now)),
                    claim: snapshot,
                },
            ),
            Step::Withdraw => claim_event(claim, now, &pb::ClaimWithdrawn { claim_id, supplier_id, claim: snapshot }),
            Step::Acknowledge(committed) => claim_event(
                claim,
                now,
                &pb::ClaimAcknowledged {
                    claim_id,
                    supplier_id,
                    committed_solution_at: Some(to_timestamp(*committed)),
                    acknowledged_at: Some(to_timestamp(now)),
                    claim: snapshot,
                },
            ),
            Step::ProposeSolution(_) => claim_event(
                claim,
                now,
                &pb::SolutionProposed { claim_id, supplier_id, proposed_at: Some(to_timestamp(now)), claim: snapshot },
            ),
            Step::RecordContainment(_) => {
                claim_event(claim, now, &pb::ContainmentRecorded { claim_id, supplier_id, claim: snapshot })
            }
            Step::SubmitEightD(_) => claim_event(
                claim,
                now,
                &pb::EightDSubmitted {
                    claim_id,
                    supplier_id,
                    claim: snapshot,
                    revision: claim.eight_d.as_ref().map_or(0, |d| d.revision as i32),
                },
            ),
            Step::Judge { accept: true, .. } => {
                claim_event(claim, now, &pb::ClaimAccepted { claim_id, supplier_id, claim: snapshot })
            }
            Step::Judge { accept: false, reasons } => claim_event(
                claim,
                now,
                &pb::ClaimRejected { claim_id, supplier_id, claim: snapshot, reasons: reasons.clone() },
            ),
            Step::AnswerCost { agree: true, .. } | Step::Settle { .. } => claim_event(
                claim,
                now,
                &pb::ChargebackAgreed {
                    claim_id,
                    supplier_id,
                    claim: snapshot,
                    agreed_amount: claim.settlement.as_ref().and_then(|s| s.agreed).map(to_money),
                    settled: matches!(self, Step::Settle { .. }),
                },
            ),
            Step::AnswerCost { agree: false, reason } => claim_event(
                claim,
                now,
                &pb::ChargebackDisputed { claim_id, supplier_id, claim: snapshot, reason: reason.clone() },
            ),
            Step::ChargeBack { amount, .. } => claim_event(
                claim,
                now,
                &pb::ClaimChargedBack { claim_id, supplier_id, claim: snapshot, amount: Some(to_money(*amount)) },
            ),
            Step::Close => claim_event(claim, now, &pb::ClaimClosed { claim_id, supplier_id, claim: snapshot }),
        }
    }
}

/// An event of `claim` for the outbox: its supplier is the tenant, the claim the aggregate.
pub fn claim_event<E: aftersales_proto::EventMessage>(claim: &Claim, now: DateTime<Utc>, event: &E) -> NewEvent {
    NewEvent::new(event, now, EventTenant::Supplier(claim.supplier_id.to_string()), AGGREGATE, claim.id.to_string())
}

/// A refused step or draft as gRPC answers it: a rule of the claim's state is FAILED_PRECONDITION with the rule
/// as reason; a bad value in the request is INVALID_ARGUMENT naming its field.
pub fn refused(claim: Option<&Claim>, error: ClaimError) -> AppError {
    let field = match &error {
        ClaimError::CommitDate => Some("committed_solution_time".to_string()),
        ClaimError::EmptyDiscipline(name) => Some(format!("report.{name}")),
        ClaimError::NoReasons => Some("reasons".into()),
        ClaimError::SettlementAmount => Some("agreed_amount".into()),
        ClaimError::Currency => Some("labour_cost.currency_code".into()),
        ClaimError::NegativeCost => Some("parts_cost".into()),
        ClaimError::FailureTime => Some("failure_time".into()),
        ClaimError::NotNow { .. } | ClaimError::ChargebackAmount | ClaimError::StaleRevision { .. } => None,
    };
    match field {
        Some(field) => AppError::invalid(field, error.to_string()),
        None => AppError::FailedPrecondition {
            reason: error.reason(),
            message: error.to_string(),
            current_state: claim.map(|c| c.state.as_str()).unwrap_or_default().to_string(),
        },
    }
}
