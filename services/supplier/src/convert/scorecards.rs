//! Scorecards on the wire.

use aftersales_kernel::Money;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::{to_money, to_timestamp};
use chrono::{DateTime, Utc};

use crate::domain::scorecard::Scorecard;

/// A scorecard of supplier `code` over `[start, end)`, at `rank` (0: unranked).
pub fn scorecard(
    card: &Scorecard,
    code: &str,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    rank: i32,
) -> pb::Scorecard {
    pb::Scorecard {
        supplier_id: card.supplier_id.to_string(),
        supplier_code: code.to_string(),
        start_time: Some(to_timestamp(start)),
        end_time: Some(to_timestamp(end)),
        claims_sent: card.claims_sent,
        acknowledged_on_time: card.acknowledged_on_time,
        acknowledged_late: card.acknowledged_late,
        acknowledgement_excused: card.acknowledgement_excused,
        acknowledgement_on_time_rate_bp: card.acknowledgement_on_time_rate_bp,
        mean_seconds_to_acknowledge: card.mean_seconds_to_acknowledge,
        resolved: card.resolved,
        resolution_rate_bp: card.resolution_rate_bp,
        corrective_actions_on_time: card.corrective_actions_on_time,
        corrective_actions_late: card.corrective_actions_late,
        corrective_action_on_time_rate_bp: card.corrective_action_on_time_rate_bp,
        repeat_failures: card.repeat_failures,
        costs: card
            .costs
            .iter()
            .map(|c| pb::CostFigures {
                claimed: Some(to_money(Money::new(c.currency, c.claimed_minor))),
                recovered: Some(to_money(Money::new(c.currency, c.recovered_minor))),
                recovery_rate_bp: c.recovery_rate_bp,
            })
            .collect(),
        score_bp: card.score_bp,
        rank,
    }
}
