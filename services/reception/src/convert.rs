//! Domain → proto: how repair orders look on the wire and on the feed. (Proto → domain, with validation, is in
//! `api::parse`.)

use aftersales_proto::common::v1 as common;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::{ConsentChannel, LineItem, LineRequirement, RepairOrder, RepairOrderLine, RepairOrderState};

/// Money on the wire.
pub fn money(m: aftersales_kernel::Money) -> common::Money {
    common::Money { currency_code: m.currency().to_string(), units_minor: m.minor_units() }
}

/// State on the wire.
pub fn state(s: RepairOrderState) -> pb::RepairOrderState {
    match s {
        RepairOrderState::Draft => pb::RepairOrderState::Draft,
        RepairOrderState::Estimated => pb::RepairOrderState::Estimated,
        RepairOrderState::Approved => pb::RepairOrderState::Approved,
        RepairOrderState::InWorkshop => pb::RepairOrderState::InWorkshop,
        RepairOrderState::AwaitingAdditionalConsent => pb::RepairOrderState::AwaitingAdditionalConsent,
        RepairOrderState::Ready => pb::RepairOrderState::Ready,
        RepairOrderState::Settled => pb::RepairOrderState::Settled,
        RepairOrderState::Delivered => pb::RepairOrderState::Delivered,
        RepairOrderState::FollowedUp => pb::RepairOrderState::FollowedUp,
        RepairOrderState::Cancelled => pb::RepairOrderState::Cancelled,
    }
}

/// A line on the wire.
pub fn line(l: &RepairOrderLine) -> pb::RepairOrderLine {
    let item = match &l.item {
        LineItem::Labour { operation_code, hours, hourly_rate } => {
            pb::repair_order_line::Item::Labour(pb::LabourItem {
                operation_code: operation_code.as_str().to_string(),
                estimated_hours_hundredths: hours.as_hundredths(),
                hourly_rate: Some(money(*hourly_rate)),
            })
        }
        LineItem::Part { part_number, quantity, unit_price } => pb::repair_order_line::Item::Part(pb::PartItem {
            part_number: part_number.to_string(),
            quantity_hundredths: quantity.as_hundredths(),
            unit_price: Some(money(*unit_price)),
        }),
    };
    pb::RepairOrderLine {
        line_id: l.id.0.to_string(),
        item: Some(item),
        requirement: match l.requirement {
            LineRequirement::Required => pb::LineRequirement::Required,
            LineRequirement::Optional => pb::LineRequirement::Optional,
        } as i32,
        estimated_amount: l.item.amount().ok().map(money),
        declined: l.is_declined(),
        declined_reason: l.declined_reason.clone().unwrap_or_default(),
    }
}

/// An order on the wire.
pub fn repair_order(o: &RepairOrder) -> pb::RepairOrder {
    pb::RepairOrder {
        id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        mileage_km: o.mileage_km,
        urgent: o.urgent,
        fault_description: o.fault_description.clone(),
        promised_at: Some(to_timestamp(o.promised_at)),
        state: state(o.state) as i32,
        estimate_version: o.estimate_version,
        lines: o.lines.iter().map(line).collect(),
        estimate_total: o.estimate_total().ok().map(money),
        consent: o.consent.as_ref().map(|c| pb::Consent {
            estimate_version: c.estimate_version,
            consented_by: c.consented_by.clone(),
            channel: match c.channel {
                ConsentChannel::InPerson => pb::ConsentChannel::InPerson,
                ConsentChannel::Phone => pb::ConsentChannel::Phone,
                ConsentChannel::App => pb::ConsentChannel::App,
            } as i32,
            signature_reference: c.signature_reference.clone(),
            recorded_by: c.recorded_by.clone(),
            consented_at: Some(to_timestamp(c.consented_at)),
        }),
        created_by: o.created_by.clone(),
        create_time: Some(to_timestamp(o.created_at)),
        update_time: Some(to_timestamp(o.updated_at)),
        etag: format!("\"{}\"", o.revision),
        cancellation_reason: o.cancellation_reason.clone().unwrap_or_default(),
    }
}

/// `RepairOrderCreated` for the feed.
pub fn created_event(o: &RepairOrder) -> pb::RepairOrderCreated {
    pb::RepairOrderCreated {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        urgent: o.urgent,
        estimate_version: o.estimate_version,
    }
}

/// `RepairOrderApproved` for the feed: the consented lines only.
pub fn approved_event(o: &RepairOrder) -> pb::RepairOrderApproved {
    pb::RepairOrderApproved {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        mileage_km: o.mileage_km,
        urgent: o.urgent,
        promised_at: Some(to_timestamp(o.promised_at)),
        estimate_version: o.estimate_version,
        lines: o.consented_lines().map(line).collect(),
        approved_at: o.consent.as_ref().map(|c| to_timestamp(c.consented_at)),
    }
}

/// `RepairOrderCancelled` for the feed.
pub fn cancelled_event(o: &RepairOrder) -> pb::RepairOrderCancelled {
    pb::RepairOrderCancelled {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        reason: o.cancellation_reason.clone().unwrap_or_default(),
        cancelled_at: Some(aftersales_runtime::to_timestamp(o.updated_at)),
    }
}
