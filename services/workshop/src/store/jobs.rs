//! Loading and saving jobs. Functions take the caller's connection or transaction; they never open their own.

use aftersales_kernel::{DealerId, Hundredths, JobId, RepairOrderId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{job, job_operation};
use crate::domain::{Job, JobOperation, JobState};

/// Inserts a job with its operations.
pub async fn insert(conn: &impl ConnectionTrait, job: &Job) -> AppResult<()> {
    job::Entity::insert(job::ActiveModel {
        id: Set(job.id.to_string()),
        dealer_id: Set(job.dealer_id.to_string()),
        repair_order_id: Set(job.repair_order_id.to_string()),
        vin: Set(job.vin.to_string()),
        urgent: Set(job.urgent),
        state: Set(job.state.as_str().to_string()),
        promised_at_us: Set(to_micros(job.promised_at)),
        approved_at_us: Set(to_micros(job.approved_at)),
        queued_at_us: Set(to_micros(job.queued_at)),
        updated_at_us: Set(to_micros(job.updated_at)),
    })
    .exec_without_returning(conn)
    .await?;
    if !job.operations.is_empty() {
        let operations = job.operations.iter().enumerate().map(|(position, op)| job_operation::ActiveModel {
            job_id: Set(job.id.to_string()),
            position: Set(position as i32),
            line_id: Set(op.line_id.to_string()),
            operation_code: Set(op.operation_code.clone()),
            estimated_hours_hundredths: Set(op.estimated_hours.as_hundredths()),
        });
        job_operation::Entity::insert_many(operations).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Whether the order already has its job.
pub async fn exists_for_order(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<bool> {
    let found = job::Entity::find()
        .filter(job::Column::RepairOrderId.eq(order.to_string()))
        .select_only()
        .column(job::Column::Id)
        .into_tuple::<String>()
        .one(conn)
        .await?;
    Ok(found.is_some())
}

/// Loads a job.
pub async fn find(conn: &impl ConnectionTrait, id: JobId) -> AppResult<Option<Job>> {
    let Some(row) = job::Entity::find_by_id(id.to_string()).one(conn).await? else {
        return Ok(None);
    };
    let mut jobs = with_operations(conn, vec![row]).await?;
    Ok(jobs.pop())
}

/// A page of jobs, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    order: Option<RepairOrderId>,
    state: Option<JobState>,
    after: Option<JobId>,
    limit: u64,
) -> AppResult<Vec<Job>> {
    let mut query = job::Entity::find().order_by_desc(job::Column::Id).limit(limit);
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(job::Column::DealerId.eq(dealer.to_string()));
    }
    if let Some(order) = order {
        query = query.filter(job::Column::RepairOrderId.eq(order.to_string()));
    }
    if let Some(state) = state {
        query = query.filter(job::Column::State.eq(state.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(job::Column::Id.lt(after.to_string()));
    }
    let rows = query.all(conn).await?;
    with_operations(conn, rows).await
}

async fn with_operations(conn: &impl ConnectionTrait, rows: Vec<job::Model>) -> AppResult<Vec<Job>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let operations = job_operation::Entity::find()
        .filter(job_operation::Column::JobId.is_in(rows.iter().map(|r| r.id.clone())))
        .order_by_asc(job_operation::Column::JobId)
        .order_by_asc(job_operation::Column::Position)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let mine =
                operations.iter().filter(|op| op.job_id == row.id).map(operation_from_row).collect::<AppResult<_>>()?;
            job_from_row(row, mine)
        })
        .collect()
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored job has an invalid {what}"))
}

fn operation_from_row(row: &job_operation::Model) -> AppResult<JobOperation> {
    Ok(JobOperation {
        line_id: uuid::Uuid::parse_str(&row.line_id).map_err(|_| corrupt("line id"))?,
        operation_code: row.operation_code.clone(),
        estimated_hours: Hundredths::from_hundredths(row.estimated_hours_hundredths).map_err(|_| corrupt("hours"))?,
    })
}

fn job_from_row(row: job::Model, operations: Vec<JobOperation>) -> AppResult<Job> {
    Ok(Job {
        id: JobId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: DealerId::parse(&row.dealer_id).map_err(|_| corrupt("dealer id"))?,
        repair_order_id: RepairOrderId::parse(&row.repair_order_id).map_err(|_| corrupt("order id"))?,
        vin: Vin::parse(&row.vin).map_err(|_| corrupt("vin"))?,
        urgent: row.urgent,
        state: JobState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        operations,
        promised_at: from_micros(row.promised_at_us),
        approved_at: from_micros(row.approved_at_us),
        queued_at: from_micros(row.queued_at_us),
        updated_at: from_micros(row.updated_at_us),
    })
}
