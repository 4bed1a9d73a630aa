//! How workshop jobs look: a readable summary with the job's whole history (assignments, clock, notes, delays,
//! additional work, inspections) and a table for lists; their JSON is in `jobs_json`.
#![forbid(unsafe_code)]

use crate::output;
use aftersales_proto::workshop::v1::{
    AdditionalWork, AdditionalWorkState, Assignment, AssignmentKind, ClockEntry, Job, JobState,
};

/// The states `--state` accepts (proto names without `JOB_STATE_`, lower case).
pub const JOB_STATES: [&str; 8] =
    ["queued", "assigned", "in_progress", "rework", "awaiting_inspection", "inspection_passed", "ready", "cancelled"];

/// A job state's short name, e.g. `in_progress`.
pub fn state(value: i32) -> String {
    JobState::try_from(value)
        .map(|s| output::short_name(s.as_str_name(), "JOB_STATE_"))
        .unwrap_or_else(|_| value.to_string())
}

fn kind(value: i32) -> String {
    AssignmentKind::try_from(value)
        .map(|k| output::short_name(k.as_str_name(), "ASSIGNMENT_KIND_"))
        .unwrap_or_else(|_| value.to_string())
}

fn work_state(value: i32) -> String {
    AdditionalWorkState::try_from(value)
        .map(|s| output::short_name(s.as_str_name(), "ADDITIONAL_WORK_STATE_"))
        .unwrap_or_else(|_| value.to_string())
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}

fn field(text: &mut String, label: &str, value: &str) {
    *text += &format!("  {label:<11} {value}\n");
}

/// The summary of one job, its history section by section (empty sections left out).
pub fn job_text(job: &Job) -> String {
    let mut text = format!(
        "job {}  {}{}\n",
        job.id,
        state(job.state).to_ascii_uppercase(),
        if job.urgent { "  URGENT" } else { "" }
    );
    field(&mut text, "order", &job.repair_order_id);
    field(&mut text, "dealer", &job.dealer_id);
    field(&mut text, "vehicle", &job.vin);
    let technician = if job.technician_id.is_empty() { "none (waiting in the queue)" } else { &job.technician_id };
    field(&mut text, "technician", technician);
    let hours = format!(
        "{} estimated, {} actual",
        output::hundredths(job.estimated_hours_hundredths),
        output::hundredths(job.actual_hours_hundredths)
    );
    field(&mut text, "hours", &hours);
    let mut promised = output::time(job.promised_at.as_ref());
    if job.initially_promised_at.is_some() && job.initially_promised_at != job.promised_at {
        promised += &format!(" (first promised {})", output::time(job.initially_promised_at.as_ref()));
    }
    field(&mut text, "promised", &promised);
    field(&mut text, "approved", &output::time(job.approved_at.as_ref()));
    field(&mut text, "queued", &output::time(job.queued_at.as_ref()));
    for (label, at) in [
        ("est. finish", &job.estimated_finish_at),
        ("started", &job.started_at),
        ("self-check", &job.self_checked_at),
        ("ready", &job.ready_at),
    ] {
        if at.is_some() {
            let mut value = output::time(at.as_ref());
            if label == "self-check" && !job.self_check_note.is_empty() {
                value += &format!(": {}", job.self_check_note);
            }
            field(&mut text, label, &value);
        }
    }
    field(&mut text, "rework", &format!("{} failed inspection(s)", job.rework_count));
    text += "  operations";
    for op in &job.operations {
        text += &format!(
            "\n    {}  {:<12} {:>7} h estimated {:>7} h actual",
            op.line_id,
            op.operation_code,
            output::hundredths(op.estimated_hours_hundredths),
            output::hundredths(op.actual_hours_hundredths)
        );
        if !op.additional_work_id.is_empty() {
            text += &format!("  (additional work {})", op.additional_work_id);
        }
    }
    history(&mut text, "assignments", job.assignments.iter().map(assignment_text));
    history(&mut text, "clock", job.clock_entries.iter().map(clock_text));
    history(
        &mut text,
        "progress",
        job.progress_notes.iter().map(|n| {
            format!("{}  {}: {}{}", output::time(n.at.as_ref()), n.author, n.note, media_text(&n.media_references))
        }),
    );
    history(
        &mut text,
        "delays",
        job.delays.iter().map(|d| {
            format!(
                "{}  {}: promised {} -> {}: {}",
                output::time(d.at.as_ref()),
                d.reported_by,
                output::time(d.previous_promised_at.as_ref()),
                output::time(d.new_promised_at.as_ref()),
                d.reason
            )
        }),
    );
    history(&mut text, "additional work", job.additional_work.iter().map(additional_work_text));
    history(
        &mut text,
        "inspections",
        job.inspections.iter().map(|i| {
            let verdict = if i.passed { "PASSED" } else { "FAILED" };
            let findings = if i.findings.is_empty() { String::new() } else { format!(": {}", i.findings) };
            format!("{}  {verdict} by {}{findings}", output::time(i.at.as_ref()), i.inspector)
        }),
    );
    text
}

/// A titled section of one line per entry; nothing when there are none.
fn history(text: &mut String, title: &str, entries: impl Iterator<Item = String>) {
    let entries: Vec<String> = entries.collect();
    if !entries.is_empty() {
        *text += &format!("\n  {title}");
        for entry in entries {
            *text += &format!("\n    {entry}");
        }
    }
}

