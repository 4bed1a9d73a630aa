//! The case (投诉 / 售后问题): one complaint or field problem about one engine or vehicle, followed from the moment
//! it is received until it is closed.
//!
//! Rules (DOMAIN.md, "Complaint and escalation"):
//! - a case comes from the 24 h hotline, online channels, the OEM's field staff, a dealer's complaint or a customer
//!   dissatisfied at a dealer's follow-up; it records model, serial or VIN, symptom, usage scenario, contact, source,
//!   dealer and region;
//! - a dealer's complaint and a dissatisfied follow-up are about one dealer, so such a case must name it; the other
//!   sources may concern no dealer at all (an engine in a fleet, a hotline call);
//! - a new case is *received*: not yet classified, and its triage clock (1 h by default) runs from `received_at`,
//!   which never changes afterwards;
//! - its life is one line, `received → triaged → assigned → contacted → diagnosis → solution → implementation →
//!   customer_confirmation → responsibility → closed`: no step is skipped, closed is final, and nothing goes back
//!   but a customer who does not confirm the solution (`customer_confirmation → implementation`).
//!   Re-classification (general → important → urgent) changes the severity and the clocks, not the state.

use aftersales_kernel::{CaseId, DealerId, RepairOrderId};
use chrono::{DateTime, Utc};

use super::{Contact, SerialOrVin};

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSource {
    /// The 24 h service hotline.
    Hotline,
    /// Web, app, social media.
    Online,
    /// The OEM's field service staff.
    FieldStaff,
    /// A dealer's complaint.
    DealerComplaint,
    /// A customer dissatisfied at a dealer's follow-up visit.
    FollowUp,
}

impl CaseSource {
    /// Every source.
    pub const ALL: [CaseSource; 5] = [
        CaseSource::Hotline,
        CaseSource::Online,
        CaseSource::FieldStaff,
        CaseSource::DealerComplaint,
        CaseSource::FollowUp,
    ];

    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSource::Hotline => "hotline",
            CaseSource::Online => "online",
            CaseSource::FieldStaff => "field_staff",
            CaseSource::DealerComplaint => "dealer_complaint",
            CaseSource::FollowUp => "follow_up",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<CaseSource> {
        CaseSource::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether a case from this source is necessarily about one dealer.
    pub fn names_a_dealer(self) -> bool {
        match self {
            CaseSource::DealerComplaint | CaseSource::FollowUp => true,
            CaseSource::Hotline | CaseSource::Online | CaseSource::FieldStaff => false,
        }
    }
}

/// How serious a case is, set at triage; it may later be raised, never lowered back to "not triaged".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseSeverity {
    /// Support contacts the customer within 2 h of assignment.
    General,
    /// Department head and experts notified; meeting in 30 min, on site in 24 h.
    Important,
    /// Emergency team on site within 1 h.
    Urgent,
}

impl CaseSeverity {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseSeverity::General => "general",
            CaseSeverity::Important => "important",
            CaseSeverity::Urgent => "urgent",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<CaseSeverity> {
        [CaseSeverity::General, CaseSeverity::Important, CaseSeverity::Urgent].into_iter().find(|s| s.as_str() == name)
    }
}

/// What triage decided. Severity and category are set together (together they meet the triage clock), so a case
/// either has both or neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// How serious.
    pub severity: CaseSeverity,
    /// Problem category, 1..=200 characters; with the serial/VIN it decides what counts as a repeat.
    pub category: String,
}

/// Where a case is in its life; states compare in life-cycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseState {
    /// Recorded; the triage clock runs.
    Received,
    /// Severity and category set.
    Triaged,
    /// Given to a support group.
    Assigned,
    /// Support has spoken to the customer.
    Contacted,
    /// The fault is being diagnosed.
    Diagnosis,
    /// A solution is proposed.
    Solution,
    /// The solution is being carried out.
    Implementation,
    /// Waiting for the customer's confirmation and satisfaction.
    CustomerConfirmation,
    /// Responsibility determination (责任界定).
    Responsibility,
    /// Closed; nothing changes any more.
    Closed,
}

impl CaseState {
    /// Every state, in life-cycle order.
    pub const ALL: [CaseState; 10] = [
        CaseState::Received,
        CaseState::Triaged,
        CaseState::Assigned,
        CaseState::Contacted,
        CaseState::Diagnosis,
        CaseState::Solution,
        CaseState::Implementation,
        CaseState::CustomerConfirmation,
        CaseState::Responsibility,
        CaseState::Closed,
    ];

    /// Stable name, stored and shown in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Received => "received",
            CaseState::Triaged => "triaged",
            CaseState::Assigned => "assigned",
            CaseState::Contacted => "contacted",
            CaseState::Diagnosis => "diagnosis",
            CaseState::Solution => "solution",
            CaseState::Implementation => "implementation",
            CaseState::CustomerConfirmation => "customer_confirmation",
            CaseState::Responsibility => "responsibility",
            CaseState::Closed => "closed",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the life cycle allows `self → next`. The one place transitions are decided.
    pub fn may_become(self, next: CaseState) -> bool {
        use CaseState::*;
        match self {
            Received => next == Triaged,
            Triaged => next == Assigned,
            Assigned => next == Contacted,
            Contacted => next == Diagnosis,
            Diagnosis => next == Solution,
            Solution => next == Implementation,
            Implementation => next == CustomerConfirmation,
            CustomerConfirmation => next == Responsibility || next == Implementation,
            Responsibility => next == Closed,
            Closed => false,
        }
    }
}

