//! Valid requests to start from; tests change one field at a time.

use aftersales_proto::common::v1::Money;
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::supplier::v1 as supplier;

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
        check_in_id: String::new(),
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

/// A valid ApproveAdditionalWorkRequest for a request made by `Crew::ask_for_additional_work` (one operation at
/// 80.00 an hour, one part at 12.50), consented on the phone.
pub fn approve_additional_work(order: &str, work: &str) -> reception::ApproveAdditionalWorkRequest {
    reception::ApproveAdditionalWorkRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        additional_work_id: work.into(),
        hourly_rate: eur(8000),
        part_unit_prices: vec![eur(1250).expect("price")],
        consented_by: "Li Wei".into(),
        channel: reception::ConsentChannel::Phone as i32,
        signature_reference: "call://approve".into(),
    }
}

/// A valid RefuseAdditionalWorkRequest.
pub fn refuse_additional_work(order: &str, work: &str) -> reception::RefuseAdditionalWorkRequest {
    reception::RefuseAdditionalWorkRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        additional_work_id: work.into(),
        reason: "will have it done next time".into(),
        refused_by: "Li Wei".into(),
        channel: reception::ConsentChannel::Phone as i32,
    }
}

/// A valid NotifyCustomerProgressRequest (expected ready in 2 h of real time).
pub fn progress_notice(order: &str) -> reception::NotifyCustomerProgressRequest {
    let expected = chrono::Utc::now() + chrono::Duration::hours(2);
    reception::NotifyCustomerProgressRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        message: "gearbox opened: clutch plate worn, about two more hours".into(),
        channel: reception::NoticeChannel::Phone as i32,
        expected_ready_at: Some(prost_types::Timestamp { seconds: expected.timestamp(), nanos: 0 }),
    }
}

/// A valid NotifyCustomerDelayRequest moving the promise to `days` days from now (the fixture order's promise is
/// 2 days out).
pub fn delay_notice(order: &str, days: i64) -> reception::NotifyCustomerDelayRequest {
    let later = chrono::Utc::now() + chrono::Duration::days(days);
    reception::NotifyCustomerDelayRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        reason: "the clutch kit arrives tomorrow".into(),
        new_promised_at: Some(prost_types::Timestamp { seconds: later.timestamp(), nanos: 0 }),
        compensation_offer: "free wash and a courtesy car".into(),
        channel: reception::NoticeChannel::Phone as i32,
    }
}

/// A valid AddDiscountRequest of `cents` euro cents.
pub fn add_discount(order: &str, cents: i64) -> reception::AddDiscountRequest {
    reception::AddDiscountRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        description: "loyalty discount".into(),
        amount: eur(cents),
        reason: "tenth visit this year".into(),
    }
}

/// A valid AddStaffMemberRequest for a fresh subject: a service advisor with a phone contact.
pub fn add_staff_member() -> reception::AddStaffMemberRequest {
    reception::AddStaffMemberRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        subject: format!("staff-{}", uuid::Uuid::now_v7()),
        name: "Wang Fang".into(),
        role: reception::StaffRole::ServiceAdvisor as i32,
        contact: "+86 21 5555 0101".into(),
    }
}

/// A valid ReceiveInquiryRequest: an urgent complaint by phone.
pub fn receive_inquiry() -> reception::ReceiveInquiryRequest {
    reception::ReceiveInquiryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        kind: reception::InquiryKind::Complaint as i32,
        channel: reception::InquiryChannel::Phone as i32,
        urgent: true,
        customer_name: "Li Wei".into(),
        customer_contact: "+8613800000000".into(),
        vin: VIN.into(),
        subject: "car will not start after the repair".into(),
        description: "picked up yesterday, will not start this morning".into(),
    }
}

