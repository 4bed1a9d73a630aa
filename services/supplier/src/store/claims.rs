//! Loading and saving claims. A claim is stored as its `Claim` message (`record`, the one shape restored by
//! `convert::claims::claim_from_record`) beside the columns lists, look-ups and the scorecard filter and count on,
//! all rewritten from the claim on every save so they never disagree with the record. Functions take the caller's
//! connection or transaction, so a use case saves the claim and its outbox row together.

use aftersales_kernel::{ClaimId, SupplierId};
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::sql::{corrupt, insert_unique, lock_suffix, placeholders, query};
use aftersales_runtime::{AppError, AppResult};
use prost::Message;
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::convert::claims::{claim as record_of, claim_from_record};
use crate::domain::claim::{Claim, ClaimState, Origin};

/// The columns written from a claim, in the order of [`values`].
const COLUMNS: [&str; 21] = [
    "id",
    "supplier_id",
    "state",
    "origin",
    "case_id",
    "part_number",
    "batch",
    "currency",
    "claimed_minor",
    "agreed_minor",
    "charged_back_minor",
    "drafted_at_us",
    "sent_at_us",
    "acknowledged_at_us",
    "committed_solution_at_us",
    "solution_at_us",
    "eight_d_at_us",
    "accepted_at_us",
    "ended_at_us",
    "updated_at_us",
    "revision",
];

fn micros(t: Option<chrono::DateTime<chrono::Utc>>) -> Value {
    Value::BigInt(t.map(to_micros))
}

fn origin_name(origin: &Origin) -> &'static str {
    match origin {
        Origin::Case { .. } => "case",
        Origin::Warranty { .. } => "warranty",
        Origin::Manual => "manual",
    }
}

/// A claim's column values, in [`COLUMNS`] order, then its record.
fn values(c: &Claim) -> Vec<Value> {
    let case_id = match &c.origin {
        Origin::Case { case_id } => Some(case_id.to_string()),
        _ => None,
    };
    let total = c.cost.total();
    let agreed = c.settlement.as_ref().and_then(|s| s.agreed).map(|m| m.minor_units());
    let accepted = c.verdict.as_ref().filter(|v| v.accepted).map(|v| v.at);
    vec![
        c.id.to_string().into(),
        c.supplier_id.to_string().into(),
        c.state.as_str().into(),
        origin_name(&c.origin).into(),
        Value::String(case_id),
        c.failure.part_number.clone().into(),
        c.failure.batch.clone().into(),
        total.currency().to_string().into(),
        total.minor_units().into(),
        Value::BigInt(agreed),
        Value::BigInt(c.chargeback.as_ref().map(|b| b.amount.minor_units())),
        to_micros(c.drafted_at).into(),
        micros(c.sent_at),
        micros(c.acknowledged_at),
        micros(c.committed_solution_at),
        micros(c.solution.as_ref().map(|s| s.at)),
        micros(c.eight_d.as_ref().map(|d| d.at)),
        micros(accepted),
        micros(c.ended_at),
        to_micros(c.updated_at).into(),
        c.revision.into(),
        record_of(c).encode_to_vec().into(),
    ]
}

/// Inserts a new claim. `source` names what it was drafted from (an event's subject) and is unique: `Ok(false)`
/// when a claim was already drafted from it (a redelivered event, or two replicas handling one), and nothing is
/// written.
pub async fn insert(conn: &impl ConnectionTrait, c: &Claim, source: Option<&str>) -> AppResult<bool> {
    let mut values = values(c);
    values.push(Value::String(source.map(str::to_string)));
    let sql = format!(
        "INSERT INTO claims ({}, record, source) VALUES ({})",
        COLUMNS.join(", "),
        placeholders(1, COLUMNS.len() + 2)
    );
    insert_unique(conn, &sql, values).await
}

/// Saves a changed claim (every column and its record).
pub async fn save(conn: &impl ConnectionTrait, c: &Claim) -> AppResult<()> {
    // The record keeps only the latest 8D; the column keeps the first one's time (the scorecard's on-time check).
    let set = |(i, col): (usize, &&str)| match *col {
        "eight_d_at_us" => format!("{col} = COALESCE({col}, ${})", i + 1),
        _ => format!("{col} = ${}", i + 1),
    };
    let sets: Vec<String> = COLUMNS.iter().chain(&["record"]).enumerate().skip(1).map(set).collect();
    let sql = format!("UPDATE claims SET {} WHERE id = $1", sets.join(", "));
    aftersales_runtime::sql::execute(conn, &sql, values(c)).await?;
    Ok(())
}

/// Loads a claim; with `lock`, its row stays locked until the transaction ends (PostgreSQL; SQLite's single writer
/// already serializes changes), so two answers to one claim apply one after the other.
pub async fn find(conn: &impl ConnectionTrait, id: ClaimId, lock: bool) -> AppResult<Option<Claim>> {
    let sql = format!("SELECT record FROM claims WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    rows.first().map(restore).transpose()
}

/// What a page of claims is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClaimFilter {
    /// Only this supplier's.
    pub supplier: Option<SupplierId>,
    /// Only those in this state.
    pub state: Option<ClaimState>,
    /// Leave out drafts and withdrawn drafts (what a supplier never sees).
    pub sent_only: bool,
}

/// A page of claims, newest first, after `after` (exclusive; ids are UUIDv7, so id order is drafting order).
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: ClaimFilter,
    after: Option<ClaimId>,
    limit: u64,
) -> AppResult<Vec<Claim>> {
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |condition: &str, value: Value| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("${}", values.len())));
    };
    if let Some(supplier) = filter.supplier {
        bind("supplier_id = ?", supplier.to_string().into());
    }
    if let Some(state) = filter.state {
        bind("state = ?", state.as_str().into());
    }
    if let Some(after) = after {
        bind("id < ?", after.to_string().into());
    }
    if filter.sent_only {
        conditions.push(format!(
            "state NOT IN ('{}', '{}')",
            ClaimState::Drafted.as_str(),
            ClaimState::Withdrawn.as_str()
        ));
    }
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    values.push((limit as i64).into());
    let sql = format!("SELECT record FROM claims{filter} ORDER BY id DESC LIMIT ${}", values.len());
    query(conn, &sql, values).await?.iter().map(restore).collect()
}

fn restore(row: &QueryResult) -> AppResult<Claim> {
    let bytes: Vec<u8> = row.try_get("", "record")?;
    let record = pb::Claim::decode(bytes.as_slice()).map_err(|_| corrupt("claims", "record"))?;
    claim_from_record(&record).map_err(|e| AppError::internal(anyhow::anyhow!(e)))
}
