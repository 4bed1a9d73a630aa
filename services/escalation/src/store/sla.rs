//! Policy versions and clocks. A clock is stored whole as JSON beside the columns it is found by: the policy and
//! subject (feed handlers), the next fire time (the scheduler), its status.

use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, insert_unique, lock_suffix, query};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::domain::sla::{Clock, PolicySet};

/// A published version of the policy set.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// Its number (1, 2, ...).
    pub version: i32,
    /// The set.
    pub set: PolicySet,
    /// Why it was published.
    pub note: String,
    /// Who published it.
    pub published_by: String,
    /// When.
    pub published_at: DateTime<Utc>,
}

/// Stores a version; `Ok(false)` when the number is taken (another replica published first).
pub async fn insert_version(conn: &impl ConnectionTrait, v: &PolicyVersion) -> AppResult<bool> {
    let body = serde_json::to_string(&v.set).map_err(|e| AppError::internal(anyhow::Error::from(e)))?;
    // ON CONFLICT rather than catching the unique violation: on PostgreSQL a failed statement aborts the whole
    // transaction, and the defaults are published inside whatever transaction first needs them (a case's, too).
    let inserted = execute(
        conn,
        "INSERT INTO policy_versions (version, body, note, published_by, published_at_us) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (version) DO NOTHING",
        vec![
            v.version.into(),
            body.into(),
            v.note.clone().into(),
            v.published_by.clone().into(),
            to_micros(v.published_at).into(),
        ],
    )
    .await?;
    Ok(inserted == 1)
}

/// The newest version, if any was published.
pub async fn latest_version(conn: &impl ConnectionTrait) -> AppResult<Option<PolicyVersion>> {
    let rows = query(conn, "SELECT * FROM policy_versions ORDER BY version DESC LIMIT 1", vec![]).await?;
    rows.first().map(version_from_row).transpose()
}

/// One version.
pub async fn version(conn: &impl ConnectionTrait, version: i32) -> AppResult<Option<PolicyVersion>> {
    let rows = query(conn, "SELECT * FROM policy_versions WHERE version = $1", vec![version.into()]).await?;
    rows.first().map(version_from_row).transpose()
}

/// The numbers of every published version, oldest first (without their sets: cheap to ask per event).
pub async fn version_numbers(conn: &impl ConnectionTrait) -> AppResult<Vec<i32>> {
    query(conn, "SELECT version FROM policy_versions ORDER BY version", vec![])
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<i32>("", "version")?))
        .collect()
}

fn version_from_row(row: &QueryResult) -> AppResult<PolicyVersion> {
    let body: String = row.try_get("", "body")?;
    Ok(PolicyVersion {
        version: row.try_get("", "version")?,
        set: serde_json::from_str(&body).map_err(|_| corrupt("policy_versions", "body"))?,
        note: row.try_get("", "note")?,
        published_by: row.try_get("", "published_by")?,
        published_at: from_micros(row.try_get("", "published_at_us")?),
    })
}

/// Stores a new clock; `Ok(false)` when its policy already has a clock for the subject.
pub async fn insert_clock(conn: &impl ConnectionTrait, c: &Clock, now: DateTime<Utc>) -> AppResult<bool> {
    mark_report(conn, c, now).await?;
    let mut values = vec![
        c.id.to_string().into(),
        c.policy.clone().into(),
        c.version.into(),
        c.subject_kind.clone().into(),
        c.subject_id.clone().into(),
        c.tenant.clone().into(),
    ];
    values.extend(changing(c)?);
    values.push(to_micros(c.started_at).into());
    insert_unique(
        conn,
        "INSERT INTO clocks (id, policy, version, subject_kind, subject_id, tenant, status, next_fire_at_us, body, \
         periods_on_time, periods_late, met_seconds, started_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        values,
    )
    .await
}

/// Saves a clock's change made at `now`.
pub async fn save_clock(conn: &impl ConnectionTrait, c: &Clock, now: DateTime<Utc>) -> AppResult<()> {
    mark_report(conn, c, now).await?;
    let mut values = vec![c.id.to_string().into()];
    values.extend(changing(c)?);
    execute(
        conn,
        "UPDATE clocks SET status = $2, next_fire_at_us = $3, body = $4, periods_on_time = $5, periods_late = $6, \
         met_seconds = $7 WHERE id = $1",
        values,
    )
    .await?;
    Ok(())
}

