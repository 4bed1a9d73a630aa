//! The counts behind case reports: plain SQL aggregates on both databases (the arithmetic — rates, means, ranks,
//! Pareto — is `domain::report`'s). Each query reads the cases (alias `c`) in a window of one of their instants,
//! narrowed to a dealer and a region when asked.

use aftersales_runtime::AppResult;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::sql::query;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

/// Which cases a report counts, and in which window.
#[derive(Debug, Clone)]
pub struct Slice {
    /// The window's first instant.
    pub start: DateTime<Utc>,
    /// Its end (exclusive).
    pub end: DateTime<Utc>,
    /// Only this dealer's cases.
    pub dealer: Option<String>,
    /// Only this region's cases.
    pub region: Option<String>,
}

impl Slice {
    /// ` AND <column> in the window AND dealer AND region`, with its values from `$1`.
    fn filter(&self, column: &str) -> (String, Vec<Value>) {
        let mut sql = format!(" {column} >= $1 AND {column} < $2");
        let mut values: Vec<Value> = vec![to_micros(self.start).into(), to_micros(self.end).into()];
        if let Some(dealer) = &self.dealer {
            values.push(dealer.clone().into());
            sql.push_str(&format!(" AND c.dealer_id = ${}", values.len()));
        }
        if let Some(region) = &self.region {
            values.push(region.clone().into());
            sql.push_str(&format!(" AND c.region = ${}", values.len()));
        }
        (sql, values)
    }
}

fn int(row: &QueryResult, column: &str) -> AppResult<i64> {
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0))
}

fn text(row: &QueryResult, column: &str) -> AppResult<String> {
    Ok(row.try_get::<Option<String>>("", column)?.unwrap_or_default())
}

