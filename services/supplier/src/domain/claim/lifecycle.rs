//! A claim's transitions, each checked against the state it is in (`ClaimState::may_become`): a refused one
//! changes nothing, an accepted one bumps the revision by one.

use aftersales_kernel::Money;
use chrono::{DateTime, Duration, Utc};

use super::{COMMIT_WITHIN_DAYS, Chargeback, Claim, ClaimState, ClaimedCost, Failure, Recorded, Settlement};

/// The eight disciplines of the supplier's 8D report, each 1..=4000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EightD {
    /// D1: the team.
    pub team: String,
    /// D2: the problem described.
    pub problem: String,
    /// D3: the interim containment.
    pub containment: String,
    /// D4: the root cause.
    pub root_cause: String,
    /// D5/D6: the corrective action chosen and carried out.
    pub corrective_action: String,
    /// D6: how it was verified.
    pub verification: String,
    /// D7: how recurrence is prevented.
    pub prevention: String,
    /// D8: closure and recognition of the team.
    pub closure: String,
    /// Who submitted it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// 1 for the first submission, one more for each revision after a rejection.
    pub revision: u32,
}

impl EightD {
    /// The disciplines, named as in requests, with their text.
    pub fn disciplines(&self) -> [(&'static str, &str); 8] {
        [
            ("team", &self.team),
            ("problem", &self.problem),
            ("containment", &self.containment),
            ("root_cause", &self.root_cause),
            ("corrective_action", &self.corrective_action),
            ("verification", &self.verification),
            ("prevention", &self.prevention),
            ("closure", &self.closure),
        ]
    }
}

/// `quality`'s verdict on an 8D report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Accepted (else rejected).
    pub accepted: bool,
    /// Why; a rejection says why.
    pub reasons: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The 8D revision it judged.
    pub eight_d_revision: u32,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// Not in a state that allows it.
    #[error("the claim is {state}: {needed}")]
    NotNow {
        /// Where it is.
        state: &'static str,
        /// What the step needs.
        needed: &'static str,
    },
    /// Parts and labour in two currencies.
    #[error("parts and labour are claimed in one currency")]
    Currency,
    /// A negative amount.
    #[error("a claimed amount is never negative")]
    NegativeCost,
    /// A committed solution date in the past or too far ahead.
    #[error("the committed solution date must be after now and within {COMMIT_WITHIN_DAYS} days")]
    CommitDate,
    /// An 8D with a discipline left empty.
    #[error("the 8D report's {0} is empty")]
    EmptyDiscipline(&'static str),
    /// A rejection without reasons.
    #[error("a rejection says why")]
    NoReasons,
    /// A settlement in another currency, negative, or above the claimed cost.
    #[error("the agreed amount is in the claim's currency, from zero up to the claimed cost")]
    SettlementAmount,
    /// A chargeback of another amount than the agreed one.
    #[error("the chargeback is of the agreed amount")]
    ChargebackAmount,
    /// A failure time after the draft.
    #[error("the failure cannot be in the future")]
    FailureTime,
    /// A revision of a draft based on an older read of it.
    #[error("the draft changed since it was read (revision {current})")]
    StaleRevision {
        /// Its revision now.
        current: i64,
    },
}

impl ClaimError {
    /// Machine-readable rule, for FAILED_PRECONDITION (INVALID_ARGUMENT for the amounts, dates and texts).
    pub fn reason(&self) -> &'static str {
        match self {
            ClaimError::NotNow { .. } => "CLAIM_STATE",
            ClaimError::Currency => "CLAIM_CURRENCY",
            ClaimError::NegativeCost => "CLAIM_NEGATIVE_COST",
            ClaimError::CommitDate => "CLAIM_COMMIT_DATE",
            ClaimError::EmptyDiscipline(_) => "CLAIM_EIGHT_D_INCOMPLETE",
            ClaimError::NoReasons => "CLAIM_NO_REASONS",
            ClaimError::SettlementAmount => "CLAIM_SETTLEMENT_AMOUNT",
            ClaimError::ChargebackAmount => "CLAIM_CHARGEBACK_AMOUNT",
            ClaimError::FailureTime => "CLAIM_FAILURE_TIME",
            ClaimError::StaleRevision { .. } => "CLAIM_REVISION",
        }
    }
}

