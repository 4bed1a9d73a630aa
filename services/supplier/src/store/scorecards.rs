//! The scorecard's inputs: the engine's verdicts on claims' clocks (`claim_clocks`, kept from escalation's feed),
//! and the facts of the claims sent in a period joined with them.

use aftersales_kernel::{Currency, SupplierId};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, query};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::scorecard::{ClaimFacts, ClockVerdict};

/// The verdict stored for a clock, if any.
pub async fn verdict(conn: &impl ConnectionTrait, clock_id: &str) -> AppResult<Option<ClockVerdict>> {
    let rows = query(conn, "SELECT verdict FROM claim_clocks WHERE clock_id = $1", vec![clock_id.into()]).await?;
    rows.first()
        .map(|row| {
            let name: String = row.try_get("", "verdict")?;
            ClockVerdict::parse(&name).ok_or_else(|| corrupt("claim_clocks", "verdict"))
        })
        .transpose()
}

/// Records `verdict` for a clock of `claim_id` under `policy`.
pub async fn record_verdict(
    conn: &impl ConnectionTrait,
    clock_id: &str,
    claim_id: &str,
    policy: &str,
    verdict: ClockVerdict,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let values: Vec<Value> =
        vec![clock_id.into(), claim_id.into(), policy.into(), verdict.as_str().into(), to_micros(at).into()];
    execute(
        conn,
        "INSERT INTO claim_clocks (clock_id, claim_id, policy, verdict, updated_at_us) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (clock_id) DO UPDATE SET verdict = excluded.verdict, updated_at_us = excluded.updated_at_us",
        values,
    )
    .await?;
    Ok(())
}

/// The facts of the claims sent in `[start, end)` (of `supplier` only, when given), with the verdicts of their
/// `acknowledgement` and `solution` policies' clocks (the newest clock of each, should a claim ever have two).
pub async fn claim_facts(
    conn: &impl ConnectionTrait,
    supplier: Option<SupplierId>,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    (acknowledgement, solution): (&str, &str),
) -> AppResult<Vec<ClaimFacts>> {
    let verdict_of = |policy: &str| {
        format!(
            "(SELECT k.verdict FROM claim_clocks k WHERE k.claim_id = c.id AND k.policy = {policy} \
             ORDER BY k.updated_at_us DESC LIMIT 1)"
        )
    };
    let mut values: Vec<Value> =
        vec![to_micros(start).into(), to_micros(end).into(), acknowledgement.into(), solution.into()];
    let only = match supplier {
        Some(id) => {
            values.push(id.to_string().into());
            " AND c.supplier_id = $5"
        }
        None => "",
    };
    let sql = format!(
        "SELECT c.supplier_id, c.sent_at_us, c.acknowledged_at_us, c.accepted_at_us, c.currency, c.claimed_minor, \
         c.charged_back_minor, {} AS acknowledgement, {} AS solution, \
         CASE WHEN EXISTS (SELECT 1 FROM claims e WHERE e.supplier_id = c.supplier_id \
           AND e.part_number = c.part_number AND e.id <> c.id AND e.accepted_at_us < c.sent_at_us) \
         THEN 1 ELSE 0 END AS repeat_failure \
         FROM claims c WHERE c.sent_at_us >= $1 AND c.sent_at_us < $2{only}",
        verdict_of("$3"),
        verdict_of("$4"),
    );
    query(conn, &sql, values).await?.iter().map(facts).collect()
}

fn facts(row: &QueryResult) -> AppResult<ClaimFacts> {
    let bad = |what| corrupt("claims", what);
    let verdict = |column: &str| -> AppResult<ClockVerdict> {
        match row.try_get::<Option<String>>("", column)? {
            None => Ok(ClockVerdict::Undecided),
            Some(name) => ClockVerdict::parse(&name).ok_or_else(|| corrupt("claim_clocks", "verdict")),
        }
    };
    let supplier: String = row.try_get("", "supplier_id")?;
    let currency: String = row.try_get("", "currency")?;
    Ok(ClaimFacts {
        supplier_id: SupplierId::parse(&supplier).map_err(|_| bad("supplier_id"))?,
        sent_at: from_micros(row.try_get("", "sent_at_us")?),
        acknowledged_at: row.try_get::<Option<i64>>("", "acknowledged_at_us")?.map(from_micros),
        resolved: row.try_get::<Option<i64>>("", "accepted_at_us")?.is_some(),
        repeat: row.try_get::<i32>("", "repeat_failure")? == 1,
        acknowledgement: verdict("acknowledgement")?,
        solution: verdict("solution")?,
        currency: Currency::parse(&currency).map_err(|_| bad("currency"))?,
        claimed_minor: row.try_get("", "claimed_minor")?,
        recovered_minor: row.try_get::<Option<i64>>("", "charged_back_minor")?.unwrap_or(0),
    })
}

/// Every supplier's code by id (the ranking's names and last tie-break).
pub async fn supplier_codes(conn: &impl ConnectionTrait) -> AppResult<Vec<(String, String)>> {
    let rows = query(conn, "SELECT id, code FROM suppliers", vec![]).await?;
    rows.iter().map(|row| Ok((row.try_get("", "id")?, row.try_get("", "code")?))).collect()
}
