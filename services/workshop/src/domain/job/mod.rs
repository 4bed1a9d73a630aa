//! A job: the workshop's side of one approved repair order, from the queue to ready for delivery.
//!
//! Rules (DOMAIN.md, Workshop 3–6), each in the submodule that enforces it:
//!
//! - **Queue** (here): an approved order becomes exactly **one** job; its consented labour lines are the job's
//!   operations (parts lines are the parts service's business); the job enters the queue at once (the "order to
//!   workshop" clock gives it 5 minutes from consent); urgent jobs go first.
//! - **Assignment** ([`assign`]): a job is given to a technician (the foreman accepting or overriding the
//!   suggestion, or automatic assignment) and loses them when they go off shift with it open.
//! - **Work** ([`work`]): the assigned technician starts it, clocks on and off its operations (actual hours),
//!   logs progress, reports delays.
//! - **Additional work** ([`extra`]): the technician asks; the customer's answer arrives from reception.
//! - **Quality** ([`quality`]): self-check, inspection by someone who did not work on it, rework loop, wash, ready;
//!   and cancellation before work starts.
//!
//! The [`Job`] keeps its whole history (assignments, clock entries, notes, delays, requests, inspections): it is
//! small (a handful of each per job) and the rules need it (who worked on the job, what was clocked since the last
//! failed inspection).

use aftersales_kernel::{DealerId, Hundredths, JobId, RepairOrderId, Vin};
use chrono::{DateTime, Utc};

pub mod assign;
pub mod extra;
#[cfg(test)]
mod fixtures;
pub mod quality;
pub mod work;

pub use assign::{Assignment, AssignmentKind};
pub use extra::{AdditionalWork, AdditionalWorkState, NewAdditionalWork, RequestedOperation, RequestedPart};
pub use quality::Inspection;
pub use work::{ClockEntry, DelayReport, ProgressNote};

/// A technician, by their workshop record's id.
pub type TechnicianRef = uuid::Uuid;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a technician.
    Queued,
    /// Assigned, not started.
    Assigned,
    /// Work has started (possibly without a technician, after an end of shift).
    InProgress,
    /// Self-checked, waiting for quality inspection.
    AwaitingInspection,
    /// Failed inspection; the technician reworks it.
    Rework,
    /// Passed inspection, waiting for the wash.
    InspectionPassed,
    /// Washed; ready for delivery.
    Ready,
    /// Dropped: its order was cancelled before work started.
    Cancelled,
}

impl JobState {
    /// Every state, in life order.
    pub const ALL: [JobState; 8] = [
        JobState::Queued,
        JobState::Assigned,
        JobState::InProgress,
        JobState::AwaitingInspection,
        JobState::Rework,
        JobState::InspectionPassed,
        JobState::Ready,
        JobState::Cancelled,
    ];

    /// Stable stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Assigned => "assigned",
            JobState::InProgress => "in_progress",
            JobState::AwaitingInspection => "awaiting_inspection",
            JobState::Rework => "rework",
            JobState::InspectionPassed => "inspection_passed",
            JobState::Ready => "ready",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Work has started and not yet reached self-check: the technician is working it.
    pub fn is_being_worked(self) -> bool {
        matches!(self, JobState::InProgress | JobState::Rework)
    }

    /// A technician holding a job in this state counts its remaining work as theirs.
    pub fn loads_technician(self) -> bool {
        matches!(self, JobState::Assigned | JobState::InProgress | JobState::Rework)
    }
}

/// One operation of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOperation {
    /// The order line it comes from.
    pub line_id: uuid::Uuid,
    /// Catalogue code.
    pub operation_code: String,
    /// Estimated hours.
    pub estimated_hours: Hundredths,
    /// The additional-work request it came from; `None` for the original estimate's lines.
    pub additional_work: Option<uuid::Uuid>,
}

/// A consented labour line, as reception published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedOperation {
    /// Order line id.
    pub line_id: uuid::Uuid,
    /// Catalogue code.
    pub operation_code: String,
    /// Estimated hours.
    pub estimated_hours: Hundredths,
}

