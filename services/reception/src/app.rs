//! Reception's use cases: load, ask the domain, save with the outbox in one transaction.

mod additional_work;
mod appointments;
mod check_ins;
mod customers;
mod directory;
mod hand_over;
mod informing;
mod inquiries;
mod kpis;
mod opening;
mod settlements;

pub use appointments::AppointmentChange;
pub use check_ins::CheckInSubject;
pub use customers::MileageChange;
pub use settlements::DraftChange;

use aftersales_kernel::{DealerId, Hundredths, RepairOrderId};
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use crate::convert;
use crate::domain::{
    ApproveError, Consent, LineId, NewRepairOrder, OpenError, RepairOrder, RepairOrderState, TermsError,
};
use crate::store::{notices, repair_orders};

/// The aggregate name on the feed.
const AGGREGATE: &str = "repair_order";

/// Reception's application layer.
#[derive(Clone, Debug)]
pub struct Reception {
    db: Db,
    clock: SharedClock,
    /// How long after delivery the follow-up visit falls due (configuration).
    follow_up_after: chrono::Duration,
}

impl Reception {
    /// Over a database, a clock and reception's configured rules.
    pub fn new(db: Db, clock: SharedClock, settings: &aftersales_runtime::settings::ReceptionSettings) -> Self {
        Self { db, clock, follow_up_after: chrono::Duration::hours(settings.follow_up_after_hours) }
    }

    /// Opens a repair order with its first estimate and publishes `RepairOrderCreated`.
    pub async fn open_repair_order(&self, key: &IdempotencyKey, new: NewRepairOrder) -> AppResult<pb::RepairOrder> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let terms = opening::terms(&*txn, &new).await?;
        let order = RepairOrder::open(new, &terms, now).map_err(open_error)?;
        repair_orders::insert(&*txn, &order).await?;
        outbox::append(&mut txn, order_event(&order, &convert::created_event(&order), now)).await?;
        let response = convert::repair_order(&order);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(repair_order_id = %order.id, "repair order opened");
        Ok(response)
    }

    /// Records consent to the current estimate and publishes `RepairOrderApproved`.
    pub async fn approve_estimate(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        consent: Consent,
        declined: Vec<(LineId, String)>,
    ) -> AppResult<pb::RepairOrder> {
        self.change_order(key, caller, id, |order, now| {
            order.approve(Consent { consented_at: now, ..consent }, &declined, now).map_err(approve_error)?;
            tracing::info!(repair_order_id = %order.id, urgent = order.urgent, "estimate approved");
            Ok(Changed::order(order, vec![order_event(order, &convert::approved_event(order), now)]))
        })
        .await
    }

    /// Cancels an order the caller may see, until its job starts; publishes `RepairOrderCancelled`.
    pub async fn cancel_repair_order(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        reason: &str,
    ) -> AppResult<pb::RepairOrder> {
        self.change_order(key, caller, id, |order, now| {
            order
                .cancel(reason, now)
                .map_err(|e| AppError::precondition("REPAIR_ORDER_NOT_CANCELLABLE", e.0.as_str(), e.to_string()))?;
            tracing::info!(repair_order_id = %order.id, "repair order cancelled");
            Ok(Changed::order(order, vec![order_event(order, &convert::cancelled_event(order), now)]))
        })
        .await
    }

    /// One change to an order the caller may see, in one transaction: the idempotency key claimed, the order
    /// locked, `change` applied (it returns the events to publish and the answer), the order saved — only if
    /// nobody changed it meanwhile —, the events appended, the answer kept for replays.
    pub(crate) async fn change_order<R: prost::Message + Default>(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        change: impl FnOnce(&mut RepairOrder, DateTime<Utc>) -> AppResult<Changed<R>>,
    ) -> AppResult<R> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let before = visible(repair_orders::find_for_update(&*txn, id).await?, caller)?;
        let mut order = before.clone();
        let changed = change(&mut order, now)?;
        repair_orders::save(&*txn, &order, &before).await?;
        for notice in &changed.notices {
            notices::insert(&*txn, notice).await?;
        }
        for event in changed.events {
            outbox::append(&mut txn, event).await?;
        }
        key.finish(&txn, &changed.response).await?;
        txn.commit().await?;
        Ok(changed.response)
    }

    /// Workshop started the order's job: `approved → in_workshop` (from then on the order cannot be cancelled).
    /// Inside the consumer's transaction; a redelivery or an order already further on changes nothing.
    pub async fn job_started(&self, txn: &mut WriteTxn, dealer: DealerId, id: RepairOrderId) -> AppResult<()> {
        self.follow_fact(txn, dealer, id, "in workshop", |order, now| Ok(order.job_started(now))).await
    }

    /// Workshop made the car ready (inspected, washed): `in_workshop → ready`, with the hours clocked on each
    /// labour line. Inside the consumer's transaction.
    pub async fn job_ready(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        id: RepairOrderId,
        actual_hours: &[(LineId, Hundredths)],
    ) -> AppResult<()> {
        self.follow_fact(txn, dealer, id, "ready", |order, now| Ok(order.job_ready(actual_hours, now))).await
    }

    /// Parts issued (`delta` > 0) or took back (`delta` < 0) on a part line of the order: the line's running actual
    /// moves (the settlement draft shows it). Inside the consumer's transaction.
    pub async fn parts_moved(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        id: RepairOrderId,
        line: LineId,
        delta: i64,
    ) -> AppResult<()> {
        self.follow_fact(txn, dealer, id, "parts moved", |order, now| Ok(order.parts_moved(line, delta, now))).await
    }

    /// Parts closed the order's requisitions with what each part line used: the part lines are final and the
    /// settlement may be signed. Inside the consumer's transaction.
    pub async fn requisitions_closed(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        id: RepairOrderId,
        used: &[(LineId, Hundredths)],
    ) -> AppResult<()> {
        self.follow_fact(txn, dealer, id, "requisitions closed", |order, now| Ok(order.requisitions_closed(used, now)))
            .await
    }

    /// Applies a fact of workshop's or parts' (from their feeds) about `dealer`'s order `id` with `change` (`Ok(true)` when it changed the
    /// order; an error is logged and the fact passed over: workshop's feed will not say it differently on retry).
    pub(crate) async fn follow_fact(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        id: RepairOrderId,
        what: &str,
        change: impl FnOnce(&mut RepairOrder, DateTime<Utc>) -> Result<bool, String>,
    ) -> AppResult<()> {
        let Some(before) = repair_orders::find_for_update(&**txn, id).await? else {
            tracing::error!(repair_order_id = %id, "event for an order reception does not have; skipped");
            return Ok(());
        };
        if before.dealer_id != dealer {
            tracing::error!(repair_order_id = %id, "event names another dealer's order; skipped");
            return Ok(());
        }
        let mut order = before.clone();
        match change(&mut order, self.clock.now()) {
            Ok(true) => {
                repair_orders::save(&**txn, &order, &before).await?;
                tracing::info!(repair_order_id = %id, "order {what}");
            }
            Ok(false) => {}
            Err(reason) => {
                tracing::error!(repair_order_id = %id, %reason, "event does not fit the order; skipped")
            }
        }
        Ok(())
    }

    /// One order the caller may see.
    pub async fn repair_order(&self, caller: &Principal, id: RepairOrderId) -> AppResult<RepairOrder> {
        // One snapshot: the order's row, lines, requests, delivery and follow-up are read by separate queries, and a
        // consumer committing in between must not tear them apart.
        let conn = self.db.read().await?;
        let order = repair_orders::find(&conn, id).await?;
        conn.commit().await?;
        visible(order, caller)
    }

    /// A page of orders, newest first.
    pub async fn repair_orders(
        &self,
        scope: &DealerScope,
        state: Option<RepairOrderState>,
        after: Option<RepairOrderId>,
        limit: u64,
    ) -> AppResult<Vec<RepairOrder>> {
        let conn = self.db.read().await?;
        let orders = repair_orders::list(&conn, scope, state, after, limit).await?;
        conn.commit().await?;
        Ok(orders)
    }
}

