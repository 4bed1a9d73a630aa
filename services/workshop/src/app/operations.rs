//! The operation catalogue's use cases: load, ask the domain, save with the outbox in one transaction.

use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::errors::FieldViolation;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use super::Workshop;
use crate::convert;
use crate::domain::{Draft, Fields, Operation, OperationCode, OperationField, SkillFamily, Violation};
use crate::store::operations;

/// The aggregate name on the feed.
const AGGREGATE: &str = "operation";

/// An update as asked for: which operation, at which version, and its new mutable fields.
#[derive(Debug, Clone)]
pub struct OperationUpdate {
    /// The operation.
    pub code: OperationCode,
    /// The revision the caller read (its etag).
    pub revision: i64,
    /// The new fields, unchecked.
    pub draft: Draft,
    /// Whether new orders may use it.
    pub active: bool,
}

impl Workshop {
    /// Adds an operation to the catalogue and publishes `OperationCatalogUpdated`.
    pub async fn create_operation(
        &self,
        key: &IdempotencyKey,
        code: OperationCode,
        draft: Draft,
    ) -> AppResult<pb::Operation> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let fields = Fields::parse(draft).map_err(invalid)?;
        let op = Operation::create(code, fields, now);
        // Returning early drops `txn`, which rolls back the key claimed above: a retry gets the same answer.
        if operations::find(&*txn, op.code()).await?.is_some() || !operations::insert(&*txn, &op).await? {
            return Err(AppError::AlreadyExists(format!("operation {} is already in the catalogue", op.code())));
        }
        publish(&mut txn, &op, now).await?;
        let response = convert::catalogue_operation(&op);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(code = %op.code(), "operation created");
        Ok(response)
    }

    /// Replaces an operation's mutable fields at the caller's version and publishes `OperationCatalogUpdated`
    /// (unless nothing changed).
    pub async fn update_operation(&self, key: &IdempotencyKey, update: OperationUpdate) -> AppResult<pb::Operation> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        // The request's own rules first: a bad request is INVALID_ARGUMENT whatever the catalogue holds.
        let fields = Fields::parse(update.draft).map_err(invalid)?;
        let mut op = operations::find(&*txn, &update.code).await?.ok_or(AppError::NotFound("operation"))?;
        op.check_etag(update.revision).map_err(|stale| AppError::Aborted(stale.to_string()))?;
        let previous = op.revision();
        if op.update(fields, update.active, now) {
            operations::save(&*txn, &op, previous).await?;
            publish(&mut txn, &op, now).await?;
            tracing::info!(code = %op.code(), revision = op.revision(), active = op.active(), "operation updated");
        }
        let response = convert::catalogue_operation(&op);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// One operation, active or retired.
    pub async fn operation(&self, code: &OperationCode) -> AppResult<Operation> {
        operations::find(self.db.reader(), code).await?.ok_or(AppError::NotFound("operation"))
    }

    /// A page of operations in code order.
    pub async fn operations(
        &self,
        family: Option<&SkillFamily>,
        after: Option<&OperationCode>,
        limit: u64,
    ) -> AppResult<Vec<Operation>> {
        operations::list(self.db.reader(), family, after, limit).await
    }
}

/// `OperationCatalogUpdated` with the full record, OEM-wide.
async fn publish(
    txn: &mut aftersales_runtime::db::WriteTxn,
    op: &Operation,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let event = NewEvent::new(&convert::operation_event(op), now, EventTenant::Oem, AGGREGATE, op.code().to_string());
    outbox::append(txn, event).await?;
    Ok(())
}

/// The domain's broken rules as INVALID_ARGUMENT, each named by its field in the request (the same names in
/// `CreateOperationRequest` and `UpdateOperationRequest`).
fn invalid(violations: Vec<Violation>) -> AppError {
    AppError::InvalidArgument(
        violations
            .into_iter()
            .map(|v| FieldViolation { field: field_path(v.field).into(), description: v.rule.to_string() })
            .collect(),
    )
}

fn field_path(field: OperationField) -> &'static str {
    match field {
        OperationField::Name => "name",
        OperationField::SkillFamily => "skill_family",
        OperationField::MinimumLevel => "minimum_level",
        OperationField::StandardHours => "standard_hours_hundredths",
    }
}
