//! Working a job: start, clock on and off per operation, progress notes, delay reports.
//!
//! Rules (DOMAIN.md, Workshop 4; the clocks of DOMAIN.md's clock table):
//! - the technician holding an **assigned** job starts it (or the foreman for them): that meets the 30-minute
//!   urgent-start clock and starts the customer-progress clock;
//! - only the holder clocks **on**, on one of the job's operations, while the job is being worked (in progress or
//!   rework), and **one clock at a time** per job; clocking **off** closes it (the holder, or the foreman for
//!   them); an operation's actual hours are its closed intervals summed;
//! - progress notes (re-diagnosis, key operations, with photo/video references) are for started jobs;
//! - a delay report moves the promised time **later** — later than the current promise and than now — with a
//!   reason, on any job not yet ready or cancelled; the previous promise is kept.

use chrono::{DateTime, Utc};

use super::{Job, JobError, JobState, TechnicianRef};

/// Who makes a change a job's technician or the foreman may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A technician, by their workshop record.
    Technician(TechnicianRef),
    /// A staff member with no record, acting as a technician (never the holder).
    UnregisteredTechnician,
    /// The foreman, acting for the holder.
    Foreman,
}

/// One clock interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockEntry {
    /// The operation's order line.
    pub line_id: uuid::Uuid,
    /// Who clocked.
    pub technician: TechnicianRef,
    /// On at.
    pub on_at: DateTime<Utc>,
    /// Off at; `None` while open.
    pub off_at: Option<DateTime<Utc>>,
    /// Clocked during rework.
    pub rework: bool,
    /// Closed by the system (re-assignment, end of shift), not by the technician.
    pub closed_by_system: bool,
}

