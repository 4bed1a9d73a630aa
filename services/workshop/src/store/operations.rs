//! Loading and saving catalogue operations. Functions take the caller's connection or transaction; they never
//! open their own, so a use case combines them with its outbox row in one transaction.

use aftersales_runtime::db::{from_micros, is_unique_violation, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::operation;
use crate::domain::{Draft, Fields, Operation, OperationCode, SkillFamily};

/// Inserts a new operation. `Ok(false)` when the code is already taken (a concurrent create won the race past
/// the use case's look-up).
pub async fn insert(conn: &impl ConnectionTrait, op: &Operation) -> AppResult<bool> {
    let row = operation::ActiveModel {
        code: Set(op.code().to_string()),
        name: Set(op.name().to_string()),
        skill_family: Set(op.skill_family().as_str().to_string()),
        minimum_level: Set(op.minimum_level()),
        standard_hours_hundredths: Set(op.standard_hours_hundredths()),
        active: Set(op.active()),
        revision: Set(op.revision()),
        created_at_us: Set(to_micros(op.created_at())),
        updated_at_us: Set(to_micros(op.updated_at())),
    };
    match operation::Entity::insert(row).exec_without_returning(conn).await {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Saves an updated operation only if nobody changed it since `previous_revision` (else ABORTED: the caller
/// reads again and retries).
pub async fn save(conn: &impl ConnectionTrait, op: &Operation, previous_revision: i64) -> AppResult<()> {
    let updated = operation::Entity::update_many()
        .col_expr(operation::Column::Name, Expr::value(op.name()))
        .col_expr(operation::Column::SkillFamily, Expr::value(op.skill_family().as_str()))
        .col_expr(operation::Column::MinimumLevel, Expr::value(op.minimum_level()))
        .col_expr(operation::Column::StandardHoursHundredths, Expr::value(op.standard_hours_hundredths()))
        .col_expr(operation::Column::Active, Expr::value(op.active()))
        .col_expr(operation::Column::Revision, Expr::value(op.revision()))
        .col_expr(operation::Column::UpdatedAtUs, Expr::value(to_micros(op.updated_at())))
        .filter(operation::Column::Code.eq(op.code().as_str()))
        .filter(operation::Column::Revision.eq(previous_revision))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Aborted(format!("operation {} changed concurrently; read it again", op.code())));
    }
    Ok(())
}

/// Loads an operation.
pub async fn find(conn: &impl ConnectionTrait, code: &OperationCode) -> AppResult<Option<Operation>> {
    let row = operation::Entity::find_by_id(code.as_str()).one(conn).await?;
    row.map(from_row).transpose()
}

/// A page of operations in code order after `after` (exclusive), at most `limit`, optionally of one family.
pub async fn list(
    conn: &impl ConnectionTrait,
    family: Option<&SkillFamily>,
    after: Option<&OperationCode>,
    limit: u64,
) -> AppResult<Vec<Operation>> {
    let mut query = operation::Entity::find().order_by_asc(operation::Column::Code).limit(limit);
    if let Some(family) = family {
        query = query.filter(operation::Column::SkillFamily.eq(family.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(operation::Column::Code.gt(after.as_str()));
    }
    query.all(conn).await?.into_iter().map(from_row).collect()
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored operation has an invalid {what}"))
}

/// A row back to an operation, through the same rules a new one passes.
fn from_row(row: operation::Model) -> AppResult<Operation> {
    let code = OperationCode::parse(&row.code).map_err(|_| corrupt("code"))?;
    let fields = Fields::parse(Draft {
        name: row.name,
        skill_family: row.skill_family,
        minimum_level: row.minimum_level,
        standard_hours_hundredths: row.standard_hours_hundredths,
    })
    .map_err(|violations| corrupt(&format!("{:?}", violations.first().map(|v| v.field))))?;
    Ok(Operation::restore(
        code,
        fields,
        row.active,
        row.revision,
        from_micros(row.created_at_us),
        from_micros(row.updated_at_us),
    ))
}

/// The skill family and minimum level of each of these codes that is in the catalogue (retired ones included: a
/// job approved before a retirement still needs the skill).
pub async fn skills_needed(
    conn: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> AppResult<std::collections::HashMap<String, (String, u8)>> {
    let rows: Vec<(String, String, i32)> = operation::Entity::find()
        .filter(operation::Column::Code.is_in(codes))
        .select_only()
        .column(operation::Column::Code)
        .column(operation::Column::SkillFamily)
        .column(operation::Column::MinimumLevel)
        .into_tuple()
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|(code, family, level)| {
            let level = u8::try_from(level).map_err(|_| AppError::internal(anyhow::anyhow!("stored level {level}")))?;
            Ok((code, (family, level)))
        })
        .collect()
}
