//! The approved-supplier list (the supplier service's standings, copied from its feed), stocking policies and
//! purchase plans: drafted from the figures, edited and approved by the dealer's manager; approval places one
//! purchase order per supplier in the same transaction.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use super::Parts;
use super::stock::known_part;
use crate::convert;
use crate::domain::purchasing::plan::DEMAND_DAYS;
use crate::domain::purchasing::{PlanError, PurchaseOrder, PurchasePlan, SupplierRefusal, may_order};
use crate::store::purchasing::{self, ListedSupplier, Policy};
use crate::store::{catalogue, purchase_orders};

/// Orders are on the feed under this aggregate.
pub(super) const ORDER_AGGREGATE: &str = "purchase_order";

/// A checked plan line change.
#[derive(Debug, Clone)]
pub struct PlanEdit {
    /// The part.
    pub part_number: PartNumber,
    /// New quantity (0 removes).
    pub quantity: i64,
    /// New supplier.
    pub supplier_id: Option<SupplierId>,
}

impl Parts {
    /// Copies a supplier's standing as the supplier service published it onto the list (in the consumer's
    /// transaction). The row becomes exactly the event's, so applying a change again leaves it as it was; the
    /// consumer applies each event once and in feed order, which is the supplier service's commit order. There is
    /// no "newer time wins" guard: two concurrent changes may commit in the other order than their times (each
    /// takes its time before it waits for the other), and the feed's order is the one the supplier service kept.
    pub async fn supplier_standing_published(&self, txn: &mut WriteTxn, supplier: ListedSupplier) -> AppResult<()> {
        purchasing::put_supplier(&**txn, &supplier).await?;
        let status = supplier.status.as_str();
        tracing::info!(supplier_id = %supplier.supplier_id, status, "supplier standing copied");
        Ok(())
    }

    /// A page of the supplier list.
    pub async fn suppliers(&self, after: Option<uuid::Uuid>, limit: u64) -> AppResult<Vec<ListedSupplier>> {
        purchasing::suppliers(self.db.reader(), after, limit).await
    }

    /// Sets the caller's dealer's stocking policy of a part.
    pub async fn set_stocking_policy(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        mut policy: Policy,
    ) -> AppResult<pb::StockingPolicy> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        known_part(&txn, &policy.part_number).await?;
        policy.updated_by = caller.subject.clone();
        policy.updated_at = now;
        purchasing::put_policy(&*txn, &policy).await?;
        let answer = convert::policy(&policy);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Drafts a plan for the caller's dealer from its figures now.
    pub async fn draft_plan(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
    ) -> AppResult<pb::PurchasePlan> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let since = now - chrono::Duration::days(DEMAND_DAYS);
        let figures = purchasing::plan_figures(&*txn, dealer, since).await?;
        let plan = PurchasePlan::draft(dealer, figures, &caller.subject, now);
        purchasing::insert_plan(&*txn, &plan).await?;
        let answer = convert::plan(&plan, &[]);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Changes a draft plan's lines.
    pub async fn edit_plan(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        edits: Vec<PlanEdit>,
    ) -> AppResult<pb::PurchasePlan> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut plan = own_plan(purchasing::find_plan(&*txn, id, true).await?, caller)?;
        for (i, edit) in edits.into_iter().enumerate() {
            let entry = catalogue::find(&*txn, &edit.part_number)
                .await?
                .ok_or_else(|| AppError::invalid(format!("lines[{i}].part_number"), "is not in the catalogue"))?;
            plan.edit(edit.part_number, edit.quantity, edit.supplier_id, entry.supplier_id()).map_err(plan_error)?;
        }
        purchasing::save_plan(&*txn, &plan).await?;
        let answer = convert::plan(&plan, &[]);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Approves a draft plan: one order per supplier, every line checked against the supplier list.
    pub async fn approve_plan(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
    ) -> AppResult<pb::PurchasePlan> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut plan = own_plan(purchasing::find_plan(&*txn, id, true).await?, caller)?;
        let grouped = plan.approve(&caller.subject, now).map_err(plan_error)?;
        let mut placed = Vec::with_capacity(grouped.len());
        for (supplier, lines) in grouped {
            for (part, _) in &lines {
                let index = plan.lines.iter().position(|l| l.part_number == *part).unwrap_or_default();
                self.check_supplier(&txn, supplier, part, &format!("lines[{index}]")).await?;
            }
            let order = PurchaseOrder::place(plan.dealer_id, supplier, Some(plan.id), lines, &caller.subject, now);
            place(&mut txn, &order).await?;
            placed.push(order.id);
        }
        purchasing::save_plan(&*txn, &plan).await?;
        let answer = convert::plan(&plan, &placed);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A plan the caller may see, with the orders it placed.
    pub async fn plan(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<(PurchasePlan, Vec<uuid::Uuid>)> {
        let read = self.db.read().await?;
        let plan = purchasing::find_plan(&read, id, false)
            .await?
            .filter(|p| caller.can_see_dealer(&p.dealer_id))
            .ok_or(AppError::NotFound("purchase plan"))?;
        let orders = purchase_orders::of_plan(&read, id).await?;
        Ok((plan, orders))
    }

    /// `part` may be ordered from `supplier` (FAILED_PRECONDITION SUPPLIER_NOT_APPROVED naming `field` otherwise).
    pub(super) async fn check_supplier(
        &self,
        txn: &WriteTxn,
        supplier: SupplierId,
        part: &PartNumber,
        field: &str,
    ) -> AppResult<()> {
        let designated = catalogue::find(&**txn, part).await?.and_then(|e| e.supplier_id());
        let status = purchasing::supplier_status(&**txn, supplier).await?;
        may_order(supplier, designated, status).map_err(|refusal| {
            let state = match refusal {
                SupplierRefusal::Blocked(_) => "blocked",
                SupplierRefusal::NotApproved(_) => "not approved",
            };
            AppError::precondition("SUPPLIER_NOT_APPROVED", state, format!("{field} ({part}): {refusal}"))
        })
    }
}

/// Stores a new order and publishes PurchaseOrderPlaced.
pub(super) async fn place(txn: &mut WriteTxn, order: &PurchaseOrder) -> AppResult<()> {
    purchase_orders::insert(&**txn, order).await?;
    let event = pb::PurchaseOrderPlaced { purchase_order: Some(convert::purchase_order(order, &[])) };
    let tenant = EventTenant::Dealer(order.dealer_id.to_string());
    outbox::append(txn, NewEvent::new(&event, order.created_at, tenant, ORDER_AGGREGATE, order.id.to_string())).await?;
    Ok(())
}

/// A plan of the caller's own dealer (writes); NOT_FOUND otherwise.
fn own_plan(found: Option<PurchasePlan>, caller: &Principal) -> AppResult<PurchasePlan> {
    found.filter(|p| caller.dealer() == Some(p.dealer_id)).ok_or(AppError::NotFound("purchase plan"))
}

fn plan_error(error: PlanError) -> AppError {
    match error {
        PlanError::Approved => AppError::precondition("PLAN_APPROVED", "approved", error.to_string()),
        PlanError::Empty => AppError::precondition("PLAN_EMPTY", "draft", error.to_string()),
        PlanError::NoSupplier(i) => {
            AppError::precondition("SUPPLIER_NOT_APPROVED", "no supplier", format!("lines[{i}]: {error}"))
        }
    }
}
