//! Dealers and their staff: one row each; opening hours as a JSON array, read and written whole.

use aftersales_kernel::{Currency, DealerId};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use chrono::{NaiveTime, Weekday};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde_json::json;

use super::sql::{corrupt, execute, query};
use crate::domain::directory::{Dealer, DealerProfile, OpeningInterval, StaffMember, StaffProfile, StaffRole};

/// A dealer, if in the directory.
pub async fn dealer(conn: &impl ConnectionTrait, id: DealerId) -> AppResult<Option<Dealer>> {
    let rows = query(conn, "SELECT * FROM dealers WHERE id = $1", vec![id.to_string().into()]).await?;
    rows.first().map(dealer_from_row).transpose()
}

/// Adds a dealer; `false` if its id is already in the directory.
pub async fn insert_dealer(conn: &impl ConnectionTrait, dealer: &Dealer) -> AppResult<bool> {
    let p = &dealer.profile;
    let added = execute(
        conn,
        "INSERT INTO dealers (id, name, region, time_zone, opening_hours_json, currency, tax_rate_bp, invoice_prefix, \
         active, created_at_us, updated_at_us, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (id) DO NOTHING",
        vec![
            dealer.id.to_string().into(),
            p.name.clone().into(),
            p.region.clone().into(),
            p.time_zone.name().into(),
            hours_json(&p.opening_hours).into(),
            p.currency.to_string().into(),
            p.tax_rate_bp.into(),
            p.invoice_prefix.clone().into(),
            p.active.into(),
            to_micros(dealer.created_at).into(),
            to_micros(dealer.updated_at).into(),
            dealer.revision.into(),
        ],
    )
    .await?;
    Ok(added == 1)
}

