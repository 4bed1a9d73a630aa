//! Triage, assignment and first contact (DOMAIN.md, "Complaint and escalation"). Rules:
//! - triage sets severity and category together: `received → triaged`;
//! - a triaged case may be re-classified until it is closed: its severity raised (general → important → urgent) or
//!   kept with a new category, never lowered, never to exactly what it is; its state stays where it is (the clocks
//!   change, through the event);
//! - a triaged case is assigned to a support group: `triaged → assigned`; an assigned case may be handed to another
//!   group until it is closed, its state unchanged; nothing is assigned before triage, nor to no group;
//! - support records its first contact with the customer, with a note: `assigned → contacted`, once.
//!
//! Every step bumps the revision and the update time.

use chrono::{DateTime, Utc};

use super::{Case, CaseState, Classification};

/// Why a case refuses a step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// Not in a state that allows it.
    #[error("the case is {state}: {needed}")]
    NotNow {
        /// Where it is.
        state: &'static str,
        /// What the step needs.
        needed: &'static str,
    },
    /// Re-classification may not lower the severity.
    #[error("severity may be raised or kept, not lowered from {from} to {to}")]
    Lowered {
        /// The severity now.
        from: &'static str,
        /// The one asked for.
        to: &'static str,
    },
    /// The step would change nothing.
    #[error("the case is already {0}")]
    Unchanged(String),
    /// Assignment with no group named, and none routed from the category.
    #[error("no support group: name one (the case's category routes to none)")]
    NoGroup,
    /// A step of important and urgent cases asked of a general one.
    #[error("{0} is for important and urgent cases; re-classify the case first")]
    NotForSeverity(&'static str),
    /// Approval asked of an important or urgent case's solution, which its meeting and experts decide.
    #[error("only a general case's solution is approved by a superior")]
    NoApprovalNeeded,
    /// The proposer reviewing their own solution.
    #[error("a solution is approved by a superior, not by the one who proposed it")]
    SelfApproval,
    /// A general case's solution carried out before its approval.
    #[error("a general case's solution is approved by a superior before it is carried out")]
    NotApproved,
    /// Closing an important or urgent case, or completing a measure, without a root-cause report.
    #[error("the case has no root-cause report (important and urgent cases need one before closing)")]
    NoRootCause,
    /// A measure number the root-cause report does not have.
    #[error("the root-cause report has no measure {0}")]
    NoSuchMeasure(u32),
    /// A responsibility meeting naming no party and no dispute, or a report before any meeting.
    #[error("no responsible party: the meeting names one or declares a dispute")]
    NoParty,
    /// An investigation of a responsibility nobody disputes.
    #[error("the responsibility is not disputed: no investigation is needed")]
    NotDisputed,
    /// A report while the responsibility is disputed.
    #[error("the responsibility is disputed: quality investigates before the report is issued")]
    Disputed,
    /// A review before any report.
    #[error("no responsibility report has been issued")]
    NoReport,
    /// A step of urgent cases asked of another.
    #[error("{0} is for urgent cases; re-classify the case first")]
    UrgentOnly(&'static str),
    /// A temporary solution before the emergency plan.
    #[error("the emergency plan is started before a temporary solution is recorded")]
    NoPlan,
    /// Closing an urgent case before its post-incident review.
    #[error("an urgent case's post-incident review is held before it is closed")]
    NoIncidentReview,
    /// Closing an urgent case while the engine is still watched.
    #[error("the follow-up period runs until {0}")]
    FollowUpRunning(chrono::DateTime<chrono::Utc>),
    /// Closing before the responsibility report is approved.
    #[error("the responsibility report is approved by oem_executive before the case is closed")]
    NotDetermined,
    /// A second waiver request while one waits for its decision.
    #[error("an onsite waiver request waits for oem_manager's decision")]
    WaiverPending,
    /// A waiver decision with no request waiting.
    #[error("no onsite waiver request waits for a decision")]
    NoWaiverRequest,
    /// A waiver decided by the one who asked for it.
    #[error("an onsite waiver is decided by an oem_manager other than the one who requested it")]
    OwnWaiver,
}

impl StepError {
    /// Machine-readable rule, for FAILED_PRECONDITION.
    pub fn reason(&self) -> &'static str {
        match self {
            StepError::NotNow { .. } => "CASE_STATE",
            StepError::Lowered { .. } => "CASE_SEVERITY_LOWERED",
            StepError::Unchanged(_) => "CASE_UNCHANGED",
            StepError::NoGroup => "CASE_NO_GROUP",
            StepError::NotForSeverity(_) | StepError::NoApprovalNeeded | StepError::UrgentOnly(_) => "CASE_SEVERITY",
            StepError::NoPlan => "CASE_NO_EMERGENCY_PLAN",
            StepError::NoIncidentReview => "CASE_REVIEW_MISSING",
            StepError::FollowUpRunning(_) => "CASE_FOLLOW_UP_RUNNING",
            StepError::SelfApproval | StepError::OwnWaiver => "CASE_SELF_APPROVAL",
            StepError::WaiverPending => "CASE_WAIVER_PENDING",
            StepError::NoWaiverRequest => "CASE_NO_WAIVER_REQUEST",
            StepError::NotApproved => "CASE_SOLUTION_NOT_APPROVED",
            StepError::NoRootCause => "CASE_ROOT_CAUSE_MISSING",
            StepError::NoSuchMeasure(_) => "CASE_MEASURE_UNKNOWN",
            StepError::NoParty => "CASE_NO_PARTY",
            StepError::NotDisputed => "CASE_NOT_DISPUTED",
            StepError::Disputed => "CASE_DISPUTED",
            StepError::NoReport => "CASE_NO_REPORT",
            StepError::NotDetermined => "CASE_RESPONSIBILITY_OPEN",
        }
    }
}

