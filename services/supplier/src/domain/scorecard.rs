//! A supplier's scorecard over a period, and the ranking of suppliers (DOMAIN.md, "Supplier" 4). Every figure is
//! counted over the claims **sent** in the period; the formulas are the ones in `scorecards.proto`.
//!
//! The two on-time figures are the escalation engine's verdicts, never recomputed here (one source of truth): the
//! acknowledgement clock (`supplier_response`) and the solution clock (`supplier_solution`) of each claim end met
//! on time, met late, waived or stopped — or are breached while still running. Waived and stopped clocks count in
//! neither part of a rate, as in the engine's own reports; a clock still running and not yet breached is undecided.

use std::collections::BTreeMap;

use aftersales_kernel::figures::{mean, rate_bp};
use aftersales_kernel::{Currency, SupplierId};
use chrono::{DateTime, Utc};

/// Where one of a claim's clocks stands, as the engine last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockVerdict {
    /// Running and not yet breached, or never started: not counted yet.
    Undecided,
    /// Met by its due time.
    OnTime,
    /// Met after its due time.
    MetLate,
    /// Due time passed, still running.
    Breached,
    /// Waived by the OEM or stopped by an event: counted in neither part of the rate.
    Excused,
}

impl ClockVerdict {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockVerdict::Undecided => "undecided",
            ClockVerdict::OnTime => "on_time",
            ClockVerdict::MetLate => "met_late",
            ClockVerdict::Breached => "breached",
            ClockVerdict::Excused => "excused",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<ClockVerdict> {
        [Self::Undecided, Self::OnTime, Self::MetLate, Self::Breached, Self::Excused]
            .into_iter()
            .find(|v| v.as_str() == name)
    }

    /// A later word of the engine on the same clock: a breach never overrides how the clock ended.
    pub fn then(self, later: ClockVerdict) -> ClockVerdict {
        match (self, later) {
            (ClockVerdict::OnTime | ClockVerdict::MetLate | ClockVerdict::Excused, ClockVerdict::Breached) => self,
            _ => later,
        }
    }

    fn late(self) -> bool {
        matches!(self, ClockVerdict::MetLate | ClockVerdict::Breached)
    }
}

/// What the scorecard needs of one claim sent in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    /// The supplier.
    pub supplier_id: SupplierId,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When it was acknowledged, if it was.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Whether its 8D was accepted.
    pub resolved: bool,
    /// Whether an earlier claim on the same supplier and part number had its 8D accepted before this one was
    /// sent: the corrective action did not hold.
    pub repeat: bool,
    /// The acknowledgement clock.
    pub acknowledgement: ClockVerdict,
    /// The solution clock (the corrective action by the committed date).
    pub solution: ClockVerdict,
    /// The claim's currency.
    pub currency: Currency,
    /// The claimed total, minor units.
    pub claimed_minor: i64,
    /// The amount charged back, minor units (0 until charged back).
    pub recovered_minor: i64,
}

/// Claimed and recovered amounts in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostFigures {
    /// The currency.
    pub currency: Currency,
    /// Σ claimed totals.
    pub claimed_minor: i64,
    /// Σ charged back.
    pub recovered_minor: i64,
    /// recovered / claimed, basis points.
    pub recovery_rate_bp: i64,
}

/// One supplier's figures over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    /// The supplier.
    pub supplier_id: SupplierId,
    /// Claims sent in the period.
    pub claims_sent: i64,
    /// Acknowledgement clocks met on time.
    pub acknowledged_on_time: i64,
    /// Acknowledgement clocks met late or breached.
    pub acknowledged_late: i64,
    /// Acknowledgement clocks waived or stopped.
    pub acknowledgement_excused: i64,
    /// on time / (on time + late), basis points.
    pub acknowledgement_on_time_rate_bp: i64,
    /// Mean seconds from sending to acknowledgement over the acknowledged claims.
    pub mean_seconds_to_acknowledge: i64,
    /// Claims whose 8D was accepted.
    pub resolved: i64,
    /// resolved / claims sent, basis points.
    pub resolution_rate_bp: i64,
    /// Solution clocks met on time.
    pub corrective_actions_on_time: i64,
    /// Solution clocks met late or breached.
    pub corrective_actions_late: i64,
    /// on time / (on time + late), basis points.
    pub corrective_action_on_time_rate_bp: i64,
    /// Repeat failures.
    pub repeat_failures: i64,
    /// Claimed and recovered per currency, in currency order.
    pub costs: Vec<CostFigures>,
    /// The ranking score, basis points (see [`score_bp`]).
    pub score_bp: i64,
}

