//! The feeds reception follows: workshop's — a started job moves its order to `in_workshop` (from then on the order
//! cannot be cancelled).

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
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        let Some(decoded) = decode_payload::<workshop::JobStarted>(event) else {
            return Ok(()); // not an event reception acts on
        };
        // A payload workshop wrote but reception cannot read will not get better by retrying: logged and passed over.
        let ids = decoded.map_err(|e| e.to_string()).and_then(|started| {
            let dealer = DealerId::parse(&started.dealer_id).map_err(|e| format!("dealer_id: {e}"))?;
            let order = RepairOrderId::parse(&started.repair_order_id).map_err(|e| format!("repair_order_id: {e}"))?;
            Ok((dealer, order))
        });
        match ids {
            Ok((dealer, order)) => self.app.job_started(txn, dealer, order).await?,
            Err(reason) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, "unusable JobStarted skipped");
            }
        }
        Ok(())
    }
}
