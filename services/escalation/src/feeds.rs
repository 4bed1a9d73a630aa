//! The feeds escalation follows — reception's, workshop's, parts' (and the supplier's, once it exists) — applied
//! to the SLA clocks in the consumer's transaction.

use std::sync::Arc;

use aftersales_proto::common::v1::EventEnvelope;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;

use crate::app::engine::Engine;

/// Hands every event to the engine: which ones start, meet or stop clocks is the policies' business.
pub struct ClockFeed {
    engine: Engine,
}

impl ClockFeed {
    /// Over the engine.
    pub fn new(engine: Engine) -> Arc<ClockFeed> {
        Arc::new(ClockFeed { engine })
    }
}

#[tonic::async_trait]
impl EventHandler for ClockFeed {
    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        self.engine.apply(txn, event).await
    }
}
