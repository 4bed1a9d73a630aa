//! Requisitions: asked by technicians, decided by advisors, issued and taken back by clerks — each one transaction
//! with its movements, its events and, when the order is done, RequisitionsClosed. Also what parts learns from the
//! feeds: orders (reception) and jobs (workshop).

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use chrono::{DateTime, Utc};

use super::Parts;
use super::stock::{known_part, move_error, not_frozen, record, short};
use super::warehouses::{own, own_dealer};
use crate::convert;
use crate::domain::requisition::{
    BatchMove, JobLink, KnownJob, KnownOrder, Requisition, RequisitionError, actuals, nothing_outstanding,
};
use crate::domain::stock::{
    BatchCode, BinCode, Context, Document, DocumentType, Lot, LotKey, MovementKind, plan_issue,
};
use crate::store::{ledger, requisitions, warehouses};

/// Events about an order's parts are on the feed under the order.
const AGGREGATE: &str = "repair_order";

/// A checked IssueRequisition request.
#[derive(Debug, Clone)]
pub struct Issuing {
    /// From which warehouse.
    pub warehouse_id: uuid::Uuid,
    /// How much, hundredths.
    pub quantity: i64,
    /// Only this batch.
    pub batch: Option<BatchCode>,
}

/// A checked ReturnParts request.
#[derive(Debug, Clone)]
pub struct Returning {
    /// Into which warehouse.
    pub warehouse_id: uuid::Uuid,
    /// Which bin.
    pub bin: BinCode,
    /// Which batch.
    pub batch: BatchCode,
    /// How much, hundredths.
    pub quantity: i64,
}

impl Parts {
    /// Reception approved an order: parts knows it (a redelivery changes nothing); it may close at once if its
    /// job was ready before parts heard of the order.
    pub async fn order_approved(&self, txn: &mut WriteTxn, order: KnownOrder) -> AppResult<()> {
        if requisitions::put_order(&**txn, &order).await? {
            let fresh = requisitions::add_lines(&**txn, order.order_id, &order.part_lines).await?;
            self.reserve(txn, order.dealer_id, order.order_id, fresh).await?;
            self.maybe_close(txn, order.order_id).await?;
        }
        Ok(())
    }

    /// The customer approved additional work: its part lines join the order and reserve their parts (while the
    /// order is open).
    pub async fn lines_added(
        &self,
        txn: &mut WriteTxn,
        order: RepairOrderId,
        lines: Vec<(uuid::Uuid, PartNumber, i64)>,
    ) -> AppResult<()> {
        let fresh = requisitions::add_lines(&**txn, order, &lines).await?;
        match requisitions::find_order(&**txn, order, true).await? {
            Some(known) if !known.cancelled && known.closed_at.is_none() => {
                self.reserve(txn, known.dealer_id, order, fresh).await
            }
            _ => Ok(()),
        }
    }

    /// Reception cancelled an order: what it held is let go.
    pub async fn order_cancelled(&self, txn: &mut WriteTxn, order: RepairOrderId) -> AppResult<()> {
        requisitions::cancel_order(&**txn, order).await?;
        if let Some(known) = requisitions::find_order(&**txn, order, false).await? {
            self.release(txn, known.dealer_id, order, pb::ReleaseReason::OrderCancelled).await?;
        }
        Ok(())
    }

    /// Workshop queued a job for an order.
    pub async fn job_queued(&self, txn: &mut WriteTxn, job: KnownJob) -> AppResult<()> {
        requisitions::put_job(&**txn, &job).await?;
        Ok(())
    }

    /// Workshop's job is ready: the order's requisitions close if nothing is outstanding.
    pub async fn job_ready(&self, txn: &mut WriteTxn, job: uuid::Uuid, order: RepairOrderId) -> AppResult<()> {
        requisitions::job_ready(&**txn, job).await?;
        self.maybe_close(txn, order).await
    }

