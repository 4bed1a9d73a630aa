//! Escalation's use cases: load, ask the domain, save with the outbox in one transaction.

use std::sync::Arc;

use aftersales_kernel::CaseId;
use aftersales_proto::EventMessage;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

pub mod emergency;
pub mod engine;
mod handling;
mod intake;
pub mod reports;
pub mod resolution;
pub mod scheduler;
pub mod tenant;
mod waiver;

use crate::convert;
use crate::domain::routing::Routing;
use crate::domain::{Case, CaseState, NewCase, ReceiveError, RepeatWindow};
use crate::store::cases;

/// The aggregate name on the feed.
const AGGREGATE: &str = "case";

/// Escalation's application layer.
#[derive(Clone, Debug)]
pub struct Escalation {
    db: Db,
    clock: SharedClock,
    /// Cases' own events drive clocks too: applied in the transaction that appends them.
    engine: engine::Engine,
    /// Case categories and support groups.
    routing: Arc<Routing>,
    /// How far back a case looks for the one it repeats.
    repeat_window: RepeatWindow,
}

impl Escalation {
    /// Over a database, a clock, the SLA engine and the case routing.
    pub fn new(
        db: Db,
        clock: SharedClock,
        engine: engine::Engine,
        routing: Arc<Routing>,
        repeat_window: RepeatWindow,
    ) -> Self {
        Self { db, clock, engine, routing, repeat_window }
    }

    /// The SLA engine.
    pub fn engine(&self) -> &engine::Engine {
        &self.engine
    }

    /// Case categories and support groups.
    pub fn routing(&self) -> &Routing {
        &self.routing
    }

    /// Receives a case and publishes `CaseOpened`, which starts its triage clock at `received_at`.
    pub async fn receive_case(&self, key: &IdempotencyKey, new: NewCase) -> AppResult<pb::Case> {
        // The service clock, not the machine's: in tests the triage clock must start on the manual clock's time.
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let case = Case::receive(new, now).map_err(receive_error)?;
        cases::insert(&*txn, &case, now).await?;
        self.publish(&mut txn, &case, &convert::case_opened(&case), now).await?;
        let response = convert::case(&case);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(case_id = %case.id, source = case.source.as_str(), "case received");
        Ok(response)
    }

    /// One case the caller may see.
    pub async fn case(&self, caller: &Principal, id: CaseId) -> AppResult<Case> {
        visible(cases::find(self.db.reader(), id).await?, caller)
    }

    /// A page of cases, newest first.
    pub async fn cases(
        &self,
        scope: &DealerScope,
        state: Option<CaseState>,
        after: Option<CaseId>,
        limit: u64,
    ) -> AppResult<Vec<Case>> {
        cases::list(self.db.reader(), scope, state, after, limit).await
    }
}

impl Escalation {
    /// Appends a case's event and applies it to the engine in the same transaction: the clocks it starts, meets
    /// or stops change exactly when the case does.
    async fn publish<E: EventMessage>(
        &self,
        txn: &mut WriteTxn,
        case: &Case,
        event: &E,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        // A case tied to no dealer is OEM business; its event must not pretend to belong to a dealer.
        let tenant = match case.dealer_id {
            Some(dealer) => EventTenant::Dealer(dealer.to_string()),
            None => EventTenant::Oem,
        };
        let event = NewEvent::new(event, now, tenant, AGGREGATE, case.id.to_string());
        let event_id = outbox::append(txn, event.clone()).await?;
        self.engine.apply_own(txn, &event, event_id).await
    }
}

/// Another dealer's case, or one tied to no dealer, answers a dealer's staff exactly like a missing one (so ids
/// cannot be probed).
fn visible(case: Option<Case>, caller: &Principal) -> AppResult<Case> {
    case.filter(|c| match &c.dealer_id {
        Some(dealer) => caller.can_see_dealer(dealer),
        None => caller.role.is_oem_staff(),
    })
    .ok_or(AppError::NotFound("case"))
}

fn receive_error(error: ReceiveError) -> AppError {
    match error {
        ReceiveError::DealerRequired(_) => AppError::invalid("dealer_id", error.to_string()),
    }
}
