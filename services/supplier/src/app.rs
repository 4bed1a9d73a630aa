//! The supplier service's use cases: load, ask the domain, save with the outbox in one transaction.
//!
//! - this file: suppliers (register, status, reads) and who sees which supplier;
//! - [`claims`]: claims (draft, revise, every step, reads), with [`claim_steps`] mapping each step to its domain
//!   transition and event, and [`claim_stream`] reading a supplier's changes for `WatchClaims`;
//! - [`scorecards`]: scorecards and the ranking, and the engine's clock verdicts they count.

pub mod claim_steps;
pub mod claim_stream;
pub mod claims;
pub mod scorecards;

use aftersales_kernel::SupplierId;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::errors::FieldViolation;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use crate::convert;
use crate::domain::{ContactField, Draft, Supplier, SupplierCode, SupplierField, SupplierStatus, Violation};
use crate::store::suppliers;

/// The aggregate name on the feed.
const AGGREGATE: &str = "supplier";

/// Which suppliers a caller sees: OEM staff all of them, a supplier's system only its own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierScope {
    /// Every supplier.
    All,
    /// One supplier.
    Only(SupplierId),
}

impl SupplierScope {
    /// The scope of a caller whose role was already checked to be OEM staff or a supplier.
    pub fn of(caller: &Principal) -> SupplierScope {
        caller.supplier().map_or(SupplierScope::All, SupplierScope::Only)
    }

    fn covers(self, id: SupplierId) -> bool {
        match self {
            SupplierScope::All => true,
            SupplierScope::Only(own) => own == id,
        }
    }
}

/// The supplier service's application layer.
#[derive(Clone, Debug)]
pub struct Suppliers {
    db: Db,
    clock: SharedClock,
}

impl Suppliers {
    /// Over a database and a clock.
    pub fn new(db: Db, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    /// Registers a supplier and publishes `SupplierStatusChanged` (from no status to its first).
    pub async fn register_supplier(&self, key: &IdempotencyKey, draft: Draft) -> AppResult<pb::Supplier> {
        // The store keeps microseconds; so does the answer, or a later read would differ from it.
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let supplier = Supplier::register(draft, now).map_err(invalid)?;
        // Returning early drops `txn`, which rolls back the key claimed above: a retry gets the same answer.
        if suppliers::code_taken(&*txn, supplier.code()).await? {
            return Err(taken(supplier.code()));
        }
        if !suppliers::insert(&*txn, &supplier).await? {
            return Err(taken(supplier.code()));
        }
        let event = NewEvent::new(
            &convert::registered_event(&supplier),
            now,
            EventTenant::Supplier(supplier.id().to_string()),
            AGGREGATE,
            supplier.id().to_string(),
        );
        outbox::append(&mut txn, event).await?;
        let parts = suppliers::parts_of(&*txn, &[supplier.id()]).await?.remove(&supplier.id()).unwrap_or_default();
        let response = convert::supplier(&supplier, parts);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(supplier_id = %supplier.id(), code = %supplier.code(), "supplier registered");
        Ok(response)
    }

    /// Moves a supplier to `next` for `reason`; publishes `SupplierStatusChanged` unless it already had it.
    pub async fn set_supplier_status(
        &self,
        key: &IdempotencyKey,
        id: SupplierId,
        next: SupplierStatus,
        reason: &str,
    ) -> AppResult<pb::Supplier> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut supplier = suppliers::find_locked(&*txn, id).await?.ok_or(AppError::NotFound("supplier"))?;
        if let Some(before) = supplier.set_status(next, now) {
            suppliers::update_status(&*txn, &supplier).await?;
            let event = NewEvent::new(
                &convert::status_changed(&supplier, before, reason),
                now,
                EventTenant::Supplier(supplier.id().to_string()),
                AGGREGATE,
                supplier.id().to_string(),
            );
            outbox::append(&mut txn, event).await?;
            tracing::info!(supplier_id = %id, from = before.as_str(), to = next.as_str(), "supplier status changed");
        }
        let parts = suppliers::parts_of(&*txn, &[id]).await?.remove(&id).unwrap_or_default();
        let response = convert::supplier(&supplier, parts);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// One supplier in `scope`. One outside it answers exactly like a missing one, so a supplier cannot learn
    /// which ids exist.
    pub async fn supplier(&self, scope: SupplierScope, id: SupplierId) -> AppResult<pb::Supplier> {
        if !scope.covers(id) {
            return Err(AppError::NotFound("supplier"));
        }
        let conn = self.db.reader();
        let supplier = suppliers::find(conn, id).await?.ok_or(AppError::NotFound("supplier"))?;
        let parts = suppliers::parts_of(conn, &[id]).await?.remove(&id).unwrap_or_default();
        Ok(convert::supplier(&supplier, parts))
    }

    /// The catalogue designates `supplier` for `part_number` (parts' CatalogueEntryCreated), inside the consumer's
    /// transaction.
    pub async fn part_designated(&self, txn: &WriteTxn, supplier: SupplierId, part_number: &str) -> AppResult<()> {
        suppliers::add_part(&**txn, supplier, part_number).await
    }

    /// A page of suppliers in `scope`, in code order.
    pub async fn suppliers(
        &self,
        scope: SupplierScope,
        status: Option<SupplierStatus>,
        after: Option<&SupplierCode>,
        limit: u64,
    ) -> AppResult<Vec<pb::Supplier>> {
        let only = match scope {
            SupplierScope::All => None,
            SupplierScope::Only(id) => Some(id),
        };
        let conn = self.db.reader();
        let page = suppliers::list(conn, only, status, after, limit).await?;
        let ids: Vec<SupplierId> = page.iter().map(Supplier::id).collect();
        let mut parts = suppliers::parts_of(conn, &ids).await?;
        Ok(page.iter().map(|s| convert::supplier(s, parts.remove(&s.id()).unwrap_or_default())).collect())
    }
}

/// The domain's broken rules as INVALID_ARGUMENT, each named by its path in `CreateSupplierRequest`.
fn invalid(violations: Vec<Violation>) -> AppError {
    AppError::InvalidArgument(
        violations
            .into_iter()
            .map(|v| FieldViolation { field: field_path(v.field), description: v.rule.to_string() })
            .collect(),
    )
}

fn field_path(field: SupplierField) -> String {
    match field {
        SupplierField::Name => "name".into(),
        SupplierField::Code => "code".into(),
        SupplierField::Contacts => "contacts".into(),
        SupplierField::Contact(index, part) => {
            let part = match part {
                ContactField::Name => "name",
                ContactField::Email => "email",
                ContactField::Phone => "phone",
                ContactField::Duty => "duty",
            };
            format!("contacts[{index}].{part}")
        }
    }
}

/// Another request already registered a supplier with this code.
fn taken(code: &SupplierCode) -> AppError {
    AppError::AlreadyExists(format!("supplier code {code} is already registered"))
}
