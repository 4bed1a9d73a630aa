//! Requisitions with their issues and returns, and what parts knows of orders and jobs from the feeds.

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId, Vin};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, insert_unique, lock_suffix, query};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::fitting::Fitting;
use crate::domain::requisition::{BatchMove, JobLink, KnownJob, KnownOrder, Requisition, RequisitionState};
use crate::domain::stock::{BatchCode, BinCode};

/// Stores an order first heard of, without its lines (a redelivery changes nothing); `Ok(false)` when it was known.
pub async fn put_order(conn: &impl ConnectionTrait, o: &KnownOrder) -> AppResult<bool> {
    let fresh = insert_unique(
        conn,
        "INSERT INTO known_orders (order_id, dealer_id, vin, mileage_km, cancelled) VALUES ($1, $2, $3, $4, $5)",
        vec![
            o.order_id.to_string().into(),
            o.dealer_id.to_string().into(),
            o.vin.as_str().into(),
            o.mileage_km.into(),
            false.into(),
        ],
    )
    .await?;
    Ok(fresh)
}

/// Adds consented part lines to a known order (a line already known is kept); the lines that are new.
pub async fn add_lines(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    lines: &[(uuid::Uuid, PartNumber, i64)],
) -> AppResult<Vec<(uuid::Uuid, PartNumber, i64)>> {
    let mut fresh = Vec::new();
    for (line, part, quantity) in lines {
        let added = insert_unique(
            conn,
            "INSERT INTO known_order_lines (order_id, line_id, part_number, quantity_hundredths) VALUES ($1, $2, $3, $4)",
            vec![order.to_string().into(), line.to_string().into(), part.as_str().into(), (*quantity).into()],
        )
        .await?;
        if added {
            fresh.push((*line, part.clone(), *quantity));
        }
    }
    Ok(fresh)
}