/// Cases received, of which repeats, of which untriaged.
pub async fn received(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<(i64, i64, i64)> {
    let (filter, values) = slice.filter("c.received_at_us");
    let sql = format!(
        "SELECT COUNT(*) AS n, \
         CAST(SUM(CASE WHEN c.repeat_of IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS repeats, \
         CAST(SUM(CASE WHEN c.category IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS untriaged \
         FROM cases c WHERE{filter}"
    );
    let rows = query(conn, &sql, values).await?;
    let row = rows.first().expect("an aggregate answers one row");
    Ok((int(row, "n")?, int(row, "repeats")?, int(row, "untriaged")?))
}

/// Received, triaged cases per category.
pub async fn categories(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<Vec<(String, i64)>> {
    let (filter, values) = slice.filter("c.received_at_us");
    let sql = format!(
        "SELECT c.category AS label, COUNT(*) AS n FROM cases c WHERE{filter} AND c.category IS NOT NULL \
         GROUP BY c.category"
    );
    labelled(conn, &sql, values).await
}

/// Closed cases: how many, Σ seconds to close, Σ satisfaction and how many have one.
pub async fn closed(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<(i64, i64, i64, i64)> {
    let (filter, values) = slice.filter("c.closed_at_us");
    let sql = format!(
        "SELECT COUNT(*) AS n, CAST(SUM((c.closed_at_us - c.received_at_us) / 1000000) AS BIGINT) AS seconds, \
         CAST(SUM(c.satisfaction) AS BIGINT) AS satisfaction, COUNT(c.satisfaction) AS rated \
         FROM cases c WHERE{filter}"
    );
    let rows = query(conn, &sql, values).await?;
    let row = rows.first().expect("an aggregate answers one row");
    Ok((int(row, "n")?, int(row, "seconds")?, int(row, "satisfaction")?, int(row, "rated")?))
}

/// The seconds to close of rank `rank` (1-based, ascending) among the closed cases.
pub async fn close_seconds_at_rank(conn: &impl ConnectionTrait, slice: &Slice, rank: i64) -> AppResult<i64> {
    let (filter, values) = slice.filter("c.closed_at_us");
    let sql = format!(
        "SELECT (c.closed_at_us - c.received_at_us) / 1000000 AS seconds FROM cases c WHERE{filter} \
         ORDER BY seconds LIMIT 1 OFFSET {}",
        rank - 1
    );
    let rows = query(conn, &sql, values).await?;
    rows.first().map(|r| int(r, "seconds")).unwrap_or(Ok(0))
}

/// Closed cases per 5M1E category of their root cause.
pub async fn causes(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<Vec<(String, i64)>> {
    let (filter, values) = slice.filter("c.closed_at_us");
    let sql = format!(
        "SELECT c.root_cause_category AS label, COUNT(*) AS n FROM cases c WHERE{filter} \
         AND c.root_cause_category IS NOT NULL GROUP BY c.root_cause_category"
    );
    labelled(conn, &sql, values).await
}

/// Closed cases per responsible party of their approved report: ("department"|"supplier", department, person,
/// supplier id, count).
pub async fn responsible(
    conn: &impl ConnectionTrait,
    slice: &Slice,
) -> AppResult<Vec<(String, String, String, String, i64)>> {
    let (filter, mut values) = slice.filter("c.closed_at_us");
    values.push(true.into());
    let sql = format!(
        "SELECT c.responsible_party AS party, c.responsible_department AS department, \
         c.responsible_person AS person, c.responsible_supplier_id AS supplier, COUNT(*) AS n \
         FROM cases c WHERE{filter} AND c.report_approved = ${} AND c.responsible_party IS NOT NULL \
         GROUP BY c.responsible_party, c.responsible_department, c.responsible_person, c.responsible_supplier_id",
        values.len()
    );
    let rows = query(conn, &sql, values).await?;
    rows.iter()
        .map(|r| {
            Ok((text(r, "party")?, text(r, "department")?, text(r, "person")?, text(r, "supplier")?, int(r, "n")?))
        })
        .collect()
}

/// Measures of root-cause reports recorded in the window: (department, person, kind, open, done).
pub async fn measures(
    conn: &impl ConnectionTrait,
    slice: &Slice,
) -> AppResult<Vec<(String, String, String, i64, i64)>> {
    let (filter, values) = slice.filter("c.root_cause_at_us");
    let sql = format!(
        "SELECT m.department AS department, m.person AS person, m.kind AS kind, \
         CAST(SUM(CASE WHEN m.done_at_us IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS open, \
         CAST(SUM(CASE WHEN m.done_at_us IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS done \
         FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE{filter} \
         GROUP BY m.department, m.person, m.kind ORDER BY m.department, m.person, m.kind"
    );
    let rows = query(conn, &sql, values).await?;
    rows.iter()
        .map(|r| Ok((text(r, "department")?, text(r, "person")?, text(r, "kind")?, int(r, "open")?, int(r, "done")?)))
        .collect()
}

/// A policy's case clocks started in the window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockCounts {
    /// The policy.
    pub policy: String,
    /// Started.
    pub started: i64,
    /// Σ periods on time (waived clocks excluded).
    pub on_time: i64,
    /// Σ periods late (waived clocks excluded).
    pub late: i64,
    /// Waived.
    pub waived: i64,
    /// Met at least once.
    pub met: i64,
    /// Σ seconds to meet of the met ones.
    pub met_seconds: i64,
}

/// The case clocks started in the window, per policy, by policy name.
pub async fn clocks(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<Vec<ClockCounts>> {
    let (filter, values) = slice.filter("k.started_at_us");
    let sql = format!(
        "SELECT k.policy AS policy, COUNT(*) AS started, CAST(SUM(k.periods_on_time) AS BIGINT) AS on_time, \
         CAST(SUM(k.periods_late) AS BIGINT) AS late, \
         CAST(SUM(CASE WHEN k.status = 'waived' THEN 1 ELSE 0 END) AS BIGINT) AS waived, \
         COUNT(k.met_seconds) AS met, CAST(SUM(k.met_seconds) AS BIGINT) AS met_seconds \
         FROM clocks k JOIN cases c ON c.id = k.subject_id \
         WHERE k.subject_kind = 'case' AND{filter} GROUP BY k.policy ORDER BY k.policy"
    );
    let rows = query(conn, &sql, values).await?;
    rows.iter()
        .map(|r| {
            Ok(ClockCounts {
                policy: text(r, "policy")?,
                started: int(r, "started")?,
                on_time: int(r, "on_time")?,
                late: int(r, "late")?,
                waived: int(r, "waived")?,
                met: int(r, "met")?,
                met_seconds: int(r, "met_seconds")?,
            })
        })
        .collect()
}

/// The seconds to meet of rank `rank` (1-based, ascending) among `policy`'s met clocks started in the window.
pub async fn met_seconds_at_rank(
    conn: &impl ConnectionTrait,
    slice: &Slice,
    policy: &str,
    rank: i64,
) -> AppResult<i64> {
    let (filter, mut values) = slice.filter("k.started_at_us");
    values.push(policy.into());
    let sql = format!(
        "SELECT k.met_seconds AS seconds FROM clocks k JOIN cases c ON c.id = k.subject_id \
         WHERE k.subject_kind = 'case' AND{filter} AND k.policy = ${} AND k.met_seconds IS NOT NULL \
         ORDER BY k.met_seconds LIMIT 1 OFFSET {}",
        values.len(),
        rank - 1
    );
    let rows = query(conn, &sql, values).await?;
    rows.first().map(|r| int(r, "seconds")).unwrap_or(Ok(0))
}

async fn labelled(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<Vec<(String, i64)>> {
    let rows = query(conn, sql, values).await?;
    rows.iter().map(|r| Ok((text(r, "label")?, int(r, "n")?))).collect()
}
