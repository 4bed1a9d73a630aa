//! The feeds escalation follows — reception's, workshop's, parts' and the supplier's — applied to the SLA clocks
//! in the consumer's transaction; reception's also opens cases from dissatisfied follow-ups.

use std::sync::Arc;

use aftersales_proto::common::v1::EventEnvelope;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;

use crate::app::Escalation;
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

/// Reception's feed: a dissatisfied follow-up opens a case (its `CaseOpened` starts the triage clock), then the
/// event goes to the engine like any other.
pub struct ReceptionFeed {
    app: Escalation,
}

impl ReceptionFeed {
    /// Over the application layer (and its engine).
    pub fn new(app: Escalation) -> Arc<ReceptionFeed> {
        Arc::new(ReceptionFeed { app })
    }
}

#[tonic::async_trait]
impl EventHandler for ReceptionFeed {
    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        self.app.intake(txn, event).await?;
        self.app.engine().apply(txn, event).await
    }
}
