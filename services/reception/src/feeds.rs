//! The feeds reception follows: workshop's — a started job moves its order to `in_workshop` (from then on the order
//! cannot be cancelled), a ready job (inspected, washed) to `ready`.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;

use crate::app::Reception;

/// Applies workshop's events.
pub struct WorkshopFeed {
    app: Reception,
}

impl WorkshopFeed {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl EventHandler for WorkshopFeed {
    fn handles(&self, event_type: &str) -> bool {
        event_type == <workshop::JobStarted as EventMessage>::TYPE_NAME
            || event_type == <workshop::JobReady as EventMessage>::TYPE_NAME
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload workshop wrote but reception cannot read will not get better by retrying: logged and passed over.
        if let Some(decoded) = decode_payload::<workshop::JobStarted>(event) {
            match decoded.map_err(|e| e.to_string()).and_then(|e| ids(&e.dealer_id, &e.repair_order_id)) {
                Ok((dealer, order)) => self.app.job_started(txn, dealer, order).await?,
                Err(reason) => skipped(event, &reason),
            }
        } else if let Some(decoded) = decode_payload::<workshop::JobReady>(event) {
            match decoded.map_err(|e| e.to_string()).and_then(|e| ids(&e.dealer_id, &e.repair_order_id)) {
                Ok((dealer, order)) => self.app.job_ready(txn, dealer, order).await?,
                Err(reason) => skipped(event, &reason),
            }
        }
        Ok(())
    }
}

fn ids(dealer: &str, order: &str) -> Result<(DealerId, RepairOrderId), String> {
    let dealer = DealerId::parse(dealer).map_err(|e| format!("dealer_id: {e}"))?;
    let order = RepairOrderId::parse(order).map_err(|e| format!("repair_order_id: {e}"))?;
    Ok((dealer, order))
}

fn skipped(event: &EventEnvelope, reason: &str) {
    tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable workshop event skipped");
}
