//! Deliveries and follow-up visits of orders: written once, read with their orders.

use std::collections::HashMap;

use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, Value};

use crate::domain::{Delivery, FollowUp, FollowUpChannel, OldParts, RepairOrder, Score};
use crate::store::sql::{corrupt, execute, placeholders, query};

/// Deliveries and follow-ups of `orders`, by order id.
pub(super) async fn load(
    conn: &impl ConnectionTrait,
    orders: &[String],
) -> AppResult<(HashMap<String, Delivery>, HashMap<String, FollowUp>)> {
    let ids: Vec<Value> = orders.iter().map(|id| Value::from(id.clone())).collect();
    let list = placeholders(1, orders.len());
    let mut deliveries = HashMap::new();
    for row in query(conn, &format!("SELECT * FROM deliveries WHERE repair_order_id IN ({list})"), ids.clone()).await? {
        let next_on: Option<String> = row.try_get("", "next_service_on")?;
        let delivery = Delivery {
            delivered_by: row.try_get("", "delivered_by")?,
            delivered_at: from_micros(row.try_get("", "delivered_at_us")?),
            old_parts: OldParts::parse(&row.try_get::<String>("", "old_parts")?)
                .ok_or_else(|| corrupt("deliveries", "old parts"))?,
            next_service_on: next_on
                .map(|d| d.parse())
                .transpose()
                .map_err(|_| corrupt("deliveries", "next service date"))?,
            next_service_km: row.try_get("", "next_service_km")?,
            follow_up_due_at: from_micros(row.try_get("", "follow_up_due_at_us")?),
            on_time: row.try_get("", "on_time")?,
        };
        deliveries.insert(row.try_get("", "repair_order_id")?, delivery);
    }
    let mut follow_ups = HashMap::new();
    for row in query(conn, &format!("SELECT * FROM follow_ups WHERE repair_order_id IN ({list})"), ids).await? {
        let follow_up = FollowUp {
            channel: FollowUpChannel::parse(&row.try_get::<String>("", "channel")?)
                .ok_or_else(|| corrupt("follow_ups", "channel"))?,
            score: Score::new(row.try_get("", "score")?).ok_or_else(|| corrupt("follow_ups", "score"))?,
            comments: row.try_get("", "comments")?,
            complaint: row.try_get("", "complaint")?,
            recorded_by: row.try_get("", "recorded_by")?,
            recorded_at: from_micros(row.try_get("", "recorded_at_us")?),
        };
        follow_ups.insert(row.try_get("", "repair_order_id")?, follow_up);
    }
    Ok((deliveries, follow_ups))
}

/// Writes the delivery and follow-up the order gained since `before`.
pub(super) async fn save(conn: &impl ConnectionTrait, order: &RepairOrder, before: &RepairOrder) -> AppResult<()> {
    if let (Some(d), None) = (&order.delivery, &before.delivery) {
        execute(
            conn,
            "INSERT INTO deliveries (repair_order_id, dealer_id, delivered_by, delivered_at_us, old_parts, \
             next_service_on, next_service_km, follow_up_due_at_us, on_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                order.id.to_string().into(),
                order.dealer_id.to_string().into(),
                d.delivered_by.clone().into(),
                to_micros(d.delivered_at).into(),
                d.old_parts.as_str().into(),
                d.next_service_on.map(|day| day.to_string()).into(),
                d.next_service_km.into(),
                to_micros(d.follow_up_due_at).into(),
                d.on_time.into(),
            ],
        )
        .await?;
    }
    if let (Some(f), None) = (&order.follow_up, &before.follow_up) {
        execute(
            conn,
            "INSERT INTO follow_ups (repair_order_id, dealer_id, channel, score, comments, complaint, recorded_by, \
             recorded_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                order.id.to_string().into(),
                order.dealer_id.to_string().into(),
                f.channel.as_str().into(),
                i32::from(f.score.value()).into(),
                f.comments.clone().into(),
                f.complaint.into(),
                f.recorded_by.clone().into(),
                to_micros(f.recorded_at).into(),
            ],
        )
        .await?;
    }
    Ok(())
}
