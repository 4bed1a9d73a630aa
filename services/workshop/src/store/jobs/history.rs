//! A job's six history tables — assignments, clock entries, progress notes, delays, additional-work requests,
//! inspections — each `(job_id, position, …)` in the order things happened. Rows are appended; only a clock
//! entry (closing) and a request (answered) are ever updated.

use std::collections::HashMap;

use aftersales_kernel::Hundredths;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};

use super::{corrupt, parse_uuid};
use crate::domain::Job;
use crate::domain::job::{
    AdditionalWork, AdditionalWorkState, Assignment, AssignmentKind, ClockEntry, DelayReport, Inspection,
    NewAdditionalWork, ProgressNote, RequestedOperation, RequestedPart,
};

/// A job's history, as loaded.
#[derive(Debug, Default)]
pub struct History {
    pub assignments: Vec<Assignment>,
    pub clock: Vec<ClockEntry>,
    pub progress: Vec<ProgressNote>,
    pub delays: Vec<DelayReport>,
    pub additional_work: Vec<AdditionalWork>,
    pub inspections: Vec<Inspection>,
}

/// How many rows of each history a job had when loaded (what is already stored).
#[derive(Debug, Default)]
pub struct Lengths {
    assignments: usize,
    clock: usize,
    progress: usize,
    delays: usize,
    additional_work: usize,
    inspections: usize,
}

impl Lengths {
    /// The lengths of a loaded job.
    pub fn of(job: &Job) -> Lengths {
        Lengths {
            assignments: job.assignments.len(),
            clock: job.clock.len(),
            progress: job.progress.len(),
            delays: job.delays.len(),
            additional_work: job.additional_work.len(),
            inspections: job.inspections.len(),
        }
    }
}

async fn execute(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<()> {
    conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), sql, values)).await?;
    Ok(())
}

fn json(value: serde_json::Value) -> Value {
    Value::from(value.to_string())
}

/// Appends the history rows past `stored`.
pub async fn append(conn: &impl ConnectionTrait, job: &Job, stored: &Lengths) -> AppResult<()> {
    let id = job.id.to_string();
    let key = |position: usize| vec![Value::from(id.clone()), Value::from(position as i32)];
    for (position, a) in job.assignments.iter().enumerate().skip(stored.assignments) {
        let mut values = key(position);
        values.extend([
            Value::from(a.kind.as_str()),
            Value::from(a.technician.to_string()),
            Value::from(a.decided_by.clone()),
            Value::from(a.suggested.map(|s| s.to_string())),
            Value::from(a.suggestion_reason.clone()),
            Value::from(a.reason.clone()),
            Value::from(to_micros(a.at)),
        ]);
        execute(
            conn,
            "INSERT INTO job_assignments (job_id, position, kind, technician_id, decided_by, suggested_technician_id, \
             suggestion_reason, reason, at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            values,
        )
        .await?;
    }
    for (position, c) in job.clock.iter().enumerate().skip(stored.clock) {
        let mut values = key(position);
        values.extend([
            Value::from(c.line_id.to_string()),
            Value::from(c.technician.to_string()),
            Value::from(to_micros(c.on_at)),
            Value::from(c.off_at.map(to_micros)),
            Value::from(c.rework),
            Value::from(c.closed_by_system),
        ]);
        execute(
            conn,
            "INSERT INTO job_clock_entries (job_id, position, line_id, technician_id, on_at_us, off_at_us, rework, \
             closed_by_system) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            values,
        )
        .await?;
    }
    for (position, p) in job.progress.iter().enumerate().skip(stored.progress) {
        let mut values = key(position);
        values.extend([
            Value::from(p.note.clone()),
            json(serde_json::json!(p.media)),
            Value::from(p.author.clone()),
            Value::from(to_micros(p.at)),
        ]);
        execute(
            conn,
            "INSERT INTO job_progress_notes (job_id, position, note, media, author, at_us) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            values,
        )
        .await?;
    }
    for (position, d) in job.delays.iter().enumerate().skip(stored.delays) {
        let mut values = key(position);
        values.extend([
            Value::from(d.reason.clone()),
            Value::from(to_micros(d.previous_promised_at)),
            Value::from(to_micros(d.new_promised_at)),
            Value::from(d.reported_by.clone()),
            Value::from(to_micros(d.at)),
        ]);
        execute(
            conn,
            "INSERT INTO job_delays (job_id, position, reason, previous_promised_at_us, new_promised_at_us, \
             reported_by, at_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            values,
        )
        .await?;
    }
    for (position, w) in job.additional_work.iter().enumerate().skip(stored.additional_work) {
        let operations: Vec<_> = w
            .request
            .operations
            .iter()
            .map(|o| serde_json::json!({"code": o.operation_code, "hours": o.estimated_hours.as_hundredths()}))
            .collect();
        let parts: Vec<_> = w
            .request
            .parts
            .iter()
            .map(|p| serde_json::json!({"part": p.part_number, "quantity": p.quantity.as_hundredths()}))
            .collect();
        let mut values = key(position);
        values.extend([
            Value::from(w.id.to_string()),
            Value::from(w.request.finding.clone()),
            json(serde_json::Value::Array(operations)),
            json(serde_json::Value::Array(parts)),
            json(serde_json::json!(w.request.media)),
            Value::from(w.state.as_str()),
            Value::from(w.requested_by.clone()),
            Value::from(to_micros(w.requested_at)),
            Value::from(w.decided_at.map(to_micros)),
            Value::from(w.refusal_reason.clone()),
        ]);
        execute(
            conn,
            "INSERT INTO job_additional_work (job_id, position, id, finding, operations, parts, media, state, \
             requested_by, requested_at_us, decided_at_us, refusal_reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            values,
        )
        .await?;
    }
    for (position, i) in job.inspections.iter().enumerate().skip(stored.inspections) {
        let mut values = key(position);
        values.extend([
            Value::from(i.passed),
            Value::from(i.findings.clone()),
            Value::from(i.inspector.clone()),
            Value::from(to_micros(i.at)),
        ]);
        execute(
            conn,
            "INSERT INTO job_inspections (job_id, position, passed, findings, inspector, at_us) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            values,
        )
        .await?;
    }
    Ok(())
}

