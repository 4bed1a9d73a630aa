//! Finishing a job: self-check, quality inspection and the rework loop, wash, ready; and cancellation.
//!
//! Rules (DOMAIN.md, Workshop 5–6; Reception: cancelled until work starts):
//! - **self-check** by the holder of a job being worked: every operation clocked (in rework: rework clocked since
//!   the failed inspection), no clock open, no additional work waiting for the customer;
//! - **inspection** of a self-checked job by an inspector who **did not work on it** (never held it, never clocked
//!   on it). Passed: on to the wash. Failed: findings required; back to the **same technician** for rework, the
//!   rework count grows; then self-check and inspection again, as many times as it takes;
//! - **wash** of an inspected job makes it **ready** for delivery;
//! - a job is **cancelled** (its order was) only before work starts: queued or assigned.

use chrono::{DateTime, Utc};

use super::{Job, JobError, JobState, TechnicianRef};

/// A quality inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// Passed or failed.
    pub passed: bool,
    /// What was found.
    pub findings: String,
    /// The inspector (subject).
    pub inspector: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// What cancelling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// The job was dropped now.
    Dropped,
    /// It already was.
    AlreadyCancelled,
}

impl Job {
    /// The holder's self-check: the job waits for inspection.
    pub fn complete_self_check(
        &mut self,
        technician: TechnicianRef,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), JobError> {
        self.require_holder(technician)?;
        if !self.state.is_being_worked() {
            return Err(self.refuse("self-checked"));
        }
        if let Some(open) = self.open_clock() {
            return Err(JobError::ClockOpen(open.line_id));
        }
        if let Some(pending) = self.pending_additional_work() {
            return Err(JobError::AdditionalWorkPending(pending.id));
        }
        if self.state == JobState::Rework {
            let failed_at = self.inspections.last().map(|i| i.at);
            if !self.clock.iter().any(|entry| entry.rework && Some(entry.on_at) >= failed_at) {
                return Err(JobError::NoReworkClocked);
            }
        } else if let Some(unclocked) =
            self.operations.iter().find(|op| !self.clock.iter().any(|entry| entry.line_id == op.line_id))
        {
            return Err(JobError::NotClocked(unclocked.line_id));
        }
        self.state = JobState::AwaitingInspection;
        self.self_checked_at = Some(now);
        self.self_check_note = note.to_string();
        self.updated_at = now;
        Ok(())
    }

    /// Records an inspection by `inspector` (their subject, and their technician record in this dealer if they
    /// have one).
    pub fn inspect(
        &mut self,
        inspector: &str,
        inspector_record: Option<TechnicianRef>,
        passed: bool,
        findings: &str,
        now: DateTime<Utc>,
    ) -> Result<&Inspection, JobError> {
        if self.state != JobState::AwaitingInspection {
            return Err(self.refuse("inspected"));
        }
        if inspector_record.is_some_and(|record| self.was_worked_by(record)) {
            return Err(JobError::InspectorWorkedOnJob);
        }
        if !passed && findings.trim().is_empty() {
            return Err(JobError::FindingsRequired);
        }
        self.inspections.push(Inspection {
            passed,
            findings: findings.to_string(),
            inspector: inspector.to_string(),
            at: now,
        });
        if passed {
            self.state = JobState::InspectionPassed;
        } else {
            self.state = JobState::Rework;
            self.rework_count += 1;
        }
        self.updated_at = now;
        Ok(self.inspections.last().expect("just pushed"))
    }

    /// Records the wash: the job is ready for delivery.
    pub fn wash(&mut self, now: DateTime<Utc>) -> Result<(), JobError> {
        if self.state != JobState::InspectionPassed {
            return Err(self.refuse("washed"));
        }
        self.state = JobState::Ready;
        self.ready_at = Some(now);
        self.updated_at = now;
        Ok(())
    }

