//! Domain → proto: how catalogue entries look on the wire and on the feed. (Proto → domain, with validation, is
//! in `api::parse`.)

use aftersales_proto::common::v1 as common;
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::CatalogueEntry;

/// Money on the wire.
pub fn money(m: aftersales_kernel::Money) -> common::Money {
    common::Money { currency_code: m.currency().to_string(), units_minor: m.minor_units() }
}

/// An entry on the wire. Absent optional references are empty strings, as the proto says.
pub fn catalogue_entry(e: &CatalogueEntry) -> pb::CatalogueEntry {
    pb::CatalogueEntry {
        part_number: e.part_number().to_string(),
        name: e.name().to_string(),
        specification: e.specification().to_string(),
        applicable_models: e.applicable_models().to_vec(),
        maker: e.maker().to_string(),
        supplier_id: e.supplier_id().map(|s| s.to_string()).unwrap_or_default(),
        list_price: Some(money(e.list_price())),
        warranty_months: e.warranty().months(),
        warranty_km: e.warranty().km(),
        superseded_by: e.superseded_by().map(|p| p.to_string()).unwrap_or_default(),
        create_time: Some(to_timestamp(e.created_at())),
        update_time: Some(to_timestamp(e.updated_at())),
    }
}

/// `CatalogueEntryCreated` for the feed.
pub fn created_event(e: &CatalogueEntry) -> pb::CatalogueEntryCreated {
    pb::CatalogueEntryCreated {
        part_number: e.part_number().to_string(),
        name: e.name().to_string(),
        supplier_id: e.supplier_id().map(|s| s.to_string()).unwrap_or_default(),
        list_price: Some(money(e.list_price())),
        warranty_months: e.warranty().months(),
        warranty_km: e.warranty().km(),
        superseded_by: e.superseded_by().map(|p| p.to_string()).unwrap_or_default(),
    }
}
