//! Loading and saving catalogue entries. Functions take the caller's connection or transaction; they never open
//! their own, so a use case combines them with its outbox row in one transaction.

use aftersales_kernel::{Currency, Money, PartNumber, SupplierId};
use aftersales_runtime::db::{from_micros, is_unique_violation, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::catalogue_entry;
use crate::domain::{CatalogueEntry, Draft};

/// What the models column joins with (see the entity).
const MODEL_SEPARATOR: char = '\n';

/// Inserts a new entry. `Ok(false)` when the part number is already taken: a concurrent create won the race
/// past the use case's look-up (PostgreSQL; on SQLite writers queue, so the look-up already saw it).
pub async fn insert(conn: &impl ConnectionTrait, entry: &CatalogueEntry) -> AppResult<bool> {
    match catalogue_entry::Entity::insert(to_row(entry)).exec_without_returning(conn).await {
        Ok(_) => Ok(true),
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Whether a part number is in the catalogue.
pub async fn exists(conn: &impl ConnectionTrait, part_number: &PartNumber) -> AppResult<bool> {
    let count = catalogue_entry::Entity::find_by_id(part_number.to_string()).count(conn).await?;
    Ok(count > 0)
}

/// Loads an entry.
pub async fn find(conn: &impl ConnectionTrait, part_number: &PartNumber) -> AppResult<Option<CatalogueEntry>> {
    let row = catalogue_entry::Entity::find_by_id(part_number.to_string()).one(conn).await?;
    row.map(from_row).transpose()
}

/// A page of entries in part-number order after `after` (exclusive), at most `limit`, optionally only those
/// one supplier delivers.
pub async fn list(
    conn: &impl ConnectionTrait,
    supplier: Option<SupplierId>,
    after: Option<&PartNumber>,
    limit: u64,
) -> AppResult<Vec<CatalogueEntry>> {
    let mut query = catalogue_entry::Entity::find().order_by_asc(catalogue_entry::Column::PartNumber).limit(limit);
    if let Some(supplier) = supplier {
        query = query.filter(catalogue_entry::Column::SupplierId.eq(supplier.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(catalogue_entry::Column::PartNumber.gt(after.to_string()));
    }
    query.all(conn).await?.into_iter().map(from_row).collect()
}

fn to_row(entry: &CatalogueEntry) -> catalogue_entry::ActiveModel {
    let price = entry.list_price();
    catalogue_entry::ActiveModel {
        part_number: Set(entry.part_number().to_string()),
        name: Set(entry.name().to_string()),
        specification: Set(entry.specification().to_string()),
        applicable_models: Set(entry.applicable_models().join(&MODEL_SEPARATOR.to_string())),
        maker: Set(entry.maker().to_string()),
        supplier_id: Set(entry.supplier_id().map(|s| s.to_string())),
        list_price_minor: Set(price.minor_units()),
        list_price_currency: Set(price.currency().to_string()),
        warranty_months: Set(entry.warranty().months()),
        warranty_km: Set(entry.warranty().km()),
        superseded_by: Set(entry.superseded_by().map(|p| p.to_string())),
        created_at_us: Set(to_micros(entry.created_at())),
        updated_at_us: Set(to_micros(entry.updated_at())),
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored catalogue entry has an invalid {what}"))
}

/// A row back to an entry, through the same rules a new entry passes.
fn from_row(row: catalogue_entry::Model) -> AppResult<CatalogueEntry> {
    let part_number = |text: &str| PartNumber::parse(text).map_err(|_| corrupt("part number"));
    let currency = Currency::parse(&row.list_price_currency).map_err(|_| corrupt("currency"))?;
    let draft = Draft {
        part_number: part_number(&row.part_number)?,
        name: row.name,
        specification: row.specification,
        applicable_models: if row.applicable_models.is_empty() {
            Vec::new()
        } else {
            row.applicable_models.split(MODEL_SEPARATOR).map(str::to_string).collect()
        },
        maker: row.maker,
        supplier_id: row
            .supplier_id
            .as_deref()
            .map(|id| SupplierId::parse(id).map_err(|_| corrupt("supplier id")))
            .transpose()?,
        list_price: Money::new(currency, row.list_price_minor),
        warranty_months: row.warranty_months,
        warranty_km: row.warranty_km,
        superseded_by: row.superseded_by.as_deref().map(part_number).transpose()?,
    };
    CatalogueEntry::restore(draft, from_micros(row.created_at_us), from_micros(row.updated_at_us))
        .map_err(|violations| corrupt(&format!("{:?}", violations.first().map(|v| v.field))))
}
