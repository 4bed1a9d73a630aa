//! A diagnostic: every statement a service's pool runs, with its bound values, appended to a file as one JSON
//! object per line (`database.statement_log`; empty, the default, is off). The load generator records a use case's
//! statements this way and replays exactly them as its same-SQL baseline. Values are written as they are bound
//! (customer data included), so it is for test and benchmark databases only; transaction boundaries are not
//! statements and are not written.
//!
//! A line: `{"sql": "...", "values": [{"t": "s", "v": "text"}, {"t": "i64", "v": null}, ...], "failed": false}`;
//! `t` is one of `bool`, `i16`, `i32`, `i64`, `f64`, `s`, `bytes` (base64), and `v` is null for a typed NULL.

use std::io::Write as _;
use std::sync::Mutex;

use base64::Engine as _;
use sea_orm::{DatabaseConnection, Value};
use serde_json::{Value as Json, json};

use crate::{AppError, AppResult};

/// Appends every statement `conn` runs to `path` (created if missing).
pub fn install(conn: &mut DatabaseConnection, path: &str) -> AppResult<()> {
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(AppError::internal)?;
    let file = Mutex::new(file);
    conn.set_metric_callback(move |info| {
        let values = info.statement.values.as_ref().map(|v| v.0.iter().map(value).collect()).unwrap_or_default();
        let line = json!({ "sql": info.statement.sql, "values": Json::Array(values), "failed": info.failed });
        let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A diagnostic must never fail the statement it describes.
        let _ = writeln!(file, "{line}");
    });
    tracing::warn!(path, "database.statement_log is on: every statement and its values are written to the file");
    Ok(())
}

/// One bound value as `{"t": type, "v": value}`.
pub fn value(v: &Value) -> Json {
    let (t, v) = match v {
        Value::Bool(b) => ("bool", json!(b)),
        Value::TinyInt(i) => ("i16", json!(i)),
        Value::SmallInt(i) => ("i16", json!(i)),
        Value::Int(i) => ("i32", json!(i)),
        Value::BigInt(i) => ("i64", json!(i)),
        Value::TinyUnsigned(i) => ("i16", json!(i)),
        Value::SmallUnsigned(i) => ("i32", json!(i)),
        Value::Unsigned(i) => ("i64", json!(i)),
        Value::BigUnsigned(i) => ("i64", json!(i)),
        Value::Float(f) => ("f64", json!(f)),
        Value::Double(f) => ("f64", json!(f)),
        Value::String(s) => ("s", json!(s)),
        Value::Char(c) => ("s", json!(c.map(String::from))),
        Value::Bytes(b) => ("bytes", json!(b.as_ref().map(|b| base64::engine::general_purpose::STANDARD.encode(b)))),
        other => ("s", json!(format!("{other:?}"))),
    };
    json!({ "t": t, "v": v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_type_and_typed_nulls() {
        assert_eq!(value(&Value::BigInt(Some(42))), json!({"t": "i64", "v": 42}));
        assert_eq!(value(&Value::String(None)), json!({"t": "s", "v": null}));
        assert_eq!(value(&Value::Bytes(Some(vec![1, 2, 3]))), json!({"t": "bytes", "v": "AQID"}));
        assert_eq!(value(&Value::Bool(Some(true))), json!({"t": "bool", "v": true}));
    }

    #[tokio::test]
    async fn every_statement_of_the_pool_is_appended_with_its_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("statements.jsonl");
        let mut conn = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        install(&mut conn, path.to_str().unwrap()).unwrap();
        use sea_orm::ConnectionTrait as _;
        let backend = conn.get_database_backend();
        let statement =
            sea_orm::Statement::from_sql_and_values(backend, "SELECT $1 + 1 AS x", [Value::BigInt(Some(41))]);
        conn.query_one_raw(statement).await.unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let line: Json = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(line["sql"], "SELECT $1 + 1 AS x");
        assert_eq!(line["values"], json!([{"t": "i64", "v": 41}]));
        assert_eq!(line["failed"], false);
    }
}