/// What reception's `RepairOrderApproved` tells the workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedOrder {
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// Its dealer.
    pub dealer_id: DealerId,
    /// The vehicle.
    pub vin: Vin,
    /// Urgent.
    pub urgent: bool,
    /// Promised back at.
    pub promised_at: DateTime<Utc>,
    /// When the customer consented.
    pub approved_at: DateTime<Utc>,
    /// Consented labour lines.
    pub operations: Vec<ApprovedOperation>,
}

/// Why a job cannot be queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// The estimated hours overflow.
    #[error("estimated hours overflow")]
    HoursOverflow,
}

/// Why a change to a job is refused. Each maps to one gRPC answer in the application layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The job's state does not allow the change.
    #[error("a job that is {} cannot be {action}", .state.as_str())]
    State {
        /// What was tried, in words ("started", "inspected").
        action: &'static str,
        /// Where the job is.
        state: JobState,
    },
    /// Only the technician holding the job may do this.
    #[error("only the technician holding the job may do this")]
    NotHolder,
    /// The job has no technician (it waits in the queue).
    #[error("the job has no technician; assign one first")]
    NoTechnician,
    /// The technician already holds the job.
    #[error("the technician already holds this job")]
    AlreadyHolder,
    /// A clock is already open on the job.
    #[error("a clock is already open on operation line {0}; clock off first")]
    ClockOpen(uuid::Uuid),
    /// No clock is open on the job.
    #[error("no clock is open on this job")]
    NoOpenClock,
    /// The line is not one of the job's operations.
    #[error("line {0} is not an operation of this job")]
    UnknownLine(uuid::Uuid),
    /// Self-check needs every operation clocked.
    #[error("operation line {0} has no clocked time")]
    NotClocked(uuid::Uuid),
    /// Self-check after a failed inspection needs rework clocked since.
    #[error("no rework has been clocked since the failed inspection")]
    NoReworkClocked,
    /// Additional work is waiting for the customer's answer.
    #[error("additional work {0} is waiting for the customer's answer")]
    AdditionalWorkPending(uuid::Uuid),
    /// The inspector worked on the job.
    #[error("an inspector may not inspect a job they worked on")]
    InspectorWorkedOnJob,
    /// A failed inspection needs findings.
    #[error("findings are required when the inspection fails")]
    FindingsRequired,
    /// A delay must move the promise later than it is now, and into the future.
    #[error("the new promised time must be later than the current one ({0}) and than now")]
    PromiseNotLater(DateTime<Utc>),
    /// An additional-work request must ask for something.
    #[error("at least one operation or part is required")]
    NothingRequested,
    /// The sum of hours overflows.
    #[error("hours overflow")]
    HoursOverflow,
}

/// A workshop job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Id.
    pub id: JobId,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The order it works; one job per order.
    pub repair_order_id: RepairOrderId,
    /// The vehicle.
    pub vin: Vin,
    /// Urgent jobs go first.
    pub urgent: bool,
    /// Where it is.
    pub state: JobState,
    /// What to do.
    pub operations: Vec<JobOperation>,
    /// Promised back at, now (delay reports move it).
    pub promised_at: DateTime<Utc>,
    /// Promised back at when the order was approved.
    pub initially_promised_at: DateTime<Utc>,
    /// When the customer consented.
    pub approved_at: DateTime<Utc>,
    /// When it entered the queue.
    pub queued_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The technician holding it; `None` while it waits for one.
    pub technician: Option<TechnicianRef>,
    /// When the holder is expected to finish (set at assignment).
    pub estimated_finish_at: Option<DateTime<Utc>>,
    /// When work started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the last self-check was completed.
    pub self_checked_at: Option<DateTime<Utc>>,
    /// What the technician wrote at the last self-check.
    pub self_check_note: String,
    /// When it became ready.
    pub ready_at: Option<DateTime<Utc>>,
    /// Failed inspections.
    pub rework_count: u32,
    /// Assignment history.
    pub assignments: Vec<Assignment>,
    /// Clock intervals.
    pub clock: Vec<ClockEntry>,
    /// Progress notes.
    pub progress: Vec<ProgressNote>,
    /// Delay reports.
    pub delays: Vec<DelayReport>,
    /// Additional-work requests.
    pub additional_work: Vec<AdditionalWork>,
    /// Inspections.
    pub inspections: Vec<Inspection>,
}

