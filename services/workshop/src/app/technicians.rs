//! Technicians' use cases: load, ask the domain, save with the outbox in one transaction.

use aftersales_kernel::DealerId;
use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::errors::FieldViolation;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::Workshop;
use super::assignment::assignment_lock;
use crate::convert;
use crate::domain::{NewTraining, Technician, TechnicianError};
use crate::store::technicians;

/// The aggregate name on the feed.
const AGGREGATE: &str = "technician";

impl Workshop {
    /// Registers a staff member of `dealer` as a technician and publishes `TechnicianRegistered`.
    pub async fn register_technician(
        &self,
        key: &IdempotencyKey,
        dealer: DealerId,
        subject: &str,
        name: &str,
    ) -> AppResult<pb::Technician> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let technician = Technician::register(dealer, subject, name, now).map_err(invalid)?;
        // Returning early drops `txn`, which rolls back the key claimed above: a retry gets the same answer.
        if technicians::subject_taken(&*txn, dealer, subject).await? || !technicians::insert(&*txn, &technician).await?
        {
            return Err(AppError::AlreadyExists(format!("{subject} is already a technician of this dealer")));
        }
        publish(&mut txn, &technician, &convert::technician_registered(&technician), now).await?;
        let response = convert::technician(&technician);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(technician_id = %technician.id, dealer_id = %dealer, "technician registered");
        Ok(response)
    }

    /// Appends a training record to a technician the caller may see, and publishes `TrainingRecorded`.
    pub async fn record_training(
        &self,
        caller: &Principal,
        key: &IdempotencyKey,
        id: uuid::Uuid,
        training: NewTraining,
    ) -> AppResult<pb::Technician> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        if let Some(dealer) = caller.dealer() {
            txn.serialize_on(&assignment_lock(dealer)).await?;
        }
        let mut technician = visible(technicians::find_for_update(&*txn, id).await?, caller)?;
        let record = technician.record_training(training, now).map_err(invalid)?.clone();
        technicians::append_training(&*txn, &technician).await?;
        publish(&mut txn, &technician, &convert::training_recorded(&technician, &record), now).await?;
        if technician.on_shift() {
            // New skills may qualify them for a job that waits.
            self.auto_assign(&mut txn, technician.dealer_id, now).await?;
        }
        let response = convert::technician(&technician);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(technician_id = %technician.id, skill_family = %record.skill_family, "training recorded");
        Ok(response)
    }

    /// Puts a technician the caller may see on or off shift; publishes `ShiftChanged` only when the state changed.
    pub async fn set_shift(
        &self,
        caller: &Principal,
        key: &IdempotencyKey,
        id: uuid::Uuid,
        on_shift: bool,
    ) -> AppResult<pb::Technician> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        if let Some(dealer) = caller.dealer() {
            txn.serialize_on(&assignment_lock(dealer)).await?;
        }
        let mut technician = visible(technicians::find_for_update(&*txn, id).await?, caller)?;
        if technician.set_shift(on_shift, now) {
            technicians::save_shift(&*txn, &technician).await?;
            publish(&mut txn, &technician, &convert::shift_changed(&technician, now), now).await?;
            tracing::info!(technician_id = %technician.id, on_shift, "shift changed");
            if !on_shift {
                // Their open jobs go back to the queue (or, automatically, to someone else).
                self.release_jobs_of(&mut txn, &technician, now).await?;
            }
            // Waiting jobs are offered again: to them (on shift) or to the others (the released ones).
            self.auto_assign(&mut txn, technician.dealer_id, now).await?;
        }
        let response = convert::technician(&technician);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// One technician the caller may see.
    pub async fn technician(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Technician> {
        visible(technicians::find(&self.db.read().await?, id).await?, caller)
    }

    /// A page of technicians in registration order.
    pub async fn technicians(
        &self,
        scope: &DealerScope,
        on_shift_only: bool,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Technician>> {
        technicians::list(&self.db.read().await?, scope, on_shift_only, after, limit).await
    }
}

/// Another dealer's technician is NOT_FOUND, like a missing one.
fn visible(found: Option<Technician>, caller: &Principal) -> AppResult<Technician> {
    found.filter(|t| caller.can_see_dealer(&t.dealer_id)).ok_or(AppError::NotFound("technician"))
}

async fn publish<M: aftersales_proto::EventMessage>(
    txn: &mut WriteTxn,
    technician: &Technician,
    message: &M,
    now: DateTime<Utc>,
) -> AppResult<()> {
    super::dealer_event(txn, technician.dealer_id, AGGREGATE, technician.id.to_string(), message, now).await
}

/// A broken domain rule as INVALID_ARGUMENT, named by its request field.
fn invalid(error: TechnicianError) -> AppError {
    let field = match error {
        TechnicianError::Subject(_) => "subject",
        TechnicianError::Name(_) => "name",
        TechnicianError::Course(_) => "course",
        TechnicianError::Level => "level",
    };
    let description = match &error {
        TechnicianError::Subject(rule) | TechnicianError::Name(rule) | TechnicianError::Course(rule) => {
            rule.to_string()
        }
        TechnicianError::Level => error.to_string(),
    };
    AppError::InvalidArgument(vec![FieldViolation { field: field.into(), description }])
}
