//! Domain → proto: how catalogue entries, warehouses and stock look on the wire and on the feed. (Proto → domain, with validation, is
//! in `api::parse`.)

use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::fitting::{Fitting, Verdict};
use crate::domain::requisition::{BatchMove, Requisition, RequisitionState};
use crate::domain::stock::count::{CountState, StockCount};
use crate::domain::stock::transfer::{Transfer, TransferState};
use crate::domain::stock::{Lot, Movement, MovementKind};
use crate::domain::warehouse::Warehouse;
use crate::domain::{CatalogueEntry, Warranty};

mod purchasing;
pub use purchasing::{plan, policy, purchase_order, receipt, supplier};

/// Money on the wire (the runtime's one conversion).
pub use aftersales_runtime::to_money as money;

/// An entry on the wire. Absent optional references are empty strings, as the proto says.
pub fn catalogue_entry(e: &CatalogueEntry) -> pb::CatalogueEntry {
    pb::CatalogueEntry {
        part_number: e.part_number().to_string(),
        name: e.name().to_string(),
        specification: e.specification().to_string(),
        applicable_models: e.applicable_models().to_vec(),
        maker: e.maker().to_string(),
        supplier_id: e.supplier_id().map(|s| s.to_string()).unwrap_or_default(),
        list_price: Some(money(e.list_price())),
        warranty_months: e.warranty().months(),
        warranty_km: e.warranty().km(),
        superseded_by: e.superseded_by().map(|p| p.to_string()).unwrap_or_default(),
        create_time: Some(to_timestamp(e.created_at())),
        update_time: Some(to_timestamp(e.updated_at())),
    }
}

/// `CatalogueEntryCreated` for the feed.
pub fn created_event(e: &CatalogueEntry) -> pb::CatalogueEntryCreated {
    pb::CatalogueEntryCreated {
        part_number: e.part_number().to_string(),
        name: e.name().to_string(),
        supplier_id: e.supplier_id().map(|s| s.to_string()).unwrap_or_default(),
        list_price: Some(money(e.list_price())),
        warranty_months: e.warranty().months(),
        warranty_km: e.warranty().km(),
        superseded_by: e.superseded_by().map(|p| p.to_string()).unwrap_or_default(),
    }
}

/// A warehouse on the wire.
pub fn warehouse(w: &Warehouse) -> pb::Warehouse {
    pb::Warehouse {
        id: w.id.to_string(),
        dealer_id: w.dealer_id.to_string(),
        code: w.code.to_string(),
        name: w.name.clone(),
        bins: w.bins.iter().map(|b| pb::Bin { code: b.code.to_string(), description: b.description.clone() }).collect(),
        create_time: Some(to_timestamp(w.created_at)),
    }
}

/// A movement on the wire and on the feed.
pub fn movement(m: &Movement) -> pb::StockMovement {
    let kind = match m.kind {
        MovementKind::Receipt => pb::MovementKind::Receipt,
        MovementKind::Issue => pb::MovementKind::Issue,
        MovementKind::Return => pb::MovementKind::Return,
        MovementKind::Adjustment => pb::MovementKind::Adjustment,
        MovementKind::TransferOut => pb::MovementKind::TransferOut,
        MovementKind::TransferIn => pb::MovementKind::TransferIn,
    };
    pb::StockMovement {
        id: m.id.to_string(),
        dealer_id: m.dealer_id.to_string(),
        warehouse_id: m.key.warehouse_id.to_string(),
        bin: m.key.bin.to_string(),
        part_number: m.key.part_number.to_string(),
        batch: m.key.batch.to_string(),
        kind: kind as i32,
        quantity_hundredths: m.quantity,
        on_hand_after_hundredths: m.on_hand_after,
        document_type: m.document.kind.to_string(),
        document_reference: m.document.reference.clone(),
        reason: m.reason.clone(),
        moved_by: m.by.clone(),
        move_time: Some(to_timestamp(m.at)),
    }
}