impl Job {
    /// The job of a freshly approved order, queued now.
    pub fn queue(order: ApprovedOrder, now: DateTime<Utc>) -> Result<Job, QueueError> {
        let job = Job {
            id: JobId::new(),
            dealer_id: order.dealer_id,
            repair_order_id: order.repair_order_id,
            vin: order.vin,
            urgent: order.urgent,
            state: JobState::Queued,
            operations: order
                .operations
                .into_iter()
                .map(|op| JobOperation {
                    line_id: op.line_id,
                    operation_code: op.operation_code,
                    estimated_hours: op.estimated_hours,
                    additional_work: None,
                })
                .collect(),
            promised_at: order.promised_at,
            initially_promised_at: order.promised_at,
            approved_at: order.approved_at,
            queued_at: now,
            updated_at: now,
            technician: None,
            estimated_finish_at: None,
            started_at: None,
            self_checked_at: None,
            self_check_note: String::new(),
            ready_at: None,
            rework_count: 0,
            assignments: Vec::new(),
            clock: Vec::new(),
            progress: Vec::new(),
            delays: Vec::new(),
            additional_work: Vec::new(),
            inspections: Vec::new(),
        };
        job.estimated_hours().map_err(|_| QueueError::HoursOverflow)?;
        Ok(job)
    }

    /// Sum of the operations' estimated hours.
    pub fn estimated_hours(&self) -> Result<Hundredths, JobError> {
        sum(self.operations.iter().map(|op| op.estimated_hours))
    }

    /// Actual hours of one operation: its closed clock intervals summed, rounded half up to the hundredth.
    pub fn actual_hours(&self, line: uuid::Uuid) -> Hundredths {
        let micros: i64 = self
            .clock
            .iter()
            .filter(|entry| entry.line_id == line)
            .filter_map(|entry| entry.off_at.map(|off| (off - entry.on_at).num_microseconds().unwrap_or(i64::MAX)))
            .fold(0i64, |total, us| total.saturating_add(us.max(0)));
        hundredths_of_hour(micros)
    }

    /// Sum of the operations' actual hours.
    pub fn total_actual_hours(&self) -> Result<Hundredths, JobError> {
        sum(self.operations.iter().map(|op| self.actual_hours(op.line_id)))
    }

    /// Work the holder still has on this job: estimated minus actual hours, never below zero.
    pub fn remaining_hours(&self) -> Hundredths {
        let estimated = self.estimated_hours().unwrap_or(Hundredths::ZERO);
        let actual = self.total_actual_hours().unwrap_or(Hundredths::ZERO);
        estimated.checked_sub(actual).unwrap_or(Hundredths::ZERO)
    }

    /// Whether the job needs a technician: queued, or started and left without one.
    pub fn needs_technician(&self) -> bool {
        self.technician.is_none() && matches!(self.state, JobState::Queued | JobState::InProgress | JobState::Rework)
    }

    /// Whether `technician` worked on the job: ever held it or clocked time on it.
    pub fn was_worked_by(&self, technician: TechnicianRef) -> bool {
        self.clock.iter().any(|entry| entry.technician == technician)
            || self.assignments.iter().any(|a| a.technician == technician && a.kind != AssignmentKind::Released)
    }

    /// The open clock interval, if any.
    pub fn open_clock(&self) -> Option<&ClockEntry> {
        self.clock.iter().find(|entry| entry.off_at.is_none())
    }

    fn refuse(&self, action: &'static str) -> JobError {
        JobError::State { action, state: self.state }
    }

