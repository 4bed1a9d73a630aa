//! Keeping the customer informed: progress and delay notices are records of reception's, each published so the
//! escalation service's clocks (hourly progress, delay 30 min before the promise) are met.

use aftersales_kernel::RepairOrderId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::{Changed, Reception, order_event, visible};
use crate::convert;
use crate::domain::{CustomerNotice, NoticeChannel, NoticeError};
use crate::store::{notices, repair_orders};

impl Reception {
    /// The customer was told how the work goes; publishes `CustomerProgressNotified`.
    pub async fn notify_progress(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        message: &str,
        expected_ready_at: Option<DateTime<Utc>>,
        channel: NoticeChannel,
    ) -> AppResult<pb::CustomerNotice> {
        self.change_order(key, caller, id, |order, now| {
            let notice = order
                .notify_progress(message, expected_ready_at, channel, &caller.subject, now)
                .map_err(notice_error)?;
            Ok(noticed(order, notice, &convert::progress_event, now))
        })
        .await
    }

    /// The customer was told of a delay: the order's promise moves; publishes `CustomerDelayNotified`.
    #[allow(clippy::too_many_arguments)] // one per field of the request, each checked at the edge
    pub async fn notify_delay(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        reason: &str,
        new_promised_at: DateTime<Utc>,
        compensation_offer: &str,
        channel: NoticeChannel,
    ) -> AppResult<pb::CustomerNotice> {
        self.change_order(key, caller, id, |order, now| {
            let notice = order
                .notify_delay(reason, new_promised_at, compensation_offer, channel, &caller.subject, now)
                .map_err(notice_error)?;
            Ok(noticed(order, notice, &convert::delay_event, now))
        })
        .await
    }

    /// A page of the notices of an order the caller may see, oldest first.
    pub async fn customer_notices(
        &self,
        caller: &Principal,
        id: RepairOrderId,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<CustomerNotice>> {
        let conn = self.db.reader();
        visible(repair_orders::find(conn, id).await?, caller)?;
        notices::list(conn, id, after, limit).await
    }
}

/// The change a notice makes: the notice kept, its event published, the notice as the answer.
fn noticed<M: aftersales_proto::EventMessage>(
    order: &crate::domain::RepairOrder,
    notice: CustomerNotice,
    event: &dyn Fn(&CustomerNotice) -> M,
    now: DateTime<Utc>,
) -> Changed<pb::CustomerNotice> {
    Changed {
        events: vec![order_event(order, &event(&notice), now)],
        response: convert::notice(&notice),
        notices: vec![notice],
    }
}

fn notice_error(error: NoticeError) -> AppError {
    match &error {
        NoticeError::WrongState { state, .. } => {
            AppError::precondition("REPAIR_ORDER_STATE", state.as_str(), error.to_string())
        }
        NoticeError::ExpectedInThePast => AppError::invalid("expected_ready_at", error.to_string()),
        NoticeError::NotLater { .. } => AppError::invalid("new_promised_at", error.to_string()),
    }
}