impl Claim {
    /// `quality` revises the draft it reviews (a claim drafted from an event starts at zero cost), from the
    /// revision it read.
    pub fn revise(
        &mut self,
        expected_revision: i64,
        failure: Failure,
        cost: ClaimedCost,
        now: DateTime<Utc>,
    ) -> Result<(), ClaimError> {
        if self.state != ClaimState::Drafted {
            return Err(self.not_now("only a draft is revised"));
        }
        if expected_revision != self.revision {
            return Err(ClaimError::StaleRevision { current: self.revision });
        }
        cost.check()?;
        failure.check(now)?;
        // What is claimed for (part and batch) and from whom stay: another part is another claim.
        let Failure { part_number, batch, .. } = &self.failure;
        self.failure = Failure { part_number: part_number.clone(), batch: batch.clone(), ..failure };
        self.cost = cost;
        self.touch(now);
        Ok(())
    }

    /// `quality` sends the draft to the supplier.
    pub fn send(&mut self, now: DateTime<Utc>) -> Result<(), ClaimError> {
        self.to(ClaimState::Sent, "only a draft is sent")?;
        self.sent_at = Some(now);
        self.touch(now);
        Ok(())
    }

    /// `quality` withdraws the draft.
    pub fn withdraw(&mut self, now: DateTime<Utc>) -> Result<(), ClaimError> {
        self.to(ClaimState::Withdrawn, "only a draft is withdrawn")?;
        self.ended_at = Some(now);
        self.touch(now);
        Ok(())
    }

