//! The facts behind case reports, counted from the rows of one stretch: plain SQL aggregates, the same on both
//! databases (the arithmetic — rates, means, ranks, Pareto — is `domain::report`'s). Each statement reads one window
//! of one instant in a single pass over an index holding every column it needs (migration 400008), narrowed to a
//! dealer and a region when asked; durations come back as counts per ranking value (`rank_value`), so the p90 is
//! found in the merged histogram.

use aftersales_runtime::AppResult;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::sql::query;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::report::{Facts, MeasureCount, rank_value_sql};

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
    /// `<column> in the window AND the case's dealer AND region`, with its values from `$1`; the case is `c`.
    fn filter(&self, column: &str) -> (String, Vec<Value>) {
        let (mut sql, mut values) = self.window(column);
        sql.push_str(&self.scope("c", &mut values));
        (sql, values)
    }

    /// `k.started_at_us in the window AND the clock's case of the dealer AND region`: a semi-join on the case only
    /// when a dealer or a region is asked — network-wide the clocks answer alone.
    fn clock_filter(&self) -> (String, Vec<Value>) {
        let (mut sql, mut values) = self.window("k.started_at_us");
        if self.dealer.is_some() || self.region.is_some() {
            let scope = self.scope("s", &mut values);
            sql.push_str(&format!(" AND k.subject_id IN (SELECT s.id FROM cases s WHERE 1 = 1{scope})"));
        }
        (sql, values)
    }

    fn window(&self, column: &str) -> (String, Vec<Value>) {
        (format!(" {column} >= $1 AND {column} < $2"), vec![to_micros(self.start).into(), to_micros(self.end).into()])
    }

    fn scope(&self, case: &str, values: &mut Vec<Value>) -> String {
        let mut sql = String::new();
        if let Some(dealer) = &self.dealer {
            values.push(dealer.clone().into());
            sql.push_str(&format!(" AND {case}.dealer_id = ${}", values.len()));
        }
        if let Some(region) = &self.region {
            values.push(region.clone().into());
            sql.push_str(&format!(" AND {case}.region = ${}", values.len()));
        }
        sql
    }
}

fn int(row: &QueryResult, column: &str) -> AppResult<i64> {
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0))
}

fn text(row: &QueryResult, column: &str) -> AppResult<String> {
    Ok(row.try_get::<Option<String>>("", column)?.unwrap_or_default())
}

