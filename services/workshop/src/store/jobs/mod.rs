//! Loading and saving jobs with their history. Functions take the caller's connection or transaction; they never
//! open their own, so a use case combines them with its outbox row in one transaction.
//!
//! A job is its row in `jobs`, its operations (`job_operations`) and six history tables (`history.rs`). Use cases
//! load a job, let the domain change it, and [`save`] it against the copy they loaded: the row is rewritten, new
//! history rows are appended and the few rows that change later (a clock closing, a request answered) are updated.

use aftersales_kernel::{DealerId, Hundredths, JobId, RepairOrderId, Vin};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, Value,
};

use super::entities::{job, job_operation};
use crate::domain::kpi::ReadyJob;
use crate::domain::{Job, JobOperation, JobState};

mod history;

/// Inserts a new job with its operations.
pub async fn insert(conn: &impl ConnectionTrait, job: &Job) -> AppResult<()> {
    job::Entity::insert(row_of(job, true)?).exec_without_returning(conn).await?;
    insert_operations(conn, job, 0).await?;
    history::append(conn, job, &history::Lengths::default()).await
}

/// Saves a job changed since it was loaded as `before`.
pub async fn save(conn: &impl ConnectionTrait, job: &Job, before: &Job) -> AppResult<()> {
    job::Entity::update(row_of(job, false)?).exec(conn).await?;
    insert_operations(conn, job, before.operations.len()).await?;
    history::append(conn, job, &history::Lengths::of(before)).await?;
    history::update_changed(conn, job, before).await
}

fn row_of(job: &Job, new: bool) -> AppResult<job::ActiveModel> {
    let hours = |h: Result<Hundredths, _>| h.map(|h: Hundredths| h.as_hundredths()).map_err(AppError::internal);
    let mut row = job::ActiveModel {
        id: Set(job.id.to_string()),
        state: Set(job.state.as_str().to_string()),
        promised_at_us: Set(to_micros(job.promised_at)),
        updated_at_us: Set(to_micros(job.updated_at)),
        technician_id: Set(job.technician.map(|t| t.to_string())),
        estimated_finish_at_us: Set(job.estimated_finish_at.map(to_micros)),
        started_at_us: Set(job.started_at.map(to_micros)),
        self_checked_at_us: Set(job.self_checked_at.map(to_micros)),
        self_check_note: Set(job.self_check_note.clone()),
        ready_at_us: Set(job.ready_at.map(to_micros)),
        rework_count: Set(i32::try_from(job.rework_count).map_err(AppError::internal)?),
        estimated_hours_hundredths: Set(hours(job.estimated_hours())?),
        actual_hours_hundredths: Set(hours(job.total_actual_hours())?),
        ..Default::default()
    };
    if new {
        row.dealer_id = Set(job.dealer_id.to_string());
        row.repair_order_id = Set(job.repair_order_id.to_string());
        row.vin = Set(job.vin.to_string());
        row.urgent = Set(job.urgent);
        row.approved_at_us = Set(to_micros(job.approved_at));
        row.queued_at_us = Set(to_micros(job.queued_at));
        row.initially_promised_at_us = Set(to_micros(job.initially_promised_at));
    }
    Ok(row)
}