/// What receiving a case needs (every field already parsed at the edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// The dealer it concerns, if any.
    pub dealer_id: Option<DealerId>,
    /// Region, ≤ 200 characters, may be empty.
    pub region: String,
    /// Where it came from.
    pub source: CaseSource,
    /// Engine or vehicle model, 1..=200 characters.
    pub model: String,
    /// The engine or vehicle.
    pub serial_or_vin: SerialOrVin,
    /// The symptom as reported, 1..=4000 characters.
    pub symptom: String,
    /// How and where it is used, ≤ 4000 characters, may be empty.
    pub usage_scenario: String,
    /// Whom to contact.
    pub contact: Contact,
    /// Token subject of whoever records it.
    pub created_by: String,
    /// The repair order it is about (a dissatisfied follow-up), if any.
    pub repair_order_id: Option<RepairOrderId>,
}

/// Why a case cannot be received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    /// A dealer's complaint or follow-up without its dealer.
    #[error("a case from a dealer's complaint or follow-up must name its dealer")]
    DealerRequired(CaseSource),
}

/// A case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Id (UUIDv7: ids sort by the time they were made).
    pub id: CaseId,
    /// The dealer it concerns, if any.
    pub dealer_id: Option<DealerId>,
    /// Region, may be empty.
    pub region: String,
    /// Where it came from.
    pub source: CaseSource,
    /// Engine or vehicle model.
    pub model: String,
    /// The engine or vehicle.
    pub serial_or_vin: SerialOrVin,
    /// The symptom as reported.
    pub symptom: String,
    /// How and where it is used, may be empty.
    pub usage_scenario: String,
    /// Whom to contact.
    pub contact: Contact,
    /// Where it is.
    pub state: CaseState,
    /// Severity and category, once triaged.
    pub classification: Option<Classification>,
    /// Who recorded it.
    pub created_by: String,
    /// The repair order it is about (a dissatisfied follow-up), if any.
    pub repair_order_id: Option<RepairOrderId>,
    /// When it was received: the triage clock starts here. Never changes.
    pub received_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change, so updates can be guarded against concurrent ones.
    pub revision: i64,
    /// The support group handling it, once assigned.
    pub support_group: Option<String>,
    /// What support noted when it first contacted the customer.
    pub contact_note: Option<String>,
    /// The analysis meeting of an important or urgent case, once held.
    pub meeting: Option<Meeting>,
    /// When the experts (an urgent case: the emergency team) arrived on site.
    pub onsite_at: Option<DateTime<Utc>>,
    /// Diagnosis steps and progress reports, oldest first; only ever added to.
    pub notes: Vec<Note>,
    /// The solution proposed last, with its review.
    pub solution: Option<Solution>,
    /// When the solution was carried out (the case waits for the customer); cleared if the customer does not
    /// confirm.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The customer's last answer.
    pub confirmation: Option<Confirmation>,
    /// The root-cause report with its measures.
    pub root_cause: Option<RootCause>,
    /// Responsibility determination, from its meeting on.
    pub responsibility: Option<Responsibility>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// An urgent case's emergency plan.
    pub emergency_plan: Option<EmergencyPlan>,
    /// An urgent case's temporary solution.
    pub temporary_solution: Option<Recorded>,
    /// An urgent case's post-incident review.
    pub incident_review: Option<PostIncidentReview>,
    /// The earlier case this one repeats (same engine or vehicle and category within the window).
    pub repeat_of: Option<CaseId>,
    /// The latest request to waive the onsite visit, with its decision.
    pub onsite_waiver: Option<OnsiteWaiver>,
}

impl Case {
    /// Receives a case at `now`: state `received`, not classified.
    pub fn receive(new: NewCase, now: DateTime<Utc>) -> Result<Case, ReceiveError> {
        if new.source.names_a_dealer() && new.dealer_id.is_none() {
            return Err(ReceiveError::DealerRequired(new.source));
        }
        Ok(Case {
            id: CaseId::new(),
            dealer_id: new.dealer_id,
            region: new.region,
            source: new.source,
            model: new.model,
            serial_or_vin: new.serial_or_vin,
            symptom: new.symptom,
            usage_scenario: new.usage_scenario,
            contact: new.contact,
            state: CaseState::Received,
            classification: None,
            created_by: new.created_by,
            repair_order_id: new.repair_order_id,
            received_at: now,
            updated_at: now,
            revision: 1,
            support_group: None,
            contact_note: None,
            meeting: None,
            onsite_at: None,
            notes: Vec::new(),
            solution: None,
            resolved_at: None,
            confirmation: None,
            root_cause: None,
            responsibility: None,
            closed_at: None,
            emergency_plan: None,
            temporary_solution: None,
            incident_review: None,
            repeat_of: None,
            onsite_waiver: None,
        })
    }
}

// Triage, assignment and first contact (case/steps.rs), the response to important and urgent cases
// (case/response.rs), the handling from diagnosis to the customer's confirmation (case/handling.rs) and root cause,
// responsibility and closing (case/responsibility.rs) live beside this file, with the rules' tests, to keep each file short.
mod emergency;
#[cfg(test)]
mod fixtures;
mod handling;
#[cfg(test)]
mod handling_tests;
mod intake;
#[cfg(test)]
mod machine_tests;
mod repeats;
mod response;
mod responsibility;
mod steps;
#[cfg(test)]
mod steps_tests;
#[cfg(test)]
mod tests;
mod waiver;

pub use emergency::{EmergencyPlan, PostIncidentReview, Recorded};
pub use handling::{Confirmation, Note, NoteKind, Review, Solution};
pub use intake::DissatisfiedFollowUp;
pub use repeats::RepeatWindow;
pub use response::Meeting;
pub use responsibility::{
    CauseCategory, Compensation, Done, Investigation, Measure, MeasureKind, Party, Responsibility,
    ResponsibilityReport, RootCause,
};
pub use steps::StepError;
pub use waiver::{OnsiteWaiver, WaiverDecision};
