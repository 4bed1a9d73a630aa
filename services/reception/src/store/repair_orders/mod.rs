//! Loading and saving repair orders. Functions take the caller's connection or transaction; they never open
//! their own, so a use case combines them with its outbox row in one transaction.

mod additional_work;
mod hand_over;
mod rows;

use std::collections::HashMap;

use aftersales_kernel::RepairOrderId;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::{AppError, AppResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{repair_order, repair_order_line};
use crate::domain::{RepairOrder, RepairOrderState};
use rows::{channel_name, from_rows, line_row, to_row};

/// Inserts a new order with its lines.
pub async fn insert(conn: &impl ConnectionTrait, order: &RepairOrder) -> AppResult<()> {
    repair_order::Entity::insert(to_row(order)).exec_without_returning(conn).await?;
    let lines = order.lines.iter().enumerate().map(|(position, line)| line_row(order.id, position, line));
    repair_order_line::Entity::insert_many(lines).exec_without_returning(conn).await?;
    Ok(())
}

/// Loads an order with its lines and additional work.
pub async fn find(conn: &impl ConnectionTrait, id: RepairOrderId) -> AppResult<Option<RepairOrder>> {
    let row = repair_order::Entity::find_by_id(id.to_string()).one(conn).await?;
    complete(conn, row).await
}

/// Loads an order to change it: on PostgreSQL its row stays locked until the transaction ends.
pub async fn find_for_update(conn: &impl ConnectionTrait, id: RepairOrderId) -> AppResult<Option<RepairOrder>> {
    let row = repair_order::Entity::find_by_id(id.to_string()).lock_exclusive().one(conn).await?;
    complete(conn, row).await
}

/// Saves what changed since `before` (the order as loaded): the order's row — only if nobody changed it since
/// (else ABORTED: the caller retries on fresh data) —, new lines, lines declined or given actual hours, new
/// additional-work requests and decisions.
pub async fn save(conn: &impl ConnectionTrait, order: &RepairOrder, before: &RepairOrder) -> AppResult<()> {
    let consent = order.consent.as_ref();
    let updated = repair_order::Entity::update_many()
        .col_expr(repair_order::Column::State, Expr::value(order.state.as_str()))
        .col_expr(repair_order::Column::PromisedAtUs, Expr::value(to_micros(order.promised_at)))
        .col_expr(repair_order::Column::EstimateVersion, Expr::value(order.estimate_version))
        .col_expr(repair_order::Column::ConsentVersion, Expr::value(consent.map(|c| c.estimate_version)))
        .col_expr(repair_order::Column::ConsentedBy, Expr::value(consent.map(|c| c.consented_by.clone())))
        .col_expr(repair_order::Column::ConsentChannel, Expr::value(consent.map(|c| channel_name(c.channel))))
        .col_expr(repair_order::Column::SignatureReference, Expr::value(consent.map(|c| c.signature_reference.clone())))
        .col_expr(repair_order::Column::ConsentRecordedBy, Expr::value(consent.map(|c| c.recorded_by.clone())))
        .col_expr(repair_order::Column::ConsentedAtUs, Expr::value(consent.map(|c| to_micros(c.consented_at))))
        .col_expr(repair_order::Column::CancellationReason, Expr::value(order.cancellation_reason.clone()))
        .col_expr(
            repair_order::Column::RequisitionsClosedAtUs,
            Expr::value(order.requisitions_closed_at.map(to_micros)),
        )
        .col_expr(repair_order::Column::UpdatedAtUs, Expr::value(to_micros(order.updated_at)))
        .col_expr(repair_order::Column::Revision, Expr::value(order.revision))
        .filter(repair_order::Column::Id.eq(order.id.to_string()))
        .filter(repair_order::Column::Revision.eq(before.revision))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Aborted("the repair order changed concurrently; retry".into()));
    }
    let new_lines: Vec<_> = order
        .lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !before.lines.iter().any(|old| old.id == line.id))
        .map(|(position, line)| line_row(order.id, position, line))
        .collect();
    if !new_lines.is_empty() {
        repair_order_line::Entity::insert_many(new_lines).exec_without_returning(conn).await?;
    }
    for line in &order.lines {
        let Some(old) = before.lines.iter().find(|old| old.id == line.id) else { continue };
        if old.declined_reason != line.declined_reason || old.actual != line.actual {
            repair_order_line::Entity::update_many()
                .col_expr(repair_order_line::Column::DeclinedReason, Expr::value(line.declined_reason.clone()))
                .col_expr(
                    repair_order_line::Column::ActualHundredths,
                    Expr::value(line.actual.map(|h| h.as_hundredths())),
                )
                .filter(repair_order_line::Column::Id.eq(line.id.0.to_string()))
                .exec(conn)
                .await?;
        }
    }
    additional_work::save(conn, order, before).await?;
    hand_over::save(conn, order, before).await
}

/// A page of orders, newest first, after `after` (exclusive), at most `limit`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    state: Option<RepairOrderState>,
    after: Option<RepairOrderId>,
    limit: u64,
) -> AppResult<Vec<RepairOrder>> {
    let mut query = repair_order::Entity::find().order_by_desc(repair_order::Column::Id).limit(limit);
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(repair_order::Column::DealerId.eq(dealer.to_string()));
    }
    if let Some(state) = state {
        query = query.filter(repair_order::Column::State.eq(state.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(repair_order::Column::Id.lt(after.to_string()));
    }
    let rows = query.all(conn).await?;
    assemble(conn, rows).await
}

/// An order row with its lines and additional work.
async fn complete(conn: &impl ConnectionTrait, row: Option<repair_order::Model>) -> AppResult<Option<RepairOrder>> {
    let Some(row) = row else { return Ok(None) };
    Ok(assemble(conn, vec![row]).await?.pop())
}

/// Order rows with their lines, additional work, delivery and follow-up: four queries for the whole page, whatever
/// its size.
async fn assemble(conn: &impl ConnectionTrait, rows: Vec<repair_order::Model>) -> AppResult<Vec<RepairOrder>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut lines: HashMap<String, Vec<repair_order_line::Model>> = HashMap::new();
    for line in repair_order_line::Entity::find()
        .filter(repair_order_line::Column::RepairOrderId.is_in(ids.clone()))
        .order_by_asc(repair_order_line::Column::Position)
        .all(conn)
        .await?
    {
        lines.entry(line.repair_order_id.clone()).or_default().push(line);
    }
    let mut work = additional_work::load(conn, &ids).await?;
    let (mut deliveries, mut follow_ups) = hand_over::load(conn, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let mine = lines.remove(&row.id).unwrap_or_default();
            let requests = work.remove(&row.id).unwrap_or_default();
            let (delivery, follow_up) = (deliveries.remove(&row.id), follow_ups.remove(&row.id));
            let mut order = from_rows(row, mine, requests)?;
            order.delivery = delivery;
            order.follow_up = follow_up;
            Ok(order)
        })
        .collect()
}