async fn insert_operations(conn: &impl ConnectionTrait, job: &Job, from: usize) -> AppResult<()> {
    let new = job.operations.iter().enumerate().skip(from).map(|(position, op)| job_operation::ActiveModel {
        job_id: Set(job.id.to_string()),
        position: Set(position as i32),
        line_id: Set(op.line_id.to_string()),
        operation_code: Set(op.operation_code.clone()),
        estimated_hours_hundredths: Set(op.estimated_hours.as_hundredths()),
        additional_work_id: Set(op.additional_work.map(|id| id.to_string())),
    });
    if job.operations.len() > from {
        job_operation::Entity::insert_many(new).exec_without_returning(conn).await?;
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
    let row = job::Entity::find_by_id(id.to_string()).one(conn).await?;
    Ok(load(conn, row.into_iter().collect()).await?.pop())
}

/// Loads a job to change it: on PostgreSQL its row stays locked until the transaction ends, so two changes to
/// one job (two foremen assigning, a clock-off racing a re-assignment) apply one after the other.
pub async fn find_for_update(conn: &impl ConnectionTrait, id: JobId) -> AppResult<Option<Job>> {
    let row = job::Entity::find_by_id(id.to_string()).lock_exclusive().one(conn).await?;
    Ok(load(conn, row.into_iter().collect()).await?.pop())
}

/// Loads the job of an order to change it (locked like [`find_for_update`]).
pub async fn find_by_order_for_update(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<Option<Job>> {
    let row =
        job::Entity::find().filter(job::Column::RepairOrderId.eq(order.to_string())).lock_exclusive().one(conn).await?;
    Ok(load(conn, row.into_iter().collect()).await?.pop())
}

/// Filters of [`list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only the job of this order.
    pub order: Option<RepairOrderId>,
    /// Only jobs in this state.
    pub state: Option<JobState>,
    /// Only jobs held by this technician.
    pub technician: Option<uuid::Uuid>,
}

/// A page of jobs, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    filter: &Filter,
    after: Option<JobId>,
    limit: u64,
) -> AppResult<Vec<Job>> {
    let mut query = job::Entity::find().order_by_desc(job::Column::Id).limit(limit);
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(job::Column::DealerId.eq(dealer.to_string()));
    }
    if let Some(order) = filter.order {
        query = query.filter(job::Column::RepairOrderId.eq(order.to_string()));
    }
    if let Some(state) = filter.state {
        query = query.filter(job::Column::State.eq(state.as_str()));
    }
    if let Some(technician) = filter.technician {
        query = query.filter(job::Column::TechnicianId.eq(technician.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(job::Column::Id.lt(after.to_string()));
    }
    let rows = query.all(conn).await?;
    load(conn, rows).await
}

/// A dealer's jobs that need a technician (queued, or started and left without one), in offer order: urgent
/// first, then approved earliest, then by id. At most `limit`.
pub async fn waiting(conn: &impl ConnectionTrait, dealer: DealerId, limit: u64) -> AppResult<Vec<Job>> {
    let rows = job::Entity::find()
        .filter(job::Column::DealerId.eq(dealer.to_string()))
        .filter(job::Column::TechnicianId.is_null())
        .filter(job::Column::State.is_in([
            JobState::Queued.as_str(),
            JobState::InProgress.as_str(),
            JobState::Rework.as_str(),
        ]))
        .order_by_desc(job::Column::Urgent)
        .order_by_asc(job::Column::ApprovedAtUs)
        .order_by_asc(job::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    load(conn, rows).await
}

/// The jobs `technician` holds and works (assigned, in progress, rework), locked for change, oldest first.
pub async fn held_by_for_update(conn: &impl ConnectionTrait, technician: uuid::Uuid) -> AppResult<Vec<Job>> {
    let rows = job::Entity::find()
        .filter(job::Column::TechnicianId.eq(technician.to_string()))
        .filter(job::Column::State.is_in(loading_states()))
        .order_by_asc(job::Column::Id)
        .lock_exclusive()
        .all(conn)
        .await?;
    load(conn, rows).await
}

fn loading_states() -> Vec<&'static str> {
    JobState::ALL.into_iter().filter(|s| s.loads_technician()).map(JobState::as_str).collect()
}

/// Per technician of `dealer` who ever held a job: their remaining estimated work (over the jobs they hold and
/// work: estimate minus actual, never below zero per job) and when they last finished a job (self-check).
pub async fn technician_loads(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
) -> AppResult<Vec<(uuid::Uuid, Hundredths, Option<DateTime<Utc>>)>> {
    let states = loading_states();
    let sql = format!(
        // SUM of a bigint is numeric on PostgreSQL: cast back so both backends read an i64.
        "SELECT technician_id, \
         CAST(SUM(CASE WHEN state IN ('{}') AND estimated_hours_hundredths > actual_hours_hundredths \
             THEN estimated_hours_hundredths - actual_hours_hundredths ELSE 0 END) AS BIGINT) AS remaining, \
         MAX(self_checked_at_us) AS last_finished \
         FROM jobs WHERE dealer_id = $1 AND technician_id IS NOT NULL GROUP BY technician_id",
        states.join("','")
    );
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            [Value::from(dealer.to_string())],
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            let id: String = row.try_get("", "technician_id")?;
            let remaining: i64 = row.try_get("", "remaining")?;
            let last: Option<i64> = row.try_get("", "last_finished")?;
            Ok((
                uuid::Uuid::parse_str(&id).map_err(|_| corrupt("technician id"))?,
                Hundredths::from_hundredths(remaining).map_err(|_| corrupt("remaining hours"))?,
                last.map(from_micros),
            ))
        })
        .collect()
}

