//! Delivery (交车, DOMAIN.md Reception 9) and the follow-up visit (回访, 10): the car goes back only once
//! inspection passed and the customer signed the settlement; what happened to the old parts and when the next
//! service is due are recorded; a follow-up is due a configured time after delivery, and a score of 2 or below, or a
//! complaint, means the customer is dissatisfied (the escalation service opens a case).

use chrono::{DateTime, NaiveDate, Utc};

/// What happened to the parts taken out of the car.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldParts {
    /// Shown to the customer, then disposed of by the dealer.
    Shown,
    /// Handed to the customer.
    HandedOver,
    /// Kept by the dealer (e.g. warranty returns to the maker), with the customer's agreement.
    Retained,
    /// No part was replaced.
    NoneReplaced,
}

impl OldParts {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OldParts::Shown => "shown",
            OldParts::HandedOver => "handed_over",
            OldParts::Retained => "retained",
            OldParts::NoneReplaced => "none_replaced",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<OldParts> {
        [OldParts::Shown, OldParts::HandedOver, OldParts::Retained, OldParts::NoneReplaced]
            .into_iter()
            .find(|p| p.as_str() == name)
    }
}

/// The hand-over of the car.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Staff who handed it over.
    pub delivered_by: String,
    /// When.
    pub delivered_at: DateTime<Utc>,
    /// The old parts.
    pub old_parts: OldParts,
    /// Next service due on this day, if set.
    pub next_service_on: Option<NaiveDate>,
    /// Next service due at this odometer reading, km, if set.
    pub next_service_km: Option<i64>,
    /// When the follow-up visit is due.
    pub follow_up_due_at: DateTime<Utc>,
    /// Whether the car went back by the promised time.
    pub on_time: bool,
}

/// How the follow-up reached the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpChannel {
    /// A call.
    Phone,
    /// A text message.
    Sms,
    /// A survey.
    Survey,
}

impl FollowUpChannel {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpChannel::Phone => "phone",
            FollowUpChannel::Sms => "sms",
            FollowUpChannel::Survey => "survey",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<FollowUpChannel> {
        [FollowUpChannel::Phone, FollowUpChannel::Sms, FollowUpChannel::Survey].into_iter().find(|c| c.as_str() == name)
    }
}

/// A satisfaction score, 1 (very dissatisfied) to 5 (very satisfied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(u8);

impl Score {
    /// The lowest score that is not dissatisfaction.
    const SATISFIED_FROM: u8 = 3;

    /// A score of 1..=5.
    pub fn new(value: i32) -> Option<Score> {
        u8::try_from(value).ok().filter(|v| (1..=5).contains(v)).map(Score)
    }

    /// The number.
    pub fn value(self) -> u8 {
        self.0
    }
}

/// The follow-up visit's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// How.
    pub channel: FollowUpChannel,
    /// The customer's score.
    pub score: Score,
    /// The customer's words.
    pub comments: String,
    /// Whether the customer complained.
    pub complaint: bool,
    /// Staff who made it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

impl FollowUp {
    /// A score of 2 or below, or a complaint: the customer is dissatisfied and the escalation service opens a case.
    pub fn dissatisfied(&self) -> bool {
        self.complaint || self.score.value() < Score::SATISFIED_FROM
    }
}
