//! Inquiries: one row each, hand-overs and replies as JSON arrays (appended only, read and written whole).

use aftersales_kernel::{DealerId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde_json::json;

use super::sql::{corrupt, execute, lock_suffix, query};
use crate::domain::inquiry::{Closure, HandOver, Inquiry, InquiryChannel, InquiryKind, NewInquiry, Reply};

/// Stores a new inquiry.
pub async fn insert(conn: &impl ConnectionTrait, i: &Inquiry) -> AppResult<()> {
    let d = &i.details;
    execute(
        conn,
        "INSERT INTO inquiries (id, dealer_id, kind, channel, urgent, customer_name, customer_contact, vin, subject, \
         description, owner, received_by, received_at_us, hand_overs_json, replies_json, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        vec![
            i.id.to_string().into(),
            i.dealer_id.to_string().into(),
            kind_name(d.kind).into(),
            d.channel.as_str().into(),
            d.urgent.into(),
            d.customer_name.clone().into(),
            d.customer_contact.clone().into(),
            d.vin.as_ref().map(|v| v.to_string()).into(),
            d.subject.clone().into(),
            d.description.clone().into(),
            i.owner.clone().into(),
            i.received_by.clone().into(),
            to_micros(i.received_at).into(),
            hand_overs_json(&i.hand_overs).into(),
            replies_json(&i.replies).into(),
            i.revision.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves owner, hand-overs, replies and closure if nobody changed the inquiry since `previous_revision`.
pub async fn save(conn: &impl ConnectionTrait, i: &Inquiry, previous_revision: i64) -> AppResult<()> {
    let closure = i.closure.as_ref();
    let updated = execute(
        conn,
        "UPDATE inquiries SET owner = $1, hand_overs_json = $2, replies_json = $3, resolution = $4, closed_by = $5, \
         closed_at_us = $6, revision = $7 WHERE id = $8 AND revision = $9",
        vec![
            i.owner.clone().into(),
            hand_overs_json(&i.hand_overs).into(),
            replies_json(&i.replies).into(),
            closure.map(|c| c.resolution.clone()).into(),
            closure.map(|c| c.by.clone()).into(),
            closure.map(|c| to_micros(c.at)).into(),
            i.revision.into(),
            i.id.to_string().into(),
            previous_revision.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the inquiry changed concurrently; retry".into()));
    }
    Ok(())
}

/// An inquiry; `for_update` locks its row until the transaction ends (PostgreSQL).
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, for_update: bool) -> AppResult<Option<Inquiry>> {
    let lock = lock_suffix(conn, for_update);
    let rows =
        query(conn, &format!("SELECT * FROM inquiries WHERE id = $1{lock}"), vec![id.to_string().into()]).await?;
    rows.first().map(from_row).transpose()
}

/// A page of inquiries in `scope`, newest first, after `after`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    open_only: bool,
    owner: Option<&str>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Inquiry>> {
    let mut sql = String::from("SELECT * FROM inquiries WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if open_only {
        sql.push_str(" AND closed_at_us IS NULL");
    }
    if let Some(owner) = owner {
        values.push(owner.into());
        sql.push_str(&format!(" AND owner = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id < ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

fn kind_name(kind: InquiryKind) -> &'static str {
    match kind {
        InquiryKind::Inquiry => "inquiry",
        InquiryKind::Complaint => "complaint",
    }
}

fn hand_overs_json(list: &[HandOver]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|h| json!({"from": h.from, "to": h.to, "reason": h.reason, "by": h.by, "at_us": to_micros(h.at)}))
        .collect();
    serde_json::Value::from(items).to_string()
}

fn replies_json(list: &[Reply]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|r| json!({"text": r.text, "channel": r.channel.as_str(), "by": r.by, "at_us": to_micros(r.at)}))
        .collect();
    serde_json::Value::from(items).to_string()
}

fn from_row(row: &QueryResult) -> AppResult<Inquiry> {
    let bad = |what| corrupt("inquiries", what);
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().map(str::to_string).ok_or_else(|| bad("history"));
    let at = |v: &serde_json::Value| v["at_us"].as_i64().map(from_micros).ok_or_else(|| bad("history time"));
    let hand_overs: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "hand_overs_json")?).map_err(|_| bad("hand-overs"))?;
    let replies: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "replies_json")?).map_err(|_| bad("replies"))?;
    let vin: Option<String> = row.try_get("", "vin")?;
    let closed_at: Option<i64> = row.try_get("", "closed_at_us")?;
    let closure = match closed_at {
        Some(at) => Some(Closure {
            resolution: row.try_get::<Option<String>>("", "resolution")?.unwrap_or_default(),
            by: row.try_get::<Option<String>>("", "closed_by")?.unwrap_or_default(),
            at: from_micros(at),
        }),
        None => None,
    };
    Ok(Inquiry {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer id"))?,
        details: NewInquiry {
            kind: match row.try_get::<String>("", "kind")?.as_str() {
                "inquiry" => InquiryKind::Inquiry,
                "complaint" => InquiryKind::Complaint,
                _ => return Err(bad("kind")),
            },
            channel: InquiryChannel::parse(&row.try_get::<String>("", "channel")?).ok_or_else(|| bad("channel"))?,
            urgent: row.try_get("", "urgent")?,
            customer_name: row.try_get("", "customer_name")?,
            customer_contact: row.try_get("", "customer_contact")?,
            vin: vin.map(|v| Vin::parse(&v)).transpose().map_err(|_| bad("vin"))?,
            subject: row.try_get("", "subject")?,
            description: row.try_get("", "description")?,
        },
        owner: row.try_get("", "owner")?,
        received_by: row.try_get("", "received_by")?,
        received_at: from_micros(row.try_get("", "received_at_us")?),
        hand_overs: hand_overs
            .iter()
            .map(|h| {
                Ok(HandOver {
                    from: text(h, "from")?,
                    to: text(h, "to")?,
                    reason: text(h, "reason")?,
                    by: text(h, "by")?,
                    at: at(h)?,
                })
            })
            .collect::<AppResult<_>>()?,
        replies: replies
            .iter()
            .map(|r| {
                Ok(Reply {
                    text: text(r, "text")?,
                    channel: InquiryChannel::parse(&text(r, "channel")?).ok_or_else(|| bad("reply channel"))?,
                    by: text(r, "by")?,
                    at: at(r)?,
                })
            })
            .collect::<AppResult<_>>()?,
        closure,
        revision: row.try_get("", "revision")?,
    })
}
