//! Moving stock: adjustments by the dealer's manager and issues by the clerk, each one transaction with its
//! movements, the lots they change and their StockMoved events; and reading on-hand and the ledger.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use super::Parts;
use super::warehouses::{own, own_dealer, visible_dealer};
use crate::convert;
use crate::domain::stock::{
    BatchCode, BinCode, Context, Document, DocumentType, IssueError, Lot, LotKey, MoveError, Movement, MovementKind,
    plan_issue,
};
use crate::store::{catalogue, counts, ledger, warehouses};

/// The aggregate name of stock events on the feed (aggregate id = the warehouse).
const AGGREGATE: &str = "stock";

/// A checked AdjustStock request.
#[derive(Debug, Clone)]
pub struct Adjustment {
    /// The warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The bin.
    pub bin: BinCode,
    /// The part.
    pub part_number: PartNumber,
    /// The batch.
    pub batch: BatchCode,
    /// Signed change, hundredths.
    pub quantity: i64,
    /// Why.
    pub reason: String,
}

/// A checked IssueParts request.
#[derive(Debug, Clone)]
pub struct Issue {
    /// The warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The part.
    pub part_number: PartNumber,
    /// How much, hundredths (> 0).
    pub quantity: i64,
    /// Only this batch.
    pub batch: Option<BatchCode>,
    /// What for.
    pub document: Document,
    /// Why.
    pub reason: String,
}

impl Parts {
    /// Corrects a lot by a signed quantity; publishes StockMoved.
    pub async fn adjust_stock(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        a: Adjustment,
    ) -> AppResult<pb::StockMovement> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let warehouse = own(warehouses::find(&*txn, a.warehouse_id).await?, caller)?;
        if !warehouse.has_bin(&a.bin) {
            return Err(AppError::invalid("bin", "is not a bin of this warehouse"));
        }
        known_part(&txn, &a.part_number).await?;
        not_frozen(&txn, a.warehouse_id, [&a.bin]).await?;
        let key_ = LotKey { warehouse_id: a.warehouse_id, bin: a.bin, part_number: a.part_number, batch: a.batch };
        let found = ledger::find_lot(&*txn, &key_, true).await?;
        let before = found.as_ref().map(|l| l.on_hand);
        let mut lot = found.unwrap_or_else(|| Lot::empty(key_, now));
        let context = Context {
            dealer_id: dealer,
            document: Document {
                kind: DocumentType::parse("adjustment").expect("a valid type"),
                reference: key.request_id().to_string(),
            },
            reason: a.reason,
            by: caller.subject.clone(),
            at: now,
        };
        let movement = lot.apply(MovementKind::Adjustment, a.quantity, &context).map_err(move_error)?;
        ledger::save_lot(&*txn, dealer, &lot, before, now).await?;
        record(&mut txn, &movement).await?;
        let answer = convert::movement(&movement);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Issues a part from a warehouse, oldest batch first (or the named one), whole or nothing; publishes StockMoved
    /// per lot taken.
    pub async fn issue_parts(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        issue: Issue,
    ) -> AppResult<pb::IssuePartsResponse> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        own_dealer(warehouses::dealer_of(&*txn, issue.warehouse_id).await?, caller)?;
        known_part(&txn, &issue.part_number).await?;
        self.clear_reservations(&txn, dealer, &issue.part_number, issue.quantity, None).await?;
        let lots = ledger::lots_of(&*txn, issue.warehouse_id, &issue.part_number, true).await?;
        let plan = plan_issue(&lots, issue.quantity, issue.batch.as_ref()).map_err(short)?;
        not_frozen(&txn, issue.warehouse_id, plan.iter().map(|(lot, _)| &lot.key.bin)).await?;
        let context = Context {
            dealer_id: dealer,
            document: issue.document,
            reason: issue.reason,
            by: caller.subject.clone(),
            at: now,
        };
        let mut movements = Vec::with_capacity(plan.len());
        for (mut lot, take) in plan {
            let before = lot.on_hand;
            let movement = lot.apply(MovementKind::Issue, -take, &context).map_err(move_error)?;
            ledger::save_lot(&*txn, dealer, &lot, Some(before), now).await?;
            record(&mut txn, &movement).await?;
            movements.push(convert::movement(&movement));
        }
        let answer = pb::IssuePartsResponse { movements };
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A part's lots in a warehouse the caller may see (balance rows only).
    pub async fn stock_level(
        &self,
        caller: &Principal,
        warehouse: uuid::Uuid,
        part: &PartNumber,
    ) -> AppResult<Vec<Lot>> {
        let read = self.db.read().await?;
        visible_dealer(warehouses::dealer_of(&read, warehouse).await?, caller)?;
        ledger::lots_of(&read, warehouse, part, false).await
    }

    /// A page of a part's movements in a warehouse the caller may see, newest first.
    pub async fn movements(
        &self,
        caller: &Principal,
        warehouse: uuid::Uuid,
        part: &PartNumber,
        before: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Movement>> {
        visible_dealer(warehouses::dealer_of(self.db.reader(), warehouse).await?, caller)?;
        ledger::movements(self.db.reader(), warehouse, part, before, limit).await
    }
}

/// None of `bins` may be frozen by an open count of the warehouse (FAILED_PRECONDITION naming the count).
pub(super) async fn not_frozen<'a>(
    txn: &WriteTxn,
    warehouse: uuid::Uuid,
    bins: impl IntoIterator<Item = &'a BinCode>,
) -> AppResult<()> {
    let frozen = counts::frozen_bins(&**txn, warehouse).await?;
    for bin in bins {
        if let Some((count, _)) = frozen.iter().find(|(_, b)| b == bin) {
            return Err(AppError::precondition(
                "BIN_FROZEN",
                "frozen",
                format!("bin {bin} is frozen by stock count {count} until it is posted or cancelled"),
            ));
        }
    }
    Ok(())
}

/// The part must be in the catalogue.
pub(super) async fn known_part(txn: &WriteTxn, part: &PartNumber) -> AppResult<()> {
    if !catalogue::exists(&**txn, part).await? {
        return Err(AppError::invalid("part_number", "is not in the catalogue"));
    }
    Ok(())
}

/// The movement in the ledger and on the feed.
pub(super) async fn record(txn: &mut WriteTxn, movement: &Movement) -> AppResult<()> {
    ledger::insert_movement(&**txn, movement).await?;
    let event = pb::StockMoved { movement: Some(convert::movement(movement)) };
    let tenant = EventTenant::Dealer(movement.dealer_id.to_string());
    outbox::append(txn, NewEvent::new(&event, movement.at, tenant, AGGREGATE, movement.key.warehouse_id.to_string()))
        .await?;
    Ok(())
}

/// Not enough on hand for an issue or a transfer.
pub(super) fn short(error: IssueError) -> AppError {
    aftersales_runtime::metrics::stock_refused("short");
    AppError::precondition("STOCK_SHORT", "short", error.to_string())
}

/// A refused movement: taking more than the lot holds is a broken rule, a wrong sign bad input.
pub(super) fn move_error(error: MoveError) -> AppError {
    match error {
        MoveError::Short { .. } => AppError::precondition("STOCK_SHORT", "short", error.to_string()),
        MoveError::WrongSign { .. } | MoveError::Overflow => {
            AppError::invalid("quantity_hundredths", error.to_string())
        }
    }
}
