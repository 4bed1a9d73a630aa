//! Kept report facts (`domain::report::units`): the facts of a settled stretch per scope, with the version of the
//! marks over its time they were counted at; and the marks — per quarter hour (every time zone's midnight falls on
//! one), how many changes touched something counted at an instant in it, once that instant was a day old.
//! Marks only grow, so a kept stretch is current exactly when the marks over its time still add up to its version.

use aftersales_runtime::db::to_micros;
use aftersales_runtime::sql::{execute, query};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::domain::report::{Facts, Stretch, marked};

/// A mark's width, µs.
const QUARTER_HOUR_US: i64 = 15 * 60 * 1_000_000;

/// Marks the changes to what is counted at `instants` (those at least a day back at `now`).
pub async fn mark(
    conn: &impl ConnectionTrait,
    instants: impl IntoIterator<Item = DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut quarters: Vec<i64> = instants
        .into_iter()
        .filter(|at| marked(*at, now))
        .map(|at| to_micros(at).div_euclid(QUARTER_HOUR_US) * QUARTER_HOUR_US)
        .collect();
    quarters.sort_unstable();
    quarters.dedup();
    for quarter in quarters {
        execute(
            conn,
            "INSERT INTO report_marks (quarter_us, changes) VALUES ($1, 1) \
             ON CONFLICT (quarter_us) DO UPDATE SET changes = report_marks.changes + 1",
            vec![quarter.into()],
        )
        .await?;
    }
    Ok(())
}

/// The version of each stretch now: the sum of the marks over its time.
pub async fn versions(conn: &impl ConnectionTrait, stretches: &[Stretch]) -> AppResult<Vec<i64>> {
    let (Some(first), Some(last)) = (stretches.first(), stretches.last()) else { return Ok(Vec::new()) };
    let rows = query(
        conn,
        "SELECT quarter_us, changes FROM report_marks WHERE quarter_us >= $1 AND quarter_us < $2",
        vec![to_micros(first.0).into(), to_micros(last.1).into()],
    )
    .await?;
    let marks: Vec<(i64, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get::<i64>("", "quarter_us")?, r.try_get::<i64>("", "changes")?)))
        .collect::<AppResult<_>>()?;
    Ok(stretches
        .iter()
        .map(|(start, end)| {
            let (start, end) = (to_micros(*start), to_micros(*end));
            marks.iter().filter(|(q, _)| (start..end).contains(q)).map(|(_, n)| n).sum()
        })
        .collect())
}

/// The kept facts of `scope` for each stretch, with their versions (None where none are kept).
pub async fn kept(
    conn: &impl ConnectionTrait,
    scope: &str,
    stretches: &[Stretch],
) -> AppResult<Vec<Option<(i64, Facts)>>> {
    let (Some(first), Some(last)) = (stretches.first(), stretches.last()) else { return Ok(Vec::new()) };
    let rows = query(
        conn,
        "SELECT start_us, end_us, version, facts FROM report_cache WHERE scope = $1 AND start_us >= $2 AND end_us <= $3",
        vec![scope.into(), to_micros(first.0).into(), to_micros(last.1).into()],
    )
    .await?;
    let mut found = Vec::new();
    for r in &rows {
        let bounds = (r.try_get::<i64>("", "start_us")?, r.try_get::<i64>("", "end_us")?);
        let facts: Facts = serde_json::from_str(&r.try_get::<String>("", "facts")?)
            .map_err(|e| AppError::internal(anyhow::anyhow!("kept report facts unreadable: {e}")))?;
        found.push((bounds, r.try_get::<i64>("", "version")?, facts));
    }
    Ok(stretches
        .iter()
        .map(|(start, end)| {
            let bounds = (to_micros(*start), to_micros(*end));
            let at = found.iter().position(|(b, _, _)| *b == bounds)?;
            let (_, version, facts) = found.swap_remove(at);
            Some((version, facts))
        })
        .collect())
}

/// Keeps the facts of `scope` over `stretch`, counted at `version`.
pub async fn keep(
    conn: &impl ConnectionTrait,
    scope: &str,
    stretch: Stretch,
    version: i64,
    facts: &Facts,
) -> AppResult<()> {
    let text = serde_json::to_string(facts).map_err(|e| AppError::internal(anyhow::Error::from(e)))?;
    let (start, end) = (to_micros(stretch.0), to_micros(stretch.1));
    // A month kept replaces the days of it kept while it was running.
    execute(
        conn,
        "DELETE FROM report_cache WHERE scope = $1 AND start_us >= $2 AND end_us <= $3 \
         AND (start_us <> $2 OR end_us <> $3)",
        vec![scope.into(), start.into(), end.into()],
    )
    .await?;
    let values: Vec<Value> = vec![scope.into(), start.into(), end.into(), version.into(), text.into()];
    execute(
        conn,
        "INSERT INTO report_cache (scope, start_us, end_us, version, facts) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (scope, start_us, end_us) DO UPDATE SET version = excluded.version, facts = excluded.facts",
        values,
    )
    .await?;
    Ok(())
}
