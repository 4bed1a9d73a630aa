//! Transfers between a dealer's warehouses (调拨, DOMAIN.md Parts 2). Rules:
//! - a transfer moves one part from one warehouse to another of the same dealer, oldest batch first (or a named
//!   batch), whole or nothing; it leaves as TRANSFER_OUT movements and is in transit — visible, on nobody's shelf —
//!   until the receiving warehouse puts it into a bin as TRANSFER_IN movements;
//! - a batch keeps its age across the move (issues keep taking the oldest first), and a transfer is received once.

use aftersales_kernel::{DealerId, PartNumber};
use chrono::{DateTime, Utc};

use super::{BatchCode, BinCode, Lot};

/// Where a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferState {
    /// Left the sending warehouse, not yet received.
    InTransit,
    /// Put into a bin of the receiving warehouse.
    Received,
}

impl TransferState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::InTransit => "in_transit",
            TransferState::Received => "received",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<TransferState> {
        [TransferState::InTransit, TransferState::Received].into_iter().find(|s| s.as_str() == name)
    }
}

/// What left one bin under one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferLine {
    /// The sending bin.
    pub from_bin: BinCode,
    /// The batch.
    pub batch: BatchCode,
    /// How much, hundredths.
    pub quantity: i64,
    /// When the batch was first received (it keeps its age).
    pub batch_received_at: DateTime<Utc>,
}

/// A transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The part.
    pub part_number: PartNumber,
    /// From.
    pub from_warehouse: uuid::Uuid,
    /// To.
    pub to_warehouse: uuid::Uuid,
    /// What left, oldest batch first.
    pub lines: Vec<TransferLine>,
    /// Where it is.
    pub state: TransferState,
    /// Who sent it.
    pub sent_by: String,
    /// When.
    pub sent_at: DateTime<Utc>,
    /// Into which bin, by whom and when it was received.
    pub received: Option<(BinCode, String, DateTime<Utc>)>,
}

/// Why a transfer cannot be made or received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    /// From and to are the same.
    #[error("a transfer goes to another warehouse")]
    SameWarehouse,
    /// Received already.
    #[error("the transfer was received already")]
    AlreadyReceived,
}

impl Transfer {
    /// Sends what `taken` (lots with the quantity taken from each, from an issue plan) holds.
    pub fn send(
        dealer_id: DealerId,
        part_number: PartNumber,
        from_warehouse: uuid::Uuid,
        to_warehouse: uuid::Uuid,
        taken: &[(Lot, i64)],
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Transfer, TransferError> {
        if from_warehouse == to_warehouse {
            return Err(TransferError::SameWarehouse);
        }
        let lines = taken
            .iter()
            .map(|(lot, quantity)| TransferLine {
                from_bin: lot.key.bin.clone(),
                batch: lot.key.batch.clone(),
                quantity: *quantity,
                batch_received_at: lot.received_at,
            })
            .collect();
        Ok(Transfer {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            part_number,
            from_warehouse,
            to_warehouse,
            lines,
            state: TransferState::InTransit,
            sent_by: by.to_string(),
            sent_at: now,
            received: None,
        })
    }

    /// Total in transit (or moved), hundredths.
    pub fn quantity(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Received into `bin` of the receiving warehouse.
    pub fn receive(&mut self, bin: BinCode, by: &str, now: DateTime<Utc>) -> Result<(), TransferError> {
        if self.state == TransferState::Received {
            return Err(TransferError::AlreadyReceived);
        }
        self.state = TransferState::Received;
        self.received = Some((bin, by.to_string(), now));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stock::LotKey;
    use chrono::TimeZone;

    fn t(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
    }

    fn taken(batch: &str, received_hour: u32, quantity: i64) -> (Lot, i64) {
        let key = LotKey {
            warehouse_id: uuid::Uuid::nil(),
            bin: BinCode::parse("A-01").unwrap(),
            part_number: PartNumber::parse("A-1001").unwrap(),
            batch: BatchCode::parse(batch).unwrap(),
        };
        (Lot { key, on_hand: 1000, received_at: t(received_hour) }, quantity)
    }

    #[test]
    fn a_transfer_keeps_each_batch_and_its_age_and_is_received_once() {
        let (from, to) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let part = PartNumber::parse("A-1001").unwrap();
        let mut transfer = Transfer::send(
            DealerId::new(),
            part,
            from,
            to,
            &[taken("L1", 8, 300), taken("L2", 9, 100)],
            "clerk",
            t(12),
        )
        .unwrap();
        assert_eq!((transfer.state, transfer.quantity()), (TransferState::InTransit, 400));
        assert_eq!(transfer.lines[0].batch_received_at, t(8), "the batch keeps its age");
        transfer.receive(BinCode::parse("C-01").unwrap(), "clerk-2", t(15)).unwrap();
        assert_eq!(transfer.state, TransferState::Received);
        assert_eq!(
            transfer.receive(BinCode::parse("C-01").unwrap(), "clerk-2", t(16)),
            Err(TransferError::AlreadyReceived)
        );
    }

    #[test]
    fn a_transfer_goes_to_another_warehouse() {
        let w = uuid::Uuid::now_v7();
        let part = PartNumber::parse("A-1001").unwrap();
        let sent = Transfer::send(DealerId::new(), part, w, w, &[taken("L1", 8, 1)], "clerk", t(12));
        assert_eq!(sent, Err(TransferError::SameWarehouse));
    }
}
