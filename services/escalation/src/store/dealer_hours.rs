//! The read copy of dealers' opening hours: a newer record replaces an older one, an older one changes nothing.

use aftersales_runtime::AppResult;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::sql::{corrupt, execute, query};
use chrono::{DateTime, NaiveTime, Utc, Weekday};
use sea_orm::ConnectionTrait;

use crate::domain::sla::calendar::BusinessHours;

/// Keeps `hours` for `dealer` unless a newer record is kept already.
pub async fn put(
    conn: &impl ConnectionTrait,
    dealer: &str,
    hours: &BusinessHours,
    updated: DateTime<Utc>,
) -> AppResult<()> {
    let intervals: Vec<String> = hours
        .intervals
        .iter()
        .map(|(day, opens, closes)| {
            format!("{} {} {}", day.num_days_from_monday(), opens.format("%H:%M"), closes.format("%H:%M"))
        })
        .collect();
    execute(
        conn,
        "INSERT INTO dealer_hours (dealer_id, time_zone, intervals, updated_at_us) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (dealer_id) DO UPDATE SET time_zone = excluded.time_zone, intervals = excluded.intervals, \
         updated_at_us = excluded.updated_at_us WHERE dealer_hours.updated_at_us < excluded.updated_at_us",
        vec![dealer.into(), hours.time_zone.name().into(), intervals.join(",").into(), to_micros(updated).into()],
    )
    .await?;
    Ok(())
}

/// A dealer's hours, if reception has published them.
pub async fn find(conn: &impl ConnectionTrait, dealer: &str) -> AppResult<Option<BusinessHours>> {
    let rows =
        query(conn, "SELECT time_zone, intervals FROM dealer_hours WHERE dealer_id = $1", vec![dealer.into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let bad = |what| corrupt("dealer_hours", what);
    let time_zone = row.try_get::<String>("", "time_zone")?.parse().map_err(|_| bad("time zone"))?;
    let text: String = row.try_get("", "intervals")?;
    let mut intervals = Vec::new();
    for item in text.split(',').filter(|i| !i.is_empty()) {
        let mut parts = item.split(' ');
        let day: u8 = parts.next().and_then(|d| d.parse().ok()).ok_or_else(|| bad("day"))?;
        let day = Weekday::try_from(day).map_err(|_| bad("day"))?;
        let time =
            |t: Option<&str>| t.and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok()).ok_or_else(|| bad("time"));
        intervals.push((day, time(parts.next())?, time(parts.next())?));
    }
    Ok(Some(BusinessHours { time_zone, intervals }))
}
