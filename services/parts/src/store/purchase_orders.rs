//! Purchase orders with their lines, and the receipts against them with their lines.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, lock_suffix, query};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::purchasing::{Delivered, OrderLine, OrderState, PurchaseOrder, Received};
use crate::domain::stock::{BatchCode, BinCode};

/// What became of held over-delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldState {
    /// Nothing held.
    None,
    /// Waiting for the manager.
    Held,
    /// Accepted into stock.
    Accepted,
    /// Sent back.
    Returned,
}

impl HeldState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            HeldState::None => "none",
            HeldState::Held => "held",
            HeldState::Accepted => "accepted",
            HeldState::Returned => "returned",
        }
    }

    fn parse(name: &str) -> Option<HeldState> {
        use HeldState::*;
        [None, Held, Accepted, Returned].into_iter().find(|s| s.as_str() == name)
    }
}

/// A receipt line as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    /// What receiving it did.
    pub received: Received,
    /// What became of what was held.
    pub held_state: HeldState,
}

/// A delivery received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Id.
    pub id: uuid::Uuid,
    /// Into which warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The delivery note.
    pub delivery_note: String,
    /// Its lines.
    pub lines: Vec<ReceiptLine>,
    /// Who.
    pub received_by: String,
    /// When.
    pub received_at: DateTime<Utc>,
}

/// Stores a new order with its lines.
pub async fn insert(conn: &impl ConnectionTrait, o: &PurchaseOrder) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO purchase_orders (id, dealer_id, supplier_id, plan_id, state, created_by, created_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            o.id.to_string().into(),
            o.dealer_id.to_string().into(),
            o.supplier_id.to_string().into(),
            o.plan_id.map(|p| p.to_string()).into(),
            o.state.as_str().into(),
            o.created_by.clone().into(),
            to_micros(o.created_at).into(),
        ],
    )
    .await?;
    for l in &o.lines {
        execute(
            conn,
            "INSERT INTO purchase_order_lines (order_id, line_id, part_number, ordered_hundredths, \
             received_hundredths) VALUES ($1, $2, $3, $4, $5)",
            vec![
                o.id.to_string().into(),
                l.line_id.to_string().into(),
                l.part_number.as_str().into(),
                l.ordered.into(),
                l.received.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Saves an order's state and its lines' quantities.
pub async fn save(conn: &impl ConnectionTrait, o: &PurchaseOrder) -> AppResult<()> {
    execute(
        conn,
        "UPDATE purchase_orders SET state = $2, close_reason = $3 WHERE id = $1",
        vec![o.id.to_string().into(), o.state.as_str().into(), o.close_reason.clone().into()],
    )
    .await?;
    for l in &o.lines {
        execute(
            conn,
            "UPDATE purchase_order_lines SET ordered_hundredths = $3, received_hundredths = $4 \
             WHERE order_id = $1 AND line_id = $2",
            vec![o.id.to_string().into(), l.line_id.to_string().into(), l.ordered.into(), l.received.into()],
        )
        .await?;
    }
    Ok(())
}

/// An order with its lines; locked on PostgreSQL when `lock`.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<PurchaseOrder>> {
    let sql = format!("SELECT * FROM purchase_orders WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    match rows.first() {
        Some(row) => Ok(Some(with_lines(conn, row).await?)),
        None => Ok(None),
    }
}

/// The orders placed from a plan.
pub async fn of_plan(conn: &impl ConnectionTrait, plan: uuid::Uuid) -> AppResult<Vec<uuid::Uuid>> {
    query(conn, "SELECT id FROM purchase_orders WHERE plan_id = $1 ORDER BY id", vec![plan.to_string().into()])
        .await?
        .iter()
        .map(|r| uuid::Uuid::parse_str(&r.try_get::<String>("", "id")?).map_err(|_| corrupt("purchase_orders", "id")))
        .collect()
}

/// A page of orders in scope, oldest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<PurchaseOrder>> {
    let mut clauses = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        clauses.push(format!("dealer_id = ${}", values.len()));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        clauses.push(format!("id > ${}", values.len()));
    }
    let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    let sql = format!("SELECT * FROM purchase_orders{filter} ORDER BY id LIMIT {}", limit.min(10_000));
    let mut out = Vec::new();
    for row in query(conn, &sql, values).await? {
        out.push(with_lines(conn, &row).await?);
    }
    Ok(out)
}

