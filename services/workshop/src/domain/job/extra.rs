//! Additional work (增项): the technician asks, the customer answers through reception.
//!
//! Rules (DOMAIN.md, Workshop 4 and Reception 6):
//! - only the holder asks, on a job being worked, with a finding and at least one operation or part;
//! - the request goes to reception (an event); the requested operations are **not** the job's until the
//!   customer approves: then reception's `AdditionalWorkApproved` names the new order lines, and its labour lines
//!   become operations of the job (parts lines are the parts service's business);
//! - `AdditionalWorkRefused` closes the request; the job goes on without it;
//! - an answer to a request already answered changes nothing (feeds may deliver twice); an answer naming a
//!   request the job does not have is an error for the feed to log.

use aftersales_kernel::Hundredths;
use chrono::{DateTime, Utc};

use super::{ApprovedOperation, Job, JobError, JobOperation, TechnicianRef};

/// Where a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdditionalWorkState {
    /// Waiting for the customer.
    Requested,
    /// Approved: its labour lines are the job's operations.
    Approved,
    /// Refused.
    Refused,
}

impl AdditionalWorkState {
    /// Stable stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AdditionalWorkState::Requested => "requested",
            AdditionalWorkState::Approved => "approved",
            AdditionalWorkState::Refused => "refused",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<AdditionalWorkState> {
        use AdditionalWorkState::*;
        [Requested, Approved, Refused].into_iter().find(|s| s.as_str() == name)
    }
}

/// An operation asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedOperation {
    /// Catalogue code.
    pub operation_code: String,
    /// Estimated hours.
    pub estimated_hours: Hundredths,
}

/// A part asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedPart {
    /// OEM part number.
    pub part_number: String,
    /// Quantity.
    pub quantity: Hundredths,
}

/// A request as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdditionalWork {
    /// What was found.
    pub finding: String,
    /// Operations asked for.
    pub operations: Vec<RequestedOperation>,
    /// Parts asked for.
    pub parts: Vec<RequestedPart>,
    /// Photo/video references.
    pub media: Vec<String>,
}

/// A request and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalWork {
    /// Id (UUIDv7); reception's answer names it.
    pub id: uuid::Uuid,
    /// What was asked.
    pub request: NewAdditionalWork,
    /// Where it is.
    pub state: AdditionalWorkState,
    /// Who asked (subject).
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// When the customer answered.
    pub decided_at: Option<DateTime<Utc>>,
    /// The customer's reason for refusing.
    pub refusal_reason: String,
}

/// What an answer from reception did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// The request took the answer.
    Applied,
    /// The request was already answered; nothing changed.
    AlreadyAnswered,
}

/// Why an answer cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The job has no such request.
    #[error("the job has no additional-work request {0}")]
    UnknownRequest(uuid::Uuid),
}

impl Job {
    /// The holder asks for additional work on a job being worked.
    pub fn request_additional_work(
        &mut self,
        technician: TechnicianRef,
        request: NewAdditionalWork,
        requested_by: &str,
        now: DateTime<Utc>,
    ) -> Result<&AdditionalWork, JobError> {
        self.require_holder(technician)?;
        if !self.state.is_being_worked() {
            return Err(self.refuse("given additional work"));
        }
        if request.operations.is_empty() && request.parts.is_empty() {
            return Err(JobError::NothingRequested);
        }
        self.additional_work.push(AdditionalWork {
            id: uuid::Uuid::now_v7(),
            request,
            state: AdditionalWorkState::Requested,
            requested_by: requested_by.to_string(),
            requested_at: now,
            decided_at: None,
            refusal_reason: String::new(),
        });
        self.updated_at = now;
        Ok(self.additional_work.last().expect("just pushed"))
    }

    /// The customer approved request `id`: its approved labour lines join the job's operations.
    pub fn approve_additional_work(
        &mut self,
        id: uuid::Uuid,
        lines: Vec<ApprovedOperation>,
        now: DateTime<Utc>,
    ) -> Result<Answered, AnswerError> {
        let request = self.pending_request(id)?;
        let Some(request) = request else { return Ok(Answered::AlreadyAnswered) };
        request.state = AdditionalWorkState::Approved;
        request.decided_at = Some(now);
        for line in lines {
            if self.operations.iter().any(|op| op.line_id == line.line_id) {
                continue;
            }
            self.operations.push(JobOperation {
                line_id: line.line_id,
                operation_code: line.operation_code,
                estimated_hours: line.estimated_hours,
                additional_work: Some(id),
            });
        }
        self.updated_at = now;
        Ok(Answered::Applied)
    }

