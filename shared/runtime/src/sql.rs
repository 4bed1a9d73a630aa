//! Raw SQL helpers for the tables services keep without sea-orm entities: `$n` placeholders work on both backends.

use crate::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};

/// Runs a statement.
pub async fn execute(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<u64> {
    let result = conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), sql, values)).await?;
    Ok(result.rows_affected())
}

/// Runs a query.
pub async fn query(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<Vec<QueryResult>> {
    Ok(conn.query_all_raw(Statement::from_sql_and_values(conn.get_database_backend(), sql, values)).await?)
}

/// `$1, $2, …, $n` for an `IN (…)` list starting after `first - 1` bound values.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// A stored value the service cannot read back.
pub fn corrupt(table: &str, what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored {table} row has an invalid {what}"))
}

/// ` FOR UPDATE` on PostgreSQL when `lock` (the row stays locked until the transaction ends); nothing on SQLite,
/// whose single writer already serializes changes.
pub fn lock_suffix(conn: &impl ConnectionTrait, lock: bool) -> &'static str {
    if lock && conn.get_database_backend() == sea_orm::DbBackend::Postgres { " FOR UPDATE" } else { "" }
}

/// Runs an INSERT (`sql` without an ON CONFLICT clause); `Ok(false)` when it collides with a unique key (a
/// concurrent writer got there first, or the natural key is taken). The collision is skipped by `ON CONFLICT DO
/// NOTHING`, never caught as an error: on PostgreSQL a failed statement aborts the whole transaction, and callers
/// go on in it (a redelivered event, an existing clock re-armed).
pub async fn insert_unique(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<bool> {
    let sql = format!("{sql} ON CONFLICT DO NOTHING");
    let result = conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), &sql, values)).await?;
    Ok(result.rows_affected() == 1)
}
