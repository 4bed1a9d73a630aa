//! Warehouses and bins: opened and extended by the dealer's manager, read by the dealer's staff and the OEM.

use aftersales_kernel::DealerId;
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};

use super::Parts;
use crate::convert;
use crate::domain::stock::WarehouseCode;
use crate::domain::warehouse::{Bin, Warehouse};
use crate::store::warehouses;

impl Parts {
    /// Opens a warehouse of `dealer`.
    pub async fn create_warehouse(
        &self,
        key: &IdempotencyKey,
        dealer: DealerId,
        code: WarehouseCode,
        name: String,
    ) -> AppResult<pb::Warehouse> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let warehouse = Warehouse::open(dealer, code, name, now);
        if !warehouses::insert(&*txn, &warehouse).await? {
            return Err(AppError::AlreadyExists(format!(
                "warehouse {} is already a warehouse of this dealer",
                warehouse.code
            )));
        }
        let answer = convert::warehouse(&warehouse);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Adds a bin to a warehouse of the caller's dealer.
    pub async fn add_bin(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        bin: Bin,
    ) -> AppResult<pb::Warehouse> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut warehouse = own(warehouses::find(&*txn, id).await?, caller)?;
        warehouse.add_bin(bin.clone()).map_err(|e| AppError::AlreadyExists(e.to_string()))?;
        if !warehouses::insert_bin(&*txn, id, &bin).await? {
            return Err(AppError::AlreadyExists(format!("bin {} is already in this warehouse", bin.code)));
        }
        let answer = convert::warehouse(&warehouse);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A warehouse the caller may see.
    pub async fn warehouse(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Warehouse> {
        visible(warehouses::find(self.db.reader(), id).await?, caller)
    }

    /// A page of warehouses in `scope`.
    pub async fn warehouses(
        &self,
        scope: &DealerScope,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Warehouse>> {
        warehouses::list(self.db.reader(), scope, after, limit).await
    }
}

/// The warehouse if the caller may see it (its dealer's staff, the OEM); NOT_FOUND otherwise.
fn visible(found: Option<Warehouse>, caller: &Principal) -> AppResult<Warehouse> {
    found.filter(|w| caller.can_see_dealer(&w.dealer_id)).ok_or(AppError::NotFound("warehouse"))
}

/// A warehouse's dealer (from [`warehouses::dealer_of`]) is the caller's own (writes); NOT_FOUND otherwise.
pub(super) fn own_dealer(found: Option<DealerId>, caller: &Principal) -> AppResult<()> {
    found.filter(|d| caller.dealer() == Some(*d)).map(|_| ()).ok_or(AppError::NotFound("warehouse"))
}

/// A warehouse's dealer is one the caller may see (reads); NOT_FOUND otherwise.
pub(super) fn visible_dealer(found: Option<DealerId>, caller: &Principal) -> AppResult<()> {
    found.filter(|d| caller.can_see_dealer(d)).map(|_| ()).ok_or(AppError::NotFound("warehouse"))
}

/// The warehouse if it is the caller's own dealer's (writes); NOT_FOUND otherwise.
pub(super) fn own(found: Option<Warehouse>, caller: &Principal) -> AppResult<Warehouse> {
    found.filter(|w| caller.dealer() == Some(w.dealer_id)).ok_or(AppError::NotFound("warehouse"))
}
