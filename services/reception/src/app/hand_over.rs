//! The order's last steps at the desk: the car handed back (Delivered, and FollowUpScheduled for escalation's
//! follow-up clock) and the follow-up visit (FollowUpRecorded, and CustomerDissatisfied for a score of 2 or below
//! or a complaint — the escalation service opens a case from it).

use aftersales_kernel::RepairOrderId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use chrono::NaiveDate;

use super::{Changed, Reception, order_event};
use crate::domain::{FollowUp, OldParts, WrongState};
use crate::store::{directory, repair_orders, vehicles};

impl Reception {
    /// What a case opened from a dissatisfied follow-up needs beyond the order: the vehicle's model and the
    /// dealer's region (empty when unknown). Read before the follow-up's transaction: neither changes with it.
    async fn case_context(&self, id: RepairOrderId) -> AppResult<(String, String)> {
        let conn = self.db.reader();
        let Some(order) = repair_orders::find(conn, id).await? else { return Ok(Default::default()) };
        let scope = DealerScope::Only(order.dealer_id);
        let vehicle = vehicles::list(conn, &scope, None, Some(&order.vin), None, 1).await?.pop();
        let dealer = directory::dealer(conn, order.dealer_id).await?;
        Ok((vehicle.map(|v| v.model).unwrap_or_default(), dealer.map(|d| d.profile.region).unwrap_or_default()))
    }

    /// Hands the car back; publishes `Delivered` and `FollowUpScheduled`.
    pub async fn deliver(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        old_parts: OldParts,
        next_service_on: Option<NaiveDate>,
        next_service_km: Option<i64>,
    ) -> AppResult<pb::RepairOrder> {
        let after = self.follow_up_after;
        self.change_order(key, caller, id, |order, now| {
            if let Some(km) = next_service_km.filter(|km| *km <= order.mileage_km) {
                return Err(AppError::invalid(
                    "next_service_km",
                    format!("{km} km must be above the check-in reading of {} km", order.mileage_km),
                ));
            }
            if next_service_on.is_some_and(|day| day <= now.date_naive()) {
                return Err(AppError::invalid("next_service_on", "must be after today"));
            }
            let delivery = order
                .deliver(&caller.subject, old_parts, next_service_on, next_service_km, after, now)
                .map_err(wrong_state)?;
            tracing::info!(repair_order_id = %order.id, on_time = delivery.on_time, "vehicle delivered");
            let delivered = pb::Delivered {
                repair_order_id: order.id.to_string(),
                dealer_id: order.dealer_id.to_string(),
                vin: order.vin.to_string(),
                delivered_at: Some(to_timestamp(now)),
                promised_at: Some(to_timestamp(order.promised_at)),
                on_time: delivery.on_time,
            };
            let scheduled = pb::FollowUpScheduled {
                repair_order_id: order.id.to_string(),
                dealer_id: order.dealer_id.to_string(),
                due_at: Some(to_timestamp(delivery.follow_up_due_at)),
            };
            Ok(Changed::order(order, vec![order_event(order, &delivered, now), order_event(order, &scheduled, now)]))
        })
        .await
    }

    /// Records the follow-up visit (its time set now); publishes `FollowUpRecorded`, and `CustomerDissatisfied`
    /// when it says so.
    pub async fn record_follow_up(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        follow_up: FollowUp,
    ) -> AppResult<pb::RepairOrder> {
        // Only a dissatisfied customer's follow-up opens a case: the lookups are for that one alone.
        let (model, region) = if follow_up.dissatisfied() { self.case_context(id).await? } else { Default::default() };
        self.change_order(key, caller, id, |order, now| {
            let follow_up = FollowUp { recorded_at: now, ..follow_up };
            let (score, complaint, comments) = (follow_up.score, follow_up.complaint, follow_up.comments.clone());
            let dissatisfied = follow_up.dissatisfied();
            order.follow_up(follow_up).map_err(wrong_state)?;
            tracing::info!(repair_order_id = %order.id, score = score.value(), dissatisfied, "follow-up recorded");
            let recorded = pb::FollowUpRecorded {
                repair_order_id: order.id.to_string(),
                dealer_id: order.dealer_id.to_string(),
                score: i32::from(score.value()),
                complaint,
                recorded_at: Some(to_timestamp(now)),
            };
            let mut events = vec![order_event(order, &recorded, now)];
            if dissatisfied {
                let event = pb::CustomerDissatisfied {
                    repair_order_id: order.id.to_string(),
                    dealer_id: order.dealer_id.to_string(),
                    vin: order.vin.to_string(),
                    score: i32::from(score.value()),
                    complaint,
                    comments,
                    fault_description: order.fault_description.clone(),
                    recorded_at: Some(to_timestamp(now)),
                    model,
                    region,
                };
                events.push(order_event(order, &event, now));
            }
            Ok(Changed::order(order, events))
        })
        .await
    }
}

fn wrong_state(error: WrongState) -> AppError {
    AppError::precondition("REPAIR_ORDER_STATE", error.state.as_str(), error.to_string())
}
