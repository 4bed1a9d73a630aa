//! Additional work: workshop's requests arrive on its feed and put the order in `awaiting_additional_consent`;
//! the advisor records the customer's approval (priced, a new consent) or refusal, and the decision goes back to
//! workshop on reception's feed.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};

use super::{Changed, Reception, order_event};
use crate::convert;
use crate::domain::{AdditionalWorkRequest, AnswerError, CustomerAnswer, Pricing};

impl Reception {
    /// Workshop asked for additional work on `dealer`'s order: kept, and the order waits for the customer. Inside
    /// the consumer's transaction; a redelivered request changes nothing.
    pub async fn additional_work_requested(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        id: RepairOrderId,
        request: AdditionalWorkRequest,
    ) -> AppResult<()> {
        self.follow_fact(txn, dealer, id, "awaiting additional consent", |order, now| {
            order.additional_work_requested(request, now).map_err(|e| e.to_string())
        })
        .await
    }

    /// The customer approved request `work` at `pricing`: the new lines join the order in a new estimate version;
    /// publishes `AdditionalWorkApproved` with them.
    pub async fn approve_additional_work(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        work: uuid::Uuid,
        pricing: Pricing,
        answer: CustomerAnswer,
    ) -> AppResult<pb::RepairOrder> {
        self.change_order(key, caller, id, |order, now| {
            order
                .approve_additional_work(work, &pricing, CustomerAnswer { at: now, ..answer }, now)
                .map_err(answer_error)?;
            tracing::info!(repair_order_id = %order.id, additional_work_id = %work, "additional work approved");
            let event = convert::additional_work_approved_event(order, work, now);
            Ok(Changed::order(order, vec![order_event(order, &event, now)]))
        })
        .await
    }

    /// The customer refused request `work`: kept with the reason, never done; publishes `AdditionalWorkRefused`.
    pub async fn refuse_additional_work(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        work: uuid::Uuid,
        reason: &str,
        answer: CustomerAnswer,
    ) -> AppResult<pb::RepairOrder> {
        self.change_order(key, caller, id, |order, now| {
            order
                .refuse_additional_work(work, reason, CustomerAnswer { at: now, ..answer }, now)
                .map_err(answer_error)?;
            tracing::info!(repair_order_id = %order.id, additional_work_id = %work, "additional work refused");
            let event = pb::AdditionalWorkRefused {
                repair_order_id: order.id.to_string(),
                dealer_id: order.dealer_id.to_string(),
                additional_work_id: work.to_string(),
                reason: reason.to_string(),
                refused_at: Some(aftersales_runtime::to_timestamp(now)),
            };
            Ok(Changed::order(order, vec![order_event(order, &event, now)]))
        })
        .await
    }
}

fn answer_error(error: AnswerError) -> AppError {
    match (&error, error.field()) {
        (_, Some(field)) => AppError::invalid(field, error.to_string()),
        (AnswerError::AlreadyDecided(decision), None) => {
            AppError::precondition("ADDITIONAL_WORK_DECIDED", *decision, error.to_string())
        }
        _ => AppError::NotFound("additional work"),
    }
}
