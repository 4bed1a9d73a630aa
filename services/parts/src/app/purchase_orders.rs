//! Purchase orders placed directly, ended, read; deliveries received against them (only accepted quantity enters
//! stock, up to what is outstanding; the rest is held) and held over-delivery decided — each one transaction with
//! its movements and events.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::Parts;
use super::purchasing::{ORDER_AGGREGATE, place};
use super::stock::{known_part, move_error, not_frozen, record};
use super::warehouses::own;
use crate::convert;
use crate::domain::purchasing::{Delivered, OrderError, PurchaseOrder};
use crate::domain::stock::{BatchCode, BinCode, Context, Document, DocumentType, Lot, LotKey, MovementKind};
use crate::store::purchase_orders::{self, HeldState, Receipt, ReceiptLine};
use crate::store::{ledger, warehouses};

/// A checked ReceiveGoods request.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Into which warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The delivery note.
    pub delivery_note: String,
    /// The lines.
    pub lines: Vec<Delivered>,
}

impl Parts {
    /// Places an order with a supplier for the caller's dealer.
    pub async fn create_purchase_order(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        supplier: SupplierId,
        lines: Vec<(PartNumber, i64)>,
    ) -> AppResult<pb::PurchaseOrder> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        for (i, (part, _)) in lines.iter().enumerate() {
            known_part(&txn, part)
                .await
                .map_err(|_| AppError::invalid(format!("lines[{i}].part_number"), "is not in the catalogue"))?;
            self.check_supplier(&txn, supplier, part, &format!("lines[{i}]")).await?;
        }
        let order = PurchaseOrder::place(dealer, supplier, None, lines, &caller.subject, now);
        place(&mut txn, &order).await?;
        let answer = convert::purchase_order(&order, &[]);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Ends an open order of the caller's dealer.
    pub async fn close_purchase_order(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        reason: String,
    ) -> AppResult<pb::PurchaseOrder> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut order = own_order(purchase_orders::find(&*txn, id, true).await?, caller)?;
        order.close(&reason).map_err(order_error)?;
        purchase_orders::save(&*txn, &order).await?;
        let receipts = purchase_orders::receipts(&*txn, &order).await?;
        let answer = convert::purchase_order(&order, &receipts);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// An order the caller may see, with its receipts.
    pub async fn purchase_order(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<pb::PurchaseOrder> {
        let read = self.db.read().await?;
        let order = purchase_orders::find(&read, id, false)
            .await?
            .filter(|o| caller.can_see_dealer(&o.dealer_id))
            .ok_or(AppError::NotFound("purchase order"))?;
        let receipts = purchase_orders::receipts(&read, &order).await?;
        Ok(convert::purchase_order(&order, &receipts))
    }

    /// A page of orders in scope.
    pub async fn purchase_orders(
        &self,
        scope: &DealerScope,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<PurchaseOrder>> {
        let read = self.db.read().await?;
        purchase_orders::list(&read, scope, after, limit).await
    }

    /// Receives a delivery against an open order of the caller's dealer into one of its warehouses.
    pub async fn receive_goods(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        delivery: Delivery,
    ) -> AppResult<pb::PurchaseOrder> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut order = own_order(purchase_orders::find(&*txn, id, true).await?, caller)?;
        let warehouse = own(warehouses::find(&*txn, delivery.warehouse_id).await?, caller)?;
        for (i, line) in delivery.lines.iter().enumerate() {
            if !warehouse.has_bin(&line.bin) {
                return Err(AppError::invalid(format!("lines[{i}].bin"), "is not a bin of this warehouse"));
            }
            if !order.lines.iter().any(|l| l.line_id == line.line_id) {
                return Err(AppError::invalid(format!("lines[{i}].line_id"), "is not a line of this order"));
            }
        }
        not_frozen(&txn, warehouse.id, delivery.lines.iter().map(|l| &l.bin)).await?;
        let received = order.receive(delivery.lines).map_err(order_error)?;
        let receipt = Receipt {
            id: uuid::Uuid::now_v7(),
            warehouse_id: warehouse.id,
            delivery_note: delivery.delivery_note,
            lines: received
                .into_iter()
                .map(|received| {
                    let held_state = if received.held > 0 { HeldState::Held } else { HeldState::None };
                    ReceiptLine { received, held_state }
                })
                .collect(),
            received_by: caller.subject.clone(),
            received_at: now,
        };
        for line in &receipt.lines {
            let r = &line.received;
            let lot = (warehouse.id, &r.delivered.bin, &r.part_number, &r.delivered.batch);
            self.put_away(&mut txn, &order, lot, r.entered, &caller.subject, now).await?;
        }
        purchase_orders::save(&*txn, &order).await?;
        purchase_orders::insert_receipt(&*txn, order.id, &receipt).await?;
        let event = pb::GoodsReceived {
            purchase_order_id: order.id.to_string(),
            dealer_id: order.dealer_id.to_string(),
            supplier_id: order.supplier_id.to_string(),
            receipt: Some(convert::receipt(&receipt)),
        };
        let tenant = EventTenant::Dealer(order.dealer_id.to_string());
        outbox::append(&mut txn, NewEvent::new(&event, now, tenant, ORDER_AGGREGATE, order.id.to_string())).await?;
        let receipts = purchase_orders::receipts(&*txn, &order).await?;
        let answer = convert::purchase_order(&order, &receipts);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Accepts (into stock, the order line amended) or sends back a receipt line's held over-delivery.
    pub async fn resolve_over_delivery(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        receipt_id: uuid::Uuid,
        index: usize,
        accept: bool,
    ) -> AppResult<pb::PurchaseOrder> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut order = own_order(purchase_orders::find(&*txn, id, true).await?, caller)?;
        let receipts = purchase_orders::receipts(&*txn, &order).await?;
        let receipt = receipts.iter().find(|r| r.id == receipt_id).ok_or(AppError::NotFound("receipt"))?;
        let line =
            receipt.lines.get(index).ok_or_else(|| AppError::invalid("line_index", "is not a line of the receipt"))?;
        if line.held_state != HeldState::Held {
            return Err(AppError::precondition(
                "NOTHING_HELD",
                line.held_state.as_str(),
                "nothing of this receipt line waits for a decision",
            ));
        }
        let r = &line.received;
        let decided = if accept {
            order.accept_held(r.delivered.line_id, r.held).map_err(order_error)?;
            let lot = (receipt.warehouse_id, &r.delivered.bin, &r.part_number, &r.delivered.batch);
            self.put_away(&mut txn, &order, lot, r.held, &caller.subject, now).await?;
            purchase_orders::save(&*txn, &order).await?;
            HeldState::Accepted
        } else {
            HeldState::Returned
        };
        purchase_orders::set_held_state(&*txn, receipt_id, index, decided).await?;
        let receipts = purchase_orders::receipts(&*txn, &order).await?;
        let answer = convert::purchase_order(&order, &receipts);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Puts `quantity` (if any) of a part's batch into a bin: a RECEIPT movement of the order.
    async fn put_away(
        &self,
        txn: &mut WriteTxn,
        order: &PurchaseOrder,
        (warehouse, bin, part, batch): (uuid::Uuid, &BinCode, &PartNumber, &BatchCode),
        quantity: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        if quantity == 0 {
            return Ok(());
        }
        let key = LotKey { warehouse_id: warehouse, bin: bin.clone(), part_number: part.clone(), batch: batch.clone() };
        let found = ledger::find_lot(&**txn, &key, true).await?;
        let before = found.as_ref().map(|l| l.on_hand);
        let mut lot = found.unwrap_or_else(|| Lot::empty(key, now));
        let context = Context {
            dealer_id: order.dealer_id,
            document: Document {
                kind: DocumentType::parse("purchase-order").expect("a valid type"),
                reference: order.id.to_string(),
            },
            reason: format!("received from supplier {}", order.supplier_id),
            by: by.to_string(),
            at: now,
        };
        let movement = lot.apply(MovementKind::Receipt, quantity, &context).map_err(move_error)?;
        ledger::save_lot(&**txn, order.dealer_id, &lot, before, now).await?;
        record(txn, &movement).await
    }
}

/// An order of the caller's own dealer (writes); NOT_FOUND otherwise.
fn own_order(found: Option<PurchaseOrder>, caller: &Principal) -> AppResult<PurchaseOrder> {
    found.filter(|o| caller.dealer() == Some(o.dealer_id)).ok_or(AppError::NotFound("purchase order"))
}

fn order_error(error: OrderError) -> AppError {
    match &error {
        OrderError::NotOpen(state) => {
            AppError::precondition("PURCHASE_ORDER_CLOSED", state.as_str(), error.to_string())
        }
        OrderError::UnknownLine(_) => AppError::invalid("lines", error.to_string()),
    }
}
