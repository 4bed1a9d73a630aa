//! Loading and saving suppliers with their contacts. Functions take the caller's connection or transaction;
//! they never open their own, so a use case combines them with its outbox row in one transaction.

use aftersales_kernel::SupplierId;
use aftersales_runtime::db::{from_micros, is_unique_violation, to_micros};
use aftersales_runtime::sql::{lock_suffix, query};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{supplier, supplier_contact};
use crate::domain::{Contact, Draft, Supplier, SupplierCode, SupplierStatus};

/// Inserts a new supplier with its contacts. `Ok(false)` when the code is already taken: a concurrent
/// registration won the race past the use case's look-up (PostgreSQL; on SQLite writers queue, so the look-up
/// already saw it).
pub async fn insert(conn: &impl ConnectionTrait, s: &Supplier) -> AppResult<bool> {
    match supplier::Entity::insert(to_row(s)).exec_without_returning(conn).await {
        Ok(_) => {}
        Err(error) if is_unique_violation(&error) => return Ok(false),
        Err(error) => return Err(error.into()),
    }
    let contacts = s.contacts().iter().enumerate().map(|(position, c)| contact_row(s.id(), position, c));
    supplier_contact::Entity::insert_many(contacts).exec_without_returning(conn).await?;
    Ok(true)
}

