//! A supplier claim (索赔): what the OEM asks of a supplier whose part failed — drafted from a case whose
//! responsibility landed on the supplier's part, or from a part that failed under warranty, or by hand — and its
//! way from sending to the chargeback (DOMAIN.md, "Supplier"). A claim holds no customer personal data: it names the
//! engine or vehicle model, never the vehicle or its owner.
//!
//! Rules (the transitions are in `lifecycle.rs`):
//! - `quality` reviews a draft and sends it, or withdraws it; the supplier acknowledges a sent claim with the date it
//!   commits to propose a solution by (after now, within [`COMMIT_WITHIN_DAYS`] days); then it proposes the
//!   solution, records its containment, and submits its 8D report (all eight disciplines);
//! - `quality` accepts the 8D or rejects it with its reasons — a rejected 8D goes back to the supplier, who submits
//!   a revised one;
//! - an accepted claim's cost (parts + labour claimed) is agreed by the supplier, or disputed with a reason and
//!   settled by `quality` with the agreed amount (never above the claimed cost) and a note;
//! - `quality` records the chargeback of the agreed amount with its reference, then closes the claim.

use aftersales_kernel::{CaseId, ClaimId, DealerId, Money, RepairOrderId, SupplierId};
use chrono::{DateTime, Utc};

mod lifecycle;

pub use lifecycle::{ClaimError, EightD, Verdict};

/// How far ahead a supplier may commit to propose a solution.
pub const COMMIT_WITHIN_DAYS: i64 = 90;

/// Where a claim came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A case whose responsibility report named the supplier's part.
    Case {
        /// The case.
        case_id: CaseId,
    },
    /// A part that failed under warranty at a dealer.
    Warranty {
        /// The dealer that reported it.
        dealer_id: DealerId,
        /// The repair order the part was fitted on.
        repair_order_id: Option<RepairOrderId>,
        /// The part issue (requisition) that fitted it.
        requisition_id: Option<uuid::Uuid>,
    },
    /// Raised by hand by `quality`.
    Manual,
}

/// Where a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimState {
    /// Drafted; `quality` reviews it.
    Drafted,
    /// Sent to the supplier: the 24 h acknowledgement clock runs.
    Sent,
    /// Acknowledged with a committed solution date: the solution clock runs.
    Acknowledged,
    /// The supplier proposed its solution.
    SolutionProposed,
    /// The supplier recorded its containment.
    Contained,
    /// The supplier submitted its 8D report.
    EightDSubmitted,
    /// `quality` rejected the 8D: back with the supplier.
    Rejected,
    /// `quality` accepted the 8D: the cost is asked of the supplier.
    Accepted,
    /// The supplier disputed the cost.
    CostDisputed,
    /// The cost is agreed.
    CostAgreed,
    /// The agreed amount was charged back.
    ChargedBack,
    /// Done.
    Closed,
    /// A draft `quality` did not send.
    Withdrawn,
}

impl ClaimState {
    /// Every state, in order.
    pub const ALL: [ClaimState; 13] = [
        ClaimState::Drafted,
        ClaimState::Sent,
        ClaimState::Acknowledged,
        ClaimState::SolutionProposed,
        ClaimState::Contained,
        ClaimState::EightDSubmitted,
        ClaimState::Rejected,
        ClaimState::Accepted,
        ClaimState::CostDisputed,
        ClaimState::CostAgreed,
        ClaimState::ChargedBack,
        ClaimState::Closed,
        ClaimState::Withdrawn,
    ];

    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Drafted => "drafted",
            ClaimState::Sent => "sent",
            ClaimState::Acknowledged => "acknowledged",
            ClaimState::SolutionProposed => "solution_proposed",
            ClaimState::Contained => "contained",
            ClaimState::EightDSubmitted => "eight_d_submitted",
            ClaimState::Rejected => "rejected",
            ClaimState::Accepted => "accepted",
            ClaimState::CostDisputed => "cost_disputed",
            ClaimState::CostAgreed => "cost_agreed",
            ClaimState::ChargedBack => "charged_back",
            ClaimState::Closed => "closed",
            ClaimState::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<ClaimState> {
        ClaimState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether a claim in this state may move to `next` (the only moves there are).
    pub fn may_become(self, next: ClaimState) -> bool {
        use ClaimState::*;
        matches!(
            (self, next),
            (Drafted, Sent | Withdrawn)
                | (Sent, Acknowledged)
                | (Acknowledged, SolutionProposed)
                | (SolutionProposed, Contained)
                | (Contained | Rejected, EightDSubmitted)
                | (EightDSubmitted, Accepted | Rejected)
                | (Accepted, CostAgreed | CostDisputed)
                | (CostDisputed, CostAgreed)
                | (CostAgreed, ChargedBack)
                | (ChargedBack, Closed)
        )
    }

    /// Nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, ClaimState::Closed | ClaimState::Withdrawn)
    }
}

