//! Domain → proto: how suppliers look on the wire and on the feed. (Proto → domain, with validation, is in
//! `api::parse`.)

pub mod claims;
pub mod scorecards;

use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::{Supplier, SupplierStatus};

/// Status on the wire.
pub fn status(s: SupplierStatus) -> pb::SupplierStatus {
    match s {
        SupplierStatus::Approved => pb::SupplierStatus::Approved,
        SupplierStatus::Probation => pb::SupplierStatus::Probation,
        SupplierStatus::Blocked => pb::SupplierStatus::Blocked,
    }
}

/// A supplier on the wire, with the part numbers the catalogue designates it for.
pub fn supplier(s: &Supplier, part_numbers: Vec<String>) -> pb::Supplier {
    pb::Supplier {
        id: s.id().to_string(),
        name: s.name().to_string(),
        code: s.code().to_string(),
        contacts: s
            .contacts()
            .iter()
            .map(|c| pb::SupplierContact {
                name: c.name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                duty: c.duty.clone(),
            })
            .collect(),
        status: status(s.status()) as i32,
        create_time: Some(to_timestamp(s.created_at())),
        update_time: Some(to_timestamp(s.updated_at())),
        part_numbers,
    }
}

/// `SupplierStatusChanged` for a newly registered supplier: it had no status before.
pub fn registered_event(s: &Supplier) -> pb::SupplierStatusChanged {
    pb::SupplierStatusChanged {
        supplier_id: s.id().to_string(),
        code: s.code().to_string(),
        name: s.name().to_string(),
        status: status(s.status()) as i32,
        previous_status: pb::SupplierStatus::Unspecified as i32,
        reason: String::new(),
    }
}

/// `SupplierStatusChanged` for a supplier moved from `before`, for `reason`.
pub fn status_changed(s: &Supplier, before: SupplierStatus, reason: &str) -> pb::SupplierStatusChanged {
    pb::SupplierStatusChanged {
        previous_status: status(before) as i32,
        reason: reason.to_string(),
        ..registered_event(s)
    }
}