/// A part's on-hand in a warehouse: the lots with stock, oldest batch first.
pub fn stock_level(warehouse: uuid::Uuid, part: &aftersales_kernel::PartNumber, lots: &[Lot]) -> pb::StockLevel {
    let lots: Vec<&Lot> = lots.iter().filter(|l| l.on_hand > 0).collect();
    pb::StockLevel {
        warehouse_id: warehouse.to_string(),
        part_number: part.to_string(),
        on_hand_hundredths: lots.iter().map(|l| l.on_hand).sum(),
        lots: lots
            .iter()
            .map(|l| pb::StockLot {
                bin: l.key.bin.to_string(),
                batch: l.key.batch.to_string(),
                on_hand_hundredths: l.on_hand,
                receive_time: Some(to_timestamp(l.received_at)),
            })
            .collect(),
    }
}

/// A stock count on the wire.
pub fn stock_count(c: &StockCount) -> pb::StockCount {
    let state = match c.state {
        CountState::Open => pb::CountState::Open,
        CountState::Posted => pb::CountState::Posted,
        CountState::Cancelled => pb::CountState::Cancelled,
    };
    pb::StockCount {
        id: c.id.to_string(),
        dealer_id: c.dealer_id.to_string(),
        warehouse_id: c.warehouse_id.to_string(),
        bins: c.bins.iter().map(ToString::to_string).collect(),
        state: state as i32,
        lines: c
            .lines
            .iter()
            .map(|l| pb::CountLine {
                bin: l.bin.to_string(),
                part_number: l.part_number.to_string(),
                batch: l.batch.to_string(),
                counted_hundredths: l.counted,
                on_hand_hundredths: l.on_hand,
                variance_hundredths: l.variance(),
                counted_by: l.by.clone(),
                count_time: Some(to_timestamp(l.at)),
            })
            .collect(),
        started_by: c.started_by.clone(),
        start_time: Some(to_timestamp(c.started_at)),
        closed_by: c.closed.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
        close_time: c.closed.as_ref().map(|(_, at)| to_timestamp(*at)),
    }
}

/// A transfer on the wire.
pub fn transfer(t: &Transfer) -> pb::Transfer {
    let state = match t.state {
        TransferState::InTransit => pb::TransferState::InTransit,
        TransferState::Received => pb::TransferState::Received,
    };
    let received = t.received.as_ref();
    pb::Transfer {
        id: t.id.to_string(),
        dealer_id: t.dealer_id.to_string(),
        part_number: t.part_number.to_string(),
        from_warehouse_id: t.from_warehouse.to_string(),
        to_warehouse_id: t.to_warehouse.to_string(),
        lines: t
            .lines
            .iter()
            .map(|l| pb::TransferLine {
                from_bin: l.from_bin.to_string(),
                batch: l.batch.to_string(),
                quantity_hundredths: l.quantity,
                batch_receive_time: Some(to_timestamp(l.batch_received_at)),
            })
            .collect(),
        quantity_hundredths: t.quantity(),
        state: state as i32,
        sent_by: t.sent_by.clone(),
        send_time: Some(to_timestamp(t.sent_at)),
        to_bin: received.map(|(bin, _, _)| bin.to_string()).unwrap_or_default(),
        received_by: received.map(|(_, by, _)| by.clone()).unwrap_or_default(),
        receive_time: received.map(|(_, _, at)| to_timestamp(*at)),
    }
}