    /// Publishes RequisitionsClosed once: the order known, its job ready, nothing outstanding.
    async fn maybe_close(&self, txn: &mut WriteTxn, order_id: RepairOrderId) -> AppResult<()> {
        let Some(order) = requisitions::find_order(&**txn, order_id, true).await? else { return Ok(()) };
        let ready = requisitions::job_of_order(&**txn, order_id).await?.is_some_and(|j| j.ready);
        if order.closed_at.is_some() || !ready {
            return Ok(());
        }
        let all = requisitions::list(&**txn, "order_id", &order_id.to_string(), None, 10_000).await?;
        if !nothing_outstanding(&all) {
            return Ok(());
        }
        let now = self.clock.now();
        let used = actuals(&all)
            .into_iter()
            .map(|(line, part, quantity)| pb::UsedPart {
                line_id: line.map(|l| l.to_string()).unwrap_or_default(),
                part_number: part.to_string(),
                quantity_hundredths: quantity,
            })
            .collect();
        let event = pb::RequisitionsClosed {
            repair_order_id: order_id.to_string(),
            dealer_id: order.dealer_id.to_string(),
            used,
            closed_at: Some(to_timestamp(now)),
        };
        self.release(txn, order.dealer_id, order_id, pb::ReleaseReason::NotNeeded).await?;
        publish(txn, &event, order.dealer_id, order_id, now).await?;
        requisitions::close_order(&**txn, order_id, now).await?;
        tracing::info!(repair_order_id = %order_id, "requisitions closed");
        Ok(())
    }