/// A progress note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressNote {
    /// The note.
    pub note: String,
    /// Photo/video references.
    pub media: Vec<String>,
    /// Who wrote it (subject).
    pub author: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A delay report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayReport {
    /// Why.
    pub reason: String,
    /// The promise before.
    pub previous_promised_at: DateTime<Utc>,
    /// The promise after.
    pub new_promised_at: DateTime<Utc>,
    /// Who reported (subject).
    pub reported_by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl Job {
    /// Refuses unless `actor` is the holder or the foreman.
    fn authorize(&self, actor: Actor) -> Result<(), JobError> {
        match actor {
            Actor::Foreman => Ok(()),
            Actor::Technician(technician) => self.require_holder(technician),
            Actor::UnregisteredTechnician => Err(JobError::NotHolder),
        }
    }

    /// Starts work on an assigned job.
    pub fn start(&mut self, actor: Actor, now: DateTime<Utc>) -> Result<(), JobError> {
        self.authorize(actor)?;
        if self.state != JobState::Assigned {
            return Err(self.refuse("started"));
        }
        self.state = JobState::InProgress;
        self.started_at = Some(now);
        self.updated_at = now;
        Ok(())
    }

    /// Clocks the holder on one of the job's operations.
    pub fn clock_on(
        &mut self,
        technician: TechnicianRef,
        line: uuid::Uuid,
        now: DateTime<Utc>,
    ) -> Result<&ClockEntry, JobError> {
        self.require_holder(technician)?;
        if !self.state.is_being_worked() {
            return Err(self.refuse("clocked on"));
        }
        if !self.operations.iter().any(|op| op.line_id == line) {
            return Err(JobError::UnknownLine(line));
        }
        if let Some(open) = self.open_clock() {
            return Err(JobError::ClockOpen(open.line_id));
        }
        self.clock.push(ClockEntry {
            line_id: line,
            technician,
            on_at: now,
            off_at: None,
            rework: self.state == JobState::Rework,
            closed_by_system: false,
        });
        self.updated_at = now;
        Ok(self.clock.last().expect("just pushed"))
    }

    /// Closes the open clock (`by_system` when the system closes it for the technician).
    pub fn clock_off(&mut self, now: DateTime<Utc>, by_system: bool) -> Result<&ClockEntry, JobError> {
        let open = self.clock.iter().position(|entry| entry.off_at.is_none()).ok_or(JobError::NoOpenClock)?;
        let entry = &mut self.clock[open];
        entry.off_at = Some(now.max(entry.on_at));
        entry.closed_by_system = by_system;
        self.updated_at = now;
        Ok(&self.clock[open])
    }

    /// Closes the open clock for `actor` (the holder, or the foreman for them).
    pub fn clock_off_by(&mut self, actor: Actor, now: DateTime<Utc>) -> Result<&ClockEntry, JobError> {
        self.authorize(actor)?;
        self.clock_off(now, false)
    }

    /// Logs a progress note on a started job.
    pub fn log_progress(&mut self, actor: Actor, note: ProgressNote) -> Result<&ProgressNote, JobError> {
        self.authorize(actor)?;
        if !self.state.is_being_worked() {
            return Err(self.refuse("given progress notes"));
        }
        self.updated_at = note.at;
        self.progress.push(note);
        Ok(self.progress.last().expect("just pushed"))
    }

    /// Moves the promised time later.
    pub fn report_delay(
        &mut self,
        actor: Actor,
        reason: &str,
        new_promised_at: DateTime<Utc>,
        reported_by: &str,
        now: DateTime<Utc>,
    ) -> Result<&DelayReport, JobError> {
        self.authorize(actor)?;
        if matches!(self.state, JobState::Ready | JobState::Cancelled) {
            return Err(self.refuse("delayed"));
        }
        if new_promised_at <= self.promised_at || new_promised_at <= now {
            return Err(JobError::PromiseNotLater(self.promised_at));
        }
        self.delays.push(DelayReport {
            reason: reason.to_string(),
            previous_promised_at: self.promised_at,
            new_promised_at,
            reported_by: reported_by.to_string(),
            at: now,
        });
        self.promised_at = new_promised_at;
        self.updated_at = now;
        Ok(self.delays.last().expect("just pushed"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use chrono::Duration;

    fn note(at: DateTime<Utc>) -> ProgressNote {
        ProgressNote { note: "cylinder 3 misfires".into(), media: vec!["s3://clip.mp4".into()], author: "t".into(), at }
    }

    #[test]
    fn the_holder_starts_an_assigned_job() {
        let (mut job, technician, at) = assigned(&[100]);
        job.start(Actor::Technician(technician), at).unwrap();
        assert_eq!(job.state, JobState::InProgress);
        assert_eq!(job.started_at, Some(at));
    }

    #[test]
    fn the_foreman_may_start_it_for_the_holder() {
        let (mut job, _, at) = assigned(&[100]);
        job.start(Actor::Foreman, at).unwrap();
        assert_eq!(job.state, JobState::InProgress);
    }

    #[test]
    fn another_technician_may_not_start_it() {
        let (mut job, _, at) = assigned(&[100]);
        assert_eq!(job.start(Actor::Technician(uuid::Uuid::now_v7()), at), Err(JobError::NotHolder));
        assert_eq!(job.start(Actor::UnregisteredTechnician, at), Err(JobError::NotHolder));
        assert_eq!(job.state, JobState::Assigned);
    }

    #[test]
    fn a_queued_job_cannot_be_started() {
        let mut job = queued(&[100]);
        assert!(matches!(job.start(Actor::Foreman, nine_am()), Err(JobError::State { state: JobState::Queued, .. })));
    }

    #[test]
    fn a_started_job_cannot_be_started_again() {
        let (mut job, technician, at) = started(&[100]);
        assert!(matches!(job.start(Actor::Technician(technician), at), Err(JobError::State { .. })));
    }

    #[test]
    fn clocking_needs_a_started_job_one_of_its_lines_and_no_open_clock() {
        let (mut assigned_job, technician, at) = assigned(&[100]);
        let line = assigned_job.operations[0].line_id;
        assert!(matches!(assigned_job.clock_on(technician, line, at), Err(JobError::State { .. })));

        let (mut job, technician, at) = started(&[100, 50]);
        let (first, second) = (job.operations[0].line_id, job.operations[1].line_id);
        let stranger = uuid::Uuid::now_v7();
        assert_eq!(job.clock_on(technician, stranger, at).unwrap_err(), JobError::UnknownLine(stranger));
        job.clock_on(technician, first, at).unwrap();
        assert_eq!(job.clock_on(technician, second, at).unwrap_err(), JobError::ClockOpen(first));
        assert_eq!(job.clock_on(uuid::Uuid::now_v7(), second, at).unwrap_err(), JobError::NotHolder);
    }

    #[test]
    fn clocking_off_adds_the_interval_to_the_operations_actual_hours() {
        let (mut job, technician, at) = started(&[100, 50]);
        let (first, second) = (job.operations[0].line_id, job.operations[1].line_id);
        job.clock_on(technician, first, at).unwrap();
        job.clock_off_by(Actor::Technician(technician), at + Duration::minutes(45)).unwrap();
        job.clock_on(technician, second, at + Duration::hours(1)).unwrap();
        job.clock_off_by(Actor::Foreman, at + Duration::hours(1) + Duration::minutes(6)).unwrap();
        assert_eq!(job.actual_hours(first).as_hundredths(), 75);
        assert_eq!(job.actual_hours(second).as_hundredths(), 10);
        assert_eq!(job.total_actual_hours().unwrap().as_hundredths(), 85);
        assert_eq!(job.clock_off(at + Duration::hours(2), false).unwrap_err(), JobError::NoOpenClock);
    }

    #[test]
    fn an_open_clock_does_not_count_yet() {
        let (mut job, technician, at) = started(&[100]);
        let line = job.operations[0].line_id;
        job.clock_on(technician, line, at).unwrap();
        assert_eq!(job.actual_hours(line).as_hundredths(), 0);
    }

    #[test]
    fn progress_notes_are_for_started_jobs_by_the_holder_or_foreman() {
        let (mut job, technician, at) = assigned(&[100]);
        assert!(matches!(job.log_progress(Actor::Foreman, note(at)), Err(JobError::State { .. })));
        job.start(Actor::Technician(technician), at).unwrap();
        job.log_progress(Actor::Technician(technician), note(at)).unwrap();
        job.log_progress(Actor::Foreman, note(at)).unwrap();
        assert_eq!(
            job.log_progress(Actor::Technician(uuid::Uuid::now_v7()), note(at)).unwrap_err(),
            JobError::NotHolder
        );
        assert_eq!(job.progress.len(), 2);
    }

    #[test]
    fn a_delay_moves_the_promise_later_and_keeps_the_previous_one() {
        let (mut job, technician, at) = started(&[100]);
        let before = job.promised_at;
        let report = job
            .report_delay(Actor::Technician(technician), "waiting for a part", before + Duration::hours(2), "t", at)
            .unwrap()
            .clone();
        assert_eq!(report.previous_promised_at, before);
        assert_eq!(job.promised_at, before + Duration::hours(2));
        assert_eq!(job.initially_promised_at, before);
    }

    #[test]
    fn a_delay_must_move_the_promise_later_than_now_and_than_the_current_promise() {
        let (mut job, _, at) = started(&[100]);
        let promised = job.promised_at;
        for new in [promised, promised - Duration::minutes(1)] {
            assert_eq!(
                job.report_delay(Actor::Foreman, "r", new, "f", at).unwrap_err(),
                JobError::PromiseNotLater(promised)
            );
        }
        let late = promised + Duration::hours(1);
        assert!(job.report_delay(Actor::Foreman, "r", late, "f", late + Duration::minutes(1)).is_err());
    }

    #[test]
    fn a_queued_job_may_already_be_reported_late() {
        let mut job = queued(&[100]);
        let later = job.promised_at + Duration::hours(1);
        job.report_delay(Actor::Foreman, "backlog", later, "f", nine_am()).unwrap();
        assert_eq!(job.promised_at, later);
    }
}