/// Everything a report counts in the slice's window, one statement after the other (on one connection, a snapshot
/// when `conn` is a read transaction).
pub async fn facts(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<Facts> {
    let mut facts = Facts::default();
    received(conn, slice, &mut facts).await?;
    closed(conn, slice, &mut facts).await?;
    measures(conn, slice, &mut facts).await?;
    clocks(conn, slice, &mut facts).await?;
    Ok(facts)
}

/// Cases received, grouped by category (none: untriaged).
async fn received(conn: &impl ConnectionTrait, slice: &Slice, facts: &mut Facts) -> AppResult<()> {
    let (filter, values) = slice.filter("c.received_at_us");
    let sql = format!(
        "SELECT c.category AS label, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN c.repeat_of IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS repeats \
         FROM cases c WHERE{filter} GROUP BY c.category"
    );
    for row in query(conn, &sql, values).await? {
        let (category, n) = (row.try_get::<Option<String>>("", "label")?, int(&row, "n")?);
        facts.received += n;
        facts.repeats += int(&row, "repeats")?;
        match category {
            Some(category) => *facts.categories.entry(category).or_default() += n,
            None => facts.untriaged += n,
        }
    }
    Ok(())
}

/// Cases closed, grouped by root cause and responsible party; then their durations per ranking value.
async fn closed(conn: &impl ConnectionTrait, slice: &Slice, facts: &mut Facts) -> AppResult<()> {
    let (filter, values) = slice.filter("c.closed_at_us");
    let sql = format!(
        "SELECT c.root_cause_category AS cause, c.report_approved AS approved, c.responsible_party AS party, \
         c.responsible_department AS department, c.responsible_person AS person, \
         c.responsible_supplier_id AS supplier, COUNT(*) AS n, \
         CAST(SUM((c.closed_at_us - c.received_at_us) / 1000000) AS BIGINT) AS seconds, \
         CAST(SUM(c.satisfaction) AS BIGINT) AS satisfaction, COUNT(c.satisfaction) AS rated \
         FROM cases c WHERE{filter} GROUP BY c.root_cause_category, c.report_approved, c.responsible_party, \
         c.responsible_department, c.responsible_person, c.responsible_supplier_id"
    );
    for row in query(conn, &sql, values.clone()).await? {
        let n = int(&row, "n")?;
        facts.closed += n;
        facts.close_seconds += int(&row, "seconds")?;
        facts.satisfaction += int(&row, "satisfaction")?;
        facts.rated += int(&row, "rated")?;
        if let Some(cause) = row.try_get::<Option<String>>("", "cause")? {
            *facts.causes.entry(cause).or_default() += n;
        }
        if !row.try_get::<Option<bool>>("", "approved")?.unwrap_or(false) {
            continue;
        }
        let party = match text(&row, "party")?.as_str() {
            "department" => format!("{}/{}", text(&row, "department")?, text(&row, "person")?),
            "supplier" => format!("supplier:{}", text(&row, "supplier")?),
            _ => continue,
        };
        *facts.responsible.entry(party).or_default() += n;
    }
    let ranked = rank_value_sql("((c.closed_at_us - c.received_at_us) / 1000000)");
    let sql = format!("SELECT {ranked} AS v, COUNT(*) AS n FROM cases c WHERE{filter} GROUP BY {ranked}");
    for row in query(conn, &sql, values).await? {
        facts.to_close.add(int(&row, "v")?, int(&row, "n")?);
    }
    Ok(())
}

/// Measures of root-cause reports recorded in the window, open and done per department, person and kind.
async fn measures(conn: &impl ConnectionTrait, slice: &Slice, facts: &mut Facts) -> AppResult<()> {
    let (filter, values) = slice.filter("c.root_cause_at_us");
    let sql = format!(
        "SELECT m.department AS department, m.person AS person, m.kind AS kind, \
         CAST(SUM(CASE WHEN m.done_at_us IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS open, \
         CAST(SUM(CASE WHEN m.done_at_us IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS done \
         FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE{filter} \
         GROUP BY m.department, m.person, m.kind"
    );
    for r in query(conn, &sql, values).await? {
        facts.add_measures(MeasureCount {
            department: text(&r, "department")?,
            person: text(&r, "person")?,
            kind: text(&r, "kind")?,
            open: int(&r, "open")?,
            done: int(&r, "done")?,
        });
    }
    Ok(())
}

/// Case clocks started in the window, per policy; then their seconds to meet per policy and ranking value.
async fn clocks(conn: &impl ConnectionTrait, slice: &Slice, facts: &mut Facts) -> AppResult<()> {
    let (filter, values) = slice.clock_filter();
    let sql = format!(
        "SELECT k.policy AS policy, COUNT(*) AS started, CAST(SUM(k.periods_on_time) AS BIGINT) AS on_time, \
         CAST(SUM(k.periods_late) AS BIGINT) AS late, \
         CAST(SUM(CASE WHEN k.status = 'waived' THEN 1 ELSE 0 END) AS BIGINT) AS waived, \
         COUNT(k.met_seconds) AS met, CAST(SUM(k.met_seconds) AS BIGINT) AS met_seconds \
         FROM clocks k WHERE k.subject_kind = 'case' AND{filter} GROUP BY k.policy"
    );
    for r in query(conn, &sql, values.clone()).await? {
        let policy = facts.clocks.entry(text(&r, "policy")?).or_default();
        policy.started += int(&r, "started")?;
        policy.on_time += int(&r, "on_time")?;
        policy.late += int(&r, "late")?;
        policy.waived += int(&r, "waived")?;
        policy.met += int(&r, "met")?;
        policy.met_seconds += int(&r, "met_seconds")?;
    }
    let ranked = rank_value_sql("k.met_seconds");
    let sql = format!(
        "SELECT k.policy AS policy, {ranked} AS v, COUNT(*) AS n FROM clocks k \
         WHERE k.subject_kind = 'case' AND{filter} AND k.met_seconds IS NOT NULL GROUP BY k.policy, {ranked}"
    );
    for r in query(conn, &sql, values).await? {
        facts.clocks.entry(text(&r, "policy")?).or_default().to_meet.add(int(&r, "v")?, int(&r, "n")?);
    }
    Ok(())
}
