//! Rows ↔ the domain's repair order and its lines.

use aftersales_kernel::{Currency, DealerId, Hundredths, Money, PartNumber, RepairOrderId, Vin};
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::ActiveValue::Set;

use crate::domain::{
    AdditionalWork, Consent, ConsentChannel, LineId, LineItem, LineRequirement, OperationCode, RepairOrder,
    RepairOrderLine, RepairOrderState,
};
use crate::store::entities::{repair_order, repair_order_line};

pub(super) fn to_row(order: &RepairOrder) -> repair_order::ActiveModel {
    let consent = order.consent.as_ref();
    repair_order::ActiveModel {
        id: Set(order.id.to_string()),
        dealer_id: Set(order.dealer_id.to_string()),
        vin: Set(order.vin.to_string()),
        mileage_km: Set(order.mileage_km),
        urgent: Set(order.urgent),
        fault_description: Set(order.fault_description.clone()),
        promised_at_us: Set(to_micros(order.promised_at)),
        state: Set(order.state.as_str().to_string()),
        estimate_version: Set(order.estimate_version),
        consent_version: Set(consent.map(|c| c.estimate_version)),
        consented_by: Set(consent.map(|c| c.consented_by.clone())),
        consent_channel: Set(consent.map(|c| channel_name(c.channel).to_string())),
        signature_reference: Set(consent.map(|c| c.signature_reference.clone())),
        consent_recorded_by: Set(consent.map(|c| c.recorded_by.clone())),
        consented_at_us: Set(consent.map(|c| to_micros(c.consented_at))),
        created_by: Set(order.created_by.clone()),
        created_at_us: Set(to_micros(order.created_at)),
        updated_at_us: Set(to_micros(order.updated_at)),
        revision: Set(order.revision),
        cancellation_reason: Set(order.cancellation_reason.clone()),
        check_in_id: Set(order.check_in_id.map(|id| id.to_string())),
        requisitions_closed_at_us: Set(order.requisitions_closed_at.map(to_micros)),
    }
}

pub(super) fn line_row(
    order: RepairOrderId,
    position: usize,
    line: &RepairOrderLine,
) -> repair_order_line::ActiveModel {
    let (kind, code, quantity, price) = match &line.item {
        LineItem::Labour { operation_code, hours, hourly_rate } => {
            ("labour", operation_code.as_str().to_string(), *hours, *hourly_rate)
        }
        LineItem::Part { part_number, quantity, unit_price } => {
            ("part", part_number.to_string(), *quantity, *unit_price)
        }
    };
    repair_order_line::ActiveModel {
        id: Set(line.id.0.to_string()),
        repair_order_id: Set(order.to_string()),
        position: Set(position as i32),
        kind: Set(kind.to_string()),
        code: Set(code),
        quantity_hundredths: Set(quantity.as_hundredths()),
        price_minor: Set(price.minor_units()),
        currency: Set(price.currency().to_string()),
        requirement: Set(match line.requirement {
            LineRequirement::Required => "required",
            LineRequirement::Optional => "optional",
        }
        .to_string()),
        declined_reason: Set(line.declined_reason.clone()),
        additional_work_id: Set(line.additional_work_id.map(|id| id.to_string())),
        actual_hundredths: Set(line.actual.map(|h| h.as_hundredths())),
    }
}

pub(super) fn channel_name(channel: ConsentChannel) -> &'static str {
    match channel {
        ConsentChannel::InPerson => "in_person",
        ConsentChannel::Phone => "phone",
        ConsentChannel::App => "app",
    }
}

pub(super) fn channel_from_name(name: &str) -> AppResult<ConsentChannel> {
    match name {
        "in_person" => Ok(ConsentChannel::InPerson),
        "phone" => Ok(ConsentChannel::Phone),
        "app" => Ok(ConsentChannel::App),
        _ => Err(corrupt("consent channel")),
    }
}

pub(super) fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored repair order has an invalid {what}"))
}

pub(super) fn from_rows(
    row: repair_order::Model,
    lines: Vec<repair_order_line::Model>,
    additional_work: Vec<AdditionalWork>,
) -> AppResult<RepairOrder> {
    let consent = match (row.consent_version, row.consent_channel.as_deref(), row.consented_at_us) {
        (Some(version), Some(channel), Some(at)) => Some(Consent {
            estimate_version: version,
            consented_by: row.consented_by.clone().unwrap_or_default(),
            channel: channel_from_name(channel)?,
            signature_reference: row.signature_reference.clone().unwrap_or_default(),
            recorded_by: row.consent_recorded_by.clone().unwrap_or_default(),
            consented_at: from_micros(at),
        }),
        _ => None,
    };
    Ok(RepairOrder {
        id: RepairOrderId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: DealerId::parse(&row.dealer_id).map_err(|_| corrupt("dealer id"))?,
        vin: Vin::parse(&row.vin).map_err(|_| corrupt("vin"))?,
        mileage_km: row.mileage_km,
        urgent: row.urgent,
        fault_description: row.fault_description,
        promised_at: from_micros(row.promised_at_us),
        state: RepairOrderState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        estimate_version: row.estimate_version,
        lines: lines.into_iter().map(line_from_row).collect::<AppResult<_>>()?,
        consent,
        created_by: row.created_by,
        created_at: from_micros(row.created_at_us),
        updated_at: from_micros(row.updated_at_us),
        revision: row.revision,
        cancellation_reason: row.cancellation_reason,
        additional_work,
        delivery: None,
        follow_up: None,
        requisitions_closed_at: row.requisitions_closed_at_us.map(from_micros),
        check_in_id: row
            .check_in_id
            .map(|id| uuid::Uuid::parse_str(&id))
            .transpose()
            .map_err(|_| corrupt("check-in id"))?,
    })
}

fn line_from_row(row: repair_order_line::Model) -> AppResult<RepairOrderLine> {
    let currency = Currency::parse(&row.currency).map_err(|_| corrupt("currency"))?;
    let price = Money::new(currency, row.price_minor);
    let amount = Hundredths::from_hundredths(row.quantity_hundredths).map_err(|_| corrupt("quantity"))?;
    let item = match row.kind.as_str() {
        "labour" => LineItem::Labour {
            operation_code: OperationCode::parse(&row.code).map_err(|_| corrupt("operation code"))?,
            hours: amount,
            hourly_rate: price,
        },
        "part" => LineItem::Part {
            part_number: PartNumber::parse(&row.code).map_err(|_| corrupt("part number"))?,
            quantity: amount,
            unit_price: price,
        },
        _ => return Err(corrupt("line kind")),
    };
    Ok(RepairOrderLine {
        id: LineId(uuid::Uuid::parse_str(&row.id).map_err(|_| corrupt("line id"))?),
        item,
        requirement: match row.requirement.as_str() {
            "required" => LineRequirement::Required,
            "optional" => LineRequirement::Optional,
            _ => return Err(corrupt("requirement")),
        },
        declined_reason: row.declined_reason,
        additional_work_id: row
            .additional_work_id
            .map(|id| uuid::Uuid::parse_str(&id))
            .transpose()
            .map_err(|_| corrupt("additional work id"))?,
        actual: row.actual_hundredths.map(Hundredths::from_hundredths).transpose().map_err(|_| corrupt("actual"))?,
    })
}
