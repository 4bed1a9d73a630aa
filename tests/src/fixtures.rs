//! Valid requests to start from; tests change one field at a time.

use aftersales_proto::common::v1::Money;
use aftersales_proto::reception::v1 as reception;

/// A VIN with a correct check digit.
pub const VIN: &str = "1M8GDM9AXKP042788";

/// EUR amount in cents.
pub fn eur(cents: i64) -> Option<Money> {
    Some(Money { currency_code: "EUR".into(), units_minor: cents })
}

/// A valid CreateRepairOrderRequest: one required labour line (1.5 h at 80.00) and one optional part.
pub fn create_repair_order(urgent: bool) -> reception::CreateRepairOrderRequest {
    let promised = chrono::Utc::now() + chrono::Duration::days(2);
    reception::CreateRepairOrderRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        vin: VIN.into(),
        mileage_km: 42_000,
        urgent,
        fault_description: "engine will not start when cold".into(),
        promised_at: Some(prost_types::Timestamp { seconds: promised.timestamp(), nanos: 0 }),
        lines: vec![
            reception::NewRepairOrderLine {
                item: Some(reception::new_repair_order_line::Item::Labour(reception::LabourItem {
                    operation_code: "ENG-0420".into(),
                    estimated_hours_hundredths: 150,
                    hourly_rate: eur(8000),
                })),
                requirement: reception::LineRequirement::Required as i32,
            },
            reception::NewRepairOrderLine {
                item: Some(reception::new_repair_order_line::Item::Part(reception::PartItem {
                    part_number: "A-1001".into(),
                    quantity_hundredths: 200,
                    unit_price: eur(1999),
                })),
                requirement: reception::LineRequirement::Optional as i32,
            },
        ],
    }
}

/// A valid ApproveEstimateRequest for version 1 of `order`.
pub fn approve(order: &str) -> reception::ApproveEstimateRequest {
    reception::ApproveEstimateRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        estimate_version: 1,
        consented_by: "Li Wei".into(),
        channel: reception::ConsentChannel::InPerson as i32,
        signature_reference: "sig://desk/1".into(),
        declined_lines: vec![],
    }
}
