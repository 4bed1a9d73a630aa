//! Giving a job to a technician, and taking it back when they go off shift.
//!
//! Rules (DOMAIN.md, Workshop 3):
//! - a job may be given to a technician while it is queued, assigned or being worked (re-assignment); not once it
//!   is self-checked, inspected, ready or cancelled;
//! - only to a technician **on shift** whose skills **cover every operation**;
//! - the foreman accepting the suggestion needs no reason; choosing anyone else is an **override** and needs one;
//!   the history keeps who decided, what was suggested and why (the audit);
//! - automatic assignment (the dealer's setting) gives it to the suggested technician;
//! - re-assigning a job with a clock open closes that clock at the moment of the change;
//! - a technician going **off shift** releases every job they hold that is assigned or being worked: an assigned
//!   job goes back to the queue, a started one keeps its state and waits for a technician.

use chrono::{DateTime, Utc};

use super::work::ClockEntry;
use super::{Job, JobError, JobState, TechnicianRef};
use crate::domain::assignment::{Candidate, Requirement};

/// Who decides for automatic assignments and releases.
pub const SYSTEM: &str = "system";

/// How a technician came to hold (or lost) a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentKind {
    /// The foreman accepted the suggestion.
    SuggestionAccepted,
    /// The foreman chose someone else.
    Override,
    /// Automatic assignment.
    Automatic,
    /// The technician went off shift with the job open.
    Released,
}

impl AssignmentKind {
    /// Stable stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentKind::SuggestionAccepted => "suggestion_accepted",
            AssignmentKind::Override => "override",
            AssignmentKind::Automatic => "automatic",
            AssignmentKind::Released => "released",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<AssignmentKind> {
        use AssignmentKind::*;
        [SuggestionAccepted, Override, Automatic, Released].into_iter().find(|k| k.as_str() == name)
    }
}

/// One entry of the assignment history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// What happened.
    pub kind: AssignmentKind,
    /// The technician given (or released from) the job.
    pub technician: TechnicianRef,
    /// The foreman's subject, or [`SYSTEM`].
    pub decided_by: String,
    /// Who was suggested at that moment.
    pub suggested: Option<TechnicianRef>,
    /// Why they were suggested.
    pub suggestion_reason: String,
    /// The override's reason, or the release's.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A decision to give a job to a technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Who gets it.
    pub technician: TechnicianRef,
    /// The foreman's subject, or [`SYSTEM`] for automatic assignment.
    pub decided_by: String,
    /// The suggestion at that moment and its reason; `None` when nobody qualified.
    pub suggestion: Option<(TechnicianRef, String)>,
    /// Why not the suggestion (an override); `None` otherwise.
    pub override_reason: Option<String>,
}

impl Decision {
    /// The foreman (`decided_by`) accepts the suggested `technician`.
    pub fn accepting(technician: TechnicianRef, decided_by: &str, suggestion_reason: &str) -> Decision {
        Decision {
            technician,
            decided_by: decided_by.to_string(),
            suggestion: Some((technician, suggestion_reason.to_string())),
            override_reason: None,
        }
    }

    /// Automatic assignment to the suggested `technician`.
    pub fn automatic(technician: TechnicianRef, suggestion_reason: &str) -> Decision {
        Decision { decided_by: SYSTEM.to_string(), ..Decision::accepting(technician, SYSTEM, suggestion_reason) }
    }

    fn kind(&self) -> AssignmentKind {
        match &self.suggestion {
            _ if self.decided_by == SYSTEM => AssignmentKind::Automatic,
            Some((suggested, _)) if *suggested == self.technician => AssignmentKind::SuggestionAccepted,
            _ => AssignmentKind::Override,
        }
    }
}

/// Why the chosen technician cannot take the job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unfit {
    /// Off shift.
    #[error("the technician is off shift")]
    OffShift,
    /// Skills do not cover every operation.
    #[error("the technician's skills do not cover {0}")]
    NotQualified(String),
    /// An override without a reason, or a reason without an override.
    #[error("{0}")]
    OverrideReason(&'static str),
}

impl Job {
    /// Checks that `candidate` may take this job (needing `requirement`) under `decision`.
    pub fn check_fit(decision: &Decision, candidate: &Candidate, requirement: &Requirement) -> Result<(), Unfit> {
        if !candidate.on_shift {
            return Err(Unfit::OffShift);
        }
        if !requirement.is_covered_by(&candidate.skills) {
            return Err(Unfit::NotQualified(requirement.describe()));
        }
        match (decision.kind(), &decision.override_reason) {
            (AssignmentKind::Override, None) => {
                Err(Unfit::OverrideReason("is required when the technician is not the suggested one"))
            }
            (AssignmentKind::SuggestionAccepted | AssignmentKind::Automatic, Some(_)) => {
                Err(Unfit::OverrideReason("must be empty when accepting the suggested technician"))
            }
            _ => Ok(()),
        }
    }

