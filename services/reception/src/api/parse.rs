//! Proto → domain for reception's requests: every field checked, every violation named.

use aftersales_kernel::{DealerId, Hundredths, Money, PartNumber, RepairOrderId, Vin};
use aftersales_proto::common::v1 as common;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::validate::{Check, NAME_MAX, REFERENCE_MAX, TEXT_MAX};
use aftersales_runtime::{AppError, from_timestamp};

use crate::domain::{
    Consent, ConsentChannel, LineId, LineItem, LineRequirement, NewLine, NewRepairOrder, OperationCode, OrderVehicle,
    RepairOrderState,
};

/// Most lines on one estimate.
const MAX_LINES: usize = 200;
/// Highest odometer reading accepted, km.
const MAX_MILEAGE_KM: i64 = 2_000_000;

/// A consent channel: in person, phone or app.
pub(super) fn consent_channel(check: &mut Check, field: &str, raw: i32) -> Option<ConsentChannel> {
    match pb::ConsentChannel::try_from(raw) {
        Ok(pb::ConsentChannel::InPerson) => Some(ConsentChannel::InPerson),
        Ok(pb::ConsentChannel::Phone) => Some(ConsentChannel::Phone),
        Ok(pb::ConsentChannel::App) => Some(ConsentChannel::App),
        _ => {
            check.fail(field, "must be IN_PERSON, PHONE or APP");
            None
        }
    }
}

/// A time; `required` or else optional (unset → `Some(None)`).
pub(super) fn time(
    check: &mut Check,
    field: &str,
    value: Option<&prost_types::Timestamp>,
    required: bool,
) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(value) = value else {
        if required {
            check.fail(field, "is required");
            return None;
        }
        return Some(None);
    };
    let parsed = from_timestamp(Some(value));
    if parsed.is_none() {
        check.fail(field, "is not a valid time");
        return None;
    }
    Some(parsed)
}

/// A price or amount: never negative (`Check::money`).
pub(super) fn money(check: &mut Check, field: &str, value: Option<&common::Money>) -> Option<Money> {
    check.money(field, value)
}

fn hundredths(check: &mut Check, field: &str, value: i64, max: i64) -> Option<Hundredths> {
    let value = check.range(field, value, 1, max)?;
    check.parse(field, Hundredths::from_hundredths(value))
}

fn line(check: &mut Check, index: usize, line: &pb::NewRepairOrderLine) -> Option<NewLine> {
    let prefix = format!("lines[{index}]");
    let requirement = match pb::LineRequirement::try_from(line.requirement) {
        Ok(pb::LineRequirement::Required) => Some(LineRequirement::Required),
        Ok(pb::LineRequirement::Optional) => Some(LineRequirement::Optional),
        _ => {
            check.fail(format!("{prefix}.requirement"), "must be REQUIRED or OPTIONAL");
            None
        }
    };
    let item = match &line.item {
        Some(pb::new_repair_order_line::Item::Labour(labour)) => {
            let code =
                check.parse(&format!("{prefix}.labour.operation_code"), OperationCode::parse(&labour.operation_code));
            let hours = hundredths(
                check,
                &format!("{prefix}.labour.estimated_hours_hundredths"),
                labour.estimated_hours_hundredths,
                100_000,
            );
            let rate = money(check, &format!("{prefix}.labour.hourly_rate"), labour.hourly_rate.as_ref());
            match (code, hours, rate) {
                (Some(operation_code), Some(hours), Some(hourly_rate)) => {
                    Some(LineItem::Labour { operation_code, hours, hourly_rate })
                }
                _ => None,
            }
        }
        Some(pb::new_repair_order_line::Item::Part(part)) => {
            let number = check.parse(&format!("{prefix}.part.part_number"), PartNumber::parse(&part.part_number));
            let quantity =
                hundredths(check, &format!("{prefix}.part.quantity_hundredths"), part.quantity_hundredths, 10_000_000);
            let price = money(check, &format!("{prefix}.part.unit_price"), part.unit_price.as_ref());
            match (number, quantity, price) {
                (Some(part_number), Some(quantity), Some(unit_price)) => {
                    Some(LineItem::Part { part_number, quantity, unit_price })
                }
                _ => None,
            }
        }
        None => {
            check.fail(format!("{prefix}.item"), "must be labour or part");
            None
        }
    };
    Some(NewLine { item: item?, requirement: requirement? })
}

