//! Keeping the customer informed (DOMAIN.md Reception 7): a progress notice (what was found, how long it still
//! takes) every hour of a job running over 2 h, and a delay notice (reason, new time, compensation offer) 30 min
//! before the promise. The notice is reception's record that the customer was told; escalation's clocks are met
//! by the events these records publish.

use aftersales_kernel::{DealerId, RepairOrderId};
use chrono::{DateTime, Utc};

/// How the customer was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeChannel {
    /// A call.
    Phone,
    /// A text message.
    Sms,
    /// The dealer's app.
    App,
    /// Face to face.
    InPerson,
}

impl NoticeChannel {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Phone => "phone",
            NoticeChannel::Sms => "sms",
            NoticeChannel::App => "app",
            NoticeChannel::InPerson => "in_person",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<NoticeChannel> {
        [NoticeChannel::Phone, NoticeChannel::Sms, NoticeChannel::App, NoticeChannel::InPerson]
            .into_iter()
            .find(|c| c.as_str() == name)
    }
}

/// What the customer was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeContent {
    /// How the work goes.
    Progress {
        /// What was found, how long it still takes.
        message: String,
        /// When the car is expected to be ready, if said.
        expected_ready_at: Option<DateTime<Utc>>,
    },
    /// The car will be late.
    Delay {
        /// Why.
        reason: String,
        /// The promise before.
        previous_promised_at: DateTime<Utc>,
        /// The promise from now on.
        new_promised_at: DateTime<Utc>,
        /// What the dealer offers for it.
        compensation_offer: String,
    },
}

/// A notice given to the customer about an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerNotice {
    /// Id.
    pub id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// Its dealer.
    pub dealer_id: DealerId,
    /// What was said.
    pub content: NoticeContent,
    /// How.
    pub channel: NoticeChannel,
    /// Staff who told the customer.
    pub notified_by: String,
    /// When.
    pub notified_at: DateTime<Utc>,
}

/// Why a notice cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// Progress is told while the job runs; a delay before the car is ready.
    #[error("an order that is {} takes no {what} notice", .state.as_str())]
    WrongState {
        /// The order's state.
        state: super::RepairOrderState,
        /// "progress" or "delay".
        what: &'static str,
    },
    /// The expected ready time lies in the past.
    #[error("must be in the future")]
    ExpectedInThePast,
    /// The new promise is not later than now and the current promise.
    #[error("must be after now and after the current promise {current}")]
    NotLater {
        /// The current promise.
        current: DateTime<Utc>,
    },
}
