//! Warehouses and their bins.

use aftersales_kernel::DealerId;
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, insert_unique, query};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::stock::{BinCode, WarehouseCode};
use crate::domain::warehouse::{Bin, Warehouse};

/// Inserts a new warehouse (no bins); `Ok(false)` when the dealer already uses its code.
pub async fn insert(conn: &impl ConnectionTrait, w: &Warehouse) -> AppResult<bool> {
    insert_unique(
        conn,
        "INSERT INTO warehouses (id, dealer_id, code, name, created_at_us) VALUES ($1, $2, $3, $4, $5)",
        vec![
            w.id.to_string().into(),
            w.dealer_id.to_string().into(),
            w.code.as_str().into(),
            w.name.clone().into(),
            to_micros(w.created_at).into(),
        ],
    )
    .await
}

/// Adds a bin to a stored warehouse; `Ok(false)` when the code is taken (a concurrent add won).
pub async fn insert_bin(conn: &impl ConnectionTrait, warehouse: uuid::Uuid, bin: &Bin) -> AppResult<bool> {
    insert_unique(
        conn,
        "INSERT INTO bins (warehouse_id, code, description) VALUES ($1, $2, $3)",
        vec![warehouse.to_string().into(), bin.code.as_str().into(), bin.description.clone().into()],
    )
    .await
}

/// A warehouse with its bins.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<Warehouse>> {
    let rows = query(conn, "SELECT * FROM warehouses WHERE id = $1", vec![id.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let mut warehouse = from_row(row)?;
    warehouse.bins = bins(conn, id).await?;
    Ok(Some(warehouse))
}

async fn bins(conn: &impl ConnectionTrait, warehouse: uuid::Uuid) -> AppResult<Vec<Bin>> {
    let rows = query(
        conn,
        "SELECT code, description FROM bins WHERE warehouse_id = $1 ORDER BY code",
        vec![warehouse.to_string().into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Bin {
                code: BinCode::parse(&r.try_get::<String>("", "code")?).map_err(|_| corrupt("bins", "code"))?,
                description: r.try_get("", "description")?,
            })
        })
        .collect()
}

/// A page of warehouses in `scope`, by id, after `after`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Warehouse>> {
    let mut sql = String::from("SELECT * FROM warehouses WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    let mut out = Vec::new();
    for row in query(conn, &sql, values).await? {
        let mut warehouse = from_row(&row)?;
        warehouse.bins = bins(conn, warehouse.id).await?;
        out.push(warehouse);
    }
    Ok(out)
}

fn from_row(row: &QueryResult) -> AppResult<Warehouse> {
    let bad = |what| corrupt("warehouses", what);
    Ok(Warehouse {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        code: WarehouseCode::parse(&row.try_get::<String>("", "code")?).map_err(|_| bad("code"))?,
        name: row.try_get("", "name")?,
        bins: Vec::new(),
        created_at: from_micros(row.try_get("", "created_at_us")?),
    })
}

/// The dealer a warehouse belongs to (one query: what a movement needs to check ownership).
pub async fn dealer_of(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<DealerId>> {
    let rows = query(conn, "SELECT dealer_id FROM warehouses WHERE id = $1", vec![id.to_string().into()]).await?;
    rows.first()
        .map(|r| DealerId::parse(&r.try_get::<String>("", "dealer_id")?).map_err(|_| corrupt("warehouses", "dealer")))
        .transpose()
}
