//! The order's last steps: signed settlement (`ready → settled`), delivery (`settled → delivered`), follow-up
//! (`delivered → followed_up`).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::RepairOrder;
use crate::domain::{Delivery, FollowUp, OldParts, RepairOrderState};

/// A step taken from the wrong state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {} cannot be {what}", .state.as_str())]
pub struct WrongState {
    /// The order's state.
    pub state: RepairOrderState,
    /// What was tried.
    pub what: &'static str,
}

impl RepairOrder {
    fn step(&mut self, next: RepairOrderState, what: &'static str, now: DateTime<Utc>) -> Result<(), WrongState> {
        if !self.state.may_become(next) {
            return Err(WrongState { state: self.state, what });
        }
        self.state = next;
        self.touch(now);
        Ok(())
    }

    /// The customer signed the settlement: `ready → settled`.
    pub fn settle(&mut self, now: DateTime<Utc>) -> Result<(), WrongState> {
        self.step(RepairOrderState::Settled, "settled", now)
    }

    /// The car goes back to the customer — only once settled (inspection passed before the order was ready) —
    /// with the old parts' fate and the next service; the follow-up falls due `follow_up_after` later.
    pub fn deliver(
        &mut self,
        by: &str,
        old_parts: OldParts,
        next_service_on: Option<NaiveDate>,
        next_service_km: Option<i64>,
        follow_up_after: Duration,
        now: DateTime<Utc>,
    ) -> Result<Delivery, WrongState> {
        self.step(RepairOrderState::Delivered, "delivered", now)?;
        let delivery = Delivery {
            delivered_by: by.to_string(),
            delivered_at: now,
            old_parts,
            next_service_on,
            next_service_km,
            follow_up_due_at: now + follow_up_after,
            on_time: now <= self.promised_at,
        };
        self.delivery = Some(delivery.clone());
        Ok(delivery)
    }

    /// The follow-up visit is recorded: `delivered → followed_up`.
    pub fn follow_up(&mut self, follow_up: FollowUp) -> Result<(), WrongState> {
        self.step(RepairOrderState::FollowedUp, "followed up", follow_up.recorded_at)?;
        self.follow_up = Some(follow_up);
        Ok(())
    }
}
