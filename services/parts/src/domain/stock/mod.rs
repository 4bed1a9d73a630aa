//! The stock ledger (库存台账, DOMAIN.md Parts 2). Rules:
//! - every change of stock is an immutable movement of one lot (warehouse, bin, part, batch) — receipt, issue,
//!   return, adjustment, transfer out or in — with who, when, why and the document it belongs to; a mistake is
//!   corrected by a reversing movement, never by editing one;
//! - a lot's on-hand is the sum of its movements and never goes below zero: a movement that would take it there is
//!   refused and changes nothing;
//! - an issue takes the oldest batch first (by when it was received; then batch, then bin), unless a batch is named;
//!   it issues the whole quantity or nothing.

mod codes;
pub mod count;
mod issue;
pub mod transfer;

pub use codes::{BatchCode, BinCode, CodeError, DocumentType, WarehouseCode};
pub use issue::{IssueError, plan_issue};

use aftersales_kernel::{DealerId, PartNumber};
use chrono::{DateTime, Utc};

/// Where a quantity of one part of one batch lies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LotKey {
    /// The warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The bin in it.
    pub bin: BinCode,
    /// The part.
    pub part_number: PartNumber,
    /// The batch.
    pub batch: BatchCode,
}

/// A lot's balance: what the ledger sums to for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    /// Which.
    pub key: LotKey,
    /// On hand, hundredths (≥ 0).
    pub on_hand: i64,
    /// When the batch first entered this bin (issues take the oldest first).
    pub received_at: DateTime<Utc>,
}

/// What a movement is; the sign it may carry follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementKind {
    /// Goods received against a purchase order (in).
    Receipt,
    /// Parts issued (out).
    Issue,
    /// Unused parts back (in).
    Return,
    /// A correction (either way, never zero).
    Adjustment,
    /// Sent to another warehouse (out).
    TransferOut,
    /// Arrived from another warehouse (in).
    TransferIn,
}

impl MovementKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Receipt => "receipt",
            MovementKind::Issue => "issue",
            MovementKind::Return => "return",
            MovementKind::Adjustment => "adjustment",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferIn => "transfer_in",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<MovementKind> {
        use MovementKind::*;
        [Receipt, Issue, Return, Adjustment, TransferOut, TransferIn].into_iter().find(|k| k.as_str() == name)
    }

    /// Whether a signed quantity fits the kind: ins are positive, outs negative, adjustments either but not zero.
    pub fn allows(self, quantity: i64) -> bool {
        match self {
            MovementKind::Receipt | MovementKind::Return | MovementKind::TransferIn => quantity > 0,
            MovementKind::Issue | MovementKind::TransferOut => quantity < 0,
            MovementKind::Adjustment => quantity != 0,
        }
    }
}

/// The document a movement belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What kind of document.
    pub kind: DocumentType,
    /// Its reference.
    pub reference: String,
}

/// One immutable change of a lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// Id (UUIDv7: movements sort in the order they were written).
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The lot.
    pub key: LotKey,
    /// What it is.
    pub kind: MovementKind,
    /// Signed change, hundredths.
    pub quantity: i64,
    /// The lot's on-hand after it.
    pub on_hand_after: i64,
    /// The document.
    pub document: Document,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Why a movement cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The quantity's sign does not fit the kind (or it is zero).
    #[error("a {} cannot move {quantity}", .kind.as_str())]
    WrongSign {
        /// The kind.
        kind: MovementKind,
        /// The quantity.
        quantity: i64,
    },
    /// It would take the lot below zero.
    #[error("only {on_hand} hundredths are on hand in this bin and batch")]
    Short {
        /// What the lot holds.
        on_hand: i64,
    },
    /// Overflow.
    #[error("quantity too large")]
    Overflow,
}

/// What a movement needs besides the lot and quantity.
#[derive(Debug, Clone)]
pub struct Context {
    /// The dealer.
    pub dealer_id: DealerId,
    /// The document.
    pub document: Document,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl Lot {
    /// An empty lot, received now (the first movement into it fills it).
    pub fn empty(key: LotKey, at: DateTime<Utc>) -> Lot {
        Lot { key, on_hand: 0, received_at: at }
    }

    /// Moves `quantity` (signed) into or out of the lot: the movement, with the lot changed; refused, nothing
    /// changes.
    pub fn apply(&mut self, kind: MovementKind, quantity: i64, context: &Context) -> Result<Movement, MoveError> {
        if !kind.allows(quantity) {
            return Err(MoveError::WrongSign { kind, quantity });
        }
        let after = self.on_hand.checked_add(quantity).ok_or(MoveError::Overflow)?;
        if after < 0 {
            return Err(MoveError::Short { on_hand: self.on_hand });
        }
        self.on_hand = after;
        Ok(Movement {
            id: uuid::Uuid::now_v7(),
            dealer_id: context.dealer_id,
            key: self.key.clone(),
            kind,
            quantity,
            on_hand_after: after,
            document: context.document.clone(),
            reason: context.reason.clone(),
            by: context.by.clone(),
            at: context.at,
        })
    }
}

#[cfg(test)]
mod tests;