/// Marks a known order cancelled.
pub async fn cancel_order(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<()> {
    execute(
        conn,
        "UPDATE known_orders SET cancelled = $2 WHERE order_id = $1",
        vec![order.to_string().into(), true.into()],
    )
    .await?;
    Ok(())
}

/// Marks a known order's requisitions closed.
pub async fn close_order(conn: &impl ConnectionTrait, order: RepairOrderId, at: DateTime<Utc>) -> AppResult<()> {
    execute(
        conn,
        "UPDATE known_orders SET closed_at_us = $2 WHERE order_id = $1",
        vec![order.to_string().into(), to_micros(at).into()],
    )
    .await?;
    Ok(())
}

/// A known order with its part lines; locked on PostgreSQL when `lock`.
pub async fn find_order(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    lock: bool,
) -> AppResult<Option<KnownOrder>> {
    let sql = format!("SELECT * FROM known_orders WHERE order_id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![order.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let bad = |what| corrupt("known_orders", what);
    let lines = query(
        conn,
        "SELECT line_id, part_number, quantity_hundredths FROM known_order_lines WHERE order_id = $1 ORDER BY line_id",
        vec![order.to_string().into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok((
            uuid::Uuid::parse_str(&r.try_get::<String>("", "line_id")?).map_err(|_| bad("line"))?,
            PartNumber::parse(&r.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
            r.try_get("", "quantity_hundredths")?,
        ))
    })
    .collect::<AppResult<Vec<_>>>()?;
    let closed: Option<i64> = row.try_get("", "closed_at_us")?;
    Ok(Some(KnownOrder {
        order_id: order,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
        mileage_km: row.try_get("", "mileage_km")?,
        cancelled: row.try_get("", "cancelled")?,
        closed_at: closed.map(from_micros),
        part_lines: lines,
    }))
}

/// Stores a job first heard of; `Ok(false)` when it was known.
pub async fn put_job(conn: &impl ConnectionTrait, j: &KnownJob) -> AppResult<bool> {
    insert_unique(
        conn,
        "INSERT INTO known_jobs (job_id, dealer_id, order_id, vin, ready) VALUES ($1, $2, $3, $4, $5)",
        vec![
            j.job_id.to_string().into(),
            j.dealer_id.to_string().into(),
            j.order_id.to_string().into(),
            j.vin.as_str().into(),
            j.ready.into(),
        ],
    )
    .await
}

/// Marks a known job ready.
pub async fn job_ready(conn: &impl ConnectionTrait, job: uuid::Uuid) -> AppResult<()> {
    execute(conn, "UPDATE known_jobs SET ready = $2 WHERE job_id = $1", vec![job.to_string().into(), true.into()])
        .await?;
    Ok(())
}

/// A known job.
pub async fn find_job(conn: &impl ConnectionTrait, job: uuid::Uuid) -> AppResult<Option<KnownJob>> {
    let rows = query(conn, "SELECT * FROM known_jobs WHERE job_id = $1", vec![job.to_string().into()]).await?;
    rows.first().map(job_from_row).transpose()
}

/// The job of an order, if workshop queued one.
pub async fn job_of_order(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<Option<KnownJob>> {
    let rows = query(conn, "SELECT * FROM known_jobs WHERE order_id = $1", vec![order.to_string().into()]).await?;
    rows.first().map(job_from_row).transpose()
}

fn job_from_row(row: &QueryResult) -> AppResult<KnownJob> {
    let bad = |what| corrupt("known_jobs", what);
    Ok(KnownJob {
        job_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "job_id")?).map_err(|_| bad("job"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        order_id: RepairOrderId::parse(&row.try_get::<String>("", "order_id")?).map_err(|_| bad("order"))?,
        vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
        ready: row.try_get("", "ready")?,
    })
}

/// Stores a new requisition.
pub async fn insert(conn: &impl ConnectionTrait, r: &Requisition) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO requisitions (id, dealer_id, job_id, order_id, line_id, vin, mileage_km, part_number, \
         quantity_hundredths, state, requested_by, requested_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        vec![
            r.id.to_string().into(),
            r.job.dealer_id.to_string().into(),
            r.job.job_id.to_string().into(),
            r.job.order_id.to_string().into(),
            r.line_id.map(|l| l.to_string()).into(),
            r.job.vin.as_str().into(),
            r.job.mileage_km.into(),
            r.part_number.as_str().into(),
            r.quantity.into(),
            r.state.as_str().into(),
            r.requested_by.clone().into(),
            to_micros(r.requested_at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves a requisition's state and decision.
pub async fn save(conn: &impl ConnectionTrait, r: &Requisition) -> AppResult<()> {
    let (by, at) = match &r.decided {
        Some((by, at)) => (Some(by.clone()), Some(to_micros(*at))),
        None => (None, None),
    };
    execute(
        conn,
        "UPDATE requisitions SET state = $2, decided_by = $3, decided_at_us = $4, refusal_reason = $5 WHERE id = $1",
        vec![r.id.to_string().into(), r.state.as_str().into(), by.into(), at.into(), r.refusal_reason.clone().into()],
    )
    .await?;
    Ok(())
}

/// Appends an issue (`returned` false) or a return of a requisition.
pub async fn insert_move(
    conn: &impl ConnectionTrait,
    requisition: uuid::Uuid,
    m: &BatchMove,
    returned: bool,
) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO requisition_moves (movement_id, requisition_id, direction, warehouse_id, bin, batch, \
         quantity_hundredths, moved_by, moved_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            m.movement_id.to_string().into(),
            requisition.to_string().into(),
            (if returned { "return" } else { "issue" }).into(),
            m.warehouse_id.to_string().into(),
            m.bin.as_str().into(),
            m.batch.as_str().into(),
            m.quantity.into(),
            m.by.clone().into(),
            to_micros(m.at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A requisition with its moves; locked on PostgreSQL when `lock`.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<Requisition>> {
    let sql = format!("SELECT * FROM requisitions WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    Ok(Some(complete(conn, row).await?))
}

/// The requisitions of an order (all of them) or of a job (a page after `after`), oldest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    column: &'static str,
    id: &str,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Requisition>> {
    let mut sql = format!("SELECT * FROM requisitions WHERE {column} = $1");
    let mut values: Vec<Value> = vec![id.into()];
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    let mut out = Vec::new();
    for row in query(conn, &sql, values).await? {
        out.push(complete(conn, &row).await?);
    }
    Ok(out)
}

async fn complete(conn: &impl ConnectionTrait, row: &QueryResult) -> AppResult<Requisition> {
    let bad = |what| corrupt("requisitions", what);
    let id: String = row.try_get("", "id")?;
    let uuid = |column: &str| -> AppResult<uuid::Uuid> {
        uuid::Uuid::parse_str(&row.try_get::<String>("", column)?).map_err(|_| bad("id"))
    };
    let mut issues = Vec::new();
    let mut returns = Vec::new();
    for m in query(
        conn,
        "SELECT * FROM requisition_moves WHERE requisition_id = $1 ORDER BY movement_id",
        vec![id.clone().into()],
    )
    .await?
    {
        let moved = BatchMove {
            movement_id: uuid::Uuid::parse_str(&m.try_get::<String>("", "movement_id")?).map_err(|_| bad("move"))?,
            warehouse_id: uuid::Uuid::parse_str(&m.try_get::<String>("", "warehouse_id")?)
                .map_err(|_| bad("warehouse"))?,
            bin: BinCode::parse(&m.try_get::<String>("", "bin")?).map_err(|_| bad("bin"))?,
            batch: BatchCode::parse(&m.try_get::<String>("", "batch")?).map_err(|_| bad("batch"))?,
            quantity: m.try_get("", "quantity_hundredths")?,
            by: m.try_get("", "moved_by")?,
            at: from_micros(m.try_get("", "moved_at_us")?),
        };
        if m.try_get::<String>("", "direction")? == "return" { returns.push(moved) } else { issues.push(moved) }
    }
    let line: Option<String> = row.try_get("", "line_id")?;
    let decided_by: Option<String> = row.try_get("", "decided_by")?;
    let decided_at: Option<i64> = row.try_get("", "decided_at_us")?;
    Ok(Requisition {
        id: uuid("id")?,
        job: JobLink {
            job_id: uuid("job_id")?,
            dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
            order_id: RepairOrderId::parse(&row.try_get::<String>("", "order_id")?).map_err(|_| bad("order"))?,
            vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
            mileage_km: row.try_get("", "mileage_km")?,
        },
        line_id: line.map(|l| uuid::Uuid::parse_str(&l)).transpose().map_err(|_| bad("line"))?,
        part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
        quantity: row.try_get("", "quantity_hundredths")?,
        state: RequisitionState::parse(&row.try_get::<String>("", "state")?).ok_or_else(|| bad("state"))?,
        requested_by: row.try_get("", "requested_by")?,
        requested_at: from_micros(row.try_get("", "requested_at_us")?),
        decided: decided_by.zip(decided_at.map(from_micros)),
        refusal_reason: row.try_get("", "refusal_reason")?,
        issues,
        returns,
    })
}

/// The fitting record of a vehicle: per requisition and batch, what stayed in (issued less returned), first issue
/// time; only of `part` if given.
pub async fn fittings(conn: &impl ConnectionTrait, vin: &Vin, part: Option<&PartNumber>) -> AppResult<Vec<Fitting>> {
    let mut sql = String::from(
        "SELECT r.id AS requisition_id, r.dealer_id, r.order_id, r.vin, r.part_number, r.mileage_km, m.batch, \
         CAST(SUM(CASE WHEN m.direction = 'issue' THEN m.quantity_hundredths ELSE -m.quantity_hundredths END) \
         AS BIGINT) AS net, \
         MIN(CASE WHEN m.direction = 'issue' THEN m.moved_at_us END) AS fitted_at_us \
         FROM requisitions r JOIN requisition_moves m ON m.requisition_id = r.id WHERE r.vin = $1",
    );
    let mut values: Vec<Value> = vec![vin.as_str().into()];
    if let Some(part) = part {
        values.push(part.as_str().into());
        sql.push_str(&format!(" AND r.part_number = ${}", values.len()));
    }
    sql.push_str(
        " GROUP BY r.id, r.dealer_id, r.order_id, r.vin, r.part_number, r.mileage_km, m.batch ORDER BY fitted_at_us DESC",
    );
    let bad = |what| corrupt("requisitions", what);
    query(conn, &sql, values)
        .await?
        .iter()
        .filter_map(|row| {
            let fitted: Option<i64> = row.try_get("", "fitted_at_us").ok().flatten();
            fitted.map(|at| (row, at))
        })
        .map(|(row, at)| {
            Ok(Fitting {
                vin: Vin::parse(&row.try_get::<String>("", "vin")?).map_err(|_| bad("vin"))?,
                part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
                batch: BatchCode::parse(&row.try_get::<String>("", "batch")?).map_err(|_| bad("batch"))?,
                dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
                order_id: RepairOrderId::parse(&row.try_get::<String>("", "order_id")?).map_err(|_| bad("order"))?,
                requisition_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "requisition_id")?)
                    .map_err(|_| bad("id"))?,
                fitted_at: from_micros(at),
                mileage_km: row.try_get("", "mileage_km")?,
                quantity: row.try_get("", "net")?,
            })
        })
        .collect()
}