/// What one repeat failure takes off the score, basis points.
pub const REPEAT_PENALTY_BP: i64 = 500;

/// `(4 × acknowledgement on-time rate + 3 × corrective-action on-time rate + 3 × resolution rate) / 10 −
/// 500 × repeat failures`, rounded half up, never below 0.
pub fn score_bp(acknowledgement_bp: i64, corrective_bp: i64, resolution_bp: i64, repeats: i64) -> i64 {
    let weighted = mean(4 * acknowledgement_bp + 3 * corrective_bp + 3 * resolution_bp, 10);
    (weighted - REPEAT_PENALTY_BP * repeats).max(0)
}

impl Scorecard {
    /// The scorecard of `supplier_id` from the facts of its claims sent in the period.
    pub fn of(supplier_id: SupplierId, facts: &[ClaimFacts]) -> Scorecard {
        let count = |f: &dyn Fn(&ClaimFacts) -> bool| facts.iter().filter(|c| f(c)).count() as i64;
        let claims_sent = facts.len() as i64;
        let acknowledged_on_time = count(&|c| c.acknowledgement == ClockVerdict::OnTime);
        let acknowledged_late = count(&|c| c.acknowledgement.late());
        let corrective_actions_on_time = count(&|c| c.solution == ClockVerdict::OnTime);
        let corrective_actions_late = count(&|c| c.solution.late());
        let resolved = count(&|c| c.resolved);
        let repeat_failures = count(&|c| c.repeat);
        let waits: Vec<i64> =
            facts.iter().filter_map(|c| c.acknowledged_at.map(|at| (at - c.sent_at).num_seconds())).collect();
        let mut costs: BTreeMap<Currency, (i64, i64)> = BTreeMap::new();
        for c in facts {
            let entry = costs.entry(c.currency).or_default();
            (entry.0, entry.1) = (entry.0 + c.claimed_minor, entry.1 + c.recovered_minor);
        }
        let acknowledgement_on_time_rate_bp = rate_bp(acknowledged_on_time, acknowledged_on_time + acknowledged_late);
        let corrective_action_on_time_rate_bp =
            rate_bp(corrective_actions_on_time, corrective_actions_on_time + corrective_actions_late);
        let resolution_rate_bp = rate_bp(resolved, claims_sent);
        Scorecard {
            supplier_id,
            claims_sent,
            acknowledged_on_time,
            acknowledged_late,
            acknowledgement_excused: count(&|c| c.acknowledgement == ClockVerdict::Excused),
            acknowledgement_on_time_rate_bp,
            mean_seconds_to_acknowledge: mean(waits.iter().sum(), waits.len() as i64),
            resolved,
            resolution_rate_bp,
            corrective_actions_on_time,
            corrective_actions_late,
            corrective_action_on_time_rate_bp,
            repeat_failures,
            costs: costs
                .into_iter()
                .map(|(currency, (claimed_minor, recovered_minor))| CostFigures {
                    currency,
                    claimed_minor,
                    recovered_minor,
                    recovery_rate_bp: rate_bp(recovered_minor, claimed_minor),
                })
                .collect(),
            score_bp: score_bp(
                acknowledgement_on_time_rate_bp,
                corrective_action_on_time_rate_bp,
                resolution_rate_bp,
                repeat_failures,
            ),
        }
    }
}

/// Scorecards ranked best first: by score, then by acknowledgement on-time rate, then by fewer repeat failures,
/// then by `key` (the supplier's code), so the order is total and stable.
pub fn rank<K: Ord>(mut cards: Vec<(K, Scorecard)>) -> Vec<(K, Scorecard)> {
    cards.sort_by(|(ka, a), (kb, b)| {
        b.score_bp
            .cmp(&a.score_bp)
            .then(b.acknowledgement_on_time_rate_bp.cmp(&a.acknowledgement_on_time_rate_bp))
            .then(a.repeat_failures.cmp(&b.repeat_failures))
            .then(ka.cmp(kb))
    });
    cards
}

#[cfg(test)]
mod tests;
