//! Proto → domain for the supplier service's requests: the request id and the status enum are checked here,
//! every violation named by its field. The supplier's own rules (name, code, contacts) are the domain's, checked
//! by the use case.

use aftersales_kernel::SupplierId;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::validate::Check;

use crate::domain::{Contact, Draft, SupplierStatus};

/// A status the domain knows; `None` for UNSPECIFIED (the caller decides what that means).
fn status(value: pb::SupplierStatus) -> Option<SupplierStatus> {
    match value {
        pb::SupplierStatus::Unspecified => None,
        pb::SupplierStatus::Approved => Some(SupplierStatus::Approved),
        pb::SupplierStatus::Probation => Some(SupplierStatus::Probation),
        pb::SupplierStatus::Blocked => Some(SupplierStatus::Blocked),
    }
}

/// `CreateSupplierRequest` → the idempotency key and the draft supplier.
pub fn new_supplier(request: &pb::CreateSupplierRequest) -> Result<(uuid::Uuid, Draft), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    // UNSPECIFIED is refused as "is required": the proto says a new supplier's status never defaults.
    let status = check.enum_value::<pb::SupplierStatus>("status", request.status).and_then(status);
    check.finish_with(|| {
        Some((
            request_id?,
            Draft {
                name: request.name.clone(),
                code: request.code.clone(),
                contacts: request
                    .contacts
                    .iter()
                    .map(|c| Contact {
                        name: c.name.clone(),
                        email: c.email.clone(),
                        phone: c.phone.clone(),
                        duty: c.duty.clone(),
                    })
                    .collect(),
                status: status?,
            },
        ))
    })
}

/// The id of `GetSupplierRequest`.
pub fn supplier_id(request: &pb::GetSupplierRequest) -> Result<SupplierId, AppError> {
    let mut check = Check::new();
    let id = check.parse("id", SupplierId::parse(&request.id));
    check.finish_with(|| id)
}

/// The status filter of `ListSuppliersRequest` (None: every status).
pub fn list_filter(request: &pb::ListSuppliersRequest) -> Result<Option<SupplierStatus>, AppError> {
    match pb::SupplierStatus::try_from(request.status) {
        Ok(value) => Ok(status(value)),
        Err(_) => Err(AppError::invalid("status", format!("unknown value {}", request.status))),
    }
}

/// `SetSupplierStatusRequest` → the idempotency key, the supplier, its new status, the reason.
pub fn status_change(
    request: &pb::SetSupplierStatusRequest,
) -> Result<(uuid::Uuid, SupplierId, SupplierStatus, String), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = check.parse("id", SupplierId::parse(&request.id));
    let next = check.enum_value::<pb::SupplierStatus>("status", request.status).and_then(status);
    let reason = check.text("reason", &request.reason, 1, 500);
    check.finish_with(|| Some((request_id?, id?, next?, reason?)))
}