/// What is claimed: parts and labour, in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimedCost {
    /// The parts.
    pub parts: Money,
    /// The labour.
    pub labour: Money,
}

impl ClaimedCost {
    /// Nothing claimed yet, in `currency` (a draft from an event; `quality` fills in the cost when reviewing).
    pub fn zero(currency: aftersales_kernel::Currency) -> ClaimedCost {
        ClaimedCost { parts: Money::zero(currency), labour: Money::zero(currency) }
    }

    /// Parts and labour in one currency, neither negative.
    pub fn check(&self) -> Result<(), ClaimError> {
        if self.parts.currency() != self.labour.currency() {
            return Err(ClaimError::Currency);
        }
        if self.parts.is_negative() || self.labour.is_negative() {
            return Err(ClaimError::NegativeCost);
        }
        Ok(())
    }

    /// Parts + labour.
    pub fn total(&self) -> Money {
        self.parts.checked_add(self.labour).expect("one currency, checked when drafted")
    }
}

/// What a claim says of the failure: everything the supplier needs, nothing about the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The failed part's number.
    pub part_number: String,
    /// Its batch or lot.
    pub batch: String,
    /// The engine or vehicle model.
    pub model: String,
    /// What happened.
    pub symptom: String,
    /// When it failed, if known.
    pub failed_at: Option<DateTime<Utc>>,
    /// The odometer then, km, if known.
    pub mileage_km: Option<i64>,
    /// References to the evidence (reports, photos, analyses).
    pub evidence: Vec<String>,
}

impl Failure {
    /// A failure is not in the future.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), ClaimError> {
        if self.failed_at.is_some_and(|at| at > now) { Err(ClaimError::FailureTime) } else { Ok(()) }
    }
}

/// A step recorded with its author and time (the solution, the containment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// What.
    pub text: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The cost's settlement: agreed by the supplier, or disputed and settled by `quality`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// The supplier's dispute, if it disputed: its reason, who, when.
    pub dispute: Option<Recorded>,
    /// The amount agreed (the claimed total, unless a dispute settled another), once agreed.
    pub agreed: Option<Money>,
    /// How a dispute was settled, once it was.
    pub resolution: Option<Recorded>,
}

/// The chargeback of the agreed amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chargeback {
    /// The amount charged back.
    pub amount: Money,
    /// The debit note or invoice reference.
    pub reference: String,
    /// Who recorded it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A supplier claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Id (UUIDv7).
    pub id: ClaimId,
    /// The supplier claimed against.
    pub supplier_id: SupplierId,
    /// Where it came from.
    pub origin: Origin,
    /// The failure.
    pub failure: Failure,
    /// What is claimed.
    pub cost: ClaimedCost,
    /// Where it is.
    pub state: ClaimState,
    /// Who drafted it (a subject, or the service that drafted it from an event).
    pub drafted_by: String,
    /// When.
    pub drafted_at: DateTime<Utc>,
    /// When `quality` sent it.
    pub sent_at: Option<DateTime<Utc>>,
    /// The supplier's acknowledgement: the date it commits to propose a solution by, who, when.
    pub committed_solution_at: Option<DateTime<Utc>>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The proposed solution.
    pub solution: Option<Recorded>,
    /// The containment.
    pub containment: Option<Recorded>,
    /// The latest 8D report submitted.
    pub eight_d: Option<EightD>,
    /// `quality`'s latest verdict on it.
    pub verdict: Option<Verdict>,
    /// The cost's settlement, from the acceptance on.
    pub settlement: Option<Settlement>,
    /// The chargeback.
    pub chargeback: Option<Chargeback>,
    /// When it was closed or withdrawn.
    pub ended_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change.
    pub revision: i64,
}

impl Claim {
    /// A draft against `supplier_id` at `now`.
    pub fn draft(
        supplier_id: SupplierId,
        origin: Origin,
        failure: Failure,
        cost: ClaimedCost,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim, ClaimError> {
        cost.check()?;
        failure.check(now)?;
        Ok(Claim {
            id: ClaimId::new(),
            supplier_id,
            origin,
            failure,
            cost,
            state: ClaimState::Drafted,
            drafted_by: by.to_string(),
            drafted_at: now,
            sent_at: None,
            committed_solution_at: None,
            acknowledged_at: None,
            solution: None,
            containment: None,
            eight_d: None,
            verdict: None,
            settlement: None,
            chargeback: None,
            ended_at: None,
            updated_at: now,
            revision: 1,
        })
    }
}

#[cfg(test)]
mod machine_tests;
#[cfg(test)]
mod tests;