/// Saves a dealer's new profile if nobody changed it since `previous_revision` (else ABORTED).
pub async fn update_dealer(conn: &impl ConnectionTrait, dealer: &Dealer, previous_revision: i64) -> AppResult<()> {
    let p = &dealer.profile;
    let updated = execute(
        conn,
        "UPDATE dealers SET name = $1, region = $2, time_zone = $3, opening_hours_json = $4, currency = $5, \
         tax_rate_bp = $6, invoice_prefix = $7, active = $8, updated_at_us = $9, revision = $10 \
         WHERE id = $11 AND revision = $12",
        vec![
            p.name.clone().into(),
            p.region.clone().into(),
            p.time_zone.name().into(),
            hours_json(&p.opening_hours).into(),
            p.currency.to_string().into(),
            p.tax_rate_bp.into(),
            p.invoice_prefix.clone().into(),
            p.active.into(),
            to_micros(dealer.updated_at).into(),
            dealer.revision.into(),
            dealer.id.to_string().into(),
            previous_revision.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the dealer changed concurrently; read it again".into()));
    }
    Ok(())
}

/// A page of dealers in `scope` (and `region`), by id, after `after`.
pub async fn dealers(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    region: Option<&str>,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<Dealer>> {
    let mut sql = String::from("SELECT * FROM dealers WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND id = ${}", values.len()));
    }
    if let Some(region) = region {
        values.push(region.into());
        sql.push_str(&format!(" AND region = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(dealer_from_row).collect()
}

/// A member of staff, if in the directory.
pub async fn staff_member(conn: &impl ConnectionTrait, subject: &str) -> AppResult<Option<StaffMember>> {
    let rows = query(conn, "SELECT * FROM staff_members WHERE subject = $1", vec![subject.into()]).await?;
    rows.first().map(staff_from_row).transpose()
}

/// Adds a member; `false` if the subject is already in the directory.
pub async fn insert_staff_member(conn: &impl ConnectionTrait, member: &StaffMember) -> AppResult<bool> {
    let p = &member.profile;
    let added = execute(
        conn,
        "INSERT INTO staff_members (subject, dealer_id, name, role, contact, active, created_at_us, updated_at_us, \
         revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (subject) DO NOTHING",
        vec![
            member.subject.clone().into(),
            member.dealer_id.to_string().into(),
            p.name.clone().into(),
            p.role.as_str().into(),
            p.contact.clone().into(),
            p.active.into(),
            to_micros(member.created_at).into(),
            to_micros(member.updated_at).into(),
            member.revision.into(),
        ],
    )
    .await?;
    Ok(added == 1)
}

/// Saves a member's new profile if nobody changed it since `previous_revision` (else ABORTED).
pub async fn update_staff_member(
    conn: &impl ConnectionTrait,
    member: &StaffMember,
    previous_revision: i64,
) -> AppResult<()> {
    let p = &member.profile;
    let updated = execute(
        conn,
        "UPDATE staff_members SET name = $1, role = $2, contact = $3, active = $4, updated_at_us = $5, revision = $6 \
         WHERE subject = $7 AND revision = $8",
        vec![
            p.name.clone().into(),
            p.role.as_str().into(),
            p.contact.clone().into(),
            p.active.into(),
            to_micros(member.updated_at).into(),
            member.revision.into(),
            member.subject.clone().into(),
            previous_revision.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the staff member changed concurrently; read them again".into()));
    }
    Ok(())
}

/// A page of staff in `scope`, by subject, after `after`.
pub async fn staff(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    role: Option<StaffRole>,
    active_only: bool,
    after: Option<&str>,
    limit: u64,
) -> AppResult<Vec<StaffMember>> {
    let mut sql = String::from("SELECT * FROM staff_members WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(role) = role {
        values.push(role.as_str().into());
        sql.push_str(&format!(" AND role = ${}", values.len()));
    }
    if active_only {
        sql.push_str(" AND active = TRUE");
    }
    if let Some(after) = after {
        values.push(after.into());
        sql.push_str(&format!(" AND subject > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY subject LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(staff_from_row).collect()
}

fn weekday_number(day: Weekday) -> u32 {
    day.number_from_monday()
}

fn hours_json(hours: &[OpeningInterval]) -> String {
    let list: Vec<serde_json::Value> = hours
        .iter()
        .map(|i| {
            json!({
                "day": weekday_number(i.day),
                "opens": i.opens.format("%H:%M").to_string(),
                "closes": i.closes.format("%H:%M").to_string(),
            })
        })
        .collect();
    serde_json::Value::from(list).to_string()
}

fn dealer_from_row(row: &QueryResult) -> AppResult<Dealer> {
    let bad = |what| corrupt("dealers", what);
    let hours: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "opening_hours_json")?).map_err(|_| bad("opening hours"))?;
    let time = |v: &serde_json::Value| v.as_str().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
    let opening_hours = hours
        .iter()
        .map(|h| {
            let day = h["day"].as_u64().and_then(|d| Weekday::try_from(u8::try_from(d).ok()? - 1).ok());
            match (day, time(&h["opens"]), time(&h["closes"])) {
                (Some(day), Some(opens), Some(closes)) => Ok(OpeningInterval { day, opens, closes }),
                _ => Err(bad("opening interval")),
            }
        })
        .collect::<AppResult<_>>()?;
    Ok(Dealer {
        id: DealerId::parse(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        profile: DealerProfile {
            name: row.try_get("", "name")?,
            region: row.try_get("", "region")?,
            time_zone: row.try_get::<String>("", "time_zone")?.parse().map_err(|_| bad("time zone"))?,
            opening_hours,
            currency: Currency::parse(&row.try_get::<String>("", "currency")?).map_err(|_| bad("currency"))?,
            tax_rate_bp: row.try_get("", "tax_rate_bp")?,
            invoice_prefix: row.try_get("", "invoice_prefix")?,
            active: row.try_get("", "active")?,
        },
        created_at: from_micros(row.try_get("", "created_at_us")?),
        updated_at: from_micros(row.try_get("", "updated_at_us")?),
        revision: row.try_get("", "revision")?,
    })
}

fn staff_from_row(row: &QueryResult) -> AppResult<StaffMember> {
    let bad = |what| corrupt("staff_members", what);
    Ok(StaffMember {
        subject: row.try_get("", "subject")?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer id"))?,
        profile: StaffProfile {
            name: row.try_get("", "name")?,
            role: StaffRole::parse(&row.try_get::<String>("", "role")?).ok_or_else(|| bad("role"))?,
            contact: row.try_get("", "contact")?,
            active: row.try_get("", "active")?,
        },
        created_at: from_micros(row.try_get("", "created_at_us")?),
        updated_at: from_micros(row.try_get("", "updated_at_us")?),
        revision: row.try_get("", "revision")?,
    })
}