/// Saves a supplier's status (and when it changed).
pub async fn update_status(conn: &impl ConnectionTrait, s: &Supplier) -> AppResult<()> {
    supplier::Entity::update_many()
        .col_expr(supplier::Column::Status, sea_orm::sea_query::Expr::value(s.status().as_str()))
        .col_expr(supplier::Column::UpdatedAtUs, sea_orm::sea_query::Expr::value(to_micros(s.updated_at())))
        .filter(supplier::Column::Id.eq(s.id().to_string()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether a supplier has this code.
pub async fn code_taken(conn: &impl ConnectionTrait, code: &SupplierCode) -> AppResult<bool> {
    let count = supplier::Entity::find().filter(supplier::Column::Code.eq(code.as_str())).count(conn).await?;
    Ok(count > 0)
}

/// Loads a supplier with its contacts, its row locked until the transaction ends on PostgreSQL (SQLite's single
/// writer already serializes changes): two status changes at once publish one after the other.
pub async fn find_locked(conn: &impl ConnectionTrait, id: SupplierId) -> AppResult<Option<Supplier>> {
    let sql = format!("SELECT id FROM suppliers WHERE id = $1{}", lock_suffix(conn, true));
    if query(conn, &sql, vec![id.to_string().into()]).await?.is_empty() {
        return Ok(None);
    }
    find(conn, id).await
}

/// Loads a supplier with its contacts.
pub async fn find(conn: &impl ConnectionTrait, id: SupplierId) -> AppResult<Option<Supplier>> {
    let Some(row) = supplier::Entity::find_by_id(id.to_string()).one(conn).await? else {
        return Ok(None);
    };
    let contacts = supplier_contact::Entity::find()
        .filter(supplier_contact::Column::SupplierId.eq(row.id.clone()))
        .order_by_asc(supplier_contact::Column::Position)
        .all(conn)
        .await?;
    from_rows(row, contacts).map(Some)
}

/// A page of suppliers in code order after `after` (exclusive), at most `limit`; only `only` when given, only
/// those in `status` when given.
pub async fn list(
    conn: &impl ConnectionTrait,
    only: Option<SupplierId>,
    status: Option<SupplierStatus>,
    after: Option<&SupplierCode>,
    limit: u64,
) -> AppResult<Vec<Supplier>> {
    let mut query = supplier::Entity::find().order_by_asc(supplier::Column::Code).limit(limit);
    if let Some(id) = only {
        query = query.filter(supplier::Column::Id.eq(id.to_string()));
    }
    if let Some(status) = status {
        query = query.filter(supplier::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = after {
        query = query.filter(supplier::Column::Code.gt(after.as_str()));
    }
    let rows = query.all(conn).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let contacts = supplier_contact::Entity::find()
        .filter(supplier_contact::Column::SupplierId.is_in(rows.iter().map(|r| r.id.clone())))
        .order_by_asc(supplier_contact::Column::SupplierId)
        .order_by_asc(supplier_contact::Column::Position)
        .all(conn)
        .await?;
    let mut by_supplier: std::collections::HashMap<String, Vec<supplier_contact::Model>> = Default::default();
    for contact in contacts {
        by_supplier.entry(contact.supplier_id.clone()).or_default().push(contact);
    }
    rows.into_iter()
        .map(|row| {
            let contacts = by_supplier.remove(&row.id).unwrap_or_default();
            from_rows(row, contacts)
        })
        .collect()
}

fn to_row(s: &Supplier) -> supplier::ActiveModel {
    supplier::ActiveModel {
        id: Set(s.id().to_string()),
        code: Set(s.code().to_string()),
        name: Set(s.name().to_string()),
        status: Set(s.status().as_str().to_string()),
        created_at_us: Set(to_micros(s.created_at())),
        updated_at_us: Set(to_micros(s.updated_at())),
    }
}

fn contact_row(supplier: SupplierId, position: usize, c: &Contact) -> supplier_contact::ActiveModel {
    supplier_contact::ActiveModel {
        supplier_id: Set(supplier.to_string()),
        // At most 20 contacts (a domain rule), so the position always fits.
        position: Set(position as i32),
        name: Set(c.name.clone()),
        email: Set(c.email.clone()),
        phone: Set(c.phone.clone()),
        duty: Set(c.duty.clone()),
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored supplier has an invalid {what}"))
}

/// Rows back to a supplier, through the same rules a new supplier passes.
fn from_rows(row: supplier::Model, contacts: Vec<supplier_contact::Model>) -> AppResult<Supplier> {
    let id = SupplierId::parse(&row.id).map_err(|_| corrupt("id"))?;
    let draft = Draft {
        name: row.name,
        code: row.code,
        contacts: contacts
            .into_iter()
            .map(|c| Contact { name: c.name, email: c.email, phone: c.phone, duty: c.duty })
            .collect(),
        status: SupplierStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
    };
    Supplier::restore(id, draft, from_micros(row.created_at_us), from_micros(row.updated_at_us))
        .map_err(|violations| corrupt(&format!("{:?}", violations.first().map(|v| v.field))))
}

/// Records that the catalogue designates `supplier` for `part_number` (again: nothing changes).
pub async fn add_part(conn: &impl ConnectionTrait, supplier: SupplierId, part_number: &str) -> AppResult<()> {
    let sql = "INSERT INTO supplier_parts (supplier_id, part_number) VALUES ($1, $2)";
    aftersales_runtime::sql::insert_unique(conn, sql, vec![supplier.to_string().into(), part_number.into()]).await?;
    Ok(())
}

/// The part numbers of each of `suppliers`, in part-number order.
pub async fn parts_of(
    conn: &impl ConnectionTrait,
    suppliers: &[SupplierId],
) -> AppResult<std::collections::HashMap<SupplierId, Vec<String>>> {
    let mut parts: std::collections::HashMap<SupplierId, Vec<String>> = Default::default();
    if suppliers.is_empty() {
        return Ok(parts);
    }
    let sql = format!(
        "SELECT supplier_id, part_number FROM supplier_parts WHERE supplier_id IN ({}) ORDER BY supplier_id, part_number",
        aftersales_runtime::sql::placeholders(1, suppliers.len())
    );
    let ids = suppliers.iter().map(|id| id.to_string().into()).collect();
    for row in query(conn, &sql, ids).await? {
        let id: String = row.try_get("", "supplier_id")?;
        let id = SupplierId::parse(&id).map_err(|_| corrupt("supplier part"))?;
        parts.entry(id).or_default().push(row.try_get("", "part_number")?);
    }
    Ok(parts)
}
