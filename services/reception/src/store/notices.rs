//! The notices given to customers about their orders: appended, never changed.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::customer_notice as row;
use crate::domain::{CustomerNotice, NoticeChannel, NoticeContent};

/// Appends a notice.
pub async fn insert(conn: &impl ConnectionTrait, notice: &CustomerNotice) -> AppResult<()> {
    let (kind, message, expected, reason, previous, new, offer) = match &notice.content {
        NoticeContent::Progress { message, expected_ready_at } => {
            ("progress", Some(message.clone()), expected_ready_at.map(to_micros), None, None, None, None)
        }
        NoticeContent::Delay { reason, previous_promised_at, new_promised_at, compensation_offer } => (
            "delay",
            None,
            None,
            Some(reason.clone()),
            Some(to_micros(*previous_promised_at)),
            Some(to_micros(*new_promised_at)),
            Some(compensation_offer.clone()),
        ),
    };
    row::Entity::insert(row::ActiveModel {
        id: Set(notice.id.to_string()),
        repair_order_id: Set(notice.repair_order_id.to_string()),
        dealer_id: Set(notice.dealer_id.to_string()),
        kind: Set(kind.to_string()),
        channel: Set(notice.channel.as_str().to_string()),
        message: Set(message),
        expected_ready_at_us: Set(expected),
        reason: Set(reason),
        previous_promised_at_us: Set(previous),
        new_promised_at_us: Set(new),
        compensation_offer: Set(offer),
        notified_by: Set(notice.notified_by.clone()),
        notified_at_us: Set(to_micros(notice.notified_at)),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// A page of an order's notices, oldest first, after `after` (exclusive), at most `limit`.
pub async fn list(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<CustomerNotice>> {
    let mut query = row::Entity::find()
        .filter(row::Column::RepairOrderId.eq(order.to_string()))
        .order_by_asc(row::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(row::Column::Id.gt(after.to_string()));
    }
    query.all(conn).await?.into_iter().map(from_row).collect()
}

fn from_row(model: row::Model) -> AppResult<CustomerNotice> {
    let corrupt = |what: &str| AppError::internal(anyhow::anyhow!("stored customer notice has an invalid {what}"));
    let content = match model.kind.as_str() {
        "progress" => NoticeContent::Progress {
            message: model.message.unwrap_or_default(),
            expected_ready_at: model.expected_ready_at_us.map(from_micros),
        },
        "delay" => NoticeContent::Delay {
            reason: model.reason.unwrap_or_default(),
            previous_promised_at: from_micros(model.previous_promised_at_us.ok_or_else(|| corrupt("promise"))?),
            new_promised_at: from_micros(model.new_promised_at_us.ok_or_else(|| corrupt("promise"))?),
            compensation_offer: model.compensation_offer.unwrap_or_default(),
        },
        _ => return Err(corrupt("kind")),
    };
    Ok(CustomerNotice {
        id: uuid::Uuid::parse_str(&model.id).map_err(|_| corrupt("id"))?,
        repair_order_id: RepairOrderId::parse(&model.repair_order_id).map_err(|_| corrupt("order id"))?,
        dealer_id: DealerId::parse(&model.dealer_id).map_err(|_| corrupt("dealer id"))?,
        content,
        channel: NoticeChannel::parse(&model.channel).ok_or_else(|| corrupt("channel"))?,
        notified_by: model.notified_by,
        notified_at: from_micros(model.notified_at_us),
    })
}
