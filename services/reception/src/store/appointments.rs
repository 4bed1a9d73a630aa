//! Appointments: one row each; slot changes, fast lane and reminders as JSON.

use aftersales_kernel::{DealerId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde_json::json;

use super::sql::{corrupt, execute, lock_suffix, query};
use crate::domain::appointment::{
    Appointment, AppointmentChannel, AppointmentState, FastLane, NewAppointment, Reminder, ReminderChannel, SlotChange,
};

/// Stores a new appointment.
pub async fn insert(conn: &impl ConnectionTrait, a: &Appointment) -> AppResult<()> {
    let b = &a.booking;
    execute(
        conn,
        "INSERT INTO appointments (id, dealer_id, customer_id, vehicle_id, vin, channel, fault_description, urgent, \
         wished_at_us, slot_at_us, state, requested_by, requested_at_us, slot_changes_json, reminders_json, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        vec![
            a.id.to_string().into(),
            a.dealer_id.to_string().into(),
            b.customer_id.to_string().into(),
            b.vehicle_id.to_string().into(),
            b.vin.to_string().into(),
            channel_name(b.channel).into(),
            b.fault_description.clone().into(),
            b.urgent.into(),
            to_micros(b.wished_at).into(),
            to_micros(a.slot_at).into(),
            a.state.as_str().into(),
            a.requested_by.clone().into(),
            to_micros(a.requested_at).into(),
            "[]".into(),
            "[]".into(),
            a.revision.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves what changes on an appointment if nobody changed it since `previous_revision`.
pub async fn save(conn: &impl ConnectionTrait, a: &Appointment, previous_revision: i64) -> AppResult<()> {
    let updated = execute(
        conn,
        "UPDATE appointments SET slot_at_us = $1, state = $2, confirmed_by = $3, confirmed_at_us = $4, \
         slot_changes_json = $5, fast_lane_json = $6, reminders_json = $7, cancellation_reason = $8, revision = $9 \
         WHERE id = $10 AND revision = $11",
        vec![
            to_micros(a.slot_at).into(),
            a.state.as_str().into(),
            a.confirmed.as_ref().map(|(by, _)| by.clone()).into(),
            a.confirmed.as_ref().map(|(_, at)| to_micros(*at)).into(),
            changes_json(&a.slot_changes).into(),
            a.fast_lane.as_ref().map(lane_json).into(),
            reminders_json(&a.reminders).into(),
            a.cancellation_reason.clone().into(),
            a.revision.into(),
            a.id.to_string().into(),
            previous_revision.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the appointment changed concurrently; retry".into()));
    }
    Ok(())
}

/// An appointment; `for_update` locks it until the transaction ends (PostgreSQL).
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, for_update: bool) -> AppResult<Option<Appointment>> {
    let lock = lock_suffix(conn, for_update);
    let rows =
        query(conn, &format!("SELECT * FROM appointments WHERE id = $1{lock}"), vec![id.to_string().into()]).await?;
    rows.first().map(from_row).transpose()
}

/// A page of appointments in `scope` (in `state`), by id.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    state: Option<AppointmentState>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Appointment>> {
    let mut sql = String::from("SELECT * FROM appointments WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(state) = state {
        values.push(state.as_str().into());
        sql.push_str(&format!(" AND state = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

fn channel_name(c: AppointmentChannel) -> &'static str {
    match c {
        AppointmentChannel::Store => "store",
        AppointmentChannel::App => "app",
        AppointmentChannel::Hotline => "hotline",
    }
}

fn reminder_channel_name(c: ReminderChannel) -> &'static str {
    match c {
        ReminderChannel::Phone => "phone",
        ReminderChannel::Sms => "sms",
        ReminderChannel::App => "app",
    }
}

fn changes_json(list: &[SlotChange]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|c| {
            json!({"previous_us": to_micros(c.previous), "new_us": to_micros(c.new), "reason": c.reason,
                   "by": c.by, "at_us": to_micros(c.at)})
        })
        .collect();
    serde_json::Value::from(items).to_string()
}

fn lane_json(l: &FastLane) -> String {
    json!({"bay": l.bay, "technician": l.technician, "from_us": to_micros(l.reserved_from), "by": l.by,
           "at_us": to_micros(l.at)})
    .to_string()
}

fn reminders_json(list: &[Reminder]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|r| {
            json!({"name": r.advisor_name, "contact": r.advisor_contact, "bring": r.what_to_bring,
                   "channel": reminder_channel_name(r.channel), "by": r.by, "at_us": to_micros(r.at)})
        })
        .collect();
    serde_json::Value::from(items).to_string()
}

fn from_row(row: &QueryResult) -> AppResult<Appointment> {
    let bad = |what| corrupt("appointments", what);
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().map(str::to_string).ok_or_else(|| bad("history"));
    let time = |v: &serde_json::Value, key: &str| v[key].as_i64().map(from_micros).ok_or_else(|| bad("history time"));
    let json = |column: &str| -> AppResult<serde_json::Value> {
        serde_json::from_str(&row.try_get::<String>("", column)?).map_err(|_| bad("history"))
    };
    let changes = json("slot_changes_json")?;
    let reminders = json("reminders_json")?;
    let lane: Option<String> = row.try_get("", "fast_lane_json")?;
    let lane = lane.map(|l| serde_json::from_str::<serde_json::Value>(&l).map_err(|_| bad("fast lane"))).transpose()?;
    let confirmed_by: Option<String> = row.try_get("", "confirmed_by")?;
    let confirmed_at: Option<i64> = row.try_get("", "confirmed_at_us")?;
    Ok(Appointment {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        booking: NewAppointment {
            customer_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "customer_id")?)
                .map_err(|_| bad("customer"))?,
            vehicle_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "vehicle_id")?).map_err(|_| bad("vehicle"))?,
            vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
            channel: match row.try_get::<String>("", "channel")?.as_str() {
                "store" => AppointmentChannel::Store,
                "app" => AppointmentChannel::App,
                "hotline" => AppointmentChannel::Hotline,
                _ => return Err(bad("channel")),
            },
            fault_description: row.try_get("", "fault_description")?,
            urgent: row.try_get("", "urgent")?,
            wished_at: from_micros(row.try_get("", "wished_at_us")?),
        },
        slot_at: from_micros(row.try_get("", "slot_at_us")?),
        state: AppointmentState::parse(&row.try_get::<String>("", "state")?).ok_or_else(|| bad("state"))?,
        requested_by: row.try_get("", "requested_by")?,
        requested_at: from_micros(row.try_get("", "requested_at_us")?),
        confirmed: confirmed_by.zip(confirmed_at.map(from_micros)),
        slot_changes: changes
            .as_array()
            .ok_or_else(|| bad("slot changes"))?
            .iter()
            .map(|c| {
                Ok(SlotChange {
                    previous: time(c, "previous_us")?,
                    new: time(c, "new_us")?,
                    reason: text(c, "reason")?,
                    by: text(c, "by")?,
                    at: time(c, "at_us")?,
                })
            })
            .collect::<AppResult<_>>()?,
        fast_lane: lane
            .map(|l| {
                Ok::<_, AppError>(FastLane {
                    bay: l["bay"].as_str().map(str::to_string),
                    technician: l["technician"].as_str().map(str::to_string),
                    reserved_from: time(&l, "from_us")?,
                    by: text(&l, "by")?,
                    at: time(&l, "at_us")?,
                })
            })
            .transpose()?,
        reminders: reminders
            .as_array()
            .ok_or_else(|| bad("reminders"))?
            .iter()
            .map(|r| {
                Ok(Reminder {
                    advisor_name: text(r, "name")?,
                    advisor_contact: text(r, "contact")?,
                    what_to_bring: text(r, "bring")?,
                    channel: match text(r, "channel")?.as_str() {
                        "phone" => ReminderChannel::Phone,
                        "sms" => ReminderChannel::Sms,
                        "app" => ReminderChannel::App,
                        _ => return Err(bad("reminder channel")),
                    },
                    by: text(r, "by")?,
                    at: time(r, "at_us")?,
                })
            })
            .collect::<AppResult<_>>()?,
        cancellation_reason: row.try_get("", "cancellation_reason")?,
        revision: row.try_get("", "revision")?,
    })
}
