//! The approved-supplier list (parts' copy of the supplier service's standings), stocking policies, purchase plans,
//! and the figures a plan is drafted from.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::sql::{corrupt, execute, lock_suffix, query};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::purchasing::{Figures, PlanLine, PlanReason, PurchasePlan, SupplierStatus};

/// A supplier on the list, as the supplier service last published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedSupplier {
    /// Id.
    pub supplier_id: SupplierId,
    /// Name.
    pub name: String,
    /// Standing.
    pub status: SupplierStatus,
    /// Why (empty for a newly registered supplier).
    pub reason: String,
    /// Who set it: the supplier service (its feed), or an OEM subject for a row parts' retired
    /// `SetSupplierStatus` wrote before parts followed the supplier service.
    pub updated_by: String,
    /// When (the event's time for a row from the feed).
    pub updated_at: DateTime<Utc>,
}

/// A dealer's stocking policy of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The dealer.
    pub dealer_id: DealerId,
    /// The part.
    pub part_number: PartNumber,
    /// Reorder point.
    pub min: i64,
    /// Order-up-to level.
    pub max: i64,
    /// Who set it.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// Puts a supplier on the list or replaces its row with `s` (so writing the same row twice changes nothing).
pub async fn put_supplier(conn: &impl ConnectionTrait, s: &ListedSupplier) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO approved_suppliers (supplier_id, name, status, reason, updated_by, updated_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (supplier_id) DO UPDATE SET name = excluded.name, \
         status = excluded.status, reason = excluded.reason, updated_by = excluded.updated_by, \
         updated_at_us = excluded.updated_at_us",
        vec![
            s.supplier_id.to_string().into(),
            s.name.clone().into(),
            s.status.as_str().into(),
            s.reason.clone().into(),
            s.updated_by.clone().into(),
            to_micros(s.updated_at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A supplier's standing, if listed.
pub async fn supplier_status(conn: &impl ConnectionTrait, supplier: SupplierId) -> AppResult<Option<SupplierStatus>> {
    let rows =
        query(conn, "SELECT * FROM approved_suppliers WHERE supplier_id = $1", vec![supplier.to_string().into()])
            .await?;
    Ok(rows.first().map(supplier_from_row).transpose()?.map(|s| s.status))
}

/// A page of the list by id.
pub async fn suppliers(
    conn: &impl ConnectionTrait,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<ListedSupplier>> {
    let mut sql = String::from("SELECT * FROM approved_suppliers");
    let mut values: Vec<Value> = Vec::new();
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(" WHERE supplier_id > $1");
    }
    sql.push_str(&format!(" ORDER BY supplier_id LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(supplier_from_row).collect()
}

fn supplier_from_row(row: &QueryResult) -> AppResult<ListedSupplier> {
    let bad = |what| corrupt("approved_suppliers", what);
    Ok(ListedSupplier {
        supplier_id: SupplierId::parse(&row.try_get::<String>("", "supplier_id")?).map_err(|_| bad("id"))?,
        name: row.try_get("", "name")?,
        status: SupplierStatus::parse(&row.try_get::<String>("", "status")?).ok_or_else(|| bad("status"))?,
        reason: row.try_get("", "reason")?,
        updated_by: row.try_get("", "updated_by")?,
        updated_at: from_micros(row.try_get("", "updated_at_us")?),
    })
}

/// Sets a stocking policy.
pub async fn put_policy(conn: &impl ConnectionTrait, p: &Policy) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO stocking_policies (dealer_id, part_number, min_hundredths, max_hundredths, updated_by, \
         updated_at_us) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dealer_id, part_number) DO UPDATE SET \
         min_hundredths = excluded.min_hundredths, max_hundredths = excluded.max_hundredths, \
         updated_by = excluded.updated_by, updated_at_us = excluded.updated_at_us",
        vec![
            p.dealer_id.to_string().into(),
            p.part_number.as_str().into(),
            p.min.into(),
            p.max.into(),
            p.updated_by.clone().into(),
            to_micros(p.updated_at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// The parts a plan looks at for a dealer — those with a policy and those with reservations — each with its
/// designated supplier and figures (demand: issues since `since`).
pub async fn plan_figures(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
    since: DateTime<Utc>,
) -> AppResult<Vec<(PartNumber, Option<SupplierId>, Figures)>> {
    let d = || -> Value { dealer.to_string().into() };
    let parts = query(
        conn,
        "SELECT part_number FROM stocking_policies WHERE dealer_id = $1 \
         UNION SELECT part_number FROM part_positions WHERE dealer_id = $1 AND reserved_hundredths > 0",
        vec![d()],
    )
    .await?;
    let mut out = Vec::with_capacity(parts.len());
    for row in parts {
        let part = PartNumber::parse(&row.try_get::<String>("", "part_number")?)
            .map_err(|_| corrupt("stocking_policies", "part"))?;
        let p = || -> Value { part.as_str().into() };
        let position = super::reservations::position(conn, dealer, &part, false).await?;
        let policy = query(
            conn,
            "SELECT min_hundredths, max_hundredths FROM stocking_policies WHERE dealer_id = $1 AND part_number = $2",
            vec![d(), p()],
        )
        .await?
        .first()
        .map(|r| Ok::<_, sea_orm::DbErr>((r.try_get("", "min_hundredths")?, r.try_get("", "max_hundredths")?)))
        .transpose()?;
        let on_order = sum(
            conn,
            "SELECT CAST(COALESCE(SUM(l.ordered_hundredths - l.received_hundredths), 0) AS BIGINT) AS total \
             FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id \
             WHERE o.dealer_id = $1 AND l.part_number = $2 AND o.state IN ('ordered', 'partially_received')",
            vec![d(), p()],
        )
        .await?;
        let demand = sum(
            conn,
            "SELECT CAST(COALESCE(SUM(-quantity_hundredths), 0) AS BIGINT) AS total FROM stock_movements \
             WHERE dealer_id = $1 AND kind = 'issue' AND moved_at_us >= $3 AND part_number = $2",
            vec![d(), p(), to_micros(since).into()],
        )
        .await?;
        let designated = query(conn, "SELECT supplier_id FROM catalogue_entries WHERE part_number = $1", vec![p()])
            .await?
            .first()
            .map(|r| r.try_get::<Option<String>>("", "supplier_id"))
            .transpose()?
            .flatten()
            .map(|s| SupplierId::parse(&s).map_err(|_| corrupt("catalogue_entries", "supplier")))
            .transpose()?;
        let figures = Figures { on_hand: position.on_hand, reserved: position.reserved, on_order, demand, policy };
        out.push((part, designated, figures));
    }
    Ok(out)
}

async fn sum(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<i64> {
    Ok(query(conn, sql, values).await?.first().map(|r| r.try_get::<i64>("", "total")).transpose()?.unwrap_or(0))
}

/// Stores a new plan with its lines.
pub async fn insert_plan(conn: &impl ConnectionTrait, plan: &PurchasePlan) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO purchase_plans (id, dealer_id, state, drafted_by, drafted_at_us) VALUES ($1, $2, $3, $4, $5)",
        vec![
            plan.id.to_string().into(),
            plan.dealer_id.to_string().into(),
            "draft".into(),
            plan.drafted_by.clone().into(),
            to_micros(plan.drafted_at).into(),
        ],
    )
    .await?;
    insert_lines(conn, plan).await
}

/// Saves a plan's lines (replaced) and approval.
pub async fn save_plan(conn: &impl ConnectionTrait, plan: &PurchasePlan) -> AppResult<()> {
    let (state, by, at) = match &plan.approved {
        Some((by, at)) => ("approved", Some(by.clone()), Some(to_micros(*at))),
        None => ("draft", None, None),
    };
    execute(
        conn,
        "UPDATE purchase_plans SET state = $2, approved_by = $3, approved_at_us = $4 WHERE id = $1",
        vec![plan.id.to_string().into(), state.into(), by.into(), at.into()],
    )
    .await?;
    execute(conn, "DELETE FROM purchase_plan_lines WHERE plan_id = $1", vec![plan.id.to_string().into()]).await?;
    insert_lines(conn, plan).await
}

async fn insert_lines(conn: &impl ConnectionTrait, plan: &PurchasePlan) -> AppResult<()> {
    for l in &plan.lines {
        let (min, max) = l.figures.policy.unwrap_or((0, 0));
        execute(
            conn,
            "INSERT INTO purchase_plan_lines (plan_id, part_number, supplier_id, quantity_hundredths, \
             suggested_hundredths, reason, on_hand_hundredths, reserved_hundredths, on_order_hundredths, \
             demand_hundredths, min_hundredths, max_hundredths) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            vec![
                plan.id.to_string().into(),
                l.part_number.as_str().into(),
                l.supplier_id.map(|s| s.to_string()).into(),
                l.quantity.into(),
                l.suggested.into(),
                l.reason.map(|r| r.as_str().to_string()).into(),
                l.figures.on_hand.into(),
                l.figures.reserved.into(),
                l.figures.on_order.into(),
                l.figures.demand.into(),
                min.into(),
                max.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// A plan with its lines; locked on PostgreSQL when `lock`.
pub async fn find_plan(conn: &impl ConnectionTrait, id: uuid::Uuid, lock: bool) -> AppResult<Option<PurchasePlan>> {
    let sql = format!("SELECT * FROM purchase_plans WHERE id = $1{}", lock_suffix(conn, lock));
    let rows = query(conn, &sql, vec![id.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let bad = |what| corrupt("purchase_plans", what);
    let lines = query(
        conn,
        "SELECT * FROM purchase_plan_lines WHERE plan_id = $1 ORDER BY part_number",
        vec![id.to_string().into()],
    )
    .await?
    .iter()
    .map(plan_line_from_row)
    .collect::<AppResult<Vec<_>>>()?;
    let approved_by: Option<String> = row.try_get("", "approved_by")?;
    let approved_at: Option<i64> = row.try_get("", "approved_at_us")?;
    Ok(Some(PurchasePlan {
        id,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer"))?,
        lines,
        drafted_by: row.try_get("", "drafted_by")?,
        drafted_at: from_micros(row.try_get("", "drafted_at_us")?),
        approved: approved_by.zip(approved_at.map(from_micros)),
    }))
}

fn plan_line_from_row(row: &QueryResult) -> AppResult<PlanLine> {
    let bad = |what| corrupt("purchase_plan_lines", what);
    let (min, max): (i64, i64) = (row.try_get("", "min_hundredths")?, row.try_get("", "max_hundredths")?);
    let supplier: Option<String> = row.try_get("", "supplier_id")?;
    let reason: Option<String> = row.try_get("", "reason")?;
    Ok(PlanLine {
        part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
        supplier_id: supplier.map(|s| SupplierId::parse(&s).map_err(|_| bad("supplier"))).transpose()?,
        quantity: row.try_get("", "quantity_hundredths")?,
        suggested: row.try_get("", "suggested_hundredths")?,
        reason: reason.map(|r| PlanReason::parse(&r).ok_or_else(|| bad("reason"))).transpose()?,
        figures: Figures {
            on_hand: row.try_get("", "on_hand_hundredths")?,
            reserved: row.try_get("", "reserved_hundredths")?,
            on_order: row.try_get("", "on_order_hundredths")?,
            demand: row.try_get("", "demand_hundredths")?,
            policy: (max > 0).then_some((min, max)),
        },
    })
}
