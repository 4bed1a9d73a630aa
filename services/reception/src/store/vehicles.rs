//! Vehicles and their mileage readings (appended by position, never changed).

use std::collections::HashMap;

use aftersales_kernel::{DealerId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::sql::{corrupt, execute, lock_suffix, placeholders, query};
use crate::domain::vehicle::{MileageReading, MileageSource, Vehicle};

/// Stores a new vehicle with its readings; `false` if its VIN is already registered at the dealer.
pub async fn insert(conn: &impl ConnectionTrait, v: &Vehicle) -> AppResult<bool> {
    let added = execute(
        conn,
        "INSERT INTO vehicles (id, dealer_id, vin, model, model_year, plate, owner_customer_id, created_at_us, \
         revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dealer_id, vin) DO NOTHING",
        vec![
            v.id.to_string().into(),
            v.dealer_id.to_string().into(),
            v.vin.to_string().into(),
            v.model.clone().into(),
            v.model_year.into(),
            v.plate.clone().into(),
            v.owner.to_string().into(),
            to_micros(v.created_at).into(),
            v.revision.into(),
        ],
    )
    .await?;
    if added == 0 {
        return Ok(false);
    }
    append_readings(conn, v, 0).await?;
    Ok(true)
}

/// Saves the readings added since the vehicle had `stored` of them, if nobody changed it since `previous_revision`.
pub async fn save(conn: &impl ConnectionTrait, v: &Vehicle, stored: usize, previous_revision: i64) -> AppResult<()> {
    let updated = execute(
        conn,
        "UPDATE vehicles SET revision = $1 WHERE id = $2 AND revision = $3",
        vec![v.revision.into(), v.id.to_string().into(), previous_revision.into()],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the vehicle changed concurrently; retry".into()));
    }
    append_readings(conn, v, stored).await
}

async fn append_readings(conn: &impl ConnectionTrait, v: &Vehicle, from: usize) -> AppResult<()> {
    for (position, r) in v.readings.iter().enumerate().skip(from) {
        execute(
            conn,
            "INSERT INTO mileage_readings (vehicle_id, position, km, source, recorded_by, recorded_at_us, \
             corrected_from_km, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![
                v.id.to_string().into(),
                (position as i32).into(),
                r.km.into(),
                r.source.as_str().into(),
                r.recorded_by.clone().into(),
                to_micros(r.recorded_at).into(),
                r.correction.as_ref().map(|(from, _)| *from).into(),
                r.correction.as_ref().map(|(_, why)| why.clone()).into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// A vehicle with its readings; `for_update` locks it until the transaction ends (PostgreSQL).
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, for_update: bool) -> AppResult<Option<Vehicle>> {
    let lock = lock_suffix(conn, for_update);
    let rows = query(conn, &format!("SELECT * FROM vehicles WHERE id = $1{lock}"), vec![id.to_string().into()]).await?;
    Ok(assemble(conn, rows).await?.pop())
}

/// A page of vehicles in `scope` (of one owner, or with one VIN), by id.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    owner: Option<uuid::Uuid>,
    vin: Option<&Vin>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Vehicle>> {
    let mut sql = String::from("SELECT * FROM vehicles WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(owner) = owner {
        values.push(owner.to_string().into());
        sql.push_str(&format!(" AND owner_customer_id = ${}", values.len()));
    }
    if let Some(vin) = vin {
        values.push(vin.to_string().into());
        sql.push_str(&format!(" AND vin = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    let rows = query(conn, &sql, values).await?;
    assemble(conn, rows).await
}

/// Vehicle rows with their readings: one more query for the whole page.
async fn assemble(conn: &impl ConnectionTrait, rows: Vec<QueryResult>) -> AppResult<Vec<Vehicle>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.try_get::<String>("", "id")).collect::<Result<_, _>>()?;
    let sql = format!(
        "SELECT * FROM mileage_readings WHERE vehicle_id IN ({}) ORDER BY vehicle_id, position",
        placeholders(1, ids.len())
    );
    let mut readings: HashMap<String, Vec<MileageReading>> = HashMap::new();
    for row in query(conn, &sql, ids.iter().map(|id| Value::from(id.clone())).collect()).await? {
        let from: Option<i64> = row.try_get("", "corrected_from_km")?;
        let reason: Option<String> = row.try_get("", "reason")?;
        let reading = MileageReading {
            km: row.try_get("", "km")?,
            source: MileageSource::parse(&row.try_get::<String>("", "source")?)
                .ok_or_else(|| corrupt("mileage_readings", "source"))?,
            recorded_by: row.try_get("", "recorded_by")?,
            recorded_at: from_micros(row.try_get("", "recorded_at_us")?),
            correction: from.map(|from| (from, reason.unwrap_or_default())),
        };
        readings.entry(row.try_get("", "vehicle_id")?).or_default().push(reading);
    }
    rows.iter()
        .map(|row| {
            let bad = |what| corrupt("vehicles", what);
            let id: String = row.try_get("", "id")?;
            Ok(Vehicle {
                id: uuid::Uuid::parse_str(&id).map_err(|_| bad("id"))?,
                dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
                vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
                model: row.try_get("", "model")?,
                model_year: row.try_get("", "model_year")?,
                plate: row.try_get("", "plate")?,
                owner: uuid::Uuid::parse_str(&row.try_get::<String>("", "owner_customer_id")?)
                    .map_err(|_| bad("owner"))?,
                readings: readings.remove(&id).unwrap_or_default(),
                created_at: from_micros(row.try_get("", "created_at_us")?),
                revision: row.try_get("", "revision")?,
            })
        })
        .collect()
}
