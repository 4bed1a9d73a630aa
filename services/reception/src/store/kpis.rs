//! The facts of a dealer's month the advisor KPIs are computed from, one query per kind (all indexed by dealer).

use aftersales_kernel::DealerId;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::to_micros;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::sql::{corrupt, query};
use crate::domain::kpi::{AppointmentOutcome, Fact};

/// Every fact of `dealer` in `[from, to)`, with the advisor it counts for.
pub async fn facts(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(String, Fact)>> {
    let range = || -> Vec<Value> { vec![dealer.to_string().into(), to_micros(from).into(), to_micros(to).into()] };
    let mut facts = Vec::new();
    for row in query(
        conn,
        "SELECT checked_in_by FROM check_ins WHERE dealer_id = $1 AND checked_in_at_us >= $2 AND checked_in_at_us < $3",
        range(),
    )
    .await?
    {
        facts.push((row.try_get("", "checked_in_by")?, Fact::CheckIn));
    }
    for row in query(
        conn,
        "SELECT confirmed_by, state FROM appointments WHERE dealer_id = $1 AND slot_at_us >= $2 AND slot_at_us < $3 \
         AND confirmed_by IS NOT NULL AND state IN ('checked_in', 'no_show', 'cancelled')",
        range(),
    )
    .await?
    {
        let state: String = row.try_get("", "state")?;
        let outcome = if state == "checked_in" { AppointmentOutcome::Kept } else { AppointmentOutcome::Missed };
        facts.push((row.try_get("", "confirmed_by")?, Fact::Appointment(outcome)));
    }
    for row in query(
        conn,
        "SELECT o.created_by AS advisor, CAST((SELECT COUNT(*) FROM credit_notes c WHERE c.repair_order_id = \
         i.repair_order_id) AS BIGINT) AS corrections FROM invoices i JOIN repair_orders o ON o.id = i.repair_order_id \
         WHERE i.dealer_id = $1 AND i.signed_at_us >= $2 AND i.signed_at_us < $3",
        range(),
    )
    .await?
    {
        let corrections: i64 = row.try_get("", "corrections")?;
        facts.push((row.try_get("", "advisor")?, Fact::Invoice { corrected: corrections > 0 }));
    }
    for row in query(
        conn,
        "SELECT o.created_by AS advisor, f.score FROM follow_ups f JOIN repair_orders o ON o.id = f.repair_order_id \
         WHERE f.dealer_id = $1 AND f.recorded_at_us >= $2 AND f.recorded_at_us < $3",
        range(),
    )
    .await?
    {
        let score: i32 = row.try_get("", "score")?;
        let score = u8::try_from(score).map_err(|_| corrupt("follow_ups", "score"))?;
        facts.push((row.try_get("", "advisor")?, Fact::FollowUp { score }));
    }
    for row in query(
        conn,
        "SELECT o.created_by AS advisor, d.on_time FROM deliveries d JOIN repair_orders o ON o.id = d.repair_order_id \
         WHERE d.dealer_id = $1 AND d.delivered_at_us >= $2 AND d.delivered_at_us < $3",
        range(),
    )
    .await?
    {
        facts.push((row.try_get("", "advisor")?, Fact::Delivery { on_time: row.try_get("", "on_time")? }));
    }
    Ok(facts)
}
