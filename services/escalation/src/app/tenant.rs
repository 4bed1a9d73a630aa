//! Whose a clock is, as stored on it: `dealer:<id>`, `supplier:<id>` or `oem` — from the starting event's
//! envelope, and the tenant of every event the clock publishes.

use aftersales_proto::common::v1::{EventEnvelope, TenantKind};
use aftersales_runtime::auth::{Principal, Tenant};
use aftersales_runtime::outbox::EventTenant;

/// The tenant of the event that starts a clock.
pub fn of_envelope(envelope: &EventEnvelope) -> String {
    match envelope.tenant_kind() {
        TenantKind::Dealer => format!("dealer:{}", envelope.tenant_id),
        TenantKind::Supplier => format!("supplier:{}", envelope.tenant_id),
        _ => "oem".to_string(),
    }
}

/// The tenant of the events a clock publishes.
pub fn event_tenant(tenant: &str) -> EventTenant {
    match tenant.split_once(':') {
        Some(("dealer", id)) => EventTenant::Dealer(id.to_string()),
        Some(("supplier", id)) => EventTenant::Supplier(id.to_string()),
        _ => EventTenant::Oem,
    }
}

/// The id part (a dealer's or supplier's id; empty for the OEM).
pub fn id(tenant: &str) -> &str {
    tenant.split_once(':').map(|(_, id)| id).unwrap_or("")
}

/// Whether `caller` may see a clock of `tenant`: OEM staff and services all; dealer staff their dealer's; a
/// supplier its own.
pub fn visible(caller: &Principal, tenant: &str) -> bool {
    match &caller.tenant {
        Tenant::Oem | Tenant::Service(_) => true,
        Tenant::Dealer(dealer) => tenant == format!("dealer:{dealer}"),
        Tenant::Supplier(supplier) => tenant == format!("supplier:{supplier}"),
    }
}
