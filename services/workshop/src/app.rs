//! Workshop's use cases, each one transaction with its outbox rows: job reads and queueing here; assignment in
//! `app/assignment.rs`, work and quality in `app/work.rs`, reception's answers in `app/answers.rs`, the operation
//! catalogue in `app/operations.rs`, technicians in `app/technicians.rs`, settings in `app/settings.rs`, KPIs in
//! `app/kpis.rs`.

use aftersales_kernel::{DealerId, JobId};
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::errors::FieldViolation;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use crate::convert;
use crate::domain::{ApprovedOrder, Job, JobError, JobState};
use crate::store::jobs;

mod answers;
mod assignment;
mod kpis;
mod operations;
mod settings;
mod technicians;
mod work;

pub use answers::Answer;
pub use assignment::QUEUE_MAX;
pub use operations::OperationUpdate;
pub use work::{Change, Performer};

/// The aggregate name on the feed.
const AGGREGATE: &str = "job";

/// Workshop's application layer.
#[derive(Clone, Debug)]
pub struct Workshop {
    db: Db,
    clock: SharedClock,
}

impl Workshop {
    /// Over a database and a clock.
    pub fn new(db: Db, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// Queues the one job of an approved order and publishes `JobQueued`, inside the consumer's transaction
    /// (so the job, its event and the feed cursor commit together); then automatic assignment, if the dealer
    /// turned it on. An order that already has its job is left alone: one order, one job, whatever the feed
    /// delivers.
    pub async fn queue_job(&self, txn: &mut WriteTxn, order: ApprovedOrder) -> AppResult<Option<Job>> {
        txn.serialize_on(&assignment::assignment_lock(order.dealer_id)).await?;
        if jobs::exists_for_order(&**txn, order.repair_order_id).await? {
            tracing::info!(repair_order_id = %order.repair_order_id, "order already has its job");
            return Ok(None);
        }
        let now = self.clock.now();
        let job = Job::queue(order, now).map_err(AppError::internal)?;
        jobs::insert(&**txn, &job).await?;
        job_event(txn, &job, &convert::queued_event(&job), now).await?;
        tracing::info!(job_id = %job.id, repair_order_id = %job.repair_order_id, urgent = job.urgent, "job queued");
        self.auto_assign(txn, job.dealer_id, now).await?;
        Ok(Some(job))
    }

    /// One job the caller may see.
    pub async fn job(&self, caller: &Principal, id: JobId) -> AppResult<Job> {
        visible_job(jobs::find(&self.db.read().await?, id).await?, caller)
    }

    /// A page of jobs, newest first.
    pub async fn jobs(
        &self,
        scope: &DealerScope,
        filter: &jobs::Filter,
        after: Option<JobId>,
        limit: u64,
    ) -> AppResult<Vec<Job>> {
        jobs::list(&self.db.read().await?, scope, filter, after, limit).await
    }
}

/// Another dealer's job is NOT_FOUND, like a missing one.
fn visible_job(found: Option<Job>, caller: &Principal) -> AppResult<Job> {
    found.filter(|j| caller.can_see_dealer(&j.dealer_id)).ok_or(AppError::NotFound("job"))
}

/// Appends one of a dealer's events (about `aggregate` `id`) to the outbox.
async fn dealer_event<M: aftersales_proto::EventMessage>(
    txn: &mut WriteTxn,
    dealer: DealerId,
    aggregate: &'static str,
    id: String,
    message: &M,
    now: DateTime<Utc>,
) -> AppResult<()> {
    outbox::append(txn, NewEvent::new(message, now, EventTenant::Dealer(dealer.to_string()), aggregate, id)).await?;
    Ok(())
}

/// Appends one of a job's events to the outbox.
async fn job_event<M: aftersales_proto::EventMessage>(
    txn: &mut WriteTxn,
    job: &Job,
    message: &M,
    now: DateTime<Utc>,
) -> AppResult<()> {
    dealer_event(txn, job.dealer_id, AGGREGATE, job.id.to_string(), message, now).await
}

/// A refused job change as its gRPC answer: state and sequence rules are FAILED_PRECONDITION (with the job's
/// `state`), who-may-do-it rules PERMISSION_DENIED, malformed asks INVALID_ARGUMENT naming the field.
fn job_error(state: JobState, error: JobError) -> AppError {
    let invalid = |field: &str| {
        AppError::InvalidArgument(vec![FieldViolation { field: field.into(), description: error.to_string() }])
    };
    let precondition = |reason: &'static str| AppError::precondition(reason, state.as_str(), error.to_string());
    match &error {
        JobError::State { .. } => precondition("JOB_STATE_FORBIDS"),
        JobError::NotHolder | JobError::InspectorWorkedOnJob => AppError::PermissionDenied(error.to_string()),
        JobError::NoTechnician => precondition("JOB_HAS_NO_TECHNICIAN"),
        JobError::AlreadyHolder => precondition("JOB_ALREADY_HELD_BY_TECHNICIAN"),
        JobError::ClockOpen(_) => precondition("JOB_CLOCK_OPEN"),
        JobError::NoOpenClock => precondition("JOB_NO_OPEN_CLOCK"),
        JobError::UnknownLine(_) => invalid("line_id"),
        JobError::NotClocked(_) => precondition("JOB_OPERATION_NOT_CLOCKED"),
        JobError::NoReworkClocked => precondition("JOB_REWORK_NOT_CLOCKED"),
        JobError::AdditionalWorkPending(_) => precondition("JOB_ADDITIONAL_WORK_PENDING"),
        JobError::FindingsRequired => invalid("findings"),
        JobError::PromiseNotLater(_) => invalid("new_promised_at"),
        JobError::NothingRequested | JobError::HoursOverflow => invalid("operations"),
    }
}
