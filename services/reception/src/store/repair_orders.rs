//! Loading and saving repair orders. Functions take the caller's connection or transaction; they never open
//! their own, so a use case combines them with its outbox row in one transaction.

use aftersales_kernel::{Currency, DealerId, Hundredths, Money, PartNumber, RepairOrderId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{repair_order, repair_order_line};
use crate::domain::{
    Consent, ConsentChannel, LineId, LineItem, LineRequirement, OperationCode, RepairOrder, RepairOrderLine,
    RepairOrderState,
};

/// Inserts a new order with its lines.
pub async fn insert(conn: &impl ConnectionTrait, order: &RepairOrder) -> AppResult<()> {
    repair_order::Entity::insert(to_row(order)).exec_without_returning(conn).await?;
    let lines = order.lines.iter().enumerate().map(|(position, line)| line_row(order.id, position, line));
    repair_order_line::Entity::insert_many(lines).exec_without_returning(conn).await?;
    Ok(())
}

/// Loads an order with its lines.
pub async fn find(conn: &impl ConnectionTrait, id: RepairOrderId) -> AppResult<Option<RepairOrder>> {
    let Some(row) = repair_order::Entity::find_by_id(id.to_string()).one(conn).await? else {
        return Ok(None);
    };
    let lines = repair_order_line::Entity::find()
        .filter(repair_order_line::Column::RepairOrderId.eq(row.id.clone()))
        .order_by_asc(repair_order_line::Column::Position)
        .all(conn)
        .await?;
    from_rows(row, lines).map(Some)
}

/// Saves an approval: consent, state and declined lines — only if nobody changed the order since
/// `previous_revision` (else ABORTED: the caller retries on fresh data).
pub async fn save_approval(conn: &impl ConnectionTrait, order: &RepairOrder, previous_revision: i64) -> AppResult<()> {
    let consent =
        order.consent.as_ref().ok_or_else(|| AppError::internal(anyhow::anyhow!("approval without consent")))?;
    let updated = repair_order::Entity::update_many()
        .col_expr(repair_order::Column::State, Expr::value(order.state.as_str()))
        .col_expr(repair_order::Column::ConsentVersion, Expr::value(consent.estimate_version))
        .col_expr(repair_order::Column::ConsentedBy, Expr::value(consent.consented_by.clone()))
        .col_expr(repair_order::Column::ConsentChannel, Expr::value(channel_name(consent.channel)))
        .col_expr(repair_order::Column::SignatureReference, Expr::value(consent.signature_reference.clone()))
        .col_expr(repair_order::Column::ConsentRecordedBy, Expr::value(consent.recorded_by.clone()))
        .col_expr(repair_order::Column::ConsentedAtUs, Expr::value(to_micros(consent.consented_at)))
        .col_expr(repair_order::Column::UpdatedAtUs, Expr::value(to_micros(order.updated_at)))
        .col_expr(repair_order::Column::Revision, Expr::value(order.revision))
        .filter(repair_order::Column::Id.eq(order.id.to_string()))
        .filter(repair_order::Column::Revision.eq(previous_revision))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Aborted("the repair order changed concurrently; retry".into()));
    }
    for line in order.lines.iter().filter(|l| l.is_declined()) {
        repair_order_line::Entity::update_many()
            .col_expr(repair_order_line::Column::DeclinedReason, Expr::value(line.declined_reason.clone()))
            .filter(repair_order_line::Column::Id.eq(line.id.0.to_string()))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Saves a change of state (cancellation, the job starting) only if nobody changed the order since
/// `previous_revision` (else ABORTED).
pub async fn save_state(conn: &impl ConnectionTrait, order: &RepairOrder, previous_revision: i64) -> AppResult<()> {
    let updated = repair_order::Entity::update_many()
        .col_expr(repair_order::Column::State, Expr::value(order.state.as_str()))
        .col_expr(repair_order::Column::CancellationReason, Expr::value(order.cancellation_reason.clone()))
        .col_expr(repair_order::Column::UpdatedAtUs, Expr::value(to_micros(order.updated_at)))
        .col_expr(repair_order::Column::Revision, Expr::value(order.revision))
        .filter(repair_order::Column::Id.eq(order.id.to_string()))
        .filter(repair_order::Column::Revision.eq(previous_revision))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Aborted("the repair order changed concurrently; retry".into()));
    }
    Ok(())
}

/// Loads an order to change it: on PostgreSQL its row stays locked until the transaction ends.
pub async fn find_for_update(conn: &impl ConnectionTrait, id: RepairOrderId) -> AppResult<Option<RepairOrder>> {
    let Some(row) = repair_order::Entity::find_by_id(id.to_string()).lock_exclusive().one(conn).await? else {
        return Ok(None);
    };
    let lines = repair_order_line::Entity::find()
        .filter(repair_order_line::Column::RepairOrderId.eq(row.id.clone()))
        .order_by_asc(repair_order_line::Column::Position)
        .all(conn)
        .await?;
    from_rows(row, lines).map(Some)
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
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = repair_order_line::Entity::find()
        .filter(repair_order_line::Column::RepairOrderId.is_in(rows.iter().map(|r| r.id.clone())))
        .order_by_asc(repair_order_line::Column::RepairOrderId)
        .order_by_asc(repair_order_line::Column::Position)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let (mine, rest): (Vec<_>, Vec<_>) = lines.drain(..).partition(|l| l.repair_order_id == row.id);
            lines = rest;
            from_rows(row, mine)
        })
        .collect()
}

