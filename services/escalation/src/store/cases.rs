//! Loading and saving cases. Functions take the caller's connection or transaction; they never open their own, so
//! a use case combines them with its outbox row in one transaction.

use std::collections::HashMap;

use aftersales_kernel::{CaseId, RepairOrderId};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::to_micros;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::case_rows::{from_rows, measure_row, note_row, to_row};
use super::entities::{case, case_measure, case_note};
use crate::domain::{Case, CaseState};

/// Inserts a new case.
pub async fn insert(conn: &impl ConnectionTrait, c: &Case, now: DateTime<Utc>) -> AppResult<()> {
    case::Entity::insert(to_row(c)).exec_without_returning(conn).await?;
    // A case received at an event's time (a follow-up read from reception's feed late) may land in a report's
    // settled stretch.
    super::report_cache::mark(conn, [c.received_at], now).await
}

/// Whether a case about repair order `order` exists (one dissatisfied follow-up opens one case).
pub async fn exists_for_order(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<bool> {
    let found = case::Entity::find().filter(case::Column::RepairOrderId.eq(order.to_string())).count(conn).await?;
    Ok(found > 0)
}

/// The other cases about `serial` received from `since` to `until` (inclusive): the candidates a case may repeat.
pub async fn about_engine(
    conn: &impl ConnectionTrait,
    serial: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AppResult<Vec<Case>> {
    let rows = case::Entity::find()
        .filter(case::Column::SerialOrVin.eq(serial))
        .filter(case::Column::ReceivedAtUs.between(to_micros(since), to_micros(until)))
        .order_by_desc(case::Column::ReceivedAtUs)
        .limit(100)
        .all(conn)
        .await?;
    complete(conn, rows).await
}

/// Loads a case.
pub async fn find(conn: &impl ConnectionTrait, id: CaseId) -> AppResult<Option<Case>> {
    let row = case::Entity::find_by_id(id.to_string()).one(conn).await?;
    complete(conn, row.into_iter().collect()).await.map(|mut cases| cases.pop())
}

/// Loads a case to change it: its row locked until the transaction ends (PostgreSQL; SQLite has one writer).
pub async fn find_for_update(conn: &impl ConnectionTrait, id: CaseId) -> AppResult<Option<Case>> {
    let mut query = case::Entity::find_by_id(id.to_string());
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let row = query.one(conn).await?;
    complete(conn, row.into_iter().collect()).await.map(|mut cases| cases.pop())
}

/// Saves a changed case whose stored revision is `revision - 1` (a concurrent change answers ABORTED).
pub async fn update(conn: &impl ConnectionTrait, c: &Case) -> AppResult<()> {
    let result = case::Entity::update_many()
        .set(to_row(c))
        .filter(case::Column::Id.eq(c.id.to_string()))
        .filter(case::Column::Revision.eq(c.revision - 1))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::Aborted("the case changed meanwhile; read it again".into()));
    }
    // Reports count a case when it was received, closed and root-caused: a change to an older one is marked.
    let counted = [Some(c.received_at), c.closed_at, c.root_cause.as_ref().map(|r| r.at)];
    super::report_cache::mark(conn, counted.into_iter().flatten(), c.updated_at).await?;
    // Notes are only ever added: those past the stored ones are new.
    let stored = case_note::Entity::find().filter(case_note::Column::CaseId.eq(c.id.to_string())).count(conn).await?;
    let new: Vec<_> =
        c.notes.iter().enumerate().skip(stored as usize).map(|(i, note)| note_row(c.id, i + 1, note)).collect();
    if !new.is_empty() {
        case_note::Entity::insert_many(new).exec_without_returning(conn).await?;
    }
    if let Some(report) = &c.root_cause {
        let rows: Vec<_> = report.measures.iter().map(|m| measure_row(c.id, m)).collect();
        let done = [case_measure::Column::DoneAtUs, case_measure::Column::DoneBy, case_measure::Column::DoneNote];
        let upsert = OnConflict::columns([case_measure::Column::CaseId, case_measure::Column::Number])
            .update_columns(done)
            .to_owned();
        case_measure::Entity::insert_many(rows).on_conflict(upsert).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// A page of cases, newest first (UUIDv7 ids sort by creation), after `after` (exclusive), at most `limit`.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    state: Option<CaseState>,
    after: Option<CaseId>,
    limit: u64,
) -> AppResult<Vec<Case>> {
    let mut query = case::Entity::find().order_by_desc(case::Column::Id).limit(limit);
    if let DealerScope::Only(dealer) = scope {
        query = query.filter(case::Column::DealerId.eq(dealer.to_string()));
    }
    if let Some(state) = state {
        query = query.filter(case::Column::State.eq(state.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(case::Column::Id.lt(after.to_string()));
    }
    complete(conn, query.all(conn).await?).await
}

/// The cases of `rows` with their notes and measures (one query each for all of them).
async fn complete(conn: &impl ConnectionTrait, rows: Vec<case::Model>) -> AppResult<Vec<Case>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut notes: HashMap<String, Vec<case_note::Model>> = HashMap::new();
    let note_rows = case_note::Entity::find()
        .filter(case_note::Column::CaseId.is_in(ids.clone()))
        .order_by_asc(case_note::Column::Seq)
        .all(conn)
        .await?;
    for note in note_rows {
        notes.entry(note.case_id.clone()).or_default().push(note);
    }
    let mut measures: HashMap<String, Vec<case_measure::Model>> = HashMap::new();
    let measure_rows = case_measure::Entity::find()
        .filter(case_measure::Column::CaseId.is_in(ids))
        .order_by_asc(case_measure::Column::Number)
        .all(conn)
        .await?;
    for measure in measure_rows {
        measures.entry(measure.case_id.clone()).or_default().push(measure);
    }
    rows.into_iter()
        .map(|row| {
            let (n, m) = (notes.remove(&row.id).unwrap_or_default(), measures.remove(&row.id).unwrap_or_default());
            from_rows(row, n, m)
        })
        .collect()
}