/// Updates the stored rows that changed since `before`: clock entries closed, requests answered.
pub async fn update_changed(conn: &impl ConnectionTrait, job: &Job, before: &Job) -> AppResult<()> {
    let id = job.id.to_string();
    for (position, (now, was)) in job.clock.iter().zip(&before.clock).enumerate() {
        if now != was {
            execute(
                conn,
                "UPDATE job_clock_entries SET off_at_us = $1, closed_by_system = $2 WHERE job_id = $3 AND position = $4",
                vec![
                    Value::from(now.off_at.map(to_micros)),
                    Value::from(now.closed_by_system),
                    Value::from(id.clone()),
                    Value::from(position as i32),
                ],
            )
            .await?;
        }
    }
    for (now, was) in job.additional_work.iter().zip(&before.additional_work) {
        if now != was {
            execute(
                conn,
                "UPDATE job_additional_work SET state = $1, decided_at_us = $2, refusal_reason = $3 WHERE id = $4",
                vec![
                    Value::from(now.state.as_str()),
                    Value::from(now.decided_at.map(to_micros)),
                    Value::from(now.refusal_reason.clone()),
                    Value::from(now.id.to_string()),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// The histories of these jobs, by job id.
pub async fn load(conn: &impl ConnectionTrait, ids: &[String]) -> AppResult<HashMap<String, History>> {
    let mut histories: HashMap<String, History> = HashMap::new();
    let placeholders = (1..=ids.len()).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
    let query = |table: &str| {
        Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!("SELECT * FROM {table} WHERE job_id IN ({placeholders}) ORDER BY job_id, position"),
            ids.iter().map(|id| Value::from(id.clone())),
        )
    };
    for row in conn.query_all_raw(query("job_assignments")).await? {
        let kind: String = row.try_get("", "kind")?;
        let suggested: Option<String> = row.try_get("", "suggested_technician_id")?;
        let entry = Assignment {
            kind: AssignmentKind::parse(&kind).ok_or_else(|| corrupt("assignment kind"))?,
            technician: parse_uuid(&row.try_get::<String>("", "technician_id")?)?,
            decided_by: row.try_get("", "decided_by")?,
            suggested: suggested.as_deref().map(parse_uuid).transpose()?,
            suggestion_reason: row.try_get("", "suggestion_reason")?,
            reason: row.try_get("", "reason")?,
            at: from_micros(row.try_get("", "at_us")?),
        };
        histories.entry(job_of(&row)?).or_default().assignments.push(entry);
    }
    for row in conn.query_all_raw(query("job_clock_entries")).await? {
        let off: Option<i64> = row.try_get("", "off_at_us")?;
        let entry = ClockEntry {
            line_id: parse_uuid(&row.try_get::<String>("", "line_id")?)?,
            technician: parse_uuid(&row.try_get::<String>("", "technician_id")?)?,
            on_at: from_micros(row.try_get("", "on_at_us")?),
            off_at: off.map(from_micros),
            rework: row.try_get("", "rework")?,
            closed_by_system: row.try_get("", "closed_by_system")?,
        };
        histories.entry(job_of(&row)?).or_default().clock.push(entry);
    }
    for row in conn.query_all_raw(query("job_progress_notes")).await? {
        let entry = ProgressNote {
            note: row.try_get("", "note")?,
            media: strings(&row.try_get::<String>("", "media")?)?,
            author: row.try_get("", "author")?,
            at: from_micros(row.try_get("", "at_us")?),
        };
        histories.entry(job_of(&row)?).or_default().progress.push(entry);
    }
    for row in conn.query_all_raw(query("job_delays")).await? {
        let entry = DelayReport {
            reason: row.try_get("", "reason")?,
            previous_promised_at: from_micros(row.try_get("", "previous_promised_at_us")?),
            new_promised_at: from_micros(row.try_get("", "new_promised_at_us")?),
            reported_by: row.try_get("", "reported_by")?,
            at: from_micros(row.try_get("", "at_us")?),
        };
        histories.entry(job_of(&row)?).or_default().delays.push(entry);
    }
    for row in conn.query_all_raw(query("job_additional_work")).await? {
        let decided: Option<i64> = row.try_get("", "decided_at_us")?;
        let state: String = row.try_get("", "state")?;
        let entry = AdditionalWork {
            id: parse_uuid(&row.try_get::<String>("", "id")?)?,
            request: NewAdditionalWork {
                finding: row.try_get("", "finding")?,
                operations: requested_operations(&row.try_get::<String>("", "operations")?)?,
                parts: requested_parts(&row.try_get::<String>("", "parts")?)?,
                media: strings(&row.try_get::<String>("", "media")?)?,
            },
            state: AdditionalWorkState::parse(&state).ok_or_else(|| corrupt("additional work state"))?,
            requested_by: row.try_get("", "requested_by")?,
            requested_at: from_micros(row.try_get("", "requested_at_us")?),
            decided_at: decided.map(from_micros),
            refusal_reason: row.try_get("", "refusal_reason")?,
        };
        histories.entry(job_of(&row)?).or_default().additional_work.push(entry);
    }
    for row in conn.query_all_raw(query("job_inspections")).await? {
        let entry = Inspection {
            passed: row.try_get("", "passed")?,
            findings: row.try_get("", "findings")?,
            inspector: row.try_get("", "inspector")?,
            at: from_micros(row.try_get("", "at_us")?),
        };
        histories.entry(job_of(&row)?).or_default().inspections.push(entry);
    }
    Ok(histories)
}

fn job_of(row: &QueryResult) -> AppResult<String> {
    Ok(row.try_get("", "job_id")?)
}

fn strings(text: &str) -> AppResult<Vec<String>> {
    serde_json::from_str(text).map_err(|_| corrupt("media list"))
}

fn hundredths(value: &serde_json::Value, key: &str) -> AppResult<Hundredths> {
    value[key].as_i64().and_then(|h| Hundredths::from_hundredths(h).ok()).ok_or_else(|| corrupt(key))
}

fn text_of(value: &serde_json::Value, key: &str) -> AppResult<String> {
    value[key].as_str().map(str::to_string).ok_or_else(|| corrupt(key))
}

fn requested_operations(text: &str) -> AppResult<Vec<RequestedOperation>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|_| corrupt("requested operations"))?;
    values
        .iter()
        .map(|v| {
            Ok(RequestedOperation { operation_code: text_of(v, "code")?, estimated_hours: hundredths(v, "hours")? })
        })
        .collect()
}

fn requested_parts(text: &str) -> AppResult<Vec<RequestedPart>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|_| corrupt("requested parts"))?;
    values
        .iter()
        .map(|v| Ok(RequestedPart { part_number: text_of(v, "part")?, quantity: hundredths(v, "quantity")? }))
        .collect()
}
