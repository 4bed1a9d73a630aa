//! The order's side of keeping the customer informed: progress is told while the job runs; a delay before the car
//! is ready, and it moves the order's promise to the new time.

use chrono::{DateTime, Utc};

use super::RepairOrder;
use crate::domain::{CustomerNotice, NoticeChannel, NoticeContent, NoticeError, RepairOrderState};

impl RepairOrder {
    /// The customer was told how the work goes (`message`, and when the car should be ready if said).
    pub fn notify_progress(
        &self,
        message: &str,
        expected_ready_at: Option<DateTime<Utc>>,
        channel: NoticeChannel,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<CustomerNotice, NoticeError> {
        if !matches!(self.state, RepairOrderState::InWorkshop | RepairOrderState::AwaitingAdditionalConsent) {
            return Err(NoticeError::WrongState { state: self.state, what: "progress" });
        }
        if expected_ready_at.is_some_and(|at| at <= now) {
            return Err(NoticeError::ExpectedInThePast);
        }
        Ok(self.notice(NoticeContent::Progress { message: message.to_string(), expected_ready_at }, channel, by, now))
    }

    /// The customer was told the car will be late: why, the new time (after now and after the current promise)
    /// and what the dealer offers. The order's promise becomes the new time.
    pub fn notify_delay(
        &mut self,
        reason: &str,
        new_promised_at: DateTime<Utc>,
        compensation_offer: &str,
        channel: NoticeChannel,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<CustomerNotice, NoticeError> {
        if !matches!(
            self.state,
            RepairOrderState::Approved | RepairOrderState::InWorkshop | RepairOrderState::AwaitingAdditionalConsent
        ) {
            return Err(NoticeError::WrongState { state: self.state, what: "delay" });
        }
        if new_promised_at <= now || new_promised_at <= self.promised_at {
            return Err(NoticeError::NotLater { current: self.promised_at });
        }
        let content = NoticeContent::Delay {
            reason: reason.to_string(),
            previous_promised_at: self.promised_at,
            new_promised_at,
            compensation_offer: compensation_offer.to_string(),
        };
        self.promised_at = new_promised_at;
        self.touch(now);
        Ok(self.notice(content, channel, by, now))
    }

    fn notice(&self, content: NoticeContent, channel: NoticeChannel, by: &str, now: DateTime<Utc>) -> CustomerNotice {
        CustomerNotice {
            id: uuid::Uuid::now_v7(),
            repair_order_id: self.id,
            dealer_id: self.dealer_id,
            content,
            channel,
            notified_by: by.to_string(),
            notified_at: now,
        }
    }
}
