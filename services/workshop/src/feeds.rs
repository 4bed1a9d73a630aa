//! The feeds workshop follows: reception's — approved orders become jobs, cancelled orders drop them, the
//! customer's answers to additional work add operations or close the request.

use aftersales_kernel::{DealerId, Hundredths, RepairOrderId, Vin};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::reception::v1 as reception;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::{AppResult, from_timestamp};

use crate::app::{Answer, Workshop};
use crate::domain::{ApprovedOperation, ApprovedOrder};

/// Applies reception's events.
pub struct ReceptionFeed {
    app: Workshop,
}

impl ReceptionFeed {
    /// Over the application layer.
    pub fn new(app: Workshop) -> Self {
        Self { app }
    }
}

/// The event types workshop acts on.
const HANDLED: [&str; 4] = [
    <reception::RepairOrderApproved as EventMessage>::TYPE_NAME,
    <reception::RepairOrderCancelled as EventMessage>::TYPE_NAME,
    <reception::AdditionalWorkApproved as EventMessage>::TYPE_NAME,
    <reception::AdditionalWorkRefused as EventMessage>::TYPE_NAME,
];

/// What a handled event asks of the workshop.
enum Fact {
    Approved(ApprovedOrder),
    Cancelled(DealerId, RepairOrderId),
    Answered(DealerId, RepairOrderId, uuid::Uuid, Answer),
}

#[tonic::async_trait]
impl EventHandler for ReceptionFeed {
    fn handles(&self, event_type: &str) -> bool {
        HANDLED.contains(&event_type)
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload reception wrote but workshop cannot read will not get better by retrying: it is logged as an
        // error (alerting) and passed over, so the rest of the feed keeps flowing.
        match fact(event) {
            Some(Ok(Fact::Approved(order))) => {
                self.app.queue_job(txn, order).await?;
            }
            Some(Ok(Fact::Cancelled(dealer, order))) => self.app.cancel_job(txn, dealer, order).await?,
            Some(Ok(Fact::Answered(dealer, order, request, answer))) => {
                self.app.answer_additional_work(txn, dealer, order, request, answer).await?
            }
            Some(Err(reason)) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, "unusable event skipped");
            }
            None => {} // not an event workshop acts on
        }
        Ok(())
    }
}

fn fact(event: &EventEnvelope) -> Option<Result<Fact, String>> {
    if let Some(decoded) = decode_payload::<reception::RepairOrderApproved>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(approved_order).map(Fact::Approved));
    }
    if let Some(decoded) = decode_payload::<reception::RepairOrderCancelled>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| Ok(Fact::Cancelled(dealer_id(&e.dealer_id)?, order_id(&e.repair_order_id)?))),
        );
    }
    if let Some(decoded) = decode_payload::<reception::AdditionalWorkApproved>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            let lines = labour_lines(&e.lines)?;
            Ok(Fact::Answered(
                dealer_id(&e.dealer_id)?,
                order_id(&e.repair_order_id)?,
                request_id(&e.additional_work_id)?,
                Answer::Approved(lines),
            ))
        }));
    }
    if let Some(decoded) = decode_payload::<reception::AdditionalWorkRefused>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            Ok(Fact::Answered(
                dealer_id(&e.dealer_id)?,
                order_id(&e.repair_order_id)?,
                request_id(&e.additional_work_id)?,
                Answer::Refused(e.reason),
            ))
        }));
    }
    None
}

fn dealer_id(text: &str) -> Result<DealerId, String> {
    DealerId::parse(text).map_err(|e| format!("dealer_id: {e}"))
}

fn order_id(text: &str) -> Result<RepairOrderId, String> {
    RepairOrderId::parse(text).map_err(|e| format!("repair_order_id: {e}"))
}

fn request_id(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text).map_err(|e| format!("additional_work_id: {e}"))
}

/// The labour lines of an order's lines, as job operations.
fn labour_lines(lines: &[reception::RepairOrderLine]) -> Result<Vec<ApprovedOperation>, String> {
    lines
        .iter()
        .filter_map(|line| match &line.item {
            Some(reception::repair_order_line::Item::Labour(labour)) => Some((line, labour)),
            _ => None,
        })
        .map(|(line, labour)| {
            Ok(ApprovedOperation {
                line_id: uuid::Uuid::parse_str(&line.line_id).map_err(|e| format!("line_id: {e}"))?,
                operation_code: labour.operation_code.clone(),
                estimated_hours: Hundredths::from_hundredths(labour.estimated_hours_hundredths)
                    .map_err(|e| format!("estimated hours: {e}"))?,
            })
        })
        .collect()
}

fn approved_order(event: reception::RepairOrderApproved) -> Result<ApprovedOrder, String> {
    Ok(ApprovedOrder {
        repair_order_id: order_id(&event.repair_order_id)?,
        dealer_id: dealer_id(&event.dealer_id)?,
        vin: Vin::parse(&event.vin).map_err(|e| format!("vin: {e}"))?,
        urgent: event.urgent,
        promised_at: from_timestamp(event.promised_at.as_ref()).ok_or("promised_at missing")?,
        approved_at: from_timestamp(event.approved_at.as_ref()).ok_or("approved_at missing")?,
        operations: labour_lines(&event.lines)?,
    })
}
