//! Reception's answers, applied inside the consumer's transaction: a cancelled order drops its job; the
//! customer's answer to additional work adds the approved operations or closes the request.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;

use super::{Workshop, job_event};
use crate::convert;
use crate::domain::ApprovedOperation;
use crate::domain::Job;
use crate::domain::job::AdditionalWorkState;
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
    /// Drops the job of `dealer`'s cancelled order if work has not started; publishes `JobCancelled`.
    pub async fn cancel_job(&self, txn: &mut WriteTxn, dealer: DealerId, order: RepairOrderId) -> AppResult<()> {
        let Some(mut job) = job_of(txn, dealer, order).await? else {
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

    /// Applies the customer's answer to additional-work request `request` of `dealer`'s `order`'s job.
    pub async fn answer_additional_work(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        order: RepairOrderId,
        request: uuid::Uuid,
        answer: Answer,
    ) -> AppResult<()> {
        let Some(mut job) = job_of(txn, dealer, order).await? else {
            tracing::error!(repair_order_id = %order, %request, "additional-work answer for an order without a job");
            return Ok(());
        };
        let now = self.clock.now();
        let before = job.clone();
        let approved = matches!(answer, Answer::Approved(_));
        let applied = match answer {
            Answer::Approved(lines) => job.approve_additional_work(request, lines, now),
            Answer::Refused(reason) => job.refuse_additional_work(request, &reason, now),
        };
        match applied {
            Ok(Answered::Applied) => {
                jobs::save(&**txn, &job, &before).await?;
                tracing::info!(job_id = %job.id, %request, "additional work answered");
            }
            Ok(Answered::AlreadyAnswered) => {
                // A redelivery is normal; an answer contradicting the first one is reception's bug, kept visible.
                let first = job.additional_work.iter().find(|w| w.id == request).map(|w| w.state);
                let contradicts =
                    first != Some(if approved { AdditionalWorkState::Approved } else { AdditionalWorkState::Refused });
                if contradicts {
                    tracing::warn!(job_id = %job.id, %request, ?first, approved, "additional work answered differently before; first answer kept");
                }
            }
            Err(error) => tracing::error!(job_id = %job.id, %error, "additional-work answer skipped"),
        }
        Ok(())
    }
}

/// The job of `order`, locked, if it is `dealer`'s: an event naming another dealer's order is reception's bug and
/// must not touch the job.
async fn job_of(txn: &mut WriteTxn, dealer: DealerId, order: RepairOrderId) -> AppResult<Option<Job>> {
    let job = jobs::find_by_order_for_update(&**txn, order).await?;
    match job {
        Some(job) if job.dealer_id != dealer => {
            tracing::error!(repair_order_id = %order, event_dealer = %dealer, job_dealer = %job.dealer_id, "event names another dealer's order; skipped");
            Ok(None)
        }
        job => Ok(job),
    }
}