/// A fresh VIN with a correct check digit: consecutive serials from a random start on the fixture's prefix, so no
/// two of one process repeat (up to a million) — random serials collided in benchmarks making thousands per dealer.
pub fn fresh_vin() -> String {
    static NEXT: std::sync::OnceLock<std::sync::atomic::AtomicU64> = std::sync::OnceLock::new();
    let next =
        NEXT.get_or_init(|| std::sync::atomic::AtomicU64::new((uuid::Uuid::now_v7().as_u128() % 1_000_000) as u64));
    let serial = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 1_000_000;
    let candidate = format!("1M8GDM9A0KP{serial:06}");
    let check = aftersales_kernel::Vin::check_digit_for(&candidate).expect("a VIN candidate");
    format!("{}{check}{}", &candidate[..8], &candidate[9..])
}

/// A valid CreateCustomerRequest.
pub fn create_customer() -> reception::CreateCustomerRequest {
    reception::CreateCustomerRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        name: "Li Wei".into(),
        phone: "+86 138 0000 0000".into(),
        email: "li.wei@example.cn".into(),
        address: "88 Century Avenue, Pudong, Shanghai".into(),
        preferred_channel: reception::ContactChannel::Phone as i32,
    }
}

/// A valid RegisterVehicleRequest for `owner`, with a fresh VIN, at 42 000 km.
pub fn register_vehicle(owner: &str) -> reception::RegisterVehicleRequest {
    reception::RegisterVehicleRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        vin: fresh_vin(),
        model: "Sedan 2.0T".into(),
        model_year: 2022,
        plate: "沪A·12345".into(),
        owner_customer_id: owner.into(),
        mileage_km: 42_000,
    }
}

/// A valid RequestAppointmentRequest for `customer`'s `vehicle`, wished for tomorrow (real time), by app.
pub fn request_appointment(customer: &str, vehicle: &str, urgent: bool) -> reception::RequestAppointmentRequest {
    let wished = chrono::Utc::now() + chrono::Duration::days(1);
    reception::RequestAppointmentRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        customer_id: customer.into(),
        vehicle_id: vehicle.into(),
        channel: reception::AppointmentChannel::App as i32,
        fault_description: "engine will not start when cold".into(),
        urgent,
        wished_at: Some(prost_types::Timestamp { seconds: wished.timestamp(), nanos: 0 }),
    }
}

/// A valid CheckInRequest for `customer`'s `vehicle` at `km` (a walk-in unless an appointment is set).
pub fn check_in(customer: &str, vehicle: &str, km: i64) -> reception::CheckInRequest {
    reception::CheckInRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        appointment_id: String::new(),
        customer_id: customer.into(),
        vehicle_id: vehicle.into(),
        identity_checked: true,
        mileage_km: km,
        fuel_level_percent: 40,
        exterior_damage: vec![reception::PanelDamage {
            panel: "front bumper".into(),
            description: "scratch 10 cm, left of the plate".into(),
        }],
        interior_notes: "clean; child seat fitted".into(),
        belongings: vec!["child seat".into(), "umbrella".into()],
        fault_symptoms: "will not start when cold; cranks slowly".into(),
        could_not_reproduce: false,
        photo_references: vec!["photo://check-in/bumper".into()],
    }
}

/// A valid DeliverVehicleRequest: old parts shown, next service at 57 000 km.
pub fn deliver(order: &str) -> reception::DeliverVehicleRequest {
    reception::DeliverVehicleRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        old_parts: reception::OldPartsHandling::Shown as i32,
        next_service_on: String::new(),
        next_service_km: 57_000,
    }
}

/// A valid RecordFollowUpRequest with `score`, on the phone, no complaint.
pub fn follow_up(order: &str, score: i32) -> reception::RecordFollowUpRequest {
    reception::RecordFollowUpRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        channel: reception::FollowUpChannel::Phone as i32,
        score,
        comments: "the noise is gone".into(),
        complaint: false,
    }
}

