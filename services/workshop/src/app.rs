//! Workshop's use cases: jobs here, the operation catalogue in `app/operations.rs`, technicians in
//! `app/technicians.rs`.

use aftersales_kernel::{JobId, RepairOrderId};
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use crate::convert;
use crate::domain::{ApprovedOrder, Job, JobState};
use crate::store::jobs;

mod operations;
mod technicians;

pub use operations::OperationUpdate;

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
    /// (so the job, its event and the feed cursor commit together). An order that already has its job is left
    /// alone: one order, one job, whatever the feed delivers.
    pub async fn queue_job(&self, txn: &mut WriteTxn, order: ApprovedOrder) -> AppResult<Option<Job>> {
        if jobs::exists_for_order(&**txn, order.repair_order_id).await? {
            tracing::info!(repair_order_id = %order.repair_order_id, "order already has its job");
            return Ok(None);
        }
        let now = self.clock.now();
        let job = Job::queue(order, now).map_err(AppError::internal)?;
        jobs::insert(&**txn, &job).await?;
        let event = NewEvent::new(
            &convert::queued_event(&job),
            now,
            EventTenant::Dealer(job.dealer_id.to_string()),
            AGGREGATE,
            job.id.to_string(),
        );
        outbox::append(txn, event).await?;
        tracing::info!(job_id = %job.id, repair_order_id = %job.repair_order_id, urgent = job.urgent, "job queued");
        Ok(Some(job))
    }

    /// One job the caller may see.
    pub async fn job(&self, caller: &Principal, id: JobId) -> AppResult<Job> {
        jobs::find(self.db.reader(), id)
            .await?
            .filter(|j| caller.can_see_dealer(&j.dealer_id))
            .ok_or(AppError::NotFound("job"))
    }

    /// A page of jobs, newest first.
    pub async fn jobs(
        &self,
        scope: &DealerScope,
        order: Option<RepairOrderId>,
        state: Option<JobState>,
        after: Option<JobId>,
        limit: u64,
    ) -> AppResult<Vec<Job>> {
        jobs::list(self.db.reader(), scope, order, state, after, limit).await
    }
}
