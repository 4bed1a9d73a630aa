//! Replaying what a service ran: its statement log (`database.statement_log`) read call by call, and the recorded
//! statements run again directly with sqlx — fresh ids, chosen values substituted — as the same-SQL baseline of a
//! benchmark phase.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;

/// A bound value as the statement log wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// Boolean.
    Bool(Option<bool>),
    /// Small integer.
    I16(Option<i16>),
    /// Integer.
    I32(Option<i32>),
    /// Big integer.
    I64(Option<i64>),
    /// Double.
    F64(Option<f64>),
    /// Text.
    Text(Option<String>),
    /// Bytes.
    Bytes(Option<Vec<u8>>),
}

/// One recorded statement.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Its SQL text, as the service sent it.
    pub sql: String,
    /// Its values.
    pub values: Vec<Bound>,
}

impl Recorded {
    /// A replayed UPDATE must change a row as the service's did: one that touches none (a guard on a revision the
    /// replay never wrote, an id not substituted) would make the baseline cheaper than the real work.
    fn check(&self, rows: u64) -> anyhow::Result<()> {
        if rows == 0 && self.sql.trim_start().starts_with("UPDATE") {
            anyhow::bail!("a replayed UPDATE changed no row: {}", self.sql);
        }
        Ok(())
    }
}

fn bound(v: &serde_json::Value) -> anyhow::Result<Bound> {
    let value = &v["v"];
    let text = value.as_str().map(str::to_string);
    Ok(match v["t"].as_str().unwrap_or_default() {
        "bool" => Bound::Bool(value.as_bool()),
        "i16" => Bound::I16(value.as_i64().map(|i| i as i16)),
        "i32" => Bound::I32(value.as_i64().map(|i| i as i32)),
        "i64" => Bound::I64(value.as_i64()),
        "f64" => Bound::F64(value.as_f64()),
        "s" => Bound::Text(text),
        "bytes" => Bound::Bytes(text.map(|t| base64::engine::general_purpose::STANDARD.decode(t)).transpose()?),
        other => anyhow::bail!("unknown value type {other:?} in the statement log"),
    })
}

/// Statements of the service's background work, not of a call: the outbox relay numbering and announcing rows,
/// feed reads by followers, and reception's own feed consumer.
fn background(sql: &str) -> bool {
    (sql.contains("outbox_events") && !sql.trim_start().starts_with("INSERT"))
        || ["feed_cursors", "applied_events", "pg_notify", "pg_advisory"].iter().any(|s| sql.contains(s))
}

/// The statement log as it grows: what was appended since the last read.
pub struct StatementLog {
    path: std::path::PathBuf,
    read: usize,
}

impl StatementLog {
    /// Follows the file at `path` (which may not exist yet).
    pub fn new(path: std::path::PathBuf) -> Self {
        Self { path, read: 0 }
    }

    /// The call statements appended since the last read (background statements left out).
    pub fn since_last(&mut self) -> anyhow::Result<Vec<Recorded>> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        let new = &text[self.read..];
        // A line being written may be incomplete: take whole lines only.
        let end = new.rfind('\n').map_or(0, |i| i + 1);
        self.read += end;
        let mut out = Vec::new();
        for line in new[..end].lines() {
            let line: serde_json::Value = serde_json::from_str(line)?;
            let sql = line["sql"].as_str().unwrap_or_default().to_string();
            if background(&sql) {
                continue;
            }
            let values = line["values"].as_array().map(|vs| vs.iter().map(bound).collect()).unwrap_or(Ok(vec![]))?;
            out.push(Recorded { sql, values });
        }
        Ok(out)
    }
}

/// The values a replay substitutes: recorded value → this replay's.
#[derive(Default)]
pub struct Substitution {
    /// Recorded value → this replay's; every other UUID gets a fresh one.
    pub fixed: HashMap<String, String>,
}

impl Substitution {
    /// Every UUID not fixed gets a fresh one (the same one each time it recurs within this replay).
    pub fn apply(&mut self, values: &[Bound]) -> Vec<Bound> {
        values
            .iter()
            .map(|v| match v {
                Bound::Text(Some(text)) => {
                    if let Some(to) = self.fixed.get(text) {
                        return Bound::Text(Some(to.clone()));
                    }
                    if uuid::Uuid::try_parse(text).is_ok() {
                        let fresh = uuid::Uuid::now_v7().to_string();
                        self.fixed.insert(text.clone(), fresh.clone());
                        return Bound::Text(Some(fresh));
                    }
                    v.clone()
                }
                other => other.clone(),
            })
            .collect()
    }
}

/// Where a replay runs.
pub enum ReplayConn {
    /// PostgreSQL: `BEGIN`.
    Pg(sqlx::pool::PoolConnection<sqlx::Postgres>),
    /// SQLite: the writer gate (as the service's `Db::write`), then `BEGIN IMMEDIATE`.
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>, Arc<tokio::sync::Mutex<()>>),
}

macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Bound::Bool(v) => query.bind(v),
                Bound::I16(v) => query.bind(v),
                Bound::I32(v) => query.bind(v),
                Bound::I64(v) => query.bind(v),
                Bound::F64(v) => query.bind(v),
                Bound::Text(v) => query.bind(v),
                Bound::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

/// Runs `statements` as the open transaction `tx`, values substituted, each replayed UPDATE checked.
macro_rules! run_all {
    ($tx:expr, $statements:expr, $substitution:expr) => {{
        for s in $statements {
            let query = sqlx::query(sqlx::AssertSqlSafe(s.sql.clone()));
            let done = bind_all!(query, $substitution.apply(&s.values)).execute(&mut *$tx).await?;
            s.check(done.rows_affected())?;
        }
    }};
}

impl ReplayConn {
    /// Runs `statements` as one transaction, values substituted.
    pub async fn transaction(
        &mut self,
        statements: &[Recorded],
        substitution: &mut Substitution,
    ) -> anyhow::Result<()> {
        match self {
            ReplayConn::Pg(conn) => {
                let mut tx = sqlx::Connection::begin(&mut **conn).await?;
                run_all!(tx, statements, substitution);
                tx.commit().await?;
            }
            ReplayConn::Sqlite(conn, gate) => {
                let _turn = gate.lock().await;
                let mut tx = sqlx::Connection::begin_with(&mut **conn, "BEGIN IMMEDIATE").await?;
                run_all!(tx, statements, substitution);
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_gives_each_recorded_uuid_one_fresh_value_and_keeps_what_is_fixed() {
        let (dealer, order) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let mut substitution = Substitution::default();
        substitution.fixed.insert(dealer.clone(), "mine".into());
        let text = |s: &str| Bound::Text(Some(s.to_string()));
        let out =
            substitution.apply(&[text(&dealer), text(&order), text(&order), text("ENG-0420"), Bound::I64(Some(7))]);
        assert_eq!(out[0], text("mine"));
        assert_ne!(out[1], text(&order));
        assert_eq!(out[1], out[2], "one fresh value per recorded id");
        assert_eq!((out[3].clone(), out[4].clone()), (text("ENG-0420"), Bound::I64(Some(7))));
    }

    #[test]
    fn the_relay_and_feed_statements_are_not_a_calls() {
        assert!(background("UPDATE outbox_events SET sequence = 1"));
        assert!(background("SELECT sequence FROM feed_cursors WHERE feed = $1"));
        assert!(!background("INSERT INTO outbox_events (event_id) VALUES ($1)"));
        assert!(!background("SELECT * FROM check_ins WHERE id = $1"));
    }
}