fn media_text(references: &[String]) -> String {
    if references.is_empty() { String::new() } else { format!("  [{}]", references.join(", ")) }
}

fn assignment_text(a: &Assignment) -> String {
    let mut text = format!(
        "{}  {:<19}  technician {}  by {}",
        output::time(a.at.as_ref()),
        kind(a.kind),
        or_dash(&a.technician_id),
        or_dash(&a.decided_by)
    );
    if !a.suggested_technician_id.is_empty() || !a.suggestion_reason.is_empty() {
        text += &format!("  suggested {} ({})", or_dash(&a.suggested_technician_id), or_dash(&a.suggestion_reason));
    }
    if !a.reason.is_empty() {
        text += &format!("  reason: {}", a.reason);
    }
    text
}

fn clock_text(c: &ClockEntry) -> String {
    let off = if c.off_at.is_some() { output::time(c.off_at.as_ref()) } else { "(open)".into() };
    format!(
        "{} - {}  line {}  technician {}{}",
        output::time(c.on_at.as_ref()),
        off,
        c.line_id,
        c.technician_id,
        if c.rework { "  rework" } else { "" }
    )
}

fn additional_work_text(w: &AdditionalWork) -> String {
    let mut items: Vec<String> = w
        .operations
        .iter()
        .map(|op| format!("{} {} h", op.operation_code, output::hundredths(op.estimated_hours_hundredths)))
        .collect();
    items.extend(w.parts.iter().map(|p| format!("{} x {}", p.part_number, output::hundredths(p.quantity_hundredths))));
    let mut text = format!(
        "{}  {}  by {} at {}: {}  [{}]{}",
        w.id,
        work_state(w.state).to_ascii_uppercase(),
        w.requested_by,
        output::time(w.requested_at.as_ref()),
        w.finding,
        items.join(", "),
        media_text(&w.media_references)
    );
    if w.decided_at.is_some() {
        text += &format!("  answered {}", output::time(w.decided_at.as_ref()));
    }
    if !w.refusal_reason.is_empty() {
        text += &format!(": {}", w.refusal_reason);
    }
    text
}

/// A table of jobs, newest first.
pub fn jobs_table(jobs: &[Job]) -> String {
    let mut text = format!(
        "{:<36}  {:<19}  {:<36}  {:<17}  {:<6}  {:>7}  {:<24}  TECHNICIAN",
        "ID", "STATE", "ORDER", "VIN", "URGENT", "HOURS", "QUEUED"
    );
    for job in jobs {
        text += &format!(
            "\n{:<36}  {:<19}  {:<36}  {:<17}  {:<6}  {:>7}  {:<24}  {}",
            job.id,
            state(job.state),
            job.repair_order_id,
            job.vin,
            if job.urgent { "yes" } else { "no" },
            output::hundredths(job.estimated_hours_hundredths),
            output::time(job.queued_at.as_ref()),
            or_dash(&job.technician_id)
        );
    }
    if jobs.is_empty() {
        text += "\n(no jobs)";
    }
    text
}

#[cfg(test)]
mod tests {
    use aftersales_proto::workshop::v1::{Inspection, JobOperation};

    use super::*;

    #[test]
    fn every_state_of_the_proto_can_be_asked_for() {
        let proto: Vec<String> = (1..)
            .map_while(|value| JobState::try_from(value).ok())
            .map(|s| output::short_name(s.as_str_name(), "JOB_STATE_"))
            .collect();
        let mut listed: Vec<String> = JOB_STATES.iter().map(|s| s.to_string()).collect();
        let mut sorted = proto.clone();
        listed.sort();
        sorted.sort();
        assert_eq!(listed, sorted);
    }

    #[test]
    fn the_summary_shows_the_history() {
        let job = Job {
            id: "j".into(),
            state: JobState::Rework as i32,
            technician_id: "t-1".into(),
            rework_count: 1,
            actual_hours_hundredths: 75,
            operations: vec![JobOperation {
                line_id: "l-1".into(),
                operation_code: "ENG-0420".into(),
                estimated_hours_hundredths: 150,
                actual_hours_hundredths: 75,
                additional_work_id: String::new(),
            }],
            assignments: vec![Assignment {
                kind: AssignmentKind::Override as i32,
                technician_id: "t-1".into(),
                decided_by: "foreman-a".into(),
                suggested_technician_id: "t-2".into(),
                suggestion_reason: "least remaining work".into(),
                reason: "knows the car".into(),
                at: None,
            }],
            inspections: vec![Inspection {
                passed: false,
                findings: "belt tension".into(),
                inspector: "qc".into(),
                at: None,
            }],
            ..Job::default()
        };
        let text = job_text(&job);
        for expected in [
            "REWORK",
            "technician  t-1",
            "1.50 h estimated    0.75 h actual",
            "1 failed inspection(s)",
            "override",
            "suggested t-2 (least remaining work)",
            "reason: knows the car",
            "FAILED by qc: belt tension",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
        assert!(!text.contains("delays"), "empty sections are left out:\n{text}");
        assert_eq!(crate::commands::jobs_json::job_json(&job)["state"], "JOB_STATE_REWORK");
    }
}
