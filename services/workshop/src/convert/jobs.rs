//! Domain → proto for jobs and their events.

use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::to_timestamp;
use chrono::{DateTime, Utc};

use crate::domain::job::{
    AdditionalWork, AdditionalWorkState, Assignment, AssignmentKind, ClockEntry, DelayReport, Inspection, ProgressNote,
};
use crate::domain::{Job, JobState};

fn ts(at: DateTime<Utc>) -> Option<prost_types::Timestamp> {
    Some(to_timestamp(at))
}

fn ts_opt(at: Option<DateTime<Utc>>) -> Option<prost_types::Timestamp> {
    at.map(to_timestamp)
}

fn id_or_empty(id: Option<uuid::Uuid>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// State on the wire.
pub fn state(s: JobState) -> pb::JobState {
    match s {
        JobState::Queued => pb::JobState::Queued,
        JobState::Assigned => pb::JobState::Assigned,
        JobState::InProgress => pb::JobState::InProgress,
        JobState::AwaitingInspection => pb::JobState::AwaitingInspection,
        JobState::Rework => pb::JobState::Rework,
        JobState::InspectionPassed => pb::JobState::InspectionPassed,
        JobState::Ready => pb::JobState::Ready,
        JobState::Cancelled => pb::JobState::Cancelled,
    }
}

/// State from the wire (`None` for UNSPECIFIED).
pub fn state_from(s: pb::JobState) -> Option<JobState> {
    JobState::ALL.into_iter().find(|domain| state(*domain) == s)
}

fn operations(j: &Job) -> Vec<pb::JobOperation> {
    j.operations
        .iter()
        .map(|op| pb::JobOperation {
            line_id: op.line_id.to_string(),
            operation_code: op.operation_code.clone(),
            estimated_hours_hundredths: op.estimated_hours.as_hundredths(),
            actual_hours_hundredths: j.actual_hours(op.line_id).as_hundredths(),
            additional_work_id: id_or_empty(op.additional_work),
        })
        .collect()
}

fn estimated(job: &Job) -> i64 {
    job.estimated_hours().map(|h| h.as_hundredths()).unwrap_or_default()
}

fn actual(job: &Job) -> i64 {
    job.total_actual_hours().map(|h| h.as_hundredths()).unwrap_or_default()
}

fn assignment_kind(kind: AssignmentKind) -> pb::AssignmentKind {
    match kind {
        AssignmentKind::SuggestionAccepted => pb::AssignmentKind::SuggestionAccepted,
        AssignmentKind::Override => pb::AssignmentKind::Override,
        AssignmentKind::Automatic => pb::AssignmentKind::Automatic,
        AssignmentKind::Released => pb::AssignmentKind::Released,
    }
}

/// An assignment history entry on the wire.
pub fn assignment(a: &Assignment) -> pb::Assignment {
    pb::Assignment {
        kind: assignment_kind(a.kind) as i32,
        technician_id: a.technician.to_string(),
        decided_by: a.decided_by.clone(),
        suggested_technician_id: id_or_empty(a.suggested),
        suggestion_reason: a.suggestion_reason.clone(),
        reason: a.reason.clone(),
        at: ts(a.at),
    }
}

fn clock_entry(c: &ClockEntry) -> pb::ClockEntry {
    pb::ClockEntry {
        line_id: c.line_id.to_string(),
        technician_id: c.technician.to_string(),
        on_at: ts(c.on_at),
        off_at: ts_opt(c.off_at),
        rework: c.rework,
    }
}

fn progress_note(p: &ProgressNote) -> pb::ProgressNote {
    pb::ProgressNote { note: p.note.clone(), media_references: p.media.clone(), author: p.author.clone(), at: ts(p.at) }
}

fn delay(d: &DelayReport) -> pb::DelayReport {
    pb::DelayReport {
        reason: d.reason.clone(),
        previous_promised_at: ts(d.previous_promised_at),
        new_promised_at: ts(d.new_promised_at),
        reported_by: d.reported_by.clone(),
        at: ts(d.at),
    }
}

fn additional_work(w: &AdditionalWork) -> pb::AdditionalWork {
    pb::AdditionalWork {
        id: w.id.to_string(),
        finding: w.request.finding.clone(),
        operations: w
            .request
            .operations
            .iter()
            .map(|o| pb::RequestedOperation {
                operation_code: o.operation_code.clone(),
                estimated_hours_hundredths: o.estimated_hours.as_hundredths(),
            })
            .collect(),
        parts: w
            .request
            .parts
            .iter()
            .map(|p| pb::RequestedPart {
                part_number: p.part_number.clone(),
                quantity_hundredths: p.quantity.as_hundredths(),
            })
            .collect(),
        media_references: w.request.media.clone(),
        state: match w.state {
            AdditionalWorkState::Requested => pb::AdditionalWorkState::Requested,
            AdditionalWorkState::Approved => pb::AdditionalWorkState::Approved,
            AdditionalWorkState::Refused => pb::AdditionalWorkState::Refused,
        } as i32,
        requested_by: w.requested_by.clone(),
        requested_at: ts(w.requested_at),
        decided_at: ts_opt(w.decided_at),
        refusal_reason: w.refusal_reason.clone(),
    }
}

fn inspection(i: &Inspection) -> pb::Inspection {
    pb::Inspection { passed: i.passed, findings: i.findings.clone(), inspector: i.inspector.clone(), at: ts(i.at) }
}

/// A job on the wire, with its history.
pub fn job(j: &Job) -> pb::Job {
    pb::Job {
        id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        vin: j.vin.to_string(),
        urgent: j.urgent,
        state: state(j.state) as i32,
        operations: operations(j),
        estimated_hours_hundredths: estimated(j),
        promised_at: ts(j.promised_at),
        approved_at: ts(j.approved_at),
        queued_at: ts(j.queued_at),
        update_time: ts(j.updated_at),
        technician_id: id_or_empty(j.technician),
        estimated_finish_at: ts_opt(j.estimated_finish_at),
        started_at: ts_opt(j.started_at),
        actual_hours_hundredths: actual(j),
        rework_count: j.rework_count as i32,
        ready_at: ts_opt(j.ready_at),
        initially_promised_at: ts(j.initially_promised_at),
        assignments: j.assignments.iter().map(assignment).collect(),
        clock_entries: j.clock.iter().map(clock_entry).collect(),
        progress_notes: j.progress.iter().map(progress_note).collect(),
        delays: j.delays.iter().map(delay).collect(),
        additional_work: j.additional_work.iter().map(additional_work).collect(),
        inspections: j.inspections.iter().map(inspection).collect(),
        self_checked_at: ts_opt(j.self_checked_at),
        self_check_note: j.self_check_note.clone(),
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
        operations: operations(j),
        estimated_hours_hundredths: estimated(j),
        promised_at: ts(j.promised_at),
    }
}

/// `JobAssigned` for the feed: the job's last history entry.
pub fn assigned_event(j: &Job) -> pb::JobAssigned {
    pb::JobAssigned {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        technician_id: id_or_empty(j.technician),
        assignment: j.assignments.last().map(assignment),
        estimated_finish_at: ts_opt(j.estimated_finish_at),
        promised_at: ts(j.promised_at),
        urgent: j.urgent,
    }
}

/// `JobUnassigned` for the feed: the job's last history entry (a release).
pub fn unassigned_event(j: &Job) -> pb::JobUnassigned {
    let release = j.assignments.last();
    pb::JobUnassigned {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        technician_id: release.map(|r| r.technician.to_string()).unwrap_or_default(),
        reason: release.map(|r| r.reason.clone()).unwrap_or_default(),
        at: release.and_then(|r| ts(r.at)),
    }
}

/// `JobStarted` for the feed.
pub fn started_event(j: &Job) -> pb::JobStarted {
    pb::JobStarted {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        technician_id: id_or_empty(j.technician),
        estimated_hours_hundredths: estimated(j),
        urgent: j.urgent,
        started_at: ts_opt(j.started_at),
        promised_at: ts(j.promised_at),
    }
}

fn operation_code(j: &Job, line: uuid::Uuid) -> String {
    j.operations.iter().find(|op| op.line_id == line).map(|op| op.operation_code.clone()).unwrap_or_default()
}

/// `OperationClockedOn` for the feed.
pub fn clocked_on_event(j: &Job, c: &ClockEntry) -> pb::OperationClockedOn {
    pb::OperationClockedOn {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        line_id: c.line_id.to_string(),
        operation_code: operation_code(j, c.line_id),
        technician_id: c.technician.to_string(),
        at: ts(c.on_at),
        rework: c.rework,
    }
}

/// `OperationClockedOff` for the feed.
pub fn clocked_off_event(j: &Job, c: &ClockEntry) -> pb::OperationClockedOff {
    pb::OperationClockedOff {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        line_id: c.line_id.to_string(),
        operation_code: operation_code(j, c.line_id),
        technician_id: c.technician.to_string(),
        on_at: ts(c.on_at),
        off_at: ts_opt(c.off_at),
        actual_hours_hundredths: j.actual_hours(c.line_id).as_hundredths(),
        closed_by_system: c.closed_by_system,
    }
}

/// `ProgressLogged` for the feed.
pub fn progress_event(j: &Job, note: &ProgressNote) -> pb::ProgressLogged {
    pb::ProgressLogged {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        note: Some(progress_note(note)),
    }
}

/// `DelayReported` for the feed.
pub fn delay_event(j: &Job, report: &DelayReport) -> pb::DelayReported {
    pb::DelayReported {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        report: Some(delay(report)),
    }
}

/// `AdditionalWorkRequested` for the feed.
pub fn additional_work_event(j: &Job, w: &AdditionalWork) -> pb::AdditionalWorkRequested {
    pb::AdditionalWorkRequested {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        vin: j.vin.to_string(),
        additional_work: Some(additional_work(w)),
    }
}

/// `SelfCheckCompleted` for the feed.
pub fn self_checked_event(j: &Job) -> pb::SelfCheckCompleted {
    pb::SelfCheckCompleted {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        technician_id: id_or_empty(j.technician),
        note: j.self_check_note.clone(),
        at: ts_opt(j.self_checked_at),
    }
}

/// `InspectionPassed` for the feed.
pub fn inspection_passed_event(j: &Job, i: &Inspection) -> pb::InspectionPassed {
    pb::InspectionPassed {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        inspection: Some(inspection(i)),
        rework_count: j.rework_count as i32,
    }
}

/// `InspectionFailed` for the feed.
pub fn inspection_failed_event(j: &Job, i: &Inspection) -> pb::InspectionFailed {
    pb::InspectionFailed {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        inspection: Some(inspection(i)),
        rework_count: j.rework_count as i32,
        technician_id: id_or_empty(j.technician),
    }
}

/// `JobReady` for the feed.
pub fn ready_event(j: &Job) -> pb::JobReady {
    pb::JobReady {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        vin: j.vin.to_string(),
        operations: operations(j),
        actual_hours_hundredths: actual(j),
        rework_count: j.rework_count as i32,
        technician_id: id_or_empty(j.technician),
        ready_at: ts_opt(j.ready_at),
        initially_promised_at: ts(j.initially_promised_at),
        promised_at: ts(j.promised_at),
    }
}

/// `JobCancelled` for the feed.
pub fn cancelled_event(j: &Job) -> pb::JobCancelled {
    pb::JobCancelled {
        job_id: j.id.to_string(),
        dealer_id: j.dealer_id.to_string(),
        repair_order_id: j.repair_order_id.to_string(),
        at: ts(j.updated_at),
    }
}
