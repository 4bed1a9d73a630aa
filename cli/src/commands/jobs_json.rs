//! Workshop jobs as JSON, shaped like the proto message: every field, enum values by their proto names, times as
//! RFC 3339 (`-` when unset, like the orders' JSON).
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::{AdditionalWork, AdditionalWorkState, AssignmentKind, Job, JobState};
use serde_json::{Value, json};

use crate::output::{self, enum_json};

/// A time as the orders' JSON has them: RFC 3339, `-` when unset.
fn time_json(value: Option<&prost_types::Timestamp>) -> Value {
    json!(output::time(value))
}

/// One job as JSON, every field of the proto message.
pub fn job_json(job: &Job) -> Value {
    let operations: Vec<Value> = job
        .operations
        .iter()
        .map(|op| {
            json!({
                "line_id": op.line_id,
                "operation_code": op.operation_code,
                "estimated_hours_hundredths": op.estimated_hours_hundredths,
                "actual_hours_hundredths": op.actual_hours_hundredths,
                "additional_work_id": op.additional_work_id,
            })
        })
        .collect();
    let assignments: Vec<Value> = job
        .assignments
        .iter()
        .map(|a| {
            json!({
                "kind": enum_json(a.kind, |k: AssignmentKind| k.as_str_name()),
                "technician_id": a.technician_id,
                "decided_by": a.decided_by,
                "suggested_technician_id": a.suggested_technician_id,
                "suggestion_reason": a.suggestion_reason,
                "reason": a.reason,
                "at": time_json(a.at.as_ref()),
            })
        })
        .collect();
    let clock_entries: Vec<Value> = job
        .clock_entries
        .iter()
        .map(|c| {
            json!({
                "line_id": c.line_id,
                "technician_id": c.technician_id,
                "on_at": time_json(c.on_at.as_ref()),
                "off_at": time_json(c.off_at.as_ref()),
                "rework": c.rework,
            })
        })
        .collect();
    let progress_notes: Vec<Value> = job
        .progress_notes
        .iter()
        .map(|n| {
            json!({
                "note": n.note,
                "media_references": n.media_references,
                "author": n.author,
                "at": time_json(n.at.as_ref()),
            })
        })
        .collect();
    let delays: Vec<Value> = job
        .delays
        .iter()
        .map(|d| {
            json!({
                "reason": d.reason,
                "previous_promised_at": time_json(d.previous_promised_at.as_ref()),
                "new_promised_at": time_json(d.new_promised_at.as_ref()),
                "reported_by": d.reported_by,
                "at": time_json(d.at.as_ref()),
            })
        })
        .collect();
    let additional_work: Vec<Value> = job.additional_work.iter().map(additional_work_json).collect();
    let inspections: Vec<Value> = job
        .inspections
        .iter()
        .map(|i| {
            json!({
                "passed": i.passed,
                "findings": i.findings,
                "inspector": i.inspector,
                "at": time_json(i.at.as_ref()),
            })
        })
        .collect();
    json!({
        "id": job.id,
        "dealer_id": job.dealer_id,
        "repair_order_id": job.repair_order_id,
        "vin": job.vin,
        "urgent": job.urgent,
        "state": enum_json(job.state, |s: JobState| s.as_str_name()),
        "operations": operations,
        "estimated_hours_hundredths": job.estimated_hours_hundredths,
        "promised_at": time_json(job.promised_at.as_ref()),
        "approved_at": time_json(job.approved_at.as_ref()),
        "queued_at": time_json(job.queued_at.as_ref()),
        "update_time": time_json(job.update_time.as_ref()),
        "technician_id": job.technician_id,
        "estimated_finish_at": time_json(job.estimated_finish_at.as_ref()),
        "started_at": time_json(job.started_at.as_ref()),
        "actual_hours_hundredths": job.actual_hours_hundredths,
        "rework_count": job.rework_count,
        "ready_at": time_json(job.ready_at.as_ref()),
        "initially_promised_at": time_json(job.initially_promised_at.as_ref()),
        "assignments": assignments,
        "clock_entries": clock_entries,
        "progress_notes": progress_notes,
        "delays": delays,
        "additional_work": additional_work,
        "inspections": inspections,
        "self_checked_at": time_json(job.self_checked_at.as_ref()),
        "self_check_note": job.self_check_note,
    })
}

fn additional_work_json(w: &AdditionalWork) -> Value {
    let operations: Vec<Value> = w
        .operations
        .iter()
        .map(|op| {
            json!({ "operation_code": op.operation_code, "estimated_hours_hundredths": op.estimated_hours_hundredths })
        })
        .collect();
    let parts: Vec<Value> = w
        .parts
        .iter()
        .map(|p| json!({ "part_number": p.part_number, "quantity_hundredths": p.quantity_hundredths }))
        .collect();
    json!({
        "id": w.id,
        "finding": w.finding,
        "operations": operations,
        "parts": parts,
        "media_references": w.media_references,
        "state": enum_json(w.state, |s: AdditionalWorkState| s.as_str_name()),
        "requested_by": w.requested_by,
        "requested_at": time_json(w.requested_at.as_ref()),
        "decided_at": time_json(w.decided_at.as_ref()),
        "refusal_reason": w.refusal_reason,
    })
}
