//! Reception's answers, applied inside the consumer's transaction: a cancelled order drops its job; the
//! customer's answer to additional work adds the approved operations or closes the request.

use aftersales_kernel::RepairOrderId;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;

use super::{Workshop, job_event};
use crate::convert;
use crate::domain::ApprovedOperation;
use crate::domain::job::extra::Answered;
use crate::domain::job::quality::Cancelled;
use crate::store::jobs;

/// The customer's answer to an additional-work request.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Approved, with the approved labour lines.
    Approved(Vec<ApprovedOperation>),
    /// Refused, with the customer's reason.
    Refused(String),
}

impl Workshop {
    /// Drops the job of a cancelled order if work has not started; publishes `JobCancelled`.
    pub async fn cancel_job(&self, txn: &mut WriteTxn, order: RepairOrderId) -> AppResult<()> {
        let Some(mut job) = jobs::find_by_order_for_update(&**txn, order).await? else {
            tracing::info!(repair_order_id = %order, "cancelled order has no job");
            return Ok(());
        };
        let now = self.clock.now();
        let before = job.clone();
        match job.cancel(now) {
            Ok(Cancelled::Dropped) => {
                jobs::save(&**txn, &job, &before).await?;
                job_event(txn, &job, &convert::cancelled_event(&job), now).await?;
                tracing::info!(job_id = %job.id, "job cancelled with its order");
            }
            Ok(Cancelled::AlreadyCancelled) => {}
            Err(refused) => {
                // Reception refuses to cancel a started order; if one arrives anyway, the work already done stands.
                tracing::error!(job_id = %job.id, %refused, "order cancelled after its job started; job kept");
            }
        }
        Ok(())
    }

    /// Applies the customer's answer to additional-work request `request` of `order`'s job.
    pub async fn answer_additional_work(
        &self,
        txn: &mut WriteTxn,
        order: RepairOrderId,
        request: uuid::Uuid,
        answer: Answer,
    ) -> AppResult<()> {
        let Some(mut job) = jobs::find_by_order_for_update(&**txn, order).await? else {
            tracing::error!(repair_order_id = %order, %request, "additional-work answer for an order without a job");
            return Ok(());
        };
        let now = self.clock.now();
        let before = job.clone();
        let applied = match answer {
            Answer::Approved(lines) => job.approve_additional_work(request, lines, now),
            Answer::Refused(reason) => job.refuse_additional_work(request, &reason, now),
        };
        match applied {
            Ok(Answered::Applied) => {
                jobs::save(&**txn, &job, &before).await?;
                tracing::info!(job_id = %job.id, %request, "additional work answered");
            }
            Ok(Answered::AlreadyAnswered) => {}
            Err(error) => tracing::error!(job_id = %job.id, %error, "additional-work answer skipped"),
        }
        Ok(())
    }
}
