//! Which lots an issue takes: the oldest batch first across the warehouse's bins, or only the named batch; the whole
//! quantity or nothing.

use super::{BatchCode, Lot};

/// Why an issue cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    /// Not enough on hand (of the named batch, if one was named).
    #[error("only {on_hand} hundredths on hand, {wanted} wanted")]
    Short {
        /// What the lots hold.
        on_hand: i64,
        /// What was asked.
        wanted: i64,
    },
}

/// The lots of one part in one warehouse an issue of `quantity` (> 0) takes, with how much from each: oldest batch
/// first (received, then batch, then bin), only `batch` if named.
pub fn plan_issue(lots: &[Lot], quantity: i64, batch: Option<&BatchCode>) -> Result<Vec<(Lot, i64)>, IssueError> {
    let mut candidates: Vec<&Lot> =
        lots.iter().filter(|l| l.on_hand > 0 && batch.is_none_or(|b| l.key.batch == *b)).collect();
    candidates
        .sort_by(|a, b| (a.received_at, &a.key.batch, &a.key.bin).cmp(&(b.received_at, &b.key.batch, &b.key.bin)));
    let on_hand: i64 = candidates.iter().map(|l| l.on_hand).sum();
    if on_hand < quantity {
        return Err(IssueError::Short { on_hand, wanted: quantity });
    }
    let mut left = quantity;
    let mut plan = Vec::new();
    for lot in candidates {
        if left == 0 {
            break;
        }
        let take = left.min(lot.on_hand);
        plan.push(((*lot).clone(), take));
        left -= take;
    }
    Ok(plan)
}
