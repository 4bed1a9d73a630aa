//! The approved-supplier rule: a part may be ordered from its designated supplier (the catalogue's) unless that
//! supplier is blocked, and from any other supplier only while it is approved. A supplier on probation keeps only
//! the parts it is designated for.
//!
//! The standings are not parts' to set: the supplier service owns suppliers and publishes each registration and
//! status change (`SupplierStatusChanged`); parts keeps a copy of the latest, so purchasing keeps working while the
//! supplier service is down. A supplier the supplier service has not registered is not on the list.

use aftersales_kernel::SupplierId;

/// Who the list names as having set a standing copied from the supplier service's feed (the copy does not know
/// which person at the OEM changed it; the supplier service's own records do).
pub const SUPPLIER_SERVICE: &str = "supplier-service";

/// A supplier's standing on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierStatus {
    /// Any part.
    Approved,
    /// Only its designated parts.
    Probation,
    /// Nothing.
    Blocked,
}

impl SupplierStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplierStatus::Approved => "approved",
            SupplierStatus::Probation => "probation",
            SupplierStatus::Blocked => "blocked",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<SupplierStatus> {
        use SupplierStatus::*;
        [Approved, Probation, Blocked].into_iter().find(|s| s.as_str() == name)
    }
}

/// Why a part may not be ordered from a supplier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierRefusal {
    /// The supplier is blocked.
    #[error("supplier {0} is blocked")]
    Blocked(SupplierId),
    /// Neither the part's designated supplier nor approved.
    #[error("supplier {0} is neither the part's designated supplier nor approved")]
    NotApproved(SupplierId),
}

/// Whether `part` (designated supplier `designated`) may be ordered from `supplier`, whose standing is `status`
/// (None: not on the list).
pub fn may_order(
    supplier: SupplierId,
    designated: Option<SupplierId>,
    status: Option<SupplierStatus>,
) -> Result<(), SupplierRefusal> {
    match status {
        Some(SupplierStatus::Blocked) => Err(SupplierRefusal::Blocked(supplier)),
        Some(SupplierStatus::Approved) => Ok(()),
        _ if designated == Some(supplier) => Ok(()),
        _ => Err(SupplierRefusal::NotApproved(supplier)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_designated_supplier_may_be_ordered_from_even_when_not_listed_or_on_probation() {
        let s = SupplierId::new();
        assert_eq!(may_order(s, Some(s), None), Ok(()));
        assert_eq!(may_order(s, Some(s), Some(SupplierStatus::Probation)), Ok(()));
    }

    #[test]
    fn a_blocked_supplier_gets_no_order_even_for_its_designated_parts() {
        let s = SupplierId::new();
        assert_eq!(may_order(s, Some(s), Some(SupplierStatus::Blocked)), Err(SupplierRefusal::Blocked(s)));
    }

    #[test]
    fn another_supplier_only_while_approved() {
        let (designated, other) = (SupplierId::new(), SupplierId::new());
        assert_eq!(may_order(other, Some(designated), Some(SupplierStatus::Approved)), Ok(()));
        assert_eq!(may_order(other, None, Some(SupplierStatus::Approved)), Ok(()));
        for status in [None, Some(SupplierStatus::Probation)] {
            assert_eq!(may_order(other, Some(designated), status), Err(SupplierRefusal::NotApproved(other)));
        }
    }
}
