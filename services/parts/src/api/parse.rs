//! Proto → domain for parts' requests: the values with a kernel type are parsed here, every violation named by
//! its field. The catalogue's own rules (lengths, ranges, models) are the domain's, checked by the use case.

use aftersales_kernel::{Currency, Money, PartNumber, SupplierId};
use aftersales_proto::common::v1 as common;
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::validate::Check;

use crate::domain::Draft;

/// Money whose currency is checked here; its sign is a catalogue rule (list prices are not negative).
fn money(check: &mut Check, field: &str, value: Option<&common::Money>) -> Option<Money> {
    let value = check.required(field, value)?;
    let currency = check.parse(&format!("{field}.currency_code"), Currency::parse(&value.currency_code))?;
    Some(Money::new(currency, value.units_minor))
}

/// An optional reference: `Some(None)` when empty, `Some(Some(_))` when it parses, `None` (recorded) when not.
fn optional<T, E: std::fmt::Display>(
    check: &mut Check,
    field: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Option<Option<T>> {
    if text.is_empty() { Some(None) } else { check.parse(field, parse(text)).map(Some) }
}

/// `CreateCatalogueEntryRequest` → the idempotency key and the draft entry.
pub fn new_entry(request: &pb::CreateCatalogueEntryRequest) -> Result<(uuid::Uuid, Draft), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let part_number = check.parse("part_number", PartNumber::parse(&request.part_number));
    let supplier_id = optional(&mut check, "supplier_id", &request.supplier_id, SupplierId::parse);
    let list_price = money(&mut check, "list_price", request.list_price.as_ref());
    let superseded_by = optional(&mut check, "superseded_by", &request.superseded_by, PartNumber::parse);
    check.finish_with(|| {
        Some((
            request_id?,
            Draft {
                part_number: part_number?,
                name: request.name.clone(),
                specification: request.specification.clone(),
                applicable_models: request.applicable_models.clone(),
                maker: request.maker.clone(),
                supplier_id: supplier_id?,
                list_price: list_price?,
                warranty_months: request.warranty_months,
                warranty_km: request.warranty_km,
                superseded_by: superseded_by?,
            },
        ))
    })
}

/// The part number of `GetCatalogueEntryRequest`.
pub fn part_number(request: &pb::GetCatalogueEntryRequest) -> Result<PartNumber, AppError> {
    let mut check = Check::new();
    let part_number = check.parse("part_number", PartNumber::parse(&request.part_number));
    check.finish_with(|| part_number)
}

/// The supplier filter of `ListCatalogueEntriesRequest` (None: every supplier).
pub fn list_filter(request: &pb::ListCatalogueEntriesRequest) -> Result<Option<SupplierId>, AppError> {
    let mut check = Check::new();
    let supplier = optional(&mut check, "supplier_id", &request.supplier_id, SupplierId::parse);
    check.finish_with(|| supplier)
}
