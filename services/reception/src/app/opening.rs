//! What a new order's estimate is checked against, and reception's read copy of workshop's operation catalogue:
//! kept from `OperationCatalogUpdated` (the latest record per code wins) and listed for the front desk.

use aftersales_kernel::OperationCode;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use sea_orm::ConnectionTrait;

use super::Reception;
use crate::domain::{LabourOperation, LineItem, NewRepairOrder, OpeningTerms, OrderVehicle};
use crate::store::{check_ins, dealer_terms, labour_operations};

/// What a new order is checked against: the catalogue copy's records of its labour codes, the dealer's currency
/// and the check-in it names (only one of the dealer's).
pub(super) async fn terms(conn: &impl ConnectionTrait, new: &NewRepairOrder) -> AppResult<OpeningTerms> {
    let codes: Vec<_> = new
        .lines
        .iter()
        .filter_map(|l| match &l.item {
            LineItem::Labour { operation_code, .. } => Some(operation_code),
            LineItem::Part { .. } => None,
        })
        .collect();
    let operations = labour_operations::find_many(conn, &codes).await?;
    let check_in = match new.vehicle {
        OrderVehicle::CheckedIn { check_in_id, .. } => {
            check_ins::find(conn, check_in_id).await?.filter(|c| c.dealer_id == new.dealer_id)
        }
        OrderVehicle::Given { .. } => None,
    };
    Ok(OpeningTerms {
        operations: operations.into_iter().map(|o| (o.code.clone(), o)).collect(),
        dealer_currency: dealer_terms::terms(conn, new.dealer_id).await?.map(|t| t.currency),
        check_in,
    })
}

impl Reception {
    /// Workshop published a catalogue record: it becomes the copy of its code unless the copy is already as new.
    /// Inside the consumer's transaction.
    pub async fn catalogue_updated(&self, txn: &mut WriteTxn, incoming: LabourOperation) -> AppResult<()> {
        let kept = labour_operations::find(&**txn, &incoming.code, true).await?;
        match kept {
            None => labour_operations::put(&**txn, &incoming, false).await?,
            Some(kept) if kept.is_superseded_by(&incoming) => labour_operations::put(&**txn, &incoming, true).await?,
            Some(_) => tracing::debug!(code = %incoming.code, "catalogue record not newer than the copy; kept"),
        }
        Ok(())
    }

    /// A page of the catalogue copy in code order.
    pub async fn labour_operations(
        &self,
        include_retired: bool,
        after: Option<&OperationCode>,
        limit: u64,
    ) -> AppResult<Vec<LabourOperation>> {
        labour_operations::list(self.db.reader(), include_retired, after, limit).await
    }
}
