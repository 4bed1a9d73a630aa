//! Stock counts: started and posted or cancelled by the dealer's manager, counted by clerks; posting turns each
//! variance into an adjustment in the same transaction.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::Parts;
use super::stock::{known_part, move_error, record};
use super::warehouses::own;
use crate::convert;
use crate::domain::stock::count::{CountError, CountLine, StockCount};
use crate::domain::stock::{BatchCode, BinCode, Context, Document, DocumentType, Lot, LotKey, MovementKind};
use crate::store::{counts, ledger, warehouses};

/// A checked RecordCount request.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The bin.
    pub bin: BinCode,
    /// The part.
    pub part_number: PartNumber,
    /// The batch.
    pub batch: BatchCode,
    /// What was found, hundredths.
    pub quantity: i64,
}

impl Parts {
    /// Opens a count of `bins` of a warehouse of the caller's dealer.
    pub async fn start_count(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        warehouse_id: uuid::Uuid,
        bins: Vec<BinCode>,
    ) -> AppResult<pb::StockCount> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let warehouse = own(warehouses::find(&*txn, warehouse_id).await?, caller)?;
        if let Some(i) = bins.iter().position(|b| !warehouse.has_bin(b)) {
            return Err(AppError::invalid(format!("bins[{i}]"), "is not a bin of this warehouse"));
        }
        let count = StockCount::start(dealer, warehouse_id, bins, &caller.subject, now).map_err(count_error)?;
        counts::insert(&*txn, &count).await?;
        tracing::info!(count_id = %count.id, bins = count.bins.len(), "stock count started: bins frozen");
        finish(key, txn, &count).await
    }

    /// Records what was found of one lot of an open count.
    pub async fn record_count(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        counted: Counted,
    ) -> AppResult<pb::StockCount> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut count = own_count(counts::find(&*txn, id, true).await?, caller)?;
        known_part(&txn, &counted.part_number).await?;
        let lot_key = LotKey {
            warehouse_id: count.warehouse_id,
            bin: counted.bin.clone(),
            part_number: counted.part_number.clone(),
            batch: counted.batch.clone(),
        };
        let on_hand = ledger::find_lot(&*txn, &lot_key, false).await?.map_or(0, |l| l.on_hand);
        let line = CountLine {
            bin: counted.bin,
            part_number: counted.part_number,
            batch: counted.batch,
            counted: counted.quantity,
            on_hand,
            by: caller.subject.clone(),
            at: now,
        };
        count.record(line.clone()).map_err(count_error)?;
        counts::save(&*txn, &count, Some(&line)).await?;
        finish(key, txn, &count).await
    }

    /// Approves an open count: its variances become adjustments, its bins are free again.
    pub async fn post_count(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
    ) -> AppResult<pb::StockCount> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut count = own_count(counts::find(&*txn, id, true).await?, caller)?;
        let lots = ledger::lots_in_bins(&*txn, count.warehouse_id, &count.bins, true).await?;
        let changes = count.post(&lots, &caller.subject, now).map_err(count_error)?;
        let context = Context {
            dealer_id: count.dealer_id,
            document: Document {
                kind: DocumentType::parse("stock-count").expect("a valid type"),
                reference: count.id.to_string(),
            },
            reason: "stock count variance".into(),
            by: caller.subject.clone(),
            at: now,
        };
        for (lot_key, change) in changes {
            adjust(&mut txn, &lots, lot_key, change, &context, now).await?;
        }
        counts::save(&*txn, &count, None).await?;
        tracing::info!(count_id = %count.id, "stock count posted");
        finish(key, txn, &count).await
    }

    /// Drops an open count.
    pub async fn cancel_count(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        reason: &str,
    ) -> AppResult<pb::StockCount> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut count = own_count(counts::find(&*txn, id, true).await?, caller)?;
        count.cancel(&caller.subject, now).map_err(count_error)?;
        counts::save(&*txn, &count, None).await?;
        tracing::info!(count_id = %count.id, reason, "stock count cancelled");
        finish(key, txn, &count).await
    }

    /// A count the caller may see.
    pub async fn count(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<StockCount> {
        let read = self.db.read().await?;
        let found = counts::find(&read, id, false).await?;
        found.filter(|c| caller.can_see_dealer(&c.dealer_id)).ok_or(AppError::NotFound("stock count"))
    }
}

/// One variance as an adjustment of its lot (a batch the ledger did not know starts now).
async fn adjust(
    txn: &mut WriteTxn,
    lots: &[Lot],
    key: LotKey,
    change: i64,
    context: &Context,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let found = lots.iter().find(|l| l.key == key).cloned();
    let before = found.as_ref().map(|l| l.on_hand);
    let mut lot = found.unwrap_or_else(|| Lot::empty(key, now));
    let movement = lot.apply(MovementKind::Adjustment, change, context).map_err(move_error)?;
    ledger::save_lot(&**txn, context.dealer_id, &lot, before, now).await?;
    record(txn, &movement).await
}

async fn finish(key: &IdempotencyKey, txn: WriteTxn, count: &StockCount) -> AppResult<pb::StockCount> {
    let answer = convert::stock_count(count);
    key.finish(&txn, &answer).await?;
    txn.commit().await?;
    Ok(answer)
}

/// The count if it is the caller's own dealer's; NOT_FOUND otherwise.
fn own_count(found: Option<StockCount>, caller: &Principal) -> AppResult<StockCount> {
    found.filter(|c| caller.dealer() == Some(c.dealer_id)).ok_or(AppError::NotFound("stock count"))
}

fn count_error(error: CountError) -> AppError {
    match &error {
        CountError::NoBins | CountError::DuplicateBin(_) => AppError::invalid("bins", error.to_string()),
        CountError::NotCovered(_) => AppError::invalid("bin", error.to_string()),
        CountError::Closed(state) => AppError::precondition("COUNT_CLOSED", state.as_str(), error.to_string()),
        CountError::Uncounted(_) => AppError::precondition("COUNT_INCOMPLETE", "open", error.to_string()),
    }
}