async fn with_lines(conn: &impl ConnectionTrait, row: &QueryResult) -> AppResult<PurchaseOrder> {
    let bad = |what| corrupt("purchase_orders", what);
    let id = uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?;
    let lines = query(
        conn,
        "SELECT * FROM purchase_order_lines WHERE order_id = $1 ORDER BY line_id",
        vec![id.to_string().into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(OrderLine {
            line_id: uuid::Uuid::parse_str(&r.try_get::<String>("", "line_id")?).map_err(|_| bad("line"))?,
            part_number: PartNumber::parse(&r.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
            ordered: r.try_get("", "ordered_hundredths")?,
            received: r.try_get("", "received_hundredths")?,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let plan: Option<String> = row.try_get("", "plan_id")?;
    Ok(PurchaseOrder {
        id,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        supplier_id: SupplierId::parse(&row.try_get::<String>("", "supplier_id")?).map_err(|_| bad("supplier"))?,
        plan_id: plan.map(|p| uuid::Uuid::parse_str(&p).map_err(|_| bad("plan"))).transpose()?,
        state: OrderState::parse(&row.try_get::<String>("", "state")?).ok_or_else(|| bad("state"))?,
        lines,
        created_by: row.try_get("", "created_by")?,
        created_at: from_micros(row.try_get("", "created_at_us")?),
        close_reason: row.try_get("", "close_reason")?,
    })
}

/// Stores a receipt with its lines.
pub async fn insert_receipt(conn: &impl ConnectionTrait, order: uuid::Uuid, r: &Receipt) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO receipts (id, order_id, warehouse_id, delivery_note, received_by, received_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            r.id.to_string().into(),
            order.to_string().into(),
            r.warehouse_id.to_string().into(),
            r.delivery_note.clone().into(),
            r.received_by.clone().into(),
            to_micros(r.received_at).into(),
        ],
    )
    .await?;
    for (position, l) in r.lines.iter().enumerate() {
        let d = &l.received.delivered;
        execute(
            conn,
            "INSERT INTO receipt_lines (receipt_id, position, line_id, bin, batch, delivered_hundredths, \
             rejected_hundredths, rejection_reason, entered_hundredths, held_hundredths, held_state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            vec![
                r.id.to_string().into(),
                (position as i32).into(),
                d.line_id.to_string().into(),
                d.bin.as_str().into(),
                d.batch.as_str().into(),
                d.delivered.into(),
                d.rejected.into(),
                d.rejection_reason.clone().into(),
                l.received.entered.into(),
                l.received.held.into(),
                l.held_state.as_str().into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Records what became of a receipt line's held quantity.
pub async fn set_held_state(
    conn: &impl ConnectionTrait,
    receipt: uuid::Uuid,
    position: usize,
    state: HeldState,
) -> AppResult<()> {
    execute(
        conn,
        "UPDATE receipt_lines SET held_state = $3 WHERE receipt_id = $1 AND position = $2",
        vec![receipt.to_string().into(), (position as i32).into(), state.as_str().into()],
    )
    .await?;
    Ok(())
}

/// An order's receipts, oldest first, with their lines (the part of each line from the order's lines).
pub async fn receipts(conn: &impl ConnectionTrait, order: &PurchaseOrder) -> AppResult<Vec<Receipt>> {
    let bad = |what| corrupt("receipts", what);
    let rows = query(conn, "SELECT * FROM receipts WHERE order_id = $1 ORDER BY id", vec![order.id.to_string().into()])
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?;
        let lines = query(
            conn,
            "SELECT * FROM receipt_lines WHERE receipt_id = $1 ORDER BY position",
            vec![id.to_string().into()],
        )
        .await?
        .iter()
        .map(|r| receipt_line_from_row(r, order))
        .collect::<AppResult<Vec<_>>>()?;
        out.push(Receipt {
            id,
            warehouse_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "warehouse_id")?)
                .map_err(|_| bad("warehouse"))?,
            delivery_note: row.try_get("", "delivery_note")?,
            lines,
            received_by: row.try_get("", "received_by")?,
            received_at: from_micros(row.try_get("", "received_at_us")?),
        });
    }
    Ok(out)
}

fn receipt_line_from_row(row: &QueryResult, order: &PurchaseOrder) -> AppResult<ReceiptLine> {
    let bad = |what| corrupt("receipt_lines", what);
    let line_id = uuid::Uuid::parse_str(&row.try_get::<String>("", "line_id")?).map_err(|_| bad("line"))?;
    let part_number =
        order.lines.iter().find(|l| l.line_id == line_id).map(|l| l.part_number.clone()).ok_or_else(|| bad("line"))?;
    Ok(ReceiptLine {
        received: Received {
            delivered: Delivered {
                line_id,
                bin: BinCode::parse(&row.try_get::<String>("", "bin")?).map_err(|_| bad("bin"))?,
                batch: BatchCode::parse(&row.try_get::<String>("", "batch")?).map_err(|_| bad("batch"))?,
                delivered: row.try_get("", "delivered_hundredths")?,
                rejected: row.try_get("", "rejected_hundredths")?,
                rejection_reason: row.try_get("", "rejection_reason")?,
            },
            part_number,
            entered: row.try_get("", "entered_hundredths")?,
            held: row.try_get("", "held_hundredths")?,
        },
        held_state: HeldState::parse(&row.try_get::<String>("", "held_state")?).ok_or_else(|| bad("held state"))?,
    })
}
