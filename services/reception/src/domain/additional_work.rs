//! Additional work (增项): what the workshop asked to add to a running job, and the customer's answer. The request
//! is workshop's (it arrives on workshop's feed, with workshop's id); the answer is reception's, given as a new
//! consent: approved work joins the order as required lines of a new estimate version, refused work is kept with
//! its reason and never done.

use aftersales_kernel::{Hundredths, Money, OperationCode, PartNumber};
use chrono::{DateTime, Utc};

use super::ConsentChannel;

/// A request as the workshop made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalWorkRequest {
    /// Workshop's id of the request; reception's answer names it.
    pub id: uuid::Uuid,
    /// The job that asked.
    pub job_id: uuid::Uuid,
    /// What the technician found.
    pub finding: String,
    /// Operations asked for, with estimated hours.
    pub operations: Vec<(OperationCode, Hundredths)>,
    /// Parts asked for, with quantities.
    pub parts: Vec<(PartNumber, Hundredths)>,
    /// Photo/video references of the finding.
    pub media_references: Vec<String>,
    /// The technician (subject).
    pub requested_by: String,
    /// When workshop asked.
    pub requested_at: DateTime<Utc>,
}

/// The customer's answer, approving or refusing: who, how, recorded by whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerAnswer {
    /// The person who answered.
    pub by: String,
    /// How.
    pub channel: ConsentChannel,
    /// Signature or call reference (may be empty for phone answers and refusals).
    pub signature_reference: String,
    /// Staff who recorded it.
    pub recorded_by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where a request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Waits for the customer.
    Pending,
    /// Consented: its lines are on the order, in estimate `version`.
    Approved {
        /// The estimate version the approval created.
        version: i32,
        /// The consent.
        answer: CustomerAnswer,
    },
    /// Refused with a reason; never done.
    Refused {
        /// The customer's reason.
        reason: String,
        /// Who refused, how, when.
        answer: CustomerAnswer,
    },
}

impl Decision {
    /// Stable name, stored and shown in errors.
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved { .. } => "approved",
            Decision::Refused { .. } => "refused",
        }
    }
}

/// A request and its decision, as the order keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalWork {
    /// What workshop asked.
    pub request: AdditionalWorkRequest,
    /// The customer's decision.
    pub decision: Decision,
}

impl AdditionalWork {
    /// Whether the customer has yet to answer.
    pub fn is_pending(&self) -> bool {
        self.decision == Decision::Pending
    }
}

/// How the advisor priced a request for the customer: one hourly rate for its operations, one unit price per part
/// in the request's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    /// Rate of the requested operations; needed when there are any.
    pub hourly_rate: Option<Money>,
    /// Unit price of each requested part, in order.
    pub part_unit_prices: Vec<Money>,
}

/// Why an answer to additional work cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// No request with that id on the order.
    #[error("is not an additional-work request of this order")]
    UnknownRequest,
    /// The customer already answered it.
    #[error("the request is already {}", .0)]
    AlreadyDecided(&'static str),
    /// Operations asked for but no hourly rate given.
    #[error("is required: the request has operations")]
    RateMissing,
    /// Not exactly one unit price per requested part.
    #[error("must give exactly {expected} unit price(s), one per requested part")]
    PartPriceCount {
        /// Number of parts requested.
        expected: usize,
    },
    /// A price in another currency than the order's (the field, e.g. `hourly_rate`, `part_unit_prices[1]`).
    #[error("must be in {expected}, the order's currency")]
    Currency {
        /// The field.
        field: String,
        /// The order's currency.
        expected: String,
    },
    /// A line's amount or the estimate total overflows.
    #[error("amount too large")]
    Overflow,
}

impl AnswerError {
    /// The request field the error is about, for INVALID_ARGUMENT; `None` for the precondition and lookup errors.
    pub fn field(&self) -> Option<String> {
        match self {
            AnswerError::UnknownRequest | AnswerError::AlreadyDecided(_) => None,
            AnswerError::RateMissing => Some("hourly_rate".into()),
            AnswerError::PartPriceCount { .. } | AnswerError::Overflow => Some("part_unit_prices".into()),
            AnswerError::Currency { field, .. } => Some(field.clone()),
        }
    }
}
