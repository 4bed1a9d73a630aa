//! The feeds workshop follows: reception's (approved orders become jobs).

use aftersales_kernel::{DealerId, Hundredths, RepairOrderId, Vin};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::reception::v1 as reception;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::{AppResult, from_timestamp};

use crate::app::Workshop;
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

#[tonic::async_trait]
impl EventHandler for ReceptionFeed {
    fn handles(&self, event_type: &str) -> bool {
        event_type == <reception::RepairOrderApproved as EventMessage>::TYPE_NAME
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        let Some(decoded) = decode_payload::<reception::RepairOrderApproved>(event) else {
            return Ok(()); // not an event workshop acts on
        };
        // A payload reception wrote but workshop cannot read will not get better by retrying: it is logged as an
        // error (alerting) and passed over, so the rest of the feed keeps flowing.
        match decoded.map_err(|e| e.to_string()).and_then(approved_order) {
            Ok(order) => {
                self.app.queue_job(txn, order).await?;
            }
            Err(reason) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, "unusable RepairOrderApproved skipped");
            }
        }
        Ok(())
    }
}

fn approved_order(event: reception::RepairOrderApproved) -> Result<ApprovedOrder, String> {
    let operations = event
        .lines
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
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ApprovedOrder {
        repair_order_id: RepairOrderId::parse(&event.repair_order_id).map_err(|e| format!("repair_order_id: {e}"))?,
        dealer_id: DealerId::parse(&event.dealer_id).map_err(|e| format!("dealer_id: {e}"))?,
        vin: Vin::parse(&event.vin).map_err(|e| format!("vin: {e}"))?,
        urgent: event.urgent,
        promised_at: from_timestamp(event.promised_at.as_ref()).ok_or("promised_at missing")?,
        approved_at: from_timestamp(event.approved_at.as_ref()).ok_or("approved_at missing")?,
        operations,
    })
}
