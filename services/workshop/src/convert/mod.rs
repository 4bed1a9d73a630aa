//! Domain → proto for catalogue operations, technicians and settings here, jobs in `jobs.rs`: on the wire and on
//! the feed.

use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::skills::{AssessmentResult, TrainingRecord};
use crate::domain::{Operation, Technician};

mod jobs;

pub use jobs::*;

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

/// Workshop settings on the wire.
pub fn settings(s: &crate::domain::settings::WorkshopSettings) -> pb::WorkshopSettings {
    pb::WorkshopSettings {
        dealer_id: s.dealer_id.to_string(),
        automatic_assignment: s.automatic_assignment,
        update_time: s.updated_at.map(to_timestamp),
        etag: s.etag(),
    }
}