    /// The customer refused request `id`.
    pub fn refuse_additional_work(
        &mut self,
        id: uuid::Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Answered, AnswerError> {
        let Some(request) = self.pending_request(id)? else { return Ok(Answered::AlreadyAnswered) };
        request.state = AdditionalWorkState::Refused;
        request.decided_at = Some(now);
        request.refusal_reason = reason.to_string();
        self.updated_at = now;
        Ok(Answered::Applied)
    }

    /// The request still waiting for an answer (`None` when already answered).
    fn pending_request(&mut self, id: uuid::Uuid) -> Result<Option<&mut AdditionalWork>, AnswerError> {
        let request = self.additional_work.iter_mut().find(|w| w.id == id).ok_or(AnswerError::UnknownRequest(id))?;
        Ok((request.state == AdditionalWorkState::Requested).then_some(request))
    }

    /// The first request still waiting for the customer.
    pub fn pending_additional_work(&self) -> Option<&AdditionalWork> {
        self.additional_work.iter().find(|w| w.state == AdditionalWorkState::Requested)
    }
}

#[cfg(test)]
mod tests {
    use super::super::JobState;
    use super::super::fixtures::*;
    use super::*;

    fn brake_pads() -> NewAdditionalWork {
        NewAdditionalWork {
            finding: "front pads at 2 mm".into(),
            operations: vec![RequestedOperation {
                operation_code: "BRK-0100".into(),
                estimated_hours: Hundredths::from_hundredths(80).unwrap(),
            }],
            parts: vec![RequestedPart { part_number: "BP-4471".into(), quantity: Hundredths::whole(1).unwrap() }],
            media: vec!["s3://pads.jpg".into()],
        }
    }

    #[test]
    fn the_holder_asks_and_the_work_waits_for_the_customer() {
        let (mut job, technician, at) = started(&[100]);
        let request = job.request_additional_work(technician, brake_pads(), "t", at).unwrap();
        assert_eq!(request.state, AdditionalWorkState::Requested);
        assert_eq!(job.operations.len(), 1, "not the job's work until approved");
        assert!(job.pending_additional_work().is_some());
    }

    #[test]
    fn only_the_holder_asks_on_a_job_being_worked_and_for_something() {
        let (mut job, technician, at) = assigned(&[100]);
        assert!(matches!(job.request_additional_work(technician, brake_pads(), "t", at), Err(JobError::State { .. })));
        job.start(super::super::work::Actor::Technician(technician), at).unwrap();
        assert_eq!(
            job.request_additional_work(uuid::Uuid::now_v7(), brake_pads(), "t", at).unwrap_err(),
            JobError::NotHolder
        );
        let empty = NewAdditionalWork { operations: vec![], parts: vec![], ..brake_pads() };
        assert_eq!(job.request_additional_work(technician, empty, "t", at).unwrap_err(), JobError::NothingRequested);
    }

    #[test]
    fn approval_adds_the_approved_labour_lines_once() {
        let (mut job, technician, at) = started(&[100]);
        let id = job.request_additional_work(technician, brake_pads(), "t", at).unwrap().id;
        let line = ApprovedOperation {
            line_id: uuid::Uuid::now_v7(),
            operation_code: "BRK-0100".into(),
            estimated_hours: Hundredths::from_hundredths(80).unwrap(),
        };
        assert_eq!(job.approve_additional_work(id, vec![line.clone()], at).unwrap(), Answered::Applied);
        assert_eq!(job.approve_additional_work(id, vec![line], at).unwrap(), Answered::AlreadyAnswered);
        assert_eq!(job.operations.len(), 2);
        assert_eq!(job.operations[1].additional_work, Some(id));
        assert_eq!(job.estimated_hours().unwrap().as_hundredths(), 180);
        assert!(job.pending_additional_work().is_none());
        assert_eq!(job.state, JobState::InProgress);
    }

    #[test]
    fn refusal_closes_the_request_and_adds_nothing() {
        let (mut job, technician, at) = started(&[100]);
        let id = job.request_additional_work(technician, brake_pads(), "t", at).unwrap().id;
        assert_eq!(job.refuse_additional_work(id, "too expensive", at).unwrap(), Answered::Applied);
        assert_eq!(job.refuse_additional_work(id, "again", at).unwrap(), Answered::AlreadyAnswered);
        assert_eq!(job.additional_work[0].refusal_reason, "too expensive");
        assert_eq!(job.operations.len(), 1);
    }

    #[test]
    fn an_answer_to_an_unknown_request_is_an_error() {
        let (mut job, _, at) = started(&[100]);
        let stranger = uuid::Uuid::now_v7();
        assert_eq!(job.refuse_additional_work(stranger, "r", at).unwrap_err(), AnswerError::UnknownRequest(stranger));
    }
}