/// The car of a `CreateRepairOrderRequest`: named by VIN and reading, or the car of a check-in (then an empty VIN
/// and a reading of 0 mean "the check-in's").
fn order_vehicle(check: &mut Check, request: &pb::CreateRepairOrderRequest) -> Option<OrderVehicle> {
    if request.check_in_id.is_empty() {
        let vin = check.parse("vin", Vin::parse(&request.vin));
        let mileage_km = check.range("mileage_km", request.mileage_km, 0, MAX_MILEAGE_KM);
        return Some(OrderVehicle::Given { vin: vin?, mileage_km: mileage_km? });
    }
    let check_in_id = check.parse("check_in_id", uuid::Uuid::try_parse(&request.check_in_id));
    let vin = (!request.vin.is_empty()).then(|| check.parse("vin", Vin::parse(&request.vin)));
    let mileage_km =
        (request.mileage_km != 0).then(|| check.range("mileage_km", request.mileage_km, 0, MAX_MILEAGE_KM));
    Some(OrderVehicle::CheckedIn {
        check_in_id: check_in_id?,
        vin: vin.map(|v| v.ok_or(())).transpose().ok()?,
        mileage_km: mileage_km.map(|m| m.ok_or(())).transpose().ok()?,
    })
}

/// `CreateRepairOrderRequest` → the idempotency key and what the domain needs.
pub fn new_repair_order(
    request: &pb::CreateRepairOrderRequest,
    dealer_id: DealerId,
    created_by: &str,
) -> Result<(uuid::Uuid, NewRepairOrder), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let vehicle = order_vehicle(&mut check, request);
    let fault = check.text("fault_description", &request.fault_description, 1, TEXT_MAX);
    let promised_at = check.required("promised_at", request.promised_at.as_ref()).and_then(|t| {
        let parsed = from_timestamp(Some(t));
        if parsed.is_none() {
            check.fail("promised_at", "is not a valid time");
        }
        parsed
    });
    if request.lines.is_empty() || request.lines.len() > MAX_LINES {
        check.fail("lines", format!("must have 1 to {MAX_LINES} lines"));
    }
    let lines: Vec<Option<NewLine>> =
        request.lines.iter().take(MAX_LINES).enumerate().map(|(i, l)| line(&mut check, i, l)).collect();
    check.finish_with(|| {
        Some((
            request_id?,
            NewRepairOrder {
                dealer_id,
                vehicle: vehicle?,
                urgent: request.urgent,
                fault_description: fault?,
                promised_at: promised_at?,
                lines: lines.into_iter().collect::<Option<Vec<_>>>()?,
                created_by: created_by.to_string(),
            },
        ))
    })
}

/// A checked `ApproveEstimateRequest`.
pub struct Approval {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// The consent (its time is set by the use case).
    pub consent: Consent,
    /// Optional lines declined, with reasons.
    pub declined: Vec<(LineId, String)>,
}

/// `ApproveEstimateRequest` → an [`Approval`].
pub fn approval(request: &pb::ApproveEstimateRequest, recorded_by: &str) -> Result<Approval, AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
    let version = check.range("estimate_version", request.estimate_version, 1, i32::MAX);
    let consented_by = check.text("consented_by", &request.consented_by, 1, NAME_MAX);
    let channel = consent_channel(&mut check, "channel", request.channel);
    let min_reference = if channel == Some(ConsentChannel::Phone) { 0 } else { 1 };
    let reference = check.text("signature_reference", &request.signature_reference, min_reference, REFERENCE_MAX);
    let declined: Vec<Option<(LineId, String)>> = request
        .declined_lines
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let id = match uuid::Uuid::try_parse(&d.line_id) {
                Ok(id) => Some(LineId(id)),
                Err(_) => {
                    check.fail(format!("declined_lines[{i}].line_id"), "must be a line id (UUID)");
                    None
                }
            };
            let reason = check.text(&format!("declined_lines[{i}].reason"), &d.reason, 1, TEXT_MAX);
            Some((id?, reason?))
        })
        .collect();
    check.finish_with(|| {
        Some(Approval {
            request_id: request_id?,
            repair_order_id: id?,
            consent: Consent {
                estimate_version: version?,
                consented_by: consented_by?,
                channel: channel?,
                signature_reference: reference?,
                recorded_by: recorded_by.to_string(),
                consented_at: chrono::DateTime::UNIX_EPOCH,
            },
            declined: declined.into_iter().collect::<Option<Vec<_>>>()?,
        })
    })
}

/// The filters of `ListRepairOrdersRequest`.
pub fn list_filter(
    request: &pb::ListRepairOrdersRequest,
) -> Result<(Option<DealerId>, Option<RepairOrderState>), AppError> {
    let mut check = Check::new();
    let dealer =
        if request.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&request.dealer_id)) };
    let state = match pb::RepairOrderState::try_from(request.state) {
        Ok(pb::RepairOrderState::Unspecified) => None,
        Ok(s) => {
            RepairOrderState::parse(&s.as_str_name().trim_start_matches("REPAIR_ORDER_STATE_").to_ascii_lowercase())
        }
        Err(_) => {
            check.fail("state", format!("unknown value {}", request.state));
            None
        }
    };
    check.finish()?;
    Ok((dealer, state))
}