    /// Whether the job may be given to `technician` at all: its state allows it and they do not hold it already.
    pub fn check_assignable(&self, technician: TechnicianRef) -> Result<(), JobError> {
        if !matches!(self.state, JobState::Queued | JobState::Assigned | JobState::InProgress | JobState::Rework) {
            return Err(self.refuse("assigned"));
        }
        if self.technician == Some(technician) {
            return Err(JobError::AlreadyHolder);
        }
        Ok(())
    }

    /// Gives the job to `decision.technician` (checked with [`Job::check_fit`] first), expected to finish at
    /// `estimated_finish_at`. Returns the history entry and the clock closed by the change, if one was open.
    pub fn assign(
        &mut self,
        decision: Decision,
        estimated_finish_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(&Assignment, Option<ClockEntry>), JobError> {
        self.check_assignable(decision.technician)?;
        let closed = self.close_open_clock(now);
        let kind = decision.kind();
        let (suggested, suggestion_reason) = decision.suggestion.map_or((None, String::new()), |(t, r)| (Some(t), r));
        self.assignments.push(Assignment {
            kind,
            technician: decision.technician,
            decided_by: decision.decided_by,
            suggested,
            suggestion_reason,
            reason: decision.override_reason.unwrap_or_default(),
            at: now,
        });
        self.technician = Some(decision.technician);
        self.estimated_finish_at = Some(estimated_finish_at);
        if self.state == JobState::Queued {
            self.state = JobState::Assigned;
        }
        self.updated_at = now;
        Ok((self.assignments.last().expect("just pushed"), closed))
    }

    /// Takes the job back from its technician, who went off shift (`reason`). `None` when there is nothing to
    /// release (no technician, or a job past the self-check, which waits for the inspector, not the technician).
    /// Otherwise the history entry and the clock closed, if one was open.
    pub fn release(&mut self, reason: &str, now: DateTime<Utc>) -> Option<(&Assignment, Option<ClockEntry>)> {
        let technician = self.technician.filter(|_| self.state.loads_technician())?;
        let closed = self.close_open_clock(now);
        self.assignments.push(Assignment {
            kind: AssignmentKind::Released,
            technician,
            decided_by: SYSTEM.to_string(),
            suggested: None,
            suggestion_reason: String::new(),
            reason: reason.to_string(),
            at: now,
        });
        self.technician = None;
        self.estimated_finish_at = None;
        if self.state == JobState::Assigned {
            self.state = JobState::Queued;
        }
        self.updated_at = now;
        Some((self.assignments.last().expect("just pushed"), closed))
    }

    fn close_open_clock(&mut self, now: DateTime<Utc>) -> Option<ClockEntry> {
        let open = self.clock.iter_mut().find(|entry| entry.off_at.is_none())?;
        open.off_at = Some(now.max(open.on_at));
        open.closed_by_system = true;
        Some(open.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::work::Actor;
    use super::*;
    use crate::domain::skills::Skills;
    use aftersales_kernel::Hundredths;

    fn candidate(on_shift: bool, engine_level: u8) -> Candidate {
        let skills = Skills::from_levels([("engine", engine_level)]);
        Candidate { technician: "t".into(), on_shift, skills, remaining_hours: Hundredths::ZERO, idle_since: nine_am() }
    }

    #[test]
    fn a_queued_job_given_to_the_suggested_technician_is_assigned_and_audited_as_accepted() {
        let (job, technician, at) = assigned(&[100]);
        assert_eq!(job.state, JobState::Assigned);
        assert_eq!(job.technician, Some(technician));
        let entry = &job.assignments[0];
        assert_eq!(entry.kind, AssignmentKind::SuggestionAccepted);
        assert_eq!(entry.decided_by, "foreman-1");
        assert_eq!(entry.suggested, Some(technician));
        assert_eq!(entry.at, at);
    }

    #[test]
    fn an_override_keeps_who_overrode_why_and_what_was_suggested() {
        let mut job = queued(&[100]);
        let (suggested, chosen) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let decision = Decision {
            technician: chosen,
            decided_by: "foreman-1".into(),
            suggestion: Some((suggested, "least remaining work".into())),
            override_reason: Some("knows this engine".into()),
        };
        job.assign(decision, nine_am(), nine_am()).unwrap();
        let entry = &job.assignments[0];
        assert_eq!(entry.kind, AssignmentKind::Override);
        assert_eq!((entry.technician, entry.suggested), (chosen, Some(suggested)));
        assert_eq!(entry.reason, "knows this engine");
        assert_eq!(entry.suggestion_reason, "least remaining work");
    }

    #[test]
    fn an_override_needs_a_reason_and_an_accepted_suggestion_takes_none() {
        let requirement = Requirement::new([("engine", 2)]);
        let mut decision = Decision {
            technician: uuid::Uuid::now_v7(),
            decided_by: "foreman-1".into(),
            suggestion: None,
            override_reason: None,
        };
        assert!(matches!(Job::check_fit(&decision, &candidate(true, 3), &requirement), Err(Unfit::OverrideReason(_))));
        decision.override_reason = Some("only one here".into());
        assert_eq!(Job::check_fit(&decision, &candidate(true, 3), &requirement), Ok(()));
        let accepted =
            Decision { override_reason: Some("why?".into()), ..Decision::accepting(decision.technician, "f", "r") };
        assert!(matches!(Job::check_fit(&accepted, &candidate(true, 3), &requirement), Err(Unfit::OverrideReason(_))));
    }

    #[test]
    fn only_a_technician_on_shift_whose_skills_cover_the_job_may_take_it() {
        let requirement = Requirement::new([("engine", 3)]);
        let decision = Decision::accepting(uuid::Uuid::now_v7(), "f", "r");
        assert_eq!(Job::check_fit(&decision, &candidate(false, 5), &requirement), Err(Unfit::OffShift));
        assert_eq!(
            Job::check_fit(&decision, &candidate(true, 2), &requirement),
            Err(Unfit::NotQualified("engine ≥ 3".into()))
        );
        assert_eq!(Job::check_fit(&decision, &candidate(true, 3), &requirement), Ok(()));
    }

    #[test]
    fn automatic_assignment_is_audited_as_automatic() {
        let mut job = queued(&[100]);
        let technician = uuid::Uuid::now_v7();
        job.assign(Decision::automatic(technician, "only one qualified"), nine_am(), nine_am()).unwrap();
        assert_eq!(job.assignments[0].kind, AssignmentKind::Automatic);
        assert_eq!(job.assignments[0].decided_by, SYSTEM);
    }

    #[test]
    fn giving_a_job_to_the_technician_who_holds_it_is_refused() {
        let (mut job, technician, at) = assigned(&[100]);
        let again = job.assign(Decision::accepting(technician, "f", "r"), at, at);
        assert_eq!(again.unwrap_err(), JobError::AlreadyHolder);
    }

    #[test]
    fn a_started_job_may_be_reassigned_and_its_open_clock_closes_at_the_change() {
        let (mut job, first, at) = started(&[100]);
        let line = job.operations[0].line_id;
        job.clock_on(first, line, at).unwrap();
        let later = at + chrono::Duration::minutes(30);
        let second = uuid::Uuid::now_v7();
        let (_, closed) = job.assign(Decision::accepting(second, "f", "r"), later, later).unwrap();
        assert_eq!(closed.unwrap().off_at, Some(later));
        assert_eq!(job.state, JobState::InProgress);
        assert_eq!(job.technician, Some(second));
        assert_eq!(job.actual_hours(line).as_hundredths(), 50);
    }

    #[test]
    fn a_self_checked_job_cannot_be_reassigned() {
        let (mut job, _, at) = awaiting_inspection(&[100]);
        let refused = job.assign(Decision::accepting(uuid::Uuid::now_v7(), "f", "r"), at, at);
        assert!(matches!(refused, Err(JobError::State { state: JobState::AwaitingInspection, .. })));
    }

    #[test]
    fn going_off_shift_sends_an_assigned_job_back_to_the_queue() {
        let (mut job, technician, at) = assigned(&[100]);
        let (entry, closed) = job.release("went off shift", at).unwrap();
        assert_eq!((entry.kind, entry.technician), (AssignmentKind::Released, technician));
        assert!(closed.is_none());
        assert_eq!(job.state, JobState::Queued);
        assert!(job.needs_technician());
    }

    #[test]
    fn going_off_shift_leaves_a_started_job_started_waiting_for_a_technician_with_its_clock_closed() {
        let (mut job, technician, at) = started(&[100]);
        job.clock_on(technician, job.operations[0].line_id, at).unwrap();
        let (_, closed) = job.release("went off shift", at + chrono::Duration::hours(1)).unwrap();
        assert!(closed.unwrap().closed_by_system);
        assert_eq!(job.state, JobState::InProgress);
        assert!(job.needs_technician());
        assert!(job.start(Actor::Technician(technician), at).is_err(), "no longer theirs");
    }

    #[test]
    fn a_job_waiting_for_the_inspector_is_not_released() {
        let (mut job, _, at) = awaiting_inspection(&[100]);
        assert!(job.release("went off shift", at).is_none());
        assert!(job.technician.is_some());
    }
}
