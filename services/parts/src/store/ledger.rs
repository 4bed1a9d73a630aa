//! The stock ledger's tables: one balance row per lot, one immutable row per movement. A use case changes a lot
//! and writes its movement in one transaction.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, insert_unique, lock_suffix, query};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::stock::{BatchCode, BinCode, Document, DocumentType, Lot, LotKey, Movement, MovementKind};

/// The lots of a part in a warehouse; on PostgreSQL locked until the transaction ends when `lock` (so two clerks
/// issuing the same part take turns and each sees what the other left).
pub async fn lots_of(
    conn: &impl ConnectionTrait,
    warehouse: uuid::Uuid,
    part: &PartNumber,
    lock: bool,
) -> AppResult<Vec<Lot>> {
    let sql = format!(
        "SELECT * FROM stock_lots WHERE warehouse_id = $1 AND part_number = $2 \
         ORDER BY received_at_us, batch, bin{}",
        lock_suffix(conn, lock)
    );
    query(conn, &sql, vec![warehouse.to_string().into(), part.as_str().into()])
        .await?
        .iter()
        .map(lot_from_row)
        .collect()
}

/// One lot, locked on PostgreSQL when `lock`.
pub async fn find_lot(conn: &impl ConnectionTrait, key: &LotKey, lock: bool) -> AppResult<Option<Lot>> {
    let sql = format!(
        "SELECT * FROM stock_lots WHERE warehouse_id = $1 AND bin = $2 AND part_number = $3 AND batch = $4{}",
        lock_suffix(conn, lock)
    );
    query(conn, &sql, key_values(key)).await?.first().map(lot_from_row).transpose()
}

/// Saves a lot's new on-hand. A new lot is inserted (`before` = None); an existing one is changed by the
/// difference from the on-hand it was read with, and only while the result stays at or above zero — with the lot
/// locked (PostgreSQL) or the single writer (SQLite) that always holds; if it ever did not, the change is ABORTED
/// (the caller retries on fresh data). The table's CHECK refuses a negative on-hand whatever happens.
pub async fn save_lot(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
    lot: &Lot,
    before: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let saved = match before {
        None => {
            let mut values = key_values(&lot.key);
            values.extend([
                dealer.to_string().into(),
                lot.on_hand.into(),
                to_micros(lot.received_at).into(),
                to_micros(now).into(),
            ]);
            insert_unique(
                conn,
                "INSERT INTO stock_lots (warehouse_id, bin, part_number, batch, dealer_id, on_hand_hundredths, \
                 received_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                values,
            )
            .await?
        }
        Some(before) => {
            let mut values = key_values(&lot.key);
            values.extend([(lot.on_hand - before).into(), to_micros(now).into()]);
            execute(
                conn,
                "UPDATE stock_lots SET on_hand_hundredths = on_hand_hundredths + $5, updated_at_us = $6 \
                 WHERE warehouse_id = $1 AND bin = $2 AND part_number = $3 AND batch = $4 \
                 AND on_hand_hundredths + $5 >= 0",
                values,
            )
            .await?
                == 1
        }
    };
    if !saved {
        return Err(AppError::Aborted("the stock of this bin and batch changed meanwhile; retry".into()));
    }
    Ok(())
}

/// Appends a movement.
pub async fn insert_movement(conn: &impl ConnectionTrait, m: &Movement) -> AppResult<()> {
    let mut values: Vec<Value> = vec![m.id.to_string().into(), m.dealer_id.to_string().into()];
    values.extend(key_values(&m.key));
    values.extend([
        m.kind.as_str().into(),
        m.quantity.into(),
        m.on_hand_after.into(),
        m.document.kind.as_str().into(),
        m.document.reference.clone().into(),
        m.reason.clone().into(),
        m.by.clone().into(),
        to_micros(m.at).into(),
    ]);
    execute(
        conn,
        "INSERT INTO stock_movements (id, dealer_id, warehouse_id, bin, part_number, batch, kind, \
         quantity_hundredths, on_hand_after_hundredths, document_type, document_reference, reason, moved_by, \
         moved_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        values,
    )
    .await?;
    Ok(())
}

/// A page of a part's movements in a warehouse, newest first, before `before`.
pub async fn movements(
    conn: &impl ConnectionTrait,
    warehouse: uuid::Uuid,
    part: &PartNumber,
    before: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Movement>> {
    let mut sql = String::from("SELECT * FROM stock_movements WHERE warehouse_id = $1 AND part_number = $2");
    let mut values: Vec<Value> = vec![warehouse.to_string().into(), part.as_str().into()];
    if let Some(before) = before {
        values.push(before.to_string().into());
        sql.push_str(&format!(" AND id < ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(movement_from_row).collect()
}

fn key_values(key: &LotKey) -> Vec<Value> {
    vec![
        key.warehouse_id.to_string().into(),
        key.bin.as_str().into(),
        key.part_number.as_str().into(),
        key.batch.as_str().into(),
    ]
}

fn key_from_row(row: &QueryResult, table: &'static str) -> AppResult<LotKey> {
    let bad = |what| corrupt(table, what);
    Ok(LotKey {
        warehouse_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "warehouse_id")?)
            .map_err(|_| bad("warehouse"))?,
        bin: BinCode::parse(&row.try_get::<String>("", "bin")?).map_err(|_| bad("bin"))?,
        part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part number"))?,
        batch: BatchCode::parse(&row.try_get::<String>("", "batch")?).map_err(|_| bad("batch"))?,
    })
}

fn lot_from_row(row: &QueryResult) -> AppResult<Lot> {
    Ok(Lot {
        key: key_from_row(row, "stock_lots")?,
        on_hand: row.try_get("", "on_hand_hundredths")?,
        received_at: from_micros(row.try_get("", "received_at_us")?),
    })
}

fn movement_from_row(row: &QueryResult) -> AppResult<Movement> {
    let bad = |what| corrupt("stock_movements", what);
    Ok(Movement {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        key: key_from_row(row, "stock_movements")?,
        kind: MovementKind::parse(&row.try_get::<String>("", "kind")?).ok_or_else(|| bad("kind"))?,
        quantity: row.try_get("", "quantity_hundredths")?,
        on_hand_after: row.try_get("", "on_hand_after_hundredths")?,
        document: Document {
            kind: DocumentType::parse(&row.try_get::<String>("", "document_type")?).map_err(|_| bad("document"))?,
            reference: row.try_get("", "document_reference")?,
        },
        reason: row.try_get("", "reason")?,
        by: row.try_get("", "moved_by")?,
        at: from_micros(row.try_get("", "moved_at_us")?),
    })
}

/// The lots in some bins of a warehouse (all parts), locked on PostgreSQL when `lock`.
pub async fn lots_in_bins(
    conn: &impl ConnectionTrait,
    warehouse: uuid::Uuid,
    bins: &[BinCode],
    lock: bool,
) -> AppResult<Vec<Lot>> {
    if bins.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT * FROM stock_lots WHERE warehouse_id = $1 AND bin IN ({}) ORDER BY bin, part_number, batch{}",
        aftersales_runtime::sql::placeholders(2, bins.len()),
        lock_suffix(conn, lock)
    );
    let mut values: Vec<Value> = vec![warehouse.to_string().into()];
    values.extend(bins.iter().map(|b| Value::from(b.as_str())));
    query(conn, &sql, values).await?.iter().map(lot_from_row).collect()
}
