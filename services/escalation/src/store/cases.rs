//! Loading and saving cases. Functions take the caller's connection or transaction; they never open their own, so
//! a use case combines them with its outbox row in one transaction.

use aftersales_kernel::{CaseId, DealerId};
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::case;
use crate::domain::{
    Case, CaseSeverity, CaseSource, CaseState, Classification, Contact, Email, Meeting, Phone, SerialOrVin,
};

/// Inserts a new case.
pub async fn insert(conn: &impl ConnectionTrait, c: &Case) -> AppResult<()> {
    case::Entity::insert(to_row(c)).exec_without_returning(conn).await?;
    Ok(())
}

/// Loads a case.
pub async fn find(conn: &impl ConnectionTrait, id: CaseId) -> AppResult<Option<Case>> {
    case::Entity::find_by_id(id.to_string()).one(conn).await?.map(from_row).transpose()
}

/// Loads a case to change it: its row locked until the transaction ends (PostgreSQL; SQLite has one writer).
pub async fn find_for_update(conn: &impl ConnectionTrait, id: CaseId) -> AppResult<Option<Case>> {
    let mut query = case::Entity::find_by_id(id.to_string());
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query.one(conn).await?.map(from_row).transpose()
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
    query.all(conn).await?.into_iter().map(from_row).collect()
}

fn to_row(c: &Case) -> case::ActiveModel {
    let classification = c.classification.as_ref();
    case::ActiveModel {
        id: Set(c.id.to_string()),
        dealer_id: Set(c.dealer_id.map(|d| d.to_string())),
        region: Set(c.region.clone()),
        source: Set(c.source.as_str().to_string()),
        model: Set(c.model.clone()),
        serial_or_vin: Set(c.serial_or_vin.to_string()),
        symptom: Set(c.symptom.clone()),
        usage_scenario: Set(c.usage_scenario.clone()),
        contact_name: Set(c.contact.name.clone()),
        contact_phone: Set(c.contact.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default()),
        contact_email: Set(c.contact.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default()),
        state: Set(c.state.as_str().to_string()),
        severity: Set(classification.map(|k| k.severity.as_str().to_string())),
        category: Set(classification.map(|k| k.category.clone())),
        created_by: Set(c.created_by.clone()),
        received_at_us: Set(to_micros(c.received_at)),
        updated_at_us: Set(to_micros(c.updated_at)),
        revision: Set(c.revision),
        support_group: Set(c.support_group.clone().unwrap_or_default()),
        contact_note: Set(c.contact_note.clone().unwrap_or_default()),
        meeting_at_us: Set(c.meeting.as_ref().map(|m| to_micros(m.held_at))),
        meeting_chaired_by: Set(c.meeting.as_ref().map(|m| m.chaired_by.clone()).unwrap_or_default()),
        initial_measures: Set(c.meeting.as_ref().map(|m| m.initial_measures.clone()).unwrap_or_default()),
        onsite_at_us: Set(c.onsite_at.map(to_micros)),
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored case has an invalid {what}"))
}

// Stored values are parsed back through the same domain types as requests, so a row edited by hand into
// something the API would refuse surfaces as an internal error instead of spreading.
fn from_row(row: case::Model) -> AppResult<Case> {
    let classification = match (row.severity.as_deref(), row.category) {
        (Some(severity), Some(category)) => Some(Classification {
            severity: CaseSeverity::parse(severity).ok_or_else(|| corrupt("severity"))?,
            category,
        }),
        (None, None) => None,
        _ => {
            return Err(corrupt("classification (severity and category must be set together)"));
        }
    };
    Ok(Case {
        id: CaseId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: row.dealer_id.as_deref().map(DealerId::parse).transpose().map_err(|_| corrupt("dealer id"))?,
        region: row.region,
        source: CaseSource::parse(&row.source).ok_or_else(|| corrupt("source"))?,
        model: row.model,
        serial_or_vin: SerialOrVin::parse(&row.serial_or_vin).map_err(|_| corrupt("serial or VIN"))?,
        symptom: row.symptom,
        usage_scenario: row.usage_scenario,
        contact: Contact {
            name: row.contact_name,
            phone: Phone::parse_optional(&row.contact_phone).map_err(|_| corrupt("contact phone"))?,
            email: Email::parse_optional(&row.contact_email).map_err(|_| corrupt("contact e-mail"))?,
        },
        state: CaseState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        classification,
        created_by: row.created_by,
        received_at: from_micros(row.received_at_us),
        updated_at: from_micros(row.updated_at_us),
        revision: row.revision,
        support_group: Some(row.support_group).filter(|g| !g.is_empty()),
        contact_note: Some(row.contact_note).filter(|n| !n.is_empty()),
        meeting: row.meeting_at_us.map(|at| Meeting {
            held_at: from_micros(at),
            chaired_by: row.meeting_chaired_by,
            initial_measures: row.initial_measures,
        }),
        onsite_at: row.onsite_at_us.map(from_micros),
    })
}