/// The KPI facts of the jobs that became ready in `[from, to)`.
pub async fn ready_between(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<ReadyJob>> {
    let mut query = job::Entity::find()
        .filter(job::Column::ReadyAtUs.gte(to_micros(from)))
        .filter(job::Column::ReadyAtUs.lt(to_micros(to)))
        .filter(job::Column::State.eq(JobState::Ready.as_str()));
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(job::Column::DealerId.eq(dealer.to_string()));
    }
    let rows = query.all(conn).await?;
    rows.into_iter()
        .map(|row| {
            Ok(ReadyJob {
                technician: row.technician_id.as_deref().map(parse_uuid).transpose()?,
                ready_at: from_micros(row.ready_at_us.ok_or_else(|| corrupt("ready time"))?),
                initially_promised_at: from_micros(row.initially_promised_at_us),
                promised_at: from_micros(row.promised_at_us),
                rework_count: u32::try_from(row.rework_count).map_err(|_| corrupt("rework count"))?,
            })
        })
        .collect()
}

async fn load(conn: &impl ConnectionTrait, rows: Vec<job::Model>) -> AppResult<Vec<Job>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let operations = job_operation::Entity::find()
        .filter(job_operation::Column::JobId.is_in(ids.clone()))
        .order_by_asc(job_operation::Column::JobId)
        .order_by_asc(job_operation::Column::Position)
        .all(conn)
        .await?;
    let mut histories = history::load(conn, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let mine =
                operations.iter().filter(|op| op.job_id == row.id).map(operation_from_row).collect::<AppResult<_>>()?;
            let history = histories.remove(&row.id).unwrap_or_default();
            job_from_row(row, mine, history)
        })
        .collect()
}

pub(super) fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored job has an invalid {what}"))
}

pub(super) fn parse_uuid(text: &str) -> AppResult<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| corrupt("id"))
}

fn operation_from_row(row: &job_operation::Model) -> AppResult<JobOperation> {
    Ok(JobOperation {
        line_id: parse_uuid(&row.line_id)?,
        operation_code: row.operation_code.clone(),
        estimated_hours: Hundredths::from_hundredths(row.estimated_hours_hundredths).map_err(|_| corrupt("hours"))?,
        additional_work: row.additional_work_id.as_deref().map(parse_uuid).transpose()?,
    })
}

fn job_from_row(row: job::Model, operations: Vec<JobOperation>, history: history::History) -> AppResult<Job> {
    Ok(Job {
        id: JobId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: DealerId::parse(&row.dealer_id).map_err(|_| corrupt("dealer id"))?,
        repair_order_id: RepairOrderId::parse(&row.repair_order_id).map_err(|_| corrupt("order id"))?,
        vin: Vin::parse(&row.vin).map_err(|_| corrupt("vin"))?,
        urgent: row.urgent,
        state: JobState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        operations,
        promised_at: from_micros(row.promised_at_us),
        initially_promised_at: from_micros(row.initially_promised_at_us),
        approved_at: from_micros(row.approved_at_us),
        queued_at: from_micros(row.queued_at_us),
        updated_at: from_micros(row.updated_at_us),
        technician: row.technician_id.as_deref().map(parse_uuid).transpose()?,
        estimated_finish_at: row.estimated_finish_at_us.map(from_micros),
        started_at: row.started_at_us.map(from_micros),
        self_checked_at: row.self_checked_at_us.map(from_micros),
        self_check_note: row.self_check_note,
        ready_at: row.ready_at_us.map(from_micros),
        rework_count: u32::try_from(row.rework_count).map_err(|_| corrupt("rework count"))?,
        assignments: history.assignments,
        clock: history.clock,
        progress: history.progress,
        delays: history.delays,
        additional_work: history.additional_work,
        inspections: history.inspections,
    })
}