/// A valid CreateCaseRequest for `dealer` ("" = the caller's own, or none).
pub fn new_case(dealer: &str) -> escalation::CreateCaseRequest {
    escalation::CreateCaseRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        dealer_id: dealer.to_string(),
        region: "East".into(),
        source: escalation::CaseSource::Hotline as i32,
        model: "EA888".into(),
        serial_or_vin: VIN.into(),
        symptom: "loses power on motorways".into(),
        usage_scenario: "towing".into(),
        contact: Some(escalation::Contact {
            name: "Li Wei".into(),
            phone: "+86 21 5555 0100".into(),
            email: String::new(),
        }),
    }
}

/// A valid CreateSupplierRequest with a fresh code.
pub fn new_supplier() -> supplier::CreateSupplierRequest {
    let code = format!("SUP-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]).to_uppercase();
    supplier::CreateSupplierRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        name: "Bosch Automotive".into(),
        code,
        contacts: vec![supplier::SupplierContact {
            name: "Anna Weber".into(),
            email: "anna.weber@example.com".into(),
            phone: "+49 711 400".into(),
            duty: "claims".into(),
        }],
        status: supplier::SupplierStatus::Approved as i32,
    }
}

/// A valid CreateCatalogueEntryRequest with a fresh part number, superseded by `superseded_by` ("" = none).
pub fn new_part(superseded_by: &str) -> aftersales_proto::parts::v1::CreateCatalogueEntryRequest {
    aftersales_proto::parts::v1::CreateCatalogueEntryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        part_number: format!("P-{}", &uuid::Uuid::now_v7().simple().to_string()[18..]).to_uppercase(),
        name: "Oil filter".into(),
        specification: "M20x1.5".into(),
        applicable_models: vec!["EA888".into()],
        maker: "Mann".into(),
        supplier_id: String::new(),
        list_price: eur(1250),
        warranty_months: 24,
        warranty_km: 60_000,
        superseded_by: superseded_by.to_string(),
    }
}

/// A valid CreateOperationRequest with a fresh code (engine family, level 2, 1.50 h).
pub fn new_operation() -> aftersales_proto::workshop::v1::CreateOperationRequest {
    aftersales_proto::workshop::v1::CreateOperationRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        code: format!("OP-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]).to_uppercase(),
        name: "Replace timing belt".into(),
        skill_family: "engine".into(),
        minimum_level: 2,
        standard_hours_hundredths: 150,
    }
}

/// A valid RegisterTechnicianRequest for a fresh staff subject.
pub fn register_technician() -> aftersales_proto::workshop::v1::RegisterTechnicianRequest {
    aftersales_proto::workshop::v1::RegisterTechnicianRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        subject: format!("tech-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]),
        name: "Zhang San".into(),
    }
}

/// A valid RecordTrainingRequest for `technician`: engine level 3, passed, completed on 2026-03-01.
pub fn record_training(technician: &str) -> aftersales_proto::workshop::v1::RecordTrainingRequest {
    aftersales_proto::workshop::v1::RecordTrainingRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        technician_id: technician.to_string(),
        course: "ENG-L3 engine diagnosis".into(),
        skill_family: "engine".into(),
        level: 3,
        completed_on: "2026-03-01".into(),
        result: aftersales_proto::workshop::v1::AssessmentResult::Passed as i32,
    }
}

/// A valid CreateWarehouseRequest with a fresh code.
pub fn create_warehouse() -> aftersales_proto::parts::v1::CreateWarehouseRequest {
    aftersales_proto::parts::v1::CreateWarehouseRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        code: format!("W-{}", &uuid::Uuid::now_v7().simple().to_string()[24..]).to_uppercase(),
        name: "Main parts store".into(),
    }
}

/// A valid AddBinRequest for `warehouse`.
pub fn add_bin(warehouse: &str, code: &str) -> aftersales_proto::parts::v1::AddBinRequest {
    aftersales_proto::parts::v1::AddBinRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        warehouse_id: warehouse.into(),
        bin: Some(aftersales_proto::parts::v1::Bin { code: code.into(), description: "shelf".into() }),
    }
}

