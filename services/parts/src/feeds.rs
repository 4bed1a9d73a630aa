//! The feeds parts follows: reception's — approved orders (their car, reading and consented part lines), part lines
//! of approved additional work, cancelled orders — and workshop's — a queued job names its order, a ready job may
//! close the order's requisitions.

use std::sync::Arc;

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId, Vin};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;

use crate::app::Parts;
use crate::domain::requisition::{KnownJob, KnownOrder};

/// What a handled event tells parts.
enum Fact {
    Approved(KnownOrder),
    LinesAdded(RepairOrderId, Vec<(uuid::Uuid, PartNumber, i64)>),
    Cancelled(RepairOrderId),
    Queued(KnownJob),
    Ready(uuid::Uuid, RepairOrderId),
}

/// Applies reception's and workshop's events.
pub struct Feed {
    app: Parts,
    handled: &'static [&'static str],
}

/// The reception events parts acts on.
const RECEPTION: [&str; 3] = [
    <reception::RepairOrderApproved as EventMessage>::TYPE_NAME,
    <reception::AdditionalWorkApproved as EventMessage>::TYPE_NAME,
    <reception::RepairOrderCancelled as EventMessage>::TYPE_NAME,
];

/// The workshop events parts acts on.
const WORKSHOP: [&str; 2] =
    [<workshop::JobQueued as EventMessage>::TYPE_NAME, <workshop::JobReady as EventMessage>::TYPE_NAME];

impl Feed {
    /// Reception's feed.
    pub fn reception(app: Parts) -> Arc<Feed> {
        Arc::new(Feed { app, handled: &RECEPTION })
    }

    /// Workshop's feed.
    pub fn workshop(app: Parts) -> Arc<Feed> {
        Arc::new(Feed { app, handled: &WORKSHOP })
    }
}

#[tonic::async_trait]
impl EventHandler for Feed {
    fn handles(&self, event_type: &str) -> bool {
        self.handled.contains(&event_type)
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload parts cannot read will not get better by retrying: logged and passed over.
        match fact(event) {
            Some(Ok(Fact::Approved(order))) => self.app.order_approved(txn, order).await?,
            Some(Ok(Fact::LinesAdded(order, lines))) => self.app.lines_added(txn, order, lines).await?,
            Some(Ok(Fact::Cancelled(order))) => self.app.order_cancelled(txn, order).await?,
            Some(Ok(Fact::Queued(job))) => self.app.job_queued(txn, job).await?,
            Some(Ok(Fact::Ready(job, order))) => self.app.job_ready(txn, job, order).await?,
            Some(Err(reason)) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable event skipped");
            }
            None => {}
        }
        Ok(())
    }
}

fn fact(event: &EventEnvelope) -> Option<Result<Fact, String>> {
    if let Some(decoded) = decode_payload::<reception::RepairOrderApproved>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            Ok(Fact::Approved(KnownOrder {
                order_id: order_id(&e.repair_order_id)?,
                dealer_id: dealer_id(&e.dealer_id)?,
                vin: Vin::parse(&e.vin).map_err(|e| format!("vin: {e}"))?,
                mileage_km: e.mileage_km,
                cancelled: false,
                closed_at: None,
                part_lines: part_lines(&e.lines)?,
            }))
        }));
    }
    if let Some(decoded) = decode_payload::<reception::AdditionalWorkApproved>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| Ok(Fact::LinesAdded(order_id(&e.repair_order_id)?, part_lines(&e.lines)?))),
        );
    }
    if let Some(decoded) = decode_payload::<reception::RepairOrderCancelled>(event) {
        return Some(
            decoded.map_err(|e| e.to_string()).and_then(|e| Ok(Fact::Cancelled(order_id(&e.repair_order_id)?))),
        );
    }
    if let Some(decoded) = decode_payload::<workshop::JobQueued>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            Ok(Fact::Queued(KnownJob {
                job_id: job_id(&e.job_id)?,
                dealer_id: dealer_id(&e.dealer_id)?,
                order_id: order_id(&e.repair_order_id)?,
                vin: Vin::parse(&e.vin).map_err(|e| format!("vin: {e}"))?,
                ready: false,
            }))
        }));
    }
    if let Some(decoded) = decode_payload::<workshop::JobReady>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| Ok(Fact::Ready(job_id(&e.job_id)?, order_id(&e.repair_order_id)?))),
        );
    }
    None
}

/// The part lines of an order's (consented) lines: (line, part, quantity).
fn part_lines(lines: &[reception::RepairOrderLine]) -> Result<Vec<(uuid::Uuid, PartNumber, i64)>, String> {
    lines
        .iter()
        .filter(|line| !line.declined)
        .filter_map(|line| match &line.item {
            Some(reception::repair_order_line::Item::Part(part)) => Some((line, part)),
            _ => None,
        })
        .map(|(line, part)| {
            Ok((
                uuid::Uuid::parse_str(&line.line_id).map_err(|e| format!("line_id: {e}"))?,
                PartNumber::parse(&part.part_number).map_err(|e| format!("part_number: {e}"))?,
                part.quantity_hundredths,
            ))
        })
        .collect()
}

fn dealer_id(text: &str) -> Result<DealerId, String> {
    DealerId::parse(text).map_err(|e| format!("dealer_id: {e}"))
}

fn order_id(text: &str) -> Result<RepairOrderId, String> {
    RepairOrderId::parse(text).map_err(|e| format!("repair_order_id: {e}"))
}

fn job_id(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text).map_err(|e| format!("job_id: {e}"))
}