/// A case clock is counted by case reports at its start: a change to one started a day back or more is marked.
async fn mark_report(conn: &impl ConnectionTrait, c: &Clock, now: DateTime<Utc>) -> AppResult<()> {
    if c.subject_kind != "case" {
        return Ok(());
    }
    super::report_cache::mark(conn, [c.started_at], now).await
}

/// The columns a clock's change rewrites: its status, next fire, body and what reports count of it.
fn changing(c: &Clock) -> AppResult<[Value; 6]> {
    let body = serde_json::to_string(c).map_err(|e| AppError::internal(anyhow::Error::from(e)))?;
    let facts = c.report_facts();
    Ok([
        c.status.as_str().into(),
        c.next_fire_at.map(to_micros).into(),
        body.into(),
        facts.periods_on_time.into(),
        facts.periods_late.into(),
        facts.met_seconds.into(),
    ])
}

/// One clock; locked on PostgreSQL when `lock`.
pub async fn find_clock(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<Clock>> {
    let sql = format!("SELECT body FROM clocks WHERE id = $1{}", lock_suffix(conn, lock));
    query(conn, &sql, vec![id.to_string().into()]).await?.first().map(clock_from_row).transpose()
}

/// The clocks of a subject (under any of `policies`, or all when empty), oldest first; locked when `lock`.
pub async fn clocks_of_subject(
    conn: &impl ConnectionTrait,
    subject: &str,
    policies: &[&str],
    lock: bool,
) -> AppResult<Vec<Clock>> {
    let mut values: Vec<Value> = vec![subject.into()];
    let mut sql = String::from("SELECT body FROM clocks WHERE subject_id = $1");
    if !policies.is_empty() {
        sql.push_str(&format!(" AND policy IN ({})", aftersales_runtime::sql::placeholders(2, policies.len())));
        values.extend(policies.iter().map(|p| Value::from(*p)));
    }
    sql.push_str(" ORDER BY id");
    sql.push_str(lock_suffix(conn, lock));
    query(conn, &sql, values).await?.iter().map(clock_from_row).collect()
}

/// Up to `limit` clocks due by `now`, earliest first, claimed: on PostgreSQL locked and skipped by any other
/// scheduler (`FOR UPDATE SKIP LOCKED`), on SQLite under the single writer.
pub async fn claim_due(conn: &impl ConnectionTrait, now: DateTime<Utc>, limit: u64) -> AppResult<Vec<Clock>> {
    let lock = if conn.get_database_backend() == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "SELECT body FROM clocks WHERE next_fire_at_us IS NOT NULL AND next_fire_at_us <= $1 \
         ORDER BY next_fire_at_us LIMIT {limit}{lock}"
    );
    query(conn, &sql, vec![to_micros(now).into()]).await?.iter().map(clock_from_row).collect()
}

/// The earliest time any clock must be looked at (an index seek, not a scan).
pub async fn next_fire(conn: &impl ConnectionTrait) -> AppResult<Option<DateTime<Utc>>> {
    let rows = query(
        conn,
        "SELECT next_fire_at_us FROM clocks WHERE next_fire_at_us IS NOT NULL ORDER BY next_fire_at_us LIMIT 1",
        vec![],
    )
    .await?;
    Ok(rows.first().map(|r| r.try_get::<i64>("", "next_fire_at_us")).transpose()?.map(from_micros))
}

fn clock_from_row(row: &QueryResult) -> AppResult<Clock> {
    let body: String = row.try_get("", "body")?;
    serde_json::from_str(&body).map_err(|_| corrupt("clocks", "body"))
}

/// How many clocks are open (running or paused): the open-clocks gauge.
pub async fn open_count(conn: &impl ConnectionTrait) -> AppResult<u64> {
    let rows = aftersales_runtime::sql::query(
        conn,
        "SELECT COUNT(*) AS open FROM clocks WHERE status IN ('running', 'paused')",
        vec![],
    )
    .await?;
    Ok(rows.first().map(|r| r.try_get::<i64>("", "open")).transpose()?.unwrap_or(0) as u64)
}
