//! Parts' use cases: load, ask the domain, save with the outbox in one transaction.

use aftersales_kernel::{PartNumber, SupplierId};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::Db;
use aftersales_runtime::errors::FieldViolation;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

mod counts;
mod purchase_orders;
mod purchasing;
mod requisitions;
mod reservations;
mod stock;
mod transfers;
mod warehouses;
mod warranty;

pub use counts::Counted;
pub use purchase_orders::Delivery;
pub use purchasing::PlanEdit;
pub use requisitions::{Issuing, RequisitionsOf, Returning};
pub use reservations::Availability;
pub use stock::{Adjustment, Issue};
pub use transfers::Sending;

use crate::convert;
use crate::domain::{CatalogueEntry, Draft, EntryField, Violation};
use crate::store::catalogue;

/// The aggregate name on the feed.
const AGGREGATE: &str = "catalogue_entry";

/// Parts' application layer.
#[derive(Clone, Debug)]
pub struct Parts {
    db: Db,
    clock: SharedClock,
}

impl Parts {
    /// Over a database and a clock.
    pub fn new(db: Db, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// Adds a part number to the catalogue and publishes `CatalogueEntryCreated`.
    pub async fn create_catalogue_entry(&self, key: &IdempotencyKey, draft: Draft) -> AppResult<pb::CatalogueEntry> {
        // The store keeps microseconds; so does the answer, or a later read would differ from it.
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let entry = CatalogueEntry::parse(draft, now).map_err(invalid)?;
        // Returning early drops `txn`, which rolls back the key claimed above: a retry gets the same answer.
        if catalogue::exists(&*txn, entry.part_number()).await? {
            return Err(taken(entry.part_number()));
        }
        if let Some(replacement) = entry.superseded_by()
            && !catalogue::exists(&*txn, replacement).await?
        {
            return Err(AppError::invalid("superseded_by", "is not in the catalogue"));
        }
        // `supplier_id` is only checked to be a supplier id, not yet against parts' copy of the supplier feed (the
        // approved-supplier list, from SupplierStatusChanged): an unknown supplier is accepted, against the proto's
        // "an unknown id is INVALID_ARGUMENT".
        if !catalogue::insert(&*txn, &entry).await? {
            return Err(taken(entry.part_number()));
        }
        let event = NewEvent::new(
            &convert::created_event(&entry),
            now,
            EventTenant::Oem,
            AGGREGATE,
            entry.part_number().to_string(),
        );
        outbox::append(&mut txn, event).await?;
        let response = convert::catalogue_entry(&entry);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(part_number = %entry.part_number(), "catalogue entry created");
        Ok(response)
    }

    /// One entry.
    pub async fn catalogue_entry(&self, part_number: &PartNumber) -> AppResult<CatalogueEntry> {
        catalogue::find(self.db.reader(), part_number).await?.ok_or(AppError::NotFound("catalogue entry"))
    }

    /// A page of entries in part-number order.
    pub async fn catalogue_entries(
        &self,
        supplier: Option<SupplierId>,
        after: Option<&PartNumber>,
        limit: u64,
    ) -> AppResult<Vec<CatalogueEntry>> {
        catalogue::list(self.db.reader(), supplier, after, limit).await
    }
}

/// The domain's broken rules as INVALID_ARGUMENT, each named by its path in `CreateCatalogueEntryRequest`.
fn invalid(violations: Vec<Violation>) -> AppError {
    AppError::InvalidArgument(
        violations
            .into_iter()
            .map(|v| FieldViolation { field: field_path(v.field), description: v.rule.to_string() })
            .collect(),
    )
}

fn field_path(field: EntryField) -> String {
    match field {
        EntryField::Name => "name".into(),
        EntryField::Specification => "specification".into(),
        EntryField::ApplicableModels => "applicable_models".into(),
        EntryField::ApplicableModel(index) => format!("applicable_models[{index}]"),
        EntryField::Maker => "maker".into(),
        EntryField::ListPrice => "list_price.units_minor".into(),
        EntryField::WarrantyMonths => "warranty_months".into(),
        EntryField::WarrantyKm => "warranty_km".into(),
        EntryField::SupersededBy => "superseded_by".into(),
    }
}

/// Another request already put this part number in the catalogue.
fn taken(part_number: &PartNumber) -> AppError {
    AppError::AlreadyExists(format!("part number {part_number} is already in the catalogue"))
}
