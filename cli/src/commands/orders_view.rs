//! How repair orders look: a readable summary (with the line ids `--decline` needs), a table for lists, and
//! JSON shaped like the proto message (enum values by their proto names, money as currency and minor units).
#![forbid(unsafe_code)]

use aftersales_proto::common::v1::Money;
use aftersales_proto::reception::v1::{
    ConsentChannel, LineRequirement, RepairOrder, RepairOrderLine, RepairOrderState, repair_order_line::Item,
};
use serde_json::{Value, json};

use crate::output::{self, enum_json};

/// The states `--state` accepts (proto names without `REPAIR_ORDER_STATE_`, lower case).
pub const ORDER_STATES: [&str; 10] = [
    "draft",
    "estimated",
    "approved",
    "in_workshop",
    "awaiting_additional_consent",
    "ready",
    "settled",
    "delivered",
    "followed_up",
    "cancelled",
];

fn state(value: i32) -> String {
    RepairOrderState::try_from(value)
        .map(|s| output::short_name(s.as_str_name(), "REPAIR_ORDER_STATE_"))
        .unwrap_or_else(|_| value.to_string())
}

fn requirement(value: i32) -> String {
    LineRequirement::try_from(value)
        .map(|r| output::short_name(r.as_str_name(), "LINE_REQUIREMENT_"))
        .unwrap_or_else(|_| value.to_string())
}

fn channel(value: i32) -> String {
    ConsentChannel::try_from(value)
        .map(|c| output::short_name(c.as_str_name(), "CONSENT_CHANNEL_").replace('_', " "))
        .unwrap_or_else(|_| value.to_string())
}

/// The summary of one order.
pub fn order_text(order: &RepairOrder) -> String {
    let mut text = format!(
        "order {}  {}  estimate v{}\n",
        order.id,
        state(order.state).to_ascii_uppercase(),
        order.estimate_version
    );
    text += &format!("  dealer    {}\n", order.dealer_id);
    text +=
        &format!("  vehicle   {}, {} km{}\n", order.vin, order.mileage_km, if order.urgent { ", URGENT" } else { "" });
    text += &format!("  fault     {}\n", order.fault_description);
    text += &format!("  promised  {}\n", output::time(order.promised_at.as_ref()));
    text += &format!("  opened    {} by {}\n", output::time(order.create_time.as_ref()), order.created_by);
    text += "  lines\n";
    for line in &order.lines {
        text += &format!("    {}\n", line_text(line));
    }
    text += &format!("  total     {}\n", output::money(order.estimate_total.as_ref()));
    match &order.consent {
        Some(consent) => {
            text += &format!(
                "  consent   v{} by {} ({}{}), recorded by {} at {}",
                consent.estimate_version,
                consent.consented_by,
                channel(consent.channel),
                if consent.signature_reference.is_empty() {
                    String::new()
                } else {
                    format!(", {}", consent.signature_reference)
                },
                consent.recorded_by,
                output::time(consent.consented_at.as_ref())
            );
        }
        None => text += "  consent   none yet",
    }
    text
}

fn line_text(line: &RepairOrderLine) -> String {
    let what = match &line.item {
        Some(Item::Labour(labour)) => format!(
            "labour {:<12} {:>7} h x {}",
            labour.operation_code,
            output::hundredths(labour.estimated_hours_hundredths),
            output::money(labour.hourly_rate.as_ref())
        ),
        Some(Item::Part(part)) => format!(
            "part   {:<12} {:>7}   x {}",
            part.part_number,
            output::hundredths(part.quantity_hundredths),
            output::money(part.unit_price.as_ref())
        ),
        None => "(unknown item)".to_string(),
    };
    let declined = if line.declined { format!("  DECLINED: {}", line.declined_reason) } else { String::new() };
    format!(
        "{}  {what} = {}  {}{declined}",
        line.line_id,
        output::money(line.estimated_amount.as_ref()),
        requirement(line.requirement)
    )
}

/// A table of orders, newest first.
pub fn orders_table(orders: &[RepairOrder]) -> String {
    let mut text = format!("{:<36}  {:<12}  {:<17}  {:<6}  {:>14}  CREATED", "ID", "STATE", "VIN", "URGENT", "TOTAL");
    for order in orders {
        text += &format!(
            "\n{:<36}  {:<12}  {:<17}  {:<6}  {:>14}  {}",
            order.id,
            state(order.state),
            order.vin,
            if order.urgent { "yes" } else { "no" },
            output::money(order.estimate_total.as_ref()),
            output::time(order.create_time.as_ref())
        );
    }
    if orders.is_empty() {
        text += "\n(no orders)";
    }
    text
}

fn money_json(money: Option<&Money>) -> Value {
    money.map_or(Value::Null, |m| json!({ "currency_code": m.currency_code, "units_minor": m.units_minor }))
}

/// One order as JSON.
pub fn order_json(order: &RepairOrder) -> Value {
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|line| {
            let mut value = json!({
                "line_id": line.line_id,
                "requirement": enum_json(line.requirement, |r: LineRequirement| r.as_str_name()),
                "estimated_amount": money_json(line.estimated_amount.as_ref()),
                "declined": line.declined,
                "declined_reason": line.declined_reason,
            });
            match &line.item {
                Some(Item::Labour(l)) => {
                    value["labour"] = json!({
                        "operation_code": l.operation_code,
                        "estimated_hours_hundredths": l.estimated_hours_hundredths,
                        "hourly_rate": money_json(l.hourly_rate.as_ref()),
                    })
                }
                Some(Item::Part(p)) => {
                    value["part"] = json!({
                        "part_number": p.part_number,
                        "quantity_hundredths": p.quantity_hundredths,
                        "unit_price": money_json(p.unit_price.as_ref()),
                    })
                }
                None => {}
            }
            value
        })
        .collect();
    let consent = order.consent.as_ref().map(|c| {
        json!({
            "estimate_version": c.estimate_version,
            "consented_by": c.consented_by,
            "channel": enum_json(c.channel, |ch: ConsentChannel| ch.as_str_name()),
            "signature_reference": c.signature_reference,
            "recorded_by": c.recorded_by,
            "consented_at": output::time(c.consented_at.as_ref()),
        })
    });
    json!({
        "id": order.id,
        "dealer_id": order.dealer_id,
        "vin": order.vin,
        "mileage_km": order.mileage_km,
        "urgent": order.urgent,
        "fault_description": order.fault_description,
        "promised_at": output::time(order.promised_at.as_ref()),
        "state": enum_json(order.state, |s: RepairOrderState| s.as_str_name()),
        "estimate_version": order.estimate_version,
        "lines": lines,
        "estimate_total": money_json(order.estimate_total.as_ref()),
        "consent": consent,
        "created_by": order.created_by,
        "create_time": output::time(order.create_time.as_ref()),
        "update_time": output::time(order.update_time.as_ref()),
        "etag": order.etag,
    })
}