/// A valid AdjustStockRequest: 10 pieces of `part` into bin A-01 of `warehouse`, batch L-2026-01.
pub fn adjust_stock(warehouse: &str, part: &str) -> aftersales_proto::parts::v1::AdjustStockRequest {
    aftersales_proto::parts::v1::AdjustStockRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        warehouse_id: warehouse.into(),
        bin: "A-01".into(),
        part_number: part.into(),
        batch: "L-2026-01".into(),
        quantity_hundredths: 1000,
        reason: "opening balance".into(),
    }
}

/// A valid IssuePartsRequest: one piece of `part` from `warehouse`, over the counter.
pub fn issue_parts(warehouse: &str, part: &str) -> aftersales_proto::parts::v1::IssuePartsRequest {
    aftersales_proto::parts::v1::IssuePartsRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        warehouse_id: warehouse.into(),
        part_number: part.into(),
        quantity_hundredths: 100,
        batch: String::new(),
        document_type: "counter-issue".into(),
        document_reference: "CS-0001".into(),
        reason: String::new(),
    }
}

/// A valid StartCountRequest of bin A-01 of `warehouse`.
pub fn start_count(warehouse: &str) -> aftersales_proto::parts::v1::StartCountRequest {
    aftersales_proto::parts::v1::StartCountRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        warehouse_id: warehouse.into(),
        bins: vec!["A-01".into()],
    }
}

/// A valid RecordCountRequest: `hundredths` of `part`, batch L-2026-01, found in bin A-01.
pub fn record_count(count: &str, part: &str, hundredths: i64) -> aftersales_proto::parts::v1::RecordCountRequest {
    aftersales_proto::parts::v1::RecordCountRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        count_id: count.into(),
        bin: "A-01".into(),
        part_number: part.into(),
        batch: "L-2026-01".into(),
        counted_hundredths: hundredths,
    }
}

/// A valid TransferStockRequest: one piece of `part` from `from` to `to`, oldest batch first.
pub fn transfer_stock(from: &str, to: &str, part: &str) -> aftersales_proto::parts::v1::TransferStockRequest {
    aftersales_proto::parts::v1::TransferStockRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        from_warehouse_id: from.into(),
        to_warehouse_id: to.into(),
        part_number: part.into(),
        quantity_hundredths: 100,
        batch: String::new(),
    }
}

/// A required labour line of `code`, estimated at `hundredths` of an hour, at 80.00 an hour.
pub fn labour(code: &str, hundredths: i64) -> reception::NewRepairOrderLine {
    reception::NewRepairOrderLine {
        item: Some(reception::new_repair_order_line::Item::Labour(reception::LabourItem {
            operation_code: code.into(),
            estimated_hours_hundredths: hundredths,
            hourly_rate: eur(8000),
        })),
        requirement: reception::LineRequirement::Required as i32,
    }
}

/// A valid DraftClaimRequest against `supplier_id`: 1,000.00 CNY of parts and 250.00 of labour (125,000 minor units
/// claimed in all).
pub fn new_claim(supplier_id: &str) -> supplier::DraftClaimRequest {
    let cny = |minor| Some(Money { currency_code: "CNY".into(), units_minor: minor });
    supplier::DraftClaimRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        supplier_id: supplier_id.into(),
        part_number: "INJ-4410".into(),
        batch: "B2026-07".into(),
        model: "WP10".into(),
        symptom: "injector sticks open under load".into(),
        failure_time: None,
        mileage_km: Some(81_200),
        evidence_references: vec!["lab-report-7731".into()],
        parts_cost: cny(100_000),
        labour_cost: cny(25_000),
    }
}

/// A complete 8D report.
pub fn eight_d_report() -> supplier::EightDReport {
    supplier::EightDReport {
        team: "Zhang, Liu, Chen".into(),
        problem: "spring fatigue".into(),
        containment: "batch quarantined".into(),
        root_cause: "heat treatment too short".into(),
        corrective_action: "furnace profile corrected".into(),
        verification: "500 h bench test".into(),
        prevention: "furnace interlock".into(),
        closure: "closed with the team".into(),
        ..Default::default()
    }
}
