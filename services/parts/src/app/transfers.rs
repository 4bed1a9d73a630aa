//! Transfers between a dealer's warehouses: sent (TRANSFER_OUT, oldest batch first) and received into a bin
//! (TRANSFER_IN, each batch keeping its age), each one transaction with its movements and StockMoved events.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};

use super::Parts;
use super::stock::{known_part, move_error, not_frozen, record, short};
use super::warehouses::{own, own_dealer};
use crate::convert;
use crate::domain::stock::transfer::{Transfer, TransferError};
use crate::domain::stock::{
    BatchCode, BinCode, Context, Document, DocumentType, Lot, LotKey, MovementKind, plan_issue,
};
use crate::store::{ledger, transfers, warehouses};

/// A checked TransferStock request.
#[derive(Debug, Clone)]
pub struct Sending {
    /// From.
    pub from: uuid::Uuid,
    /// To.
    pub to: uuid::Uuid,
    /// The part.
    pub part_number: PartNumber,
    /// How much, hundredths.
    pub quantity: i64,
    /// Only this batch.
    pub batch: Option<BatchCode>,
}

fn context(dealer: DealerId, transfer: uuid::Uuid, by: &str, now: chrono::DateTime<chrono::Utc>) -> Context {
    Context {
        dealer_id: dealer,
        document: Document {
            kind: DocumentType::parse("transfer").expect("a valid type"),
            reference: transfer.to_string(),
        },
        reason: String::new(),
        by: by.to_string(),
        at: now,
    }
}

impl Parts {
    /// Sends a part from one of the caller's dealer's warehouses to another.
    pub async fn transfer_stock(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        s: Sending,
    ) -> AppResult<pb::Transfer> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        own_dealer(warehouses::dealer_of(&*txn, s.from).await?, caller)?;
        own_dealer(warehouses::dealer_of(&*txn, s.to).await?, caller)
            .map_err(|_| AppError::invalid("to_warehouse_id", "is not a warehouse of this dealer"))?;
        known_part(&txn, &s.part_number).await?;
        let lots = ledger::lots_of(&*txn, s.from, &s.part_number, true).await?;
        let plan = plan_issue(&lots, s.quantity, s.batch.as_ref()).map_err(short)?;
        not_frozen(&txn, s.from, plan.iter().map(|(lot, _)| &lot.key.bin)).await?;
        let transfer =
            Transfer::send(dealer, s.part_number, s.from, s.to, &plan, &caller.subject, now).map_err(|e| match e {
                TransferError::SameWarehouse => AppError::invalid("to_warehouse_id", e.to_string()),
                TransferError::AlreadyReceived => {
                    AppError::precondition("TRANSFER_RECEIVED", "received", e.to_string())
                }
            })?;
        let context = context(dealer, transfer.id, &caller.subject, now);
        for (mut lot, take) in plan {
            let before = lot.on_hand;
            let movement = lot.apply(MovementKind::TransferOut, -take, &context).map_err(move_error)?;
            ledger::save_lot(&*txn, dealer, &lot, Some(before), now).await?;
            record(&mut txn, &movement).await?;
        }
        transfers::insert(&*txn, &transfer).await?;
        let answer = convert::transfer(&transfer);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Puts a transfer in transit into `bin` of its receiving warehouse.
    pub async fn receive_transfer(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        bin: BinCode,
    ) -> AppResult<pb::Transfer> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = transfers::find(&*txn, id, true).await?;
        let mut transfer =
            found.filter(|t| caller.dealer() == Some(t.dealer_id)).ok_or(AppError::NotFound("transfer"))?;
        let to = own(warehouses::find(&*txn, transfer.to_warehouse).await?, caller)?;
        if !to.has_bin(&bin) {
            return Err(AppError::invalid("bin", "is not a bin of the receiving warehouse"));
        }
        not_frozen(&txn, to.id, [&bin]).await?;
        transfer
            .receive(bin.clone(), &caller.subject, now)
            .map_err(|e| AppError::precondition("TRANSFER_RECEIVED", "received", e.to_string()))?;
        let context = context(transfer.dealer_id, transfer.id, &caller.subject, now);
        for line in &transfer.lines {
            let lot_key = LotKey {
                warehouse_id: to.id,
                bin: bin.clone(),
                part_number: transfer.part_number.clone(),
                batch: line.batch.clone(),
            };
            let found = ledger::find_lot(&*txn, &lot_key, true).await?;
            let before = found.as_ref().map(|l| l.on_hand);
            let mut lot = found.unwrap_or(Lot { key: lot_key, on_hand: 0, received_at: line.batch_received_at });
            let movement = lot.apply(MovementKind::TransferIn, line.quantity, &context).map_err(move_error)?;
            ledger::save_lot(&*txn, transfer.dealer_id, &lot, before, now).await?;
            record(&mut txn, &movement).await?;
        }
        transfers::save_received(&*txn, &transfer).await?;
        let answer = convert::transfer(&transfer);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A transfer the caller may see.
    pub async fn transfer(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Transfer> {
        let read = self.db.read().await?;
        let found = transfers::find(&read, id, false).await?;
        found.filter(|t| caller.can_see_dealer(&t.dealer_id)).ok_or(AppError::NotFound("transfer"))
    }

    /// A page of transfers in `scope`, newest first.
    pub async fn transfers(
        &self,
        scope: &DealerScope,
        in_transit_only: bool,
        before: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Transfer>> {
        let read = self.db.read().await?;
        transfers::list(&read, scope, in_transit_only, before, limit).await
    }
}
