//! Transfers: the transfer row and its lines.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, lock_suffix, query};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::stock::transfer::{Transfer, TransferLine, TransferState};
use crate::domain::stock::{BatchCode, BinCode};

/// Stores a new transfer with its lines.
pub async fn insert(conn: &impl ConnectionTrait, t: &Transfer) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO transfers (id, dealer_id, part_number, from_warehouse_id, to_warehouse_id, state, sent_by, \
         sent_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            t.id.to_string().into(),
            t.dealer_id.to_string().into(),
            t.part_number.as_str().into(),
            t.from_warehouse.to_string().into(),
            t.to_warehouse.to_string().into(),
            t.state.as_str().into(),
            t.sent_by.clone().into(),
            to_micros(t.sent_at).into(),
        ],
    )
    .await?;
    for (position, l) in t.lines.iter().enumerate() {
        execute(
            conn,
            "INSERT INTO transfer_lines (transfer_id, position, from_bin, batch, quantity_hundredths, \
             batch_received_at_us) VALUES ($1, $2, $3, $4, $5, $6)",
            vec![
                t.id.to_string().into(),
                (position as i32).into(),
                l.from_bin.as_str().into(),
                l.batch.as_str().into(),
                l.quantity.into(),
                to_micros(l.batch_received_at).into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Saves a received transfer.
pub async fn save_received(conn: &impl ConnectionTrait, t: &Transfer) -> AppResult<()> {
    let Some((bin, by, at)) = &t.received else { return Ok(()) };
    execute(
        conn,
        "UPDATE transfers SET state = $2, to_bin = $3, received_by = $4, received_at_us = $5 WHERE id = $1",
        vec![
            t.id.to_string().into(),
            t.state.as_str().into(),
            bin.as_str().into(),
            by.clone().into(),
            to_micros(*at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A transfer with its lines; locked on PostgreSQL when `lock`.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<Transfer>> {
    let sql = format!("SELECT * FROM transfers WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    Ok(Some(complete(conn, row).await?))
}

/// A page of transfers in `scope`, newest first, before `before`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    in_transit_only: bool,
    before: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Transfer>> {
    let mut sql = String::from("SELECT * FROM transfers WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if in_transit_only {
        values.push(TransferState::InTransit.as_str().into());
        sql.push_str(&format!(" AND state = ${}", values.len()));
    }
    if let Some(before) = before {
        values.push(before.to_string().into());
        sql.push_str(&format!(" AND id < ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.min(10_000)));
    let mut out = Vec::new();
    for row in query(conn, &sql, values).await? {
        out.push(complete(conn, &row).await?);
    }
    Ok(out)
}

async fn complete(conn: &impl ConnectionTrait, row: &QueryResult) -> AppResult<Transfer> {
    let bad = |what| corrupt("transfers", what);
    let id: String = row.try_get("", "id")?;
    let uuid = |column: &str| -> AppResult<uuid::Uuid> {
        uuid::Uuid::parse_str(&row.try_get::<String>("", column)?).map_err(|_| bad("id"))
    };
    let lines =
        query(conn, "SELECT * FROM transfer_lines WHERE transfer_id = $1 ORDER BY position", vec![id.clone().into()])
            .await?
            .iter()
            .map(|r| {
                Ok(TransferLine {
                    from_bin: BinCode::parse(&r.try_get::<String>("", "from_bin")?).map_err(|_| bad("line bin"))?,
                    batch: BatchCode::parse(&r.try_get::<String>("", "batch")?).map_err(|_| bad("line batch"))?,
                    quantity: r.try_get("", "quantity_hundredths")?,
                    batch_received_at: from_micros(r.try_get("", "batch_received_at_us")?),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
    let to_bin: Option<String> = row.try_get("", "to_bin")?;
    let received_by: Option<String> = row.try_get("", "received_by")?;
    let received_at: Option<i64> = row.try_get("", "received_at_us")?;
    let received = match (to_bin, received_by, received_at) {
        (Some(bin), Some(by), Some(at)) => {
            Some((BinCode::parse(&bin).map_err(|_| bad("to bin"))?, by, from_micros(at)))
        }
        _ => None,
    };
    Ok(Transfer {
        id: uuid("id")?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
        from_warehouse: uuid("from_warehouse_id")?,
        to_warehouse: uuid("to_warehouse_id")?,
        lines,
        state: TransferState::parse(&row.try_get::<String>("", "state")?).ok_or_else(|| bad("state"))?,
        sent_by: row.try_get("", "sent_by")?,
        sent_at: from_micros(row.try_get("", "sent_at_us")?),
        received,
    })
}