    /// The supplier acknowledges, committing to propose a solution by `committed`.
    pub fn acknowledge(&mut self, committed: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ClaimError> {
        self.allowed(ClaimState::Acknowledged, "only a sent claim is acknowledged")?;
        if committed <= now || committed > now + Duration::days(COMMIT_WITHIN_DAYS) {
            return Err(ClaimError::CommitDate);
        }
        self.state = ClaimState::Acknowledged;
        (self.committed_solution_at, self.acknowledged_at) = (Some(committed), Some(now));
        self.touch(now);
        Ok(())
    }

    /// The supplier proposes its solution.
    pub fn propose_solution(&mut self, solution: Recorded) -> Result<(), ClaimError> {
        self.to(ClaimState::SolutionProposed, "a solution follows the acknowledgement")?;
        let at = solution.at;
        self.solution = Some(solution);
        self.touch(at);
        Ok(())
    }

    /// The supplier records its containment.
    pub fn record_containment(&mut self, containment: Recorded) -> Result<(), ClaimError> {
        self.to(ClaimState::Contained, "containment follows the proposed solution")?;
        let at = containment.at;
        self.containment = Some(containment);
        self.touch(at);
        Ok(())
    }

    /// The supplier submits its 8D report (again, after a rejection); its revision is set here.
    pub fn submit_eight_d(&mut self, mut report: EightD) -> Result<(), ClaimError> {
        self.allowed(ClaimState::EightDSubmitted, "the 8D follows the containment, or a rejection")?;
        if let Some((name, _)) = report.disciplines().into_iter().find(|(_, text)| text.trim().is_empty()) {
            return Err(ClaimError::EmptyDiscipline(name));
        }
        report.revision = self.eight_d.as_ref().map_or(1, |d| d.revision + 1);
        self.state = ClaimState::EightDSubmitted;
        let at = report.at;
        self.eight_d = Some(report);
        self.touch(at);
        Ok(())
    }

    /// `quality` accepts or rejects the submitted 8D (its revision is set here).
    pub fn judge_eight_d(&mut self, mut verdict: Verdict) -> Result<(), ClaimError> {
        let next = if verdict.accepted { ClaimState::Accepted } else { ClaimState::Rejected };
        self.allowed(next, "only a submitted 8D is judged")?;
        if !verdict.accepted && verdict.reasons.trim().is_empty() {
            return Err(ClaimError::NoReasons);
        }
        verdict.eight_d_revision = self.eight_d.as_ref().map_or(0, |d| d.revision);
        self.state = next;
        if verdict.accepted {
            self.settlement = Some(Settlement { dispute: None, agreed: None, resolution: None });
        }
        let at = verdict.at;
        self.verdict = Some(verdict);
        self.touch(at);
        Ok(())
    }

    /// The supplier agrees to the claimed cost.
    pub fn agree_cost(&mut self, now: DateTime<Utc>) -> Result<(), ClaimError> {
        if self.state != ClaimState::Accepted {
            return Err(self.not_now("the cost is answered once the 8D is accepted"));
        }
        self.state = ClaimState::CostAgreed;
        let total = self.cost.total();
        self.settlement_mut().agreed = Some(total);
        self.touch(now);
        Ok(())
    }

    /// The supplier disputes the claimed cost.
    pub fn dispute_cost(&mut self, dispute: Recorded) -> Result<(), ClaimError> {
        self.to(ClaimState::CostDisputed, "the cost is answered once the 8D is accepted")?;
        let at = dispute.at;
        self.settlement_mut().dispute = Some(dispute);
        self.touch(at);
        Ok(())
    }

    /// `quality` settles a dispute at `amount` (from zero up to the claimed cost).
    pub fn settle_dispute(&mut self, amount: Money, resolution: Recorded) -> Result<(), ClaimError> {
        if self.state != ClaimState::CostDisputed {
            return Err(self.not_now("only a disputed cost is settled"));
        }
        let total = self.cost.total();
        if amount.currency() != total.currency() || amount.is_negative() || amount.minor_units() > total.minor_units() {
            return Err(ClaimError::SettlementAmount);
        }
        self.state = ClaimState::CostAgreed;
        let at = resolution.at;
        let settlement = self.settlement_mut();
        (settlement.agreed, settlement.resolution) = (Some(amount), Some(resolution));
        self.touch(at);
        Ok(())
    }

    /// `quality` records the chargeback of the agreed amount.
    pub fn charge_back(&mut self, chargeback: Chargeback) -> Result<(), ClaimError> {
        self.allowed(ClaimState::ChargedBack, "the chargeback follows the agreed cost")?;
        if self.settlement.as_ref().and_then(|s| s.agreed) != Some(chargeback.amount) {
            return Err(ClaimError::ChargebackAmount);
        }
        self.state = ClaimState::ChargedBack;
        let at = chargeback.at;
        self.chargeback = Some(chargeback);
        self.touch(at);
        Ok(())
    }

    /// `quality` closes a charged-back claim.
    pub fn close(&mut self, now: DateTime<Utc>) -> Result<(), ClaimError> {
        self.to(ClaimState::Closed, "a claim closes once charged back")?;
        self.ended_at = Some(now);
        self.touch(now);
        Ok(())
    }

    /// Checks the move to `next` and makes it.
    fn to(&mut self, next: ClaimState, needed: &'static str) -> Result<(), ClaimError> {
        self.allowed(next, needed)?;
        self.state = next;
        Ok(())
    }

    fn allowed(&self, next: ClaimState, needed: &'static str) -> Result<(), ClaimError> {
        if self.state.may_become(next) { Ok(()) } else { Err(self.not_now(needed)) }
    }

    fn not_now(&self, needed: &'static str) -> ClaimError {
        ClaimError::NotNow { state: self.state.as_str(), needed }
    }

    fn settlement_mut(&mut self) -> &mut Settlement {
        self.settlement.get_or_insert(Settlement { dispute: None, agreed: None, resolution: None })
    }

    fn touch(&mut self, now: DateTime<Utc>) {
        self.updated_at = now;
        self.revision += 1;
    }
}