impl Case {
    /// Triage, or re-classification of a triaged case; returns the classification before (None at triage).
    pub fn classify(&mut self, next: Classification, now: DateTime<Utc>) -> Result<Option<Classification>, StepError> {
        if self.state == CaseState::Closed {
            return Err(self.not_now("a closed case is not re-classified"));
        }
        let previous = self.classification.clone();
        match &previous {
            None => self.state = CaseState::Triaged,
            Some(current) if next.severity < current.severity => {
                return Err(StepError::Lowered { from: current.severity.as_str(), to: next.severity.as_str() });
            }
            Some(current) if *current == next => {
                return Err(StepError::Unchanged(format!("{} / {}", current.severity.as_str(), current.category)));
            }
            Some(_) => {}
        }
        self.classification = Some(next);
        self.touch(now);
        Ok(previous)
    }

    /// Gives the case to `group`; returns the group before (None at the first assignment).
    pub fn assign(&mut self, group: String, now: DateTime<Utc>) -> Result<Option<String>, StepError> {
        let next = match self.state {
            CaseState::Received => return Err(self.not_now("it is triaged before it is assigned")),
            CaseState::Closed => return Err(self.not_now("a closed case is not reassigned")),
            CaseState::Triaged => CaseState::Assigned,
            state => state,
        };
        if group.is_empty() {
            return Err(StepError::NoGroup);
        }
        if self.support_group.as_deref() == Some(group.as_str()) {
            return Err(StepError::Unchanged(format!("with {group}")));
        }
        self.state = next;
        let previous = self.support_group.replace(group);
        self.touch(now);
        Ok(previous)
    }

    /// Support has spoken to the customer.
    pub fn record_contact(&mut self, note: String, now: DateTime<Utc>) -> Result<(), StepError> {
        if self.state != CaseState::Assigned {
            return Err(self.not_now("the first contact is recorded once, after assignment"));
        }
        self.state = CaseState::Contacted;
        self.contact_note = Some(note);
        self.touch(now);
        Ok(())
    }

    pub(super) fn not_now(&self, needed: &'static str) -> StepError {
        StepError::NotNow { state: self.state.as_str(), needed }
    }

    pub(super) fn touch(&mut self, now: DateTime<Utc>) {
        self.updated_at = now;
        self.revision += 1;
    }
}
