//! Loading and saving technicians and their training records. Functions take the caller's connection or
//! transaction; they never open their own, so a use case combines them with its outbox row in one transaction.

use aftersales_kernel::DealerId;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, is_unique_violation, to_micros};
use aftersales_runtime::{AppError, AppResult};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{technician, training_record};
use crate::domain::Technician;
use crate::domain::skills::{AssessmentResult, TrainingRecord};

/// Day format of `completed_on`.
const DAY: &str = "%Y-%m-%d";

/// Inserts a new technician (no training yet). `Ok(false)` when the dealer already has a technician with that
/// subject.
pub async fn insert(conn: &impl ConnectionTrait, t: &Technician) -> AppResult<bool> {
    let row = technician::ActiveModel {
        id: Set(t.id.to_string()),
        dealer_id: Set(t.dealer_id.to_string()),
        subject: Set(t.subject.clone()),
        name: Set(t.name.clone()),
        on_shift_since_us: Set(t.on_shift_since().map(to_micros)),
        created_at_us: Set(to_micros(t.created_at)),
        updated_at_us: Set(to_micros(t.updated_at)),
    };
    match technician::Entity::insert(row).exec_without_returning(conn).await {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Whether `dealer` already has a technician with `subject`.
pub async fn subject_taken(conn: &impl ConnectionTrait, dealer: DealerId, subject: &str) -> AppResult<bool> {
    let found = technician::Entity::find()
        .filter(technician::Column::DealerId.eq(dealer.to_string()))
        .filter(technician::Column::Subject.eq(subject))
        .one(conn)
        .await?;
    Ok(found.is_some())
}

/// Appends the technician's last training record (records are never updated) and saves the update time.
pub async fn append_training(conn: &impl ConnectionTrait, t: &Technician) -> AppResult<()> {
    let position = t.training().len() - 1;
    let record = &t.training()[position];
    let row = training_record::ActiveModel {
        technician_id: Set(t.id.to_string()),
        position: Set(i32::try_from(position).map_err(AppError::internal)?),
        course: Set(record.course.clone()),
        skill_family: Set(record.skill_family.clone()),
        level: Set(i32::from(record.level)),
        completed_on: Set(record.completed_on.format(DAY).to_string()),
        result: Set(result_name(record.result).to_string()),
    };
    training_record::Entity::insert(row).exec_without_returning(conn).await?;
    touch(conn, t).await
}

/// Saves the shift state and the update time.
pub async fn save_shift(conn: &impl ConnectionTrait, t: &Technician) -> AppResult<()> {
    technician::Entity::update_many()
        .col_expr(technician::Column::OnShiftSinceUs, Expr::value(t.on_shift_since().map(to_micros)))
        .col_expr(technician::Column::UpdatedAtUs, Expr::value(to_micros(t.updated_at)))
        .filter(technician::Column::Id.eq(t.id.to_string()))
        .exec(conn)
        .await?;
    Ok(())
}

async fn touch(conn: &impl ConnectionTrait, t: &Technician) -> AppResult<()> {
    technician::Entity::update_many()
        .col_expr(technician::Column::UpdatedAtUs, Expr::value(to_micros(t.updated_at)))
        .filter(technician::Column::Id.eq(t.id.to_string()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Loads a technician with their training records.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<Technician>> {
    let Some(row) = technician::Entity::find_by_id(id.to_string()).one(conn).await? else {
        return Ok(None);
    };
    Ok(with_training(conn, vec![row]).await?.pop())
}

/// Loads a technician to change it: on PostgreSQL the row stays locked until the transaction ends, so two
/// concurrent changes (two trainings recorded, two shift flips) apply one after the other instead of clashing.
/// (SQLite needs no lock: its writers already take turns.)
pub async fn find_for_update(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<Technician>> {
    let Some(row) = technician::Entity::find_by_id(id.to_string()).lock_exclusive().one(conn).await? else {
        return Ok(None);
    };
    Ok(with_training(conn, vec![row]).await?.pop())
}

/// The technician of `dealer` whose staff subject is `subject`.
pub async fn find_by_subject(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
    subject: &str,
) -> AppResult<Option<Technician>> {
    let row = technician::Entity::find()
        .filter(technician::Column::DealerId.eq(dealer.to_string()))
        .filter(technician::Column::Subject.eq(subject))
        .one(conn)
        .await?;
    Ok(with_training(conn, row.into_iter().collect()).await?.pop())
}

/// Display names by technician id.
pub async fn names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = uuid::Uuid>,
) -> AppResult<std::collections::HashMap<uuid::Uuid, String>> {
    let rows: Vec<(String, String)> = technician::Entity::find()
        .filter(technician::Column::Id.is_in(ids.into_iter().map(|id| id.to_string())))
        .select_only()
        .column(technician::Column::Id)
        .column(technician::Column::Name)
        .into_tuple()
        .all(conn)
        .await?;
    rows.into_iter().map(|(id, name)| Ok((uuid::Uuid::parse_str(&id).map_err(|_| corrupt("id"))?, name))).collect()
}

/// A page of technicians in id (registration) order after `after` (exclusive), at most `limit`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    on_shift_only: bool,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Technician>> {
    let mut query = technician::Entity::find().order_by_asc(technician::Column::Id).limit(limit);
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(technician::Column::DealerId.eq(dealer.to_string()));
    }
    if on_shift_only {
        query = query.filter(technician::Column::OnShiftSinceUs.is_not_null());
    }
    if let Some(after) = after {
        query = query.filter(technician::Column::Id.gt(after.to_string()));
    }
    let rows = query.all(conn).await?;
    with_training(conn, rows).await
}

async fn with_training(conn: &impl ConnectionTrait, rows: Vec<technician::Model>) -> AppResult<Vec<Technician>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let records = training_record::Entity::find()
        .filter(training_record::Column::TechnicianId.is_in(rows.iter().map(|r| r.id.clone())))
        .order_by_asc(training_record::Column::TechnicianId)
        .order_by_asc(training_record::Column::Position)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let mine = records
                .iter()
                .filter(|r| r.technician_id == row.id)
                .map(record_from_row)
                .collect::<AppResult<Vec<_>>>()?;
            from_row(row, mine)
        })
        .collect()
}

fn result_name(result: AssessmentResult) -> &'static str {
    match result {
        AssessmentResult::Passed => "passed",
        AssessmentResult::Failed => "failed",
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored technician has an invalid {what}"))
}

fn record_from_row(row: &training_record::Model) -> AppResult<TrainingRecord> {
    let result = match row.result.as_str() {
        "passed" => AssessmentResult::Passed,
        "failed" => AssessmentResult::Failed,
        _ => return Err(corrupt("training result")),
    };
    Ok(TrainingRecord {
        course: row.course.clone(),
        skill_family: row.skill_family.clone(),
        level: u8::try_from(row.level).map_err(|_| corrupt("training level"))?,
        completed_on: NaiveDate::parse_from_str(&row.completed_on, DAY).map_err(|_| corrupt("training date"))?,
        result,
    })
}

fn from_row(row: technician::Model, training: Vec<TrainingRecord>) -> AppResult<Technician> {
    Ok(Technician::restore(
        uuid::Uuid::parse_str(&row.id).map_err(|_| corrupt("id"))?,
        DealerId::parse(&row.dealer_id).map_err(|_| corrupt("dealer id"))?,
        row.subject,
        row.name,
        training,
        row.on_shift_since_us.map(from_micros),
        from_micros(row.created_at_us),
        from_micros(row.updated_at_us),
    ))
}
