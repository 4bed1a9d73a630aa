//! Idempotent creates and transitions: the same `request_id` (per tenant and method) returns the first result
//! and changes nothing twice; the same `request_id` with a different request is INVALID_ARGUMENT on `request_id`.
//!
//! The key row is inserted first in the use case's write transaction. A concurrent duplicate waits on it (the
//! primary key) until the first commits, then finds it and returns the stored response; if the first rolls back,
//! the duplicate proceeds as the first.

use sea_orm::{ConnectionTrait, Value};
use sha2::{Digest, Sha256};

use crate::db::{WriteTxn, to_micros};
use crate::errors::{AppError, AppResult};

/// Identifies one idempotent call.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    tenant: String,
    method: &'static str,
    request_id: String,
    request_hash: Vec<u8>,
}

impl IdempotencyKey {
    /// The caller's request id (a document reference for changes that have no other).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// A key for `request` (with its `request_id` cleared by `clear_id` before hashing).
    pub fn new<M: prost::Message + Clone>(
        tenant: impl Into<String>,
        method: &'static str,
        request_id: uuid::Uuid,
        request: &M,
        clear_id: impl FnOnce(&mut M),
    ) -> Self {
        let mut anonymous = request.clone();
        clear_id(&mut anonymous);
        let request_hash = Sha256::digest(anonymous.encode_to_vec()).to_vec();
        Self { tenant: tenant.into(), method, request_id: request_id.to_string(), request_hash }
    }

    /// Claims the key inside `txn`. `Some(response)` when this call was already made (return it as is; do
    /// nothing else); `None` when this is the first time (do the work, then [`IdempotencyKey::finish`]).
    pub async fn claim<R: prost::Message + Default>(
        &self,
        txn: &WriteTxn,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Option<R>> {
        let inserted = txn
            .execute_raw(txn.statement(
                "INSERT INTO idempotency_keys (tenant, method, request_id, request_hash, response, created_at_us) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, method, request_id) DO NOTHING",
                [
                    Value::from(self.tenant.clone()),
                    Value::from(self.method),
                    Value::from(self.request_id.clone()),
                    Value::from(self.request_hash.clone()),
                    Value::from(Vec::<u8>::new()),
                    Value::from(to_micros(now)),
                ],
            ))
            .await?
            .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        let row = txn
            .query_one_raw(txn.statement(
                "SELECT request_hash, response FROM idempotency_keys WHERE tenant = $1 AND method = $2 AND request_id = $3",
                [Value::from(self.tenant.clone()), Value::from(self.method), Value::from(self.request_id.clone())],
            ))
            .await?
            .ok_or_else(|| AppError::Aborted("concurrent request with the same request_id; retry".into()))?;
        let stored_hash: Vec<u8> = row.try_get("", "request_hash")?;
        if stored_hash != self.request_hash {
            return Err(AppError::invalid("request_id", "was already used for a different request"));
        }
        let response: Vec<u8> = row.try_get("", "response")?;
        R::decode(response.as_slice()).map(Some).map_err(AppError::internal)
    }

    /// Stores the response of the first call, in the same transaction as its effect.
    pub async fn finish<R: prost::Message>(&self, txn: &WriteTxn, response: &R) -> AppResult<()> {
        txn.execute_raw(txn.statement(
            "UPDATE idempotency_keys SET response = $1 WHERE tenant = $2 AND method = $3 AND request_id = $4",
            [
                Value::from(response.encode_to_vec()),
                Value::from(self.tenant.clone()),
                Value::from(self.method),
                Value::from(self.request_id.clone()),
            ],
        ))
        .await?;
        Ok(())
    }
}