    /// A technician asks for a part for a job of the caller's dealer.
    pub async fn request_parts(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        job_id: uuid::Uuid,
        part: PartNumber,
        quantity: i64,
    ) -> AppResult<pb::Requisition> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let job = requisitions::find_job(&*txn, job_id).await?;
        let job = job.filter(|j| caller.dealer() == Some(j.dealer_id)).ok_or(AppError::NotFound("job"))?;
        let order = requisitions::find_order(&*txn, job.order_id, false).await?.ok_or_else(|| {
            AppError::precondition(
                "ORDER_NOT_KNOWN_YET",
                "unknown",
                "parts has not heard of the job's order yet; retry",
            )
        })?;
        open_order(&order)?;
        if job.ready {
            return Err(AppError::precondition("JOB_READY", "ready", "the job is ready: no more parts are asked for"));
        }
        known_part(&txn, &part).await?;
        let link = JobLink {
            job_id,
            dealer_id: job.dealer_id,
            order_id: order.order_id,
            vin: job.vin,
            mileage_km: order.mileage_km,
        };
        let requisition = Requisition::request(link, order.line_for(&part), part, quantity, &caller.subject, now);
        requisitions::insert(&*txn, &requisition).await?;
        let answer = convert::requisition(&requisition);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The advisor approves (`refusal` None) or refuses a requisition that waits.
    pub async fn decide_requisition(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        refusal: Option<String>,
    ) -> AppResult<pb::Requisition> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut requisition = self.open_requisition(&txn, caller, id).await?;
        match &refusal {
            None => requisition.approve(&caller.subject, now),
            Some(reason) => requisition.refuse(reason, &caller.subject, now),
        }
        .map_err(requisition_error)?;
        requisitions::save(&*txn, &requisition).await?;
        self.maybe_close(&mut txn, requisition.job.order_id).await?;
        let answer = convert::requisition(&requisition);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The clerk issues (part of) an approved requisition from a warehouse.
    pub async fn issue_requisition(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        issuing: Issuing,
    ) -> AppResult<pb::Requisition> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut requisition = self.open_requisition(&txn, caller, id).await?;
        requisition.check_issue(issuing.quantity).map_err(requisition_error)?;
        own_dealer(warehouses::dealer_of(&*txn, issuing.warehouse_id).await?, caller)?;
        let dealer = requisition.job.dealer_id;
        let line = requisition.line_id.map(|line| (requisition.job.order_id, line));
        let used = self.clear_reservations(&txn, dealer, &requisition.part_number, issuing.quantity, line).await?;
        let lots = ledger::lots_of(&*txn, issuing.warehouse_id, &requisition.part_number, true).await?;
        let plan = plan_issue(&lots, issuing.quantity, issuing.batch.as_ref()).map_err(short)?;
        not_frozen(&txn, issuing.warehouse_id, plan.iter().map(|(lot, _)| &lot.key.bin)).await?;
        let context = context(&requisition, &caller.subject, now);
        let mut moves = Vec::with_capacity(plan.len());
        for (mut lot, take) in plan {
            let before = lot.on_hand;
            let movement = lot.apply(MovementKind::Issue, -take, &context).map_err(move_error)?;
            ledger::save_lot(&*txn, requisition.job.dealer_id, &lot, Some(before), now).await?;
            record(&mut txn, &movement).await?;
            let moved = batch_move(movement.id, &lot, take, &caller.subject, now);
            requisitions::insert_move(&*txn, requisition.id, &moved, false).await?;
            publish(
                &mut txn,
                &issued_event(&requisition, &moved),
                requisition.job.dealer_id,
                requisition.job.order_id,
                now,
            )
            .await?;
            moves.push(moved);
        }
        self.use_reservation(&txn, dealer, used).await?;
        requisition.record_issues(moves);
        requisitions::save(&*txn, &requisition).await?;
        self.maybe_close(&mut txn, requisition.job.order_id).await?;
        let answer = convert::requisition(&requisition);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The clerk takes back unused parts of a batch issued for the requisition.
    pub async fn return_parts(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        back: Returning,
    ) -> AppResult<pb::Requisition> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut requisition = self.open_requisition(&txn, caller, id).await?;
        let warehouse = own(warehouses::find(&*txn, back.warehouse_id).await?, caller)?;
        if !warehouse.has_bin(&back.bin) {
            return Err(AppError::invalid("bin", "is not a bin of this warehouse"));
        }
        not_frozen(&txn, warehouse.id, [&back.bin]).await?;
        let lot_key = LotKey {
            warehouse_id: warehouse.id,
            bin: back.bin.clone(),
            part_number: requisition.part_number.clone(),
            batch: back.batch.clone(),
        };
        let found = ledger::find_lot(&*txn, &lot_key, true).await?;
        let before = found.as_ref().map(|l| l.on_hand);
        let mut lot = found.unwrap_or_else(|| Lot::empty(lot_key, now));
        let movement = lot
            .apply(MovementKind::Return, back.quantity, &context(&requisition, &caller.subject, now))
            .map_err(move_error)?;
        let moved = batch_move(movement.id, &lot, back.quantity, &caller.subject, now);
        requisition.record_return(moved.clone()).map_err(requisition_error)?;
        ledger::save_lot(&*txn, requisition.job.dealer_id, &lot, before, now).await?;
        record(&mut txn, &movement).await?;
        requisitions::insert_move(&*txn, requisition.id, &moved, true).await?;
        let event = pb::PartsReturned {
            requisition_id: requisition.id.to_string(),
            dealer_id: requisition.job.dealer_id.to_string(),
            repair_order_id: requisition.job.order_id.to_string(),
            line_id: requisition.line_id.map(|l| l.to_string()).unwrap_or_default(),
            vin: requisition.job.vin.to_string(),
            part_number: requisition.part_number.to_string(),
            batch: moved.batch.to_string(),
            quantity_hundredths: moved.quantity,
            returned_at: Some(to_timestamp(now)),
        };
        publish(&mut txn, &event, requisition.job.dealer_id, requisition.job.order_id, now).await?;
        let answer = convert::requisition(&requisition);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A requisition the caller may see.
    pub async fn requisition(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Requisition> {
        let read = self.db.read().await?;
        let found = requisitions::find(&read, id, false).await?;
        found.filter(|r| caller.can_see_dealer(&r.job.dealer_id)).ok_or(AppError::NotFound("requisition"))
    }

    /// A page of the requisitions of a job or an order the caller may see, oldest first.
    pub async fn requisitions(
        &self,
        caller: &Principal,
        of: RequisitionsOf,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Requisition>> {
        let read = self.db.read().await?;
        let (column, id, dealer) = match of {
            RequisitionsOf::Job(job) => {
                let known = requisitions::find_job(&read, job).await?;
                ("job_id", job.to_string(), known.map(|j| j.dealer_id))
            }
            RequisitionsOf::Order(order) => {
                let known = requisitions::find_order(&read, order, false).await?;
                ("order_id", order.to_string(), known.map(|o| o.dealer_id))
            }
        };
        let dealer: Option<DealerId> = dealer.filter(|d| caller.can_see_dealer(d));
        if dealer.is_none() {
            return Err(AppError::NotFound("job or order"));
        }
        requisitions::list(&read, column, &id, after, limit).await
    }

    /// A requisition of the caller's dealer whose order is still open, locked.
    async fn open_requisition(&self, txn: &WriteTxn, caller: &Principal, id: uuid::Uuid) -> AppResult<Requisition> {
        let found = requisitions::find(&**txn, id, true).await?;
        let requisition =
            found.filter(|r| caller.dealer() == Some(r.job.dealer_id)).ok_or(AppError::NotFound("requisition"))?;
        let order = requisitions::find_order(&**txn, requisition.job.order_id, true)
            .await?
            .ok_or(AppError::NotFound("repair order"))?;
        open_order(&order)?;
        Ok(requisition)
    }
}

/// Whose requisitions to list.
#[derive(Debug, Clone, Copy)]
pub enum RequisitionsOf {
    /// A job's.
    Job(uuid::Uuid),
    /// An order's.
    Order(RepairOrderId),
}

fn open_order(order: &KnownOrder) -> AppResult<()> {
    if order.cancelled {
        return Err(AppError::precondition("ORDER_CANCELLED", "cancelled", "the repair order was cancelled"));
    }
    if order.closed_at.is_some() {
        return Err(requisition_error(RequisitionError::Closed));
    }
    Ok(())
}

fn context(requisition: &Requisition, by: &str, now: DateTime<Utc>) -> Context {
    Context {
        dealer_id: requisition.job.dealer_id,
        document: Document {
            kind: DocumentType::parse("requisition").expect("a valid type"),
            reference: requisition.id.to_string(),
        },
        reason: format!("repair order {}", requisition.job.order_id),
        by: by.to_string(),
        at: now,
    }
}

fn batch_move(movement: uuid::Uuid, lot: &Lot, quantity: i64, by: &str, now: DateTime<Utc>) -> BatchMove {
    BatchMove {
        movement_id: movement,
        warehouse_id: lot.key.warehouse_id,
        bin: lot.key.bin.clone(),
        batch: lot.key.batch.clone(),
        quantity,
        by: by.to_string(),
        at: now,
    }
}

fn issued_event(r: &Requisition, m: &BatchMove) -> pb::PartsIssued {
    pb::PartsIssued {
        requisition_id: r.id.to_string(),
        dealer_id: r.job.dealer_id.to_string(),
        repair_order_id: r.job.order_id.to_string(),
        line_id: r.line_id.map(|l| l.to_string()).unwrap_or_default(),
        job_id: r.job.job_id.to_string(),
        vin: r.job.vin.to_string(),
        mileage_km: r.job.mileage_km,
        part_number: r.part_number.to_string(),
        batch: m.batch.to_string(),
        quantity_hundredths: m.quantity,
        issued_at: Some(to_timestamp(m.at)),
    }
}

pub(super) async fn publish<E: aftersales_proto::EventMessage>(
    txn: &mut WriteTxn,
    event: &E,
    dealer: DealerId,
    order: RepairOrderId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    outbox::append(
        txn,
        NewEvent::new(event, now, EventTenant::Dealer(dealer.to_string()), AGGREGATE, order.to_string()),
    )
    .await?;
    Ok(())
}

fn requisition_error(error: RequisitionError) -> AppError {
    match &error {
        RequisitionError::WrongState { state, .. } => {
            AppError::precondition("REQUISITION_STATE", state.as_str(), error.to_string())
        }
        RequisitionError::BeyondOutstanding { .. } => {
            AppError::precondition("BEYOND_REQUISITION", "approved", error.to_string())
        }
        RequisitionError::BeyondIssued { .. } => AppError::precondition("BEYOND_ISSUED", "issued", error.to_string()),
        RequisitionError::Closed => AppError::precondition("REQUISITIONS_CLOSED", "closed", error.to_string()),
    }
}
