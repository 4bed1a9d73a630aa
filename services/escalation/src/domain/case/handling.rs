//! Handling a contacted case through to the customer's confirmation (DOMAIN.md, "Complaint and escalation"). Rules:
//! - diagnosis: support records the steps taken and what they found; the first record takes a contacted case into
//!   `diagnosis`, later ones add to it while it is there;
//! - solution: proposed from `diagnosis` (`diagnosis → solution`); a general case's solution is approved by a
//!   superior — never the one who proposed it — before it is carried out; a rejected one is proposed anew; important
//!   and urgent cases' solutions come from their analysis meeting and experts and need no approval;
//! - implementation: `solution → implementation` once the solution may be carried out;
//! - progress reports (the customer told, or not) are logged from triage until the case is resolved; an important or
//!   urgent case's 2 h progress clock counts them;
//! - resolved: the solution is carried out, `implementation → customer_confirmation`;
//! - the customer confirms with a satisfaction score 1..=5 (`customer_confirmation → responsibility`), or does not,
//!   which sends the case back to `implementation` (the only step back in a case's life).

use chrono::{DateTime, Utc};

use super::{Case, CaseSeverity, CaseState, StepError};

/// What a note on a case records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A diagnosis step and its findings.
    Diagnosis,
    /// A progress report.
    Progress,
}

impl NoteKind {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Diagnosis => "diagnosis",
            NoteKind::Progress => "progress",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<NoteKind> {
        [NoteKind::Diagnosis, NoteKind::Progress].into_iter().find(|k| k.as_str() == name)
    }
}

/// A note on a case's handling; notes are only ever added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What it records.
    pub kind: NoteKind,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (token subject).
    pub by: String,
    /// Diagnosis: the steps taken (1..=4000 characters); empty for a progress report.
    pub steps: String,
    /// Diagnosis: the findings; progress: the report (1..=4000 characters).
    pub text: String,
    /// Progress: the customer was told of it.
    pub customer_told: bool,
}

/// A proposed solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// What will be done, 1..=4000 characters.
    pub text: String,
    /// Who proposed it.
    pub proposed_by: String,
    /// When.
    pub proposed_at: DateTime<Utc>,
    /// A superior's decision on a general case's solution, once made.
    pub review: Option<Review>,
}

/// A superior's decision on a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Approved (else rejected: a new solution is proposed).
    pub approved: bool,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, ≤ 4000 characters (required for a rejection).
    pub note: String,
}

/// The customer's answer once the case is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The customer confirms the problem solved.
    pub confirmed: bool,
    /// Satisfaction 1..=5.
    pub satisfaction: u8,
    /// What the customer said, ≤ 4000 characters.
    pub comment: String,
    /// Who recorded it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl Case {
    /// Records a diagnosis step with its findings.
    pub fn record_diagnosis(
        &mut self,
        steps: String,
        findings: String,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StepError> {
        match self.state {
            CaseState::Contacted => self.state = CaseState::Diagnosis,
            CaseState::Diagnosis => {}
            _ => return Err(self.not_now("diagnosis follows the first contact and ends with a solution")),
        }
        self.add_note(Note {
            kind: NoteKind::Diagnosis,
            at,
            by: by.into(),
            steps,
            text: findings,
            customer_told: false,
        });
        Ok(())
    }

    /// Proposes a solution: from diagnosis, or anew after a rejection.
    pub fn propose_solution(&mut self, text: String, by: &str, at: DateTime<Utc>) -> Result<(), StepError> {
        let rejected = self.solution.as_ref().and_then(|s| s.review.as_ref()).is_some_and(|r| !r.approved);
        match self.state {
            CaseState::Diagnosis => self.state = CaseState::Solution,
            CaseState::Solution if rejected => {}
            CaseState::Solution => return Err(StepError::Unchanged("with a solution proposed".into())),
            _ => return Err(self.not_now("a solution is proposed after diagnosis")),
        }
        self.solution = Some(Solution { text, proposed_by: by.into(), proposed_at: at, review: None });
        self.touch(at);
        Ok(())
    }

    /// A superior approves or rejects a general case's proposed solution.
    pub fn review_solution(&mut self, review: Review) -> Result<(), StepError> {
        if self.state != CaseState::Solution {
            return Err(self.not_now("a solution is reviewed once proposed"));
        }
        if self.severity() != Some(CaseSeverity::General) {
            return Err(StepError::NoApprovalNeeded);
        }
        let solution = self.solution.as_mut().expect("a case in `solution` has one");
        if solution.review.is_some() {
            return Err(StepError::Unchanged("reviewed: propose a new solution after a rejection".into()));
        }
        if solution.proposed_by == review.by {
            return Err(StepError::SelfApproval);
        }
        let at = review.at;
        solution.review = Some(review);
        self.touch(at);
        Ok(())
    }

    /// Starts carrying out the solution.
    pub fn start_implementation(&mut self, at: DateTime<Utc>) -> Result<(), StepError> {
        if self.state != CaseState::Solution {
            return Err(self.not_now("implementation follows a solution"));
        }
        let approved = self.solution.as_ref().and_then(|s| s.review.as_ref()).is_some_and(|r| r.approved);
        if self.severity() == Some(CaseSeverity::General) && !approved {
            return Err(StepError::NotApproved);
        }
        self.state = CaseState::Implementation;
        self.touch(at);
        Ok(())
    }

    /// Logs a progress report, from triage until the case is resolved.
    pub fn report_progress(
        &mut self,
        text: String,
        customer_told: bool,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StepError> {
        if self.state == CaseState::Received || self.state > CaseState::Implementation {
            return Err(self.not_now("progress is reported from triage until the case is resolved"));
        }
        self.add_note(Note { kind: NoteKind::Progress, at, by: by.into(), steps: String::new(), text, customer_told });
        Ok(())
    }

    /// The solution is carried out: the case waits for the customer's confirmation.
    pub fn resolve(&mut self, at: DateTime<Utc>) -> Result<(), StepError> {
        if self.state != CaseState::Implementation {
            return Err(self.not_now("a case is resolved when its solution is carried out"));
        }
        self.state = CaseState::CustomerConfirmation;
        self.resolved_at = Some(at);
        self.touch(at);
        Ok(())
    }

    /// The customer's confirmation and satisfaction; not confirmed, the case goes back to implementation.
    pub fn record_confirmation(&mut self, confirmation: Confirmation) -> Result<(), StepError> {
        if self.state != CaseState::CustomerConfirmation {
            return Err(self.not_now("the customer confirms a resolved case"));
        }
        let at = confirmation.at;
        if confirmation.confirmed {
            self.state = CaseState::Responsibility;
        } else {
            self.state = CaseState::Implementation;
            self.resolved_at = None;
        }
        self.confirmation = Some(confirmation);
        self.touch(at);
        Ok(())
    }

    /// The progress reports logged, oldest first.
    pub fn progress_reports(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|n| n.kind == NoteKind::Progress)
    }

    /// The severity, once triaged.
    pub fn severity(&self) -> Option<CaseSeverity> {
        self.classification.as_ref().map(|k| k.severity)
    }

    fn add_note(&mut self, note: Note) {
        let at = note.at;
        self.notes.push(note);
        self.touch(at);
    }
}