    /// Refuses unless `technician` holds the job.
    fn require_holder(&self, technician: TechnicianRef) -> Result<(), JobError> {
        match self.technician {
            Some(holder) if holder == technician => Ok(()),
            Some(_) => Err(JobError::NotHolder),
            None => Err(JobError::NoTechnician),
        }
    }
}

fn sum(hours: impl Iterator<Item = Hundredths>) -> Result<Hundredths, JobError> {
    hours.into_iter().try_fold(Hundredths::ZERO, |total, h| total.checked_add(h).map_err(|_| JobError::HoursOverflow))
}

/// Microseconds as hundredths of an hour, rounded half up (36 s is one hundredth).
pub fn hundredths_of_hour(micros: i64) -> Hundredths {
    const MICROS_PER_HUNDREDTH: i64 = 36_000_000;
    let rounded =
        (micros.max(0) / MICROS_PER_HUNDREDTH) + i64::from(micros.max(0) % MICROS_PER_HUNDREDTH >= 18_000_000);
    Hundredths::from_hundredths(rounded).unwrap_or(Hundredths::ZERO)
}

/// Hundredths of an hour as a duration.
pub fn duration_of(hours: Hundredths) -> chrono::Duration {
    chrono::Duration::seconds(hours.as_hundredths().saturating_mul(36))
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn an_approved_order_becomes_one_queued_job_with_its_labour_lines_as_operations() {
        let order = approved(false, &[150, 75]);
        let now = order.approved_at + chrono::Duration::seconds(2);
        let job = Job::queue(order.clone(), now).unwrap();
        assert_eq!(job.state, JobState::Queued);
        assert_eq!(job.repair_order_id, order.repair_order_id);
        assert_eq!(job.operations.len(), 2);
        assert_eq!(job.estimated_hours().unwrap().as_hundredths(), 225);
        assert_eq!(job.queued_at, now);
        assert_eq!(job.initially_promised_at, order.promised_at);
        assert!(job.needs_technician());
    }

    #[test]
    fn an_urgent_order_gives_an_urgent_job() {
        let order = approved(true, &[100]);
        let at = order.approved_at;
        assert!(Job::queue(order, at).unwrap().urgent);
    }

    #[test]
    fn a_parts_only_order_still_gets_a_job_for_fitting_and_inspection() {
        let order = approved(false, &[]);
        let at = order.approved_at;
        let job = Job::queue(order, at).unwrap();
        assert!(job.operations.is_empty());
        assert_eq!(job.estimated_hours().unwrap(), Hundredths::ZERO);
    }

    #[test]
    fn every_state_name_round_trips() {
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn clocked_time_becomes_hundredths_of_an_hour_rounded_half_up() {
        assert_eq!(hundredths_of_hour(0).as_hundredths(), 0);
        assert_eq!(hundredths_of_hour(17_999_999).as_hundredths(), 0);
        assert_eq!(hundredths_of_hour(18_000_000).as_hundredths(), 1); // 18 s is half a hundredth
        assert_eq!(hundredths_of_hour(3_600_000_000).as_hundredths(), 100); // one hour
        assert_eq!(hundredths_of_hour(5_400_000_000).as_hundredths(), 150); // 90 minutes
    }

    #[test]
    fn remaining_work_is_estimate_minus_actual_and_never_negative() {
        let (mut job, tech, at) = started(&[100]);
        let line = job.operations[0].line_id;
        job.clock_on(tech, line, at).unwrap();
        job.clock_off(at + chrono::Duration::minutes(30), false).unwrap();
        assert_eq!(job.remaining_hours().as_hundredths(), 50);
        job.clock_on(tech, line, at + chrono::Duration::hours(1)).unwrap();
        job.clock_off(at + chrono::Duration::hours(3), false).unwrap();
        assert_eq!(job.actual_hours(line).as_hundredths(), 250);
        assert_eq!(job.remaining_hours(), Hundredths::ZERO);
    }
}