    /// Drops the job of a cancelled order, if work has not started.
    pub fn cancel(&mut self, now: DateTime<Utc>) -> Result<Cancelled, JobError> {
        match self.state {
            JobState::Cancelled => Ok(Cancelled::AlreadyCancelled),
            JobState::Queued | JobState::Assigned => {
                self.state = JobState::Cancelled;
                self.estimated_finish_at = None;
                self.updated_at = now;
                Ok(Cancelled::Dropped)
            }
            _ => Err(self.refuse("cancelled")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::work::Actor;
    use super::*;
    use chrono::Duration;

    #[test]
    fn self_check_sends_a_fully_clocked_job_to_inspection() {
        let (mut job, technician, at) = worked(&[100, 50]);
        job.complete_self_check(technician, "all torques checked", at).unwrap();
        assert_eq!(job.state, JobState::AwaitingInspection);
        assert_eq!(job.self_checked_at, Some(at));
        assert_eq!(job.self_check_note, "all torques checked");
    }

    #[test]
    fn self_check_needs_every_operation_clocked() {
        let (mut job, technician, at) = started(&[100, 50]);
        let (first, second) = (job.operations[0].line_id, job.operations[1].line_id);
        job.clock_on(technician, first, at).unwrap();
        assert_eq!(job.complete_self_check(technician, "", at).unwrap_err(), JobError::ClockOpen(first));
        job.clock_off(at + Duration::hours(1), false).unwrap();
        assert_eq!(job.complete_self_check(technician, "", at).unwrap_err(), JobError::NotClocked(second));
    }

    #[test]
    fn self_check_waits_for_the_customers_answer_on_additional_work() {
        let (mut job, technician, at) = worked(&[100]);
        let request = super::super::NewAdditionalWork {
            finding: "leak".into(),
            operations: vec![],
            parts: vec![super::super::RequestedPart {
                part_number: "GASKET-1".into(),
                quantity: aftersales_kernel::Hundredths::whole(1).unwrap(),
            }],
            media: vec![],
        };
        let id = job.request_additional_work(technician, request, "t", at).unwrap().id;
        assert_eq!(job.complete_self_check(technician, "", at).unwrap_err(), JobError::AdditionalWorkPending(id));
        job.refuse_additional_work(id, "no", at).unwrap();
        job.complete_self_check(technician, "", at).unwrap();
    }

    #[test]
    fn only_the_holder_self_checks() {
        let (mut job, _, at) = worked(&[100]);
        assert_eq!(job.complete_self_check(uuid::Uuid::now_v7(), "", at).unwrap_err(), JobError::NotHolder);
    }

    #[test]
    fn an_inspector_who_worked_on_the_job_may_not_inspect_it() {
        let (mut job, technician, at) = awaiting_inspection(&[100]);
        assert_eq!(job.inspect("t", Some(technician), true, "", at).unwrap_err(), JobError::InspectorWorkedOnJob);
        assert_eq!(job.state, JobState::AwaitingInspection);
        job.inspect("qc-1", Some(uuid::Uuid::now_v7()), true, "", at).unwrap();
        assert_eq!(job.state, JobState::InspectionPassed);
    }

    #[test]
    fn a_technician_who_held_the_job_before_a_reassignment_worked_on_it_too() {
        let (mut job, first, at) = started(&[100]);
        job.assign(super::super::assign::Decision::accepting(uuid::Uuid::now_v7(), "f", "r"), at, at).unwrap();
        assert!(job.was_worked_by(first));
    }

    #[test]
    fn a_failed_inspection_needs_findings_and_sends_the_job_back_to_the_same_technician() {
        let (mut job, technician, at) = awaiting_inspection(&[100]);
        assert_eq!(job.inspect("qc-1", None, false, "  ", at).unwrap_err(), JobError::FindingsRequired);
        job.inspect("qc-1", None, false, "oil leak at the sump plug", at).unwrap();
        assert_eq!(job.state, JobState::Rework);
        assert_eq!(job.rework_count, 1);
        assert_eq!(job.technician, Some(technician));
    }

    #[test]
    fn rework_loops_until_the_job_passes_and_counts_every_failure() {
        let (mut job, technician, mut at) = awaiting_inspection(&[100]);
        let line = job.operations[0].line_id;
        for round in 1..=3 {
            at += Duration::minutes(10);
            job.inspect("qc-1", None, false, "not yet", at).unwrap();
            assert_eq!(job.complete_self_check(technician, "", at).unwrap_err(), JobError::NoReworkClocked);
            job.clock_on(technician, line, at).unwrap();
            at += Duration::minutes(15);
            job.clock_off_by(Actor::Technician(technician), at).unwrap();
            job.complete_self_check(technician, "", at).unwrap();
            assert_eq!(job.rework_count, round);
        }
        job.inspect("qc-1", None, true, "", at).unwrap();
        assert_eq!(job.state, JobState::InspectionPassed);
        assert_eq!(job.rework_count, 3);
        assert!(job.clock.iter().filter(|e| e.rework).count() == 3);
        assert_eq!(job.actual_hours(line).as_hundredths(), 175, "1 h of work plus 3 × 15 min of rework");
    }

    #[test]
    fn the_wash_makes_an_inspected_job_ready() {
        let (mut job, _, at) = awaiting_inspection(&[100]);
        assert!(matches!(job.wash(at), Err(JobError::State { state: JobState::AwaitingInspection, .. })));
        job.inspect("qc-1", None, true, "", at).unwrap();
        job.wash(at + Duration::minutes(20)).unwrap();
        assert_eq!(job.state, JobState::Ready);
        assert_eq!(job.ready_at, Some(at + Duration::minutes(20)));
    }

    #[test]
    fn a_job_is_cancelled_only_before_work_starts() {
        let mut queued_job = queued(&[100]);
        assert_eq!(queued_job.cancel(nine_am()), Ok(Cancelled::Dropped));
        assert_eq!(queued_job.cancel(nine_am()), Ok(Cancelled::AlreadyCancelled));
        let (mut assigned_job, _, at) = assigned(&[100]);
        assert_eq!(assigned_job.cancel(at), Ok(Cancelled::Dropped));
        let (mut started_job, _, at) = started(&[100]);
        assert!(matches!(started_job.cancel(at), Err(JobError::State { state: JobState::InProgress, .. })));
    }
}