/// What a change to an order produced: the events to publish and the answer.
pub(crate) struct Changed<R> {
    /// Appended to the outbox in the change's transaction.
    pub events: Vec<NewEvent>,
    /// The RPC's answer (kept for idempotent replays).
    pub response: R,
    /// Notices to the customer the change records beside the order.
    pub notices: Vec<crate::domain::CustomerNotice>,
}

impl Changed<pb::RepairOrder> {
    /// The order itself as the answer.
    pub fn order(order: &RepairOrder, events: Vec<NewEvent>) -> Self {
        Changed { events, response: convert::repair_order(order), notices: Vec::new() }
    }
}

/// An event about `order` for the outbox, on its dealer's tenant.
pub(crate) fn order_event<M: aftersales_proto::EventMessage>(
    order: &RepairOrder,
    message: &M,
    now: DateTime<Utc>,
) -> NewEvent {
    let tenant = EventTenant::Dealer(order.dealer_id.to_string());
    NewEvent::new(message, now, tenant, AGGREGATE, order.id.to_string())
}

/// Another dealer's order answers exactly like a missing one.
pub(crate) fn visible(order: Option<RepairOrder>, caller: &Principal) -> AppResult<RepairOrder> {
    order.filter(|o| caller.can_see_dealer(&o.dealer_id)).ok_or(AppError::NotFound("repair order"))
}

fn open_error(error: OpenError) -> AppError {
    let field = match &error {
        OpenError::NoLines => "lines".to_string(),
        OpenError::MixedCurrency { line, .. }
        | OpenError::NegativePrice { line }
        | OpenError::Overflow { line }
        | OpenError::Terms(TermsError::NotDealerCurrency { line, .. }) => format!("lines[{line}]"),
        OpenError::Terms(TermsError::UnknownOperation { line, .. } | TermsError::RetiredOperation { line, .. }) => {
            format!("lines[{line}].labour.operation_code")
        }
        OpenError::Terms(TermsError::UnknownCheckIn) => "check_in_id".to_string(),
        OpenError::Terms(TermsError::VinDiffersFromCheckIn(_)) => "vin".to_string(),
        OpenError::Terms(TermsError::MileageDiffersFromCheckIn(_)) => "mileage_km".to_string(),
        OpenError::PromisedInThePast => "promised_at".to_string(),
    };
    AppError::invalid(field, error.to_string())
}

fn approve_error(error: ApproveError) -> AppError {
    match error {
        ApproveError::NotEstimated(state) => {
            AppError::precondition("REPAIR_ORDER_NOT_ESTIMATED", state.as_str(), error.to_string())
        }
        ApproveError::StaleVersion { .. } => {
            AppError::precondition("ESTIMATE_VERSION_STALE", RepairOrderState::Estimated.as_str(), error.to_string())
        }
        ApproveError::UnknownLine(i) | ApproveError::RequiredLine(i) | ApproveError::DuplicateDecline(i) => {
            AppError::invalid(format!("declined_lines[{i}].line_id"), error.to_string())
        }
    }
}
