//! Domain → proto for jobs, catalogue operations and technicians, on the wire and on the feed.

use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::skills::{AssessmentResult, TrainingRecord};
use crate::domain::{Job, JobOperation, JobState, Operation, Technician};

/// State on the wire.
pub fn state(s: JobState) -> pb::JobState {
    match s {
        JobState::Queued => pb::JobState::Queued,
        JobState::Assigned => pb::JobState::Assigned,
        JobState::InProgress => pb::JobState::InProgress,
        JobState::AwaitingInspection => pb::JobState::AwaitingInspection,
        JobState::Ready => pb::JobState::Ready,
        JobState::Cancelled => pb::JobState::Cancelled,
    }
}

fn operation(op: &JobOperation) -> pb::JobOperation {
    pb::JobOperation {
        line_id: op.line_id.to_string(),
        operation_code: op.operation_code.clone(),
        estimated_hours_hundredths: op.estimated_hours.as_hundredths(),
    }
}

fn total_hours(job: &Job) -> i64 {
    job.estimated_hours().map(|h| h.as_hundredths()).unwrap_or_default()
}

/// A job on the wire.
pub fn job(j: &Job) -> pb::Job {
    pb::Job {
        id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        vin: j.vin.to_string(),
        urgent: j.urgent,
        state: state(j.state) as i32,
        operations: j.operations.iter().map(operation).collect(),
        estimated_hours_hundredths: total_hours(j),
        promised_at: Some(to_timestamp(j.promised_at)),
        approved_at: Some(to_timestamp(j.approved_at)),
        queued_at: Some(to_timestamp(j.queued_at)),
        update_time: Some(to_timestamp(j.updated_at)),
    }
}

/// `JobQueued` for the feed.
pub fn queued_event(j: &Job) -> pb::JobQueued {
    pb::JobQueued {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        vin: j.vin.to_string(),
        urgent: j.urgent,
        operations: j.operations.iter().map(operation).collect(),
        estimated_hours_hundredths: total_hours(j),
        promised_at: Some(to_timestamp(j.promised_at)),
    }
}

/// A catalogue operation on the wire.
pub fn catalogue_operation(o: &Operation) -> pb::Operation {
    pb::Operation {
        code: o.code().to_string(),
        name: o.name().to_string(),
        skill_family: o.skill_family().as_str().to_string(),
        minimum_level: o.minimum_level(),
        standard_hours_hundredths: o.standard_hours_hundredths(),
        active: o.active(),
        create_time: Some(to_timestamp(o.created_at())),
        update_time: Some(to_timestamp(o.updated_at())),
        etag: o.etag(),
    }
}

/// `OperationCatalogUpdated` for the feed: the full current record.
pub fn operation_event(o: &Operation) -> pb::OperationCatalogUpdated {
    pb::OperationCatalogUpdated { operation: Some(catalogue_operation(o)) }
}

/// An assessment result on the wire.
pub fn assessment_result(r: AssessmentResult) -> pb::AssessmentResult {
    match r {
        AssessmentResult::Passed => pb::AssessmentResult::Passed,
        AssessmentResult::Failed => pb::AssessmentResult::Failed,
    }
}

fn training_record(r: &TrainingRecord) -> pb::TrainingRecord {
    pb::TrainingRecord {
        course: r.course.clone(),
        skill_family: r.skill_family.clone(),
        level: i32::from(r.level),
        completed_on: r.completed_on.format("%Y-%m-%d").to_string(),
        result: assessment_result(r.result) as i32,
    }
}

/// A technician on the wire.
pub fn technician(t: &Technician) -> pb::Technician {
    pb::Technician {
        id: t.id.to_string(),
        dealer_id: t.dealer_id.to_string(),
        subject: t.subject.clone(),
        name: t.name.clone(),
        on_shift: t.on_shift(),
        skills: t
            .skills()
            .families()
            .map(|(family, level)| pb::Skill { skill_family: family.to_string(), level: i32::from(level) })
            .collect(),
        training: t.training().iter().map(training_record).collect(),
        on_shift_since: t.on_shift_since().map(to_timestamp),
        create_time: Some(to_timestamp(t.created_at)),
        update_time: Some(to_timestamp(t.updated_at)),
    }
}

/// `TechnicianRegistered` for the feed: the full record.
pub fn technician_registered(t: &Technician) -> pb::TechnicianRegistered {
    pb::TechnicianRegistered { technician: Some(technician(t)) }
}

/// `TrainingRecorded` for the feed.
pub fn training_recorded(t: &Technician, r: &TrainingRecord) -> pb::TrainingRecorded {
    pb::TrainingRecorded {
        technician_id: t.id.to_string(),
        dealer_id: t.dealer_id.to_string(),
        skill_family: r.skill_family.clone(),
        level: i32::from(r.level),
        result: assessment_result(r.result) as i32,
    }
}

/// `ShiftChanged` for the feed.
pub fn shift_changed(t: &Technician, at: chrono::DateTime<chrono::Utc>) -> pb::ShiftChanged {
    pb::ShiftChanged {
        technician_id: t.id.to_string(),
        dealer_id: t.dealer_id.to_string(),
        on_shift: t.on_shift(),
        at: Some(to_timestamp(at)),
    }
}
