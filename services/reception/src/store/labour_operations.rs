//! Reception's read copy of workshop's operation catalogue: one row per operation code, the latest record seen.

use aftersales_kernel::{Hundredths, OperationCode};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::sql::{corrupt, execute, lock_suffix, placeholders, query};
use crate::domain::LabourOperation;

/// The copy of `code`, locked on PostgreSQL when `lock` (the feed's consumer replaces it in the same transaction).
pub async fn find(conn: &impl ConnectionTrait, code: &OperationCode, lock: bool) -> AppResult<Option<LabourOperation>> {
    let sql = format!("SELECT * FROM labour_operations WHERE code = $1{}", lock_suffix(conn, lock));
    query(conn, &sql, vec![code.as_str().into()]).await?.first().map(from_row).transpose()
}

/// The copies of `codes` that exist.
pub async fn find_many(conn: &impl ConnectionTrait, codes: &[&OperationCode]) -> AppResult<Vec<LabourOperation>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT * FROM labour_operations WHERE code IN ({})", placeholders(1, codes.len()));
    let values = codes.iter().map(|c| Value::from(c.as_str())).collect();
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

/// Keeps `operation` as the copy of its code, replacing any earlier one.
pub async fn put(conn: &impl ConnectionTrait, operation: &LabourOperation, replace: bool) -> AppResult<()> {
    let values: Vec<Value> = vec![
        operation.code.as_str().into(),
        operation.name.clone().into(),
        operation.skill_family.clone().into(),
        operation.minimum_level.into(),
        operation.standard_hours.as_hundredths().into(),
        operation.active.into(),
        to_micros(operation.changed_at).into(),
    ];
    let sql = if replace {
        "UPDATE labour_operations SET name = $2, skill_family = $3, minimum_level = $4, \
         standard_hours_hundredths = $5, active = $6, changed_at_us = $7 WHERE code = $1"
    } else {
        "INSERT INTO labour_operations (code, name, skill_family, minimum_level, standard_hours_hundredths, active, \
         changed_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    };
    execute(conn, sql, values).await?;
    Ok(())
}

/// A page of the copy in code order, after `after`; retired operations only when `include_retired`.
pub async fn list(
    conn: &impl ConnectionTrait,
    include_retired: bool,
    after: Option<&OperationCode>,
    limit: u64,
) -> AppResult<Vec<LabourOperation>> {
    let mut sql = String::from("SELECT * FROM labour_operations WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if !include_retired {
        values.push(true.into());
        sql.push_str(&format!(" AND active = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.as_str().into());
        sql.push_str(&format!(" AND code > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY code LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

fn from_row(row: &QueryResult) -> AppResult<LabourOperation> {
    let bad = |what| corrupt("labour_operations", what);
    Ok(LabourOperation {
        code: OperationCode::parse(&row.try_get::<String>("", "code")?).map_err(|_| bad("code"))?,
        name: row.try_get("", "name")?,
        skill_family: row.try_get("", "skill_family")?,
        minimum_level: row.try_get("", "minimum_level")?,
        standard_hours: Hundredths::from_hundredths(row.try_get("", "standard_hours_hundredths")?)
            .map_err(|_| bad("standard hours"))?,
        active: row.try_get("", "active")?,
        changed_at: from_micros(row.try_get("", "changed_at_us")?),
    })
}