/// A requisition on the wire.
pub fn requisition(r: &Requisition) -> pb::Requisition {
    let state = match r.state {
        RequisitionState::Requested => pb::RequisitionState::Requested,
        RequisitionState::Approved => pb::RequisitionState::Approved,
        RequisitionState::Refused => pb::RequisitionState::Refused,
        RequisitionState::Issued => pb::RequisitionState::Issued,
    };
    let moves = |moves: &[BatchMove]| -> Vec<pb::BatchMove> {
        moves
            .iter()
            .map(|m| pb::BatchMove {
                movement_id: m.movement_id.to_string(),
                warehouse_id: m.warehouse_id.to_string(),
                bin: m.bin.to_string(),
                batch: m.batch.to_string(),
                quantity_hundredths: m.quantity,
                moved_by: m.by.clone(),
                move_time: Some(to_timestamp(m.at)),
            })
            .collect()
    };
    pb::Requisition {
        id: r.id.to_string(),
        dealer_id: r.job.dealer_id.to_string(),
        job_id: r.job.job_id.to_string(),
        repair_order_id: r.job.order_id.to_string(),
        line_id: r.line_id.map(|l| l.to_string()).unwrap_or_default(),
        vin: r.job.vin.to_string(),
        mileage_km: r.job.mileage_km,
        part_number: r.part_number.to_string(),
        quantity_hundredths: r.quantity,
        state: state as i32,
        issued_hundredths: r.issued(),
        returned_hundredths: r.returned(),
        requested_by: r.requested_by.clone(),
        request_time: Some(to_timestamp(r.requested_at)),
        decided_by: r.decided.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
        decide_time: r.decided.as_ref().map(|(_, at)| to_timestamp(*at)),
        refusal_reason: r.refusal_reason.clone().unwrap_or_default(),
        issues: moves(&r.issues),
        returns: moves(&r.returns),
    }
}

/// A fitting on the wire.
pub fn fitting(f: &Fitting) -> pb::Fitting {
    pb::Fitting {
        vin: f.vin.to_string(),
        part_number: f.part_number.to_string(),
        batch: f.batch.to_string(),
        dealer_id: f.dealer_id.to_string(),
        repair_order_id: f.order_id.to_string(),
        requisition_id: f.requisition_id.to_string(),
        fit_time: Some(to_timestamp(f.fitted_at)),
        mileage_km: f.mileage_km,
        quantity_hundredths: f.quantity,
    }
}

/// A warranty verdict on the wire: another dealer's order and requisition are not shown to dealer staff.
pub fn verdict(
    v: &Verdict,
    warranty: Warranty,
    caller: &aftersales_runtime::auth::Principal,
) -> pb::PartFailureVerdict {
    let shown = |f: &Fitting| {
        let mut out = fitting(f);
        if !caller.can_see_dealer(&f.dealer_id) {
            out.repair_order_id.clear();
            out.requisition_id.clear();
        }
        out
    };
    let (outcome, fitting, months, km) = match v {
        Verdict::Covered { fitting, months, km } => (pb::WarrantyOutcome::Covered, Some(shown(fitting)), *months, *km),
        Verdict::Expired { fitting, months, km } => (pb::WarrantyOutcome::Expired, Some(shown(fitting)), *months, *km),
        Verdict::NoWarranty => (pb::WarrantyOutcome::NoWarranty, None, 0, 0),
        Verdict::NotFitted => (pb::WarrantyOutcome::NotFitted, None, 0, 0),
    };
    pb::PartFailureVerdict {
        outcome: outcome as i32,
        fitting,
        months_since_fitting: months,
        km_since_fitting: km,
        warranty_months: warranty.months(),
        warranty_km: warranty.km(),
    }
}

/// A part's availability at a dealer.
pub fn availability(
    dealer: aftersales_kernel::DealerId,
    part: &aftersales_kernel::PartNumber,
    a: &crate::app::Availability,
) -> pb::PartAvailability {
    pb::PartAvailability {
        dealer_id: dealer.to_string(),
        part_number: part.to_string(),
        on_hand_hundredths: a.position.on_hand,
        reserved_hundredths: a.position.reserved,
        available_hundredths: a.position.available(),
        reservations: a
            .held
            .iter()
            .map(|h| pb::Reservation {
                repair_order_id: h.order_id.to_string(),
                line_id: h.line_id.to_string(),
                quantity_hundredths: h.quantity,
            })
            .collect(),
    }
}
