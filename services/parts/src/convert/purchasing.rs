//! Purchasing on the wire: suppliers, stocking policies, plans, orders and receipts.

use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::purchasing::{OrderState, PlanReason, PurchaseOrder, PurchasePlan, SupplierStatus};
use crate::store::purchase_orders::{HeldState, Receipt};
use crate::store::purchasing::{ListedSupplier, Policy};

/// A supplier's standing on the wire.
pub fn supplier_status(s: SupplierStatus) -> pb::SupplierStatus {
    match s {
        SupplierStatus::Approved => pb::SupplierStatus::Approved,
        SupplierStatus::Probation => pb::SupplierStatus::Probation,
        SupplierStatus::Blocked => pb::SupplierStatus::Blocked,
    }
}

/// A listed supplier.
pub fn supplier(s: &ListedSupplier) -> pb::Supplier {
    pb::Supplier {
        supplier_id: s.supplier_id.to_string(),
        name: s.name.clone(),
        status: supplier_status(s.status) as i32,
        reason: s.reason.clone(),
        updated_by: s.updated_by.clone(),
        update_time: Some(to_timestamp(s.updated_at)),
    }
}

/// A stocking policy.
pub fn policy(p: &Policy) -> pb::StockingPolicy {
    pb::StockingPolicy {
        dealer_id: p.dealer_id.to_string(),
        part_number: p.part_number.to_string(),
        min_hundredths: p.min,
        max_hundredths: p.max,
        updated_by: p.updated_by.clone(),
        update_time: Some(to_timestamp(p.updated_at)),
    }
}

/// A plan with the orders it placed.
pub fn plan(p: &PurchasePlan, orders: &[uuid::Uuid]) -> pb::PurchasePlan {
    let state = if p.approved.is_some() { pb::PurchasePlanState::Approved } else { pb::PurchasePlanState::Draft };
    pb::PurchasePlan {
        id: p.id.to_string(),
        dealer_id: p.dealer_id.to_string(),
        state: state as i32,
        lines: p
            .lines
            .iter()
            .map(|l| {
                let (min, max) = l.figures.policy.unwrap_or((0, 0));
                let reason = match l.reason {
                    Some(PlanReason::BelowReorderPoint) => pb::PlanReason::BelowReorderPoint,
                    Some(PlanReason::ShortForOrders) => pb::PlanReason::ShortForOrders,
                    None => pb::PlanReason::Unspecified,
                };
                pb::PurchasePlanLine {
                    part_number: l.part_number.to_string(),
                    supplier_id: l.supplier_id.map(|s| s.to_string()).unwrap_or_default(),
                    quantity_hundredths: l.quantity,
                    suggested_hundredths: l.suggested,
                    reason: reason as i32,
                    on_hand_hundredths: l.figures.on_hand,
                    reserved_hundredths: l.figures.reserved,
                    on_order_hundredths: l.figures.on_order,
                    demand_30d_hundredths: l.figures.demand,
                    min_hundredths: min,
                    max_hundredths: max,
                }
            })
            .collect(),
        drafted_by: p.drafted_by.clone(),
        draft_time: Some(to_timestamp(p.drafted_at)),
        approved_by: p.approved.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
        approve_time: p.approved.as_ref().map(|(_, at)| to_timestamp(*at)),
        purchase_order_ids: orders.iter().map(|o| o.to_string()).collect(),
    }
}

/// An order with its receipts.
pub fn purchase_order(o: &PurchaseOrder, receipts: &[Receipt]) -> pb::PurchaseOrder {
    let state = match o.state {
        OrderState::Ordered => pb::PurchaseOrderState::Ordered,
        OrderState::PartiallyReceived => pb::PurchaseOrderState::PartiallyReceived,
        OrderState::Received => pb::PurchaseOrderState::Received,
        OrderState::Cancelled => pb::PurchaseOrderState::Cancelled,
        OrderState::Closed => pb::PurchaseOrderState::Closed,
    };
    pb::PurchaseOrder {
        id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        supplier_id: o.supplier_id.to_string(),
        plan_id: o.plan_id.map(|p| p.to_string()).unwrap_or_default(),
        state: state as i32,
        lines: o
            .lines
            .iter()
            .map(|l| pb::PurchaseOrderLine {
                line_id: l.line_id.to_string(),
                part_number: l.part_number.to_string(),
                ordered_hundredths: l.ordered,
                received_hundredths: l.received,
            })
            .collect(),
        receipts: receipts.iter().map(receipt).collect(),
        created_by: o.created_by.clone(),
        create_time: Some(to_timestamp(o.created_at)),
        close_reason: o.close_reason.clone().unwrap_or_default(),
    }
}

/// A receipt.
pub fn receipt(r: &Receipt) -> pb::Receipt {
    pb::Receipt {
        id: r.id.to_string(),
        warehouse_id: r.warehouse_id.to_string(),
        delivery_note: r.delivery_note.clone(),
        lines: r
            .lines
            .iter()
            .map(|l| {
                let d = &l.received.delivered;
                let held_state = match l.held_state {
                    HeldState::None => pb::HeldState::Unspecified,
                    HeldState::Held => pb::HeldState::Held,
                    HeldState::Accepted => pb::HeldState::Accepted,
                    HeldState::Returned => pb::HeldState::Returned,
                };
                pb::ReceiptLine {
                    line_id: d.line_id.to_string(),
                    bin: d.bin.to_string(),
                    batch: d.batch.to_string(),
                    delivered_hundredths: d.delivered,
                    rejected_hundredths: d.rejected,
                    rejection_reason: d.rejection_reason.clone(),
                    entered_hundredths: l.received.entered,
                    held_hundredths: l.received.held,
                    held_state: held_state as i32,
                }
            })
            .collect(),
        received_by: r.received_by.clone(),
        receive_time: Some(to_timestamp(r.received_at)),
    }
}
