//! Stock counts: the count row, its bins, its lines.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, lock_suffix, query};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::domain::stock::count::{CountLine, CountState, StockCount};
use crate::domain::stock::{BatchCode, BinCode};

/// Stores a new count with its bins.
pub async fn insert(conn: &impl ConnectionTrait, c: &StockCount) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO stock_counts (id, dealer_id, warehouse_id, state, started_by, started_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            c.id.to_string().into(),
            c.dealer_id.to_string().into(),
            c.warehouse_id.to_string().into(),
            c.state.as_str().into(),
            c.started_by.clone().into(),
            to_micros(c.started_at).into(),
        ],
    )
    .await?;
    for bin in &c.bins {
        execute(
            conn,
            "INSERT INTO stock_count_bins (count_id, bin) VALUES ($1, $2)",
            vec![c.id.to_string().into(), bin.as_str().into()],
        )
        .await?;
    }
    Ok(())
}

/// Saves a count's state and replaces its line of `line`'s lot, if given.
pub async fn save(conn: &impl ConnectionTrait, c: &StockCount, line: Option<&CountLine>) -> AppResult<()> {
    let (closed_by, closed_at) = match &c.closed {
        Some((by, at)) => (Some(by.clone()), Some(to_micros(*at))),
        None => (None, None),
    };
    execute(
        conn,
        "UPDATE stock_counts SET state = $2, closed_by = $3, closed_at_us = $4 WHERE id = $1",
        vec![c.id.to_string().into(), c.state.as_str().into(), closed_by.into(), closed_at.into()],
    )
    .await?;
    if let Some(l) = line {
        let key = vec![
            c.id.to_string().into(),
            l.bin.as_str().into(),
            l.part_number.as_str().into(),
            l.batch.as_str().into(),
        ];
        execute(
            conn,
            "DELETE FROM stock_count_lines WHERE count_id = $1 AND bin = $2 AND part_number = $3 AND batch = $4",
            key.clone(),
        )
        .await?;
        let mut values = key;
        values.extend([l.counted.into(), l.on_hand.into(), l.by.clone().into(), to_micros(l.at).into()]);
        execute(
            conn,
            "INSERT INTO stock_count_lines (count_id, bin, part_number, batch, counted_hundredths, on_hand_hundredths, \
             counted_by, counted_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            values,
        )
        .await?;
    }
    Ok(())
}

/// A count with its bins and lines; locked on PostgreSQL when `lock`.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<StockCount>> {
    let sql = format!("SELECT * FROM stock_counts WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    Ok(Some(complete(conn, row).await?))
}

async fn complete(conn: &impl ConnectionTrait, row: &QueryResult) -> AppResult<StockCount> {
    let bad = |what| corrupt("stock_counts", what);
    let id: String = row.try_get("", "id")?;
    let bins =
        query(conn, "SELECT bin FROM stock_count_bins WHERE count_id = $1 ORDER BY bin", vec![id.clone().into()])
            .await?
            .iter()
            .map(|r| BinCode::parse(&r.try_get::<String>("", "bin")?).map_err(|_| bad("bin")))
            .collect::<AppResult<Vec<_>>>()?;
    let lines = query(
        conn,
        "SELECT * FROM stock_count_lines WHERE count_id = $1 ORDER BY bin, part_number, batch",
        vec![id.clone().into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(CountLine {
            bin: BinCode::parse(&r.try_get::<String>("", "bin")?).map_err(|_| bad("line bin"))?,
            part_number: PartNumber::parse(&r.try_get::<String>("", "part_number")?).map_err(|_| bad("line part"))?,
            batch: BatchCode::parse(&r.try_get::<String>("", "batch")?).map_err(|_| bad("line batch"))?,
            counted: r.try_get("", "counted_hundredths")?,
            on_hand: r.try_get("", "on_hand_hundredths")?,
            by: r.try_get("", "counted_by")?,
            at: from_micros(r.try_get("", "counted_at_us")?),
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let closed_by: Option<String> = row.try_get("", "closed_by")?;
    let closed_at: Option<i64> = row.try_get("", "closed_at_us")?;
    Ok(StockCount {
        id: uuid::Uuid::parse_str(&id).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        warehouse_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "warehouse_id")?)
            .map_err(|_| bad("warehouse"))?,
        bins,
        state: CountState::parse(&row.try_get::<String>("", "state")?).ok_or_else(|| bad("state"))?,
        lines,
        started_by: row.try_get("", "started_by")?,
        started_at: from_micros(row.try_get("", "started_at_us")?),
        closed: closed_by.zip(closed_at.map(from_micros)),
    })
}

/// The bins frozen in a warehouse now, each with the open count that freezes it (one query).
pub async fn frozen_bins(conn: &impl ConnectionTrait, warehouse: uuid::Uuid) -> AppResult<Vec<(uuid::Uuid, BinCode)>> {
    let rows = query(
        conn,
        "SELECT c.id, b.bin FROM stock_counts c JOIN stock_count_bins b ON b.count_id = c.id \
         WHERE c.warehouse_id = $1 AND c.state = $2",
        vec![warehouse.to_string().into(), CountState::Open.as_str().into()],
    )
    .await?;
    let bad = |what| corrupt("stock_counts", what);
    rows.iter()
        .map(|r| {
            Ok((
                uuid::Uuid::parse_str(&r.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
                BinCode::parse(&r.try_get::<String>("", "bin")?).map_err(|_| bad("bin"))?,
            ))
        })
        .collect()
}
