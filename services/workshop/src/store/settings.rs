//! A dealer's workshop settings: one row per dealer that ever saved them (the defaults otherwise).

use aftersales_kernel::DealerId;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::domain::settings::WorkshopSettings;

/// A dealer's settings (the defaults when never saved).
pub async fn get(conn: &impl ConnectionTrait, dealer: DealerId) -> AppResult<WorkshopSettings> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            "SELECT automatic_assignment, revision, updated_at_us FROM workshop_settings WHERE dealer_id = $1",
            [Value::from(dealer.to_string())],
        ))
        .await?;
    let Some(row) = row else { return Ok(WorkshopSettings::defaults(dealer)) };
    Ok(WorkshopSettings {
        dealer_id: dealer,
        automatic_assignment: row.try_get("", "automatic_assignment")?,
        revision: row.try_get("", "revision")?,
        updated_at: Some(from_micros(row.try_get("", "updated_at_us")?)),
    })
}

/// Saves settings changed from revision `previous` (0: never saved). `false` when someone else saved first.
pub async fn save(conn: &impl ConnectionTrait, settings: &WorkshopSettings, previous: i64) -> AppResult<bool> {
    let updated_at = settings.updated_at.map(to_micros).unwrap_or_default();
    let mut values = vec![
        Value::from(settings.dealer_id.to_string()),
        Value::from(settings.automatic_assignment),
        Value::from(settings.revision),
        Value::from(updated_at),
    ];
    let sql = if previous == 0 {
        // A concurrent first save makes this insert a no-op: zero rows, a stale etag.
        "INSERT INTO workshop_settings (dealer_id, automatic_assignment, revision, updated_at_us) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (dealer_id) DO NOTHING"
    } else {
        values.push(Value::from(previous));
        "UPDATE workshop_settings SET automatic_assignment = $2, revision = $3, updated_at_us = $4 \
         WHERE dealer_id = $1 AND revision = $5"
    };
    let result = conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), sql, values)).await?;
    Ok(result.rows_affected() == 1)
}
