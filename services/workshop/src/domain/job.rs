//! A job: the workshop's side of one approved repair order.
//!
//! Rules (DOMAIN.md, Workshop 3): an approved order becomes exactly **one** job; its consented labour lines are
//! the job's operations (parts lines are the parts service's business); the job enters the queue at once (the
//! "order to workshop" clock gives it 5 minutes from consent); urgent jobs go first. A job waits in the queue until
//! a foreman (or automatic assignment) gives it to a technician.

use aftersales_kernel::{DealerId, Hundredths, JobId, RepairOrderId, Vin};
use chrono::{DateTime, Utc};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a technician.
    Queued,
    /// Assigned, not started.
    Assigned,
    /// Work has started.
    InProgress,
    /// Waiting for quality inspection.
    AwaitingInspection,
    /// Passed inspection, washed.
    Ready,
    /// Dropped: its order was cancelled before work started.
    Cancelled,
}

impl JobState {
    /// Stable stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Assigned => "assigned",
            JobState::InProgress => "in_progress",
            JobState::AwaitingInspection => "awaiting_inspection",
            JobState::Ready => "ready",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<JobState> {
        use JobState::*;
        [Queued, Assigned, InProgress, AwaitingInspection, Ready, Cancelled].into_iter().find(|s| s.as_str() == name)
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
    /// Promised back at.
    pub promised_at: DateTime<Utc>,
    /// When the customer consented.
    pub approved_at: DateTime<Utc>,
    /// When it entered the queue.
    pub queued_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
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
                })
                .collect(),
            promised_at: order.promised_at,
            approved_at: order.approved_at,
            queued_at: now,
            updated_at: now,
        };
        job.estimated_hours()?;
        Ok(job)
    }

    /// Sum of the operations' estimated hours.
    pub fn estimated_hours(&self) -> Result<Hundredths, QueueError> {
        self.operations.iter().try_fold(Hundredths::ZERO, |sum, op| {
            sum.checked_add(op.estimated_hours).map_err(|_| QueueError::HoursOverflow)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn approved(urgent: bool, hours: &[i64]) -> ApprovedOrder {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        ApprovedOrder {
            repair_order_id: RepairOrderId::new(),
            dealer_id: DealerId::new(),
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            urgent,
            promised_at: at + chrono::Duration::hours(6),
            approved_at: at,
            operations: hours
                .iter()
                .map(|h| ApprovedOperation {
                    line_id: uuid::Uuid::now_v7(),
                    operation_code: "ENG-0420".into(),
                    estimated_hours: Hundredths::from_hundredths(*h).unwrap(),
                })
                .collect(),
        }
    }

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
        use JobState::*;
        for state in [Queued, Assigned, InProgress, AwaitingInspection, Ready, Cancelled] {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
    }
}
