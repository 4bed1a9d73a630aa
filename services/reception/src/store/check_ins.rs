//! Check-ins: one row each, written once.

use aftersales_kernel::{DealerId, Vin};
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, QueryResult, Value};
use serde_json::json;

use super::sql::{corrupt, execute, query};
use crate::domain::check_in::{CheckIn, PanelDamage, WalkAround};

/// Stores a check-in.
pub async fn insert(conn: &impl ConnectionTrait, c: &CheckIn) -> AppResult<()> {
    let w = &c.walk_around;
    let damage: Vec<serde_json::Value> =
        w.exterior_damage.iter().map(|d| json!({"panel": d.panel, "description": d.description})).collect();
    execute(
        conn,
        "INSERT INTO check_ins (id, dealer_id, appointment_id, customer_id, vehicle_id, vin, mileage_km, \
         fuel_level_percent, exterior_damage_json, interior_notes, belongings_json, fault_symptoms, \
         could_not_reproduce, photo_references_json, checked_in_by, checked_in_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        vec![
            c.id.to_string().into(),
            c.dealer_id.to_string().into(),
            c.appointment_id.map(|a| a.to_string()).into(),
            c.customer_id.to_string().into(),
            c.vehicle_id.to_string().into(),
            c.vin.to_string().into(),
            w.mileage_km.into(),
            w.fuel_level_percent.into(),
            serde_json::Value::from(damage).to_string().into(),
            w.interior_notes.clone().into(),
            json!(w.belongings).to_string().into(),
            w.fault_symptoms.clone().into(),
            w.could_not_reproduce.into(),
            json!(w.photo_references).to_string().into(),
            c.by.clone().into(),
            to_micros(c.at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A check-in.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<CheckIn>> {
    let rows = query(conn, "SELECT * FROM check_ins WHERE id = $1", vec![id.to_string().into()]).await?;
    rows.first().map(from_row).transpose()
}

/// A page of check-ins in `scope` (of one vehicle), newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    vehicle: Option<uuid::Uuid>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<CheckIn>> {
    let mut sql = String::from("SELECT * FROM check_ins WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(vehicle) = vehicle {
        values.push(vehicle.to_string().into());
        sql.push_str(&format!(" AND vehicle_id = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id < ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

fn from_row(row: &QueryResult) -> AppResult<CheckIn> {
    let bad = |what| corrupt("check_ins", what);
    let id = |column: &str| -> AppResult<uuid::Uuid> {
        uuid::Uuid::parse_str(&row.try_get::<String>("", column)?).map_err(|_| bad("id"))
    };
    let strings = |column: &str| -> AppResult<Vec<String>> {
        serde_json::from_str(&row.try_get::<String>("", column)?).map_err(|_| bad("list"))
    };
    let damage: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "exterior_damage_json")?).map_err(|_| bad("damage"))?;
    let appointment: Option<String> = row.try_get("", "appointment_id")?;
    Ok(CheckIn {
        id: id("id")?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        appointment_id: appointment.map(|a| uuid::Uuid::parse_str(&a)).transpose().map_err(|_| bad("appointment"))?,
        customer_id: id("customer_id")?,
        vehicle_id: id("vehicle_id")?,
        vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
        walk_around: WalkAround {
            mileage_km: row.try_get("", "mileage_km")?,
            fuel_level_percent: row.try_get("", "fuel_level_percent")?,
            exterior_damage: damage
                .iter()
                .map(|d| match (d["panel"].as_str(), d["description"].as_str()) {
                    (Some(panel), Some(description)) => {
                        Ok(PanelDamage { panel: panel.into(), description: description.into() })
                    }
                    _ => Err(bad("damage")),
                })
                .collect::<AppResult<_>>()?,
            interior_notes: row.try_get("", "interior_notes")?,
            belongings: strings("belongings_json")?,
            fault_symptoms: row.try_get("", "fault_symptoms")?,
            could_not_reproduce: row.try_get("", "could_not_reproduce")?,
            photo_references: strings("photo_references_json")?,
        },
        by: row.try_get("", "checked_in_by")?,
        at: from_micros(row.try_get("", "checked_in_at_us")?),
    })
}