fn to_row(order: &RepairOrder) -> repair_order::ActiveModel {
    let consent = order.consent.as_ref();
    repair_order::ActiveModel {
        id: Set(order.id.to_string()),
        dealer_id: Set(order.dealer_id.to_string()),
        vin: Set(order.vin.to_string()),
        mileage_km: Set(order.mileage_km),
        urgent: Set(order.urgent),
        fault_description: Set(order.fault_description.clone()),
        promised_at_us: Set(to_micros(order.promised_at)),
        state: Set(order.state.as_str().to_string()),
        estimate_version: Set(order.estimate_version),
        consent_version: Set(consent.map(|c| c.estimate_version)),
        consented_by: Set(consent.map(|c| c.consented_by.clone())),
        consent_channel: Set(consent.map(|c| channel_name(c.channel).to_string())),
        signature_reference: Set(consent.map(|c| c.signature_reference.clone())),
        consent_recorded_by: Set(consent.map(|c| c.recorded_by.clone())),
        consented_at_us: Set(consent.map(|c| to_micros(c.consented_at))),
        created_by: Set(order.created_by.clone()),
        created_at_us: Set(to_micros(order.created_at)),
        updated_at_us: Set(to_micros(order.updated_at)),
        revision: Set(order.revision),
        cancellation_reason: Set(order.cancellation_reason.clone()),
    }
}

fn line_row(order: RepairOrderId, position: usize, line: &RepairOrderLine) -> repair_order_line::ActiveModel {
    let (kind, code, quantity, price) = match &line.item {
        LineItem::Labour { operation_code, hours, hourly_rate } => {
            ("labour", operation_code.as_str().to_string(), *hours, *hourly_rate)
        }
        LineItem::Part { part_number, quantity, unit_price } => {
            ("part", part_number.to_string(), *quantity, *unit_price)
        }
    };
    repair_order_line::ActiveModel {
        id: Set(line.id.0.to_string()),
        repair_order_id: Set(order.to_string()),
        position: Set(position as i32),
        kind: Set(kind.to_string()),
        code: Set(code),
        quantity_hundredths: Set(quantity.as_hundredths()),
        price_minor: Set(price.minor_units()),
        currency: Set(price.currency().to_string()),
        requirement: Set(match line.requirement {
            LineRequirement::Required => "required",
            LineRequirement::Optional => "optional",
        }
        .to_string()),
        declined_reason: Set(line.declined_reason.clone()),
    }
}

fn channel_name(channel: ConsentChannel) -> &'static str {
    match channel {
        ConsentChannel::InPerson => "in_person",
        ConsentChannel::Phone => "phone",
        ConsentChannel::App => "app",
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored repair order has an invalid {what}"))
}

fn from_rows(row: repair_order::Model, lines: Vec<repair_order_line::Model>) -> AppResult<RepairOrder> {
    let consent = match (row.consent_version, row.consent_channel.as_deref(), row.consented_at_us) {
        (Some(version), Some(channel), Some(at)) => Some(Consent {
            estimate_version: version,
            consented_by: row.consented_by.clone().unwrap_or_default(),
            channel: match channel {
                "in_person" => ConsentChannel::InPerson,
                "phone" => ConsentChannel::Phone,
                "app" => ConsentChannel::App,
                _ => return Err(corrupt("consent channel")),
            },
            signature_reference: row.signature_reference.clone().unwrap_or_default(),
            recorded_by: row.consent_recorded_by.clone().unwrap_or_default(),
            consented_at: from_micros(at),
        }),
        _ => None,
    };
    Ok(RepairOrder {
        id: RepairOrderId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: DealerId::parse(&row.dealer_id).map_err(|_| corrupt("dealer id"))?,
        vin: Vin::parse(&row.vin).map_err(|_| corrupt("vin"))?,
        mileage_km: row.mileage_km,
        urgent: row.urgent,
        fault_description: row.fault_description,
        promised_at: from_micros(row.promised_at_us),
        state: RepairOrderState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        estimate_version: row.estimate_version,
        lines: lines.into_iter().map(line_from_row).collect::<AppResult<_>>()?,
        consent,
        created_by: row.created_by,
        created_at: from_micros(row.created_at_us),
        updated_at: from_micros(row.updated_at_us),
        revision: row.revision,
        cancellation_reason: row.cancellation_reason,
    })
}

fn line_from_row(row: repair_order_line::Model) -> AppResult<RepairOrderLine> {
    let currency = Currency::parse(&row.currency).map_err(|_| corrupt("currency"))?;
    let price = Money::new(currency, row.price_minor);
    let amount = Hundredths::from_hundredths(row.quantity_hundredths).map_err(|_| corrupt("quantity"))?;
    let item = match row.kind.as_str() {
        "labour" => LineItem::Labour {
            operation_code: OperationCode::parse(&row.code).map_err(|_| corrupt("operation code"))?,
            hours: amount,
            hourly_rate: price,
        },
        "part" => LineItem::Part {
            part_number: PartNumber::parse(&row.code).map_err(|_| corrupt("part number"))?,
            quantity: amount,
            unit_price: price,
        },
        _ => return Err(corrupt("line kind")),
    };
    Ok(RepairOrderLine {
        id: LineId(uuid::Uuid::parse_str(&row.id).map_err(|_| corrupt("line id"))?),
        item,
        requirement: match row.requirement.as_str() {
            "required" => LineRequirement::Required,
            "optional" => LineRequirement::Optional,
            _ => return Err(corrupt("requirement")),
        },
        declined_reason: row.declined_reason,
    })
}
