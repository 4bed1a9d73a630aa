//! Bad input, field by field: every request field of reception, workshop, the feeds and the dev clock has at
//! least one failing row → INVALID_ARGUMENT whose BadRequest details name that field — and nothing is written.
//! (Parts, escalation and supplier keep their tables in `bad_input_catalogues.rs`.)

use aftersales_e2e::clients::{self, all_events};
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_e2e::{catalogue, directory, fixtures};
use aftersales_proto::common::v1::clock_admin_service_client::ClockAdminServiceClient;
use aftersales_proto::common::v1::{AdvanceClockRequest, ListEventsRequest, Money, PageRequest};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_proto::workshop::v1::{GetJobRequest, ListJobsRequest};
use tonic::Code;

fn labour(r: &mut pb::CreateRepairOrderRequest) -> &mut pb::LabourItem {
    match r.lines[0].item.as_mut() {
        Some(pb::new_repair_order_line::Item::Labour(l)) => l,
        _ => unreachable!("fixture line 0 is labour"),
    }
}

fn part(r: &mut pb::CreateRepairOrderRequest) -> &mut pb::PartItem {
    match r.lines[1].item.as_mut() {
        Some(pb::new_repair_order_line::Item::Part(p)) => p,
        _ => unreachable!("fixture line 1 is a part"),
    }
}

const CREATE: &[Mutation<pb::CreateRepairOrderRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "abc".into()),
    ("vin", "too short", |r| r.vin = "1M8GDM9AXKP04278".into()),
    ("vin", "forbidden letter O", |r| r.vin = "1M8GDM9AXKP04278O".into()),
    ("vin", "wrong check digit", |r| r.vin = "1M8GDM9A1KP042788".into()),
    ("mileage_km", "negative", |r| r.mileage_km = -1),
    ("mileage_km", "beyond any car", |r| r.mileage_km = 2_000_001),
    ("fault_description", "empty", |r| r.fault_description.clear()),
    ("fault_description", "over 4000 characters", |r| r.fault_description = "x".repeat(4001)),
    ("promised_at", "missing", |r| r.promised_at = None),
    ("promised_at", "in the past", |r| r.promised_at = Some(prost_types::Timestamp { seconds: 1_000_000, nanos: 0 })),
    ("promised_at", "invalid nanos", |r| r.promised_at.as_mut().unwrap().nanos = -5),
    ("lines", "no lines", |r| r.lines.clear()),
    ("lines[0].item", "neither labour nor part", |r| r.lines[0].item = None),
    ("lines[0].requirement", "unspecified", |r| r.lines[0].requirement = 0),
    ("lines[0].requirement", "unknown value", |r| r.lines[0].requirement = 99),
    ("lines[0].labour.operation_code", "lower case", |r| labour(r).operation_code = "eng-1".into()),
    ("lines[0].labour.estimated_hours_hundredths", "zero hours", |r| labour(r).estimated_hours_hundredths = 0),
    ("lines[0].labour.hourly_rate", "missing", |r| labour(r).hourly_rate = None),
    ("lines[0].labour.hourly_rate.currency_code", "not ISO 4217", |r| {
        labour(r).hourly_rate.as_mut().unwrap().currency_code = "eu".into()
    }),
    ("lines[0].labour.hourly_rate.units_minor", "negative", |r| {
        labour(r).hourly_rate.as_mut().unwrap().units_minor = -1
    }),
    ("lines[1].part.part_number", "a space", |r| part(r).part_number = "A 1001".into()),
    ("lines[1].part.quantity_hundredths", "negative", |r| part(r).quantity_hundredths = -100),
    ("lines[1].part.unit_price", "missing", |r| part(r).unit_price = None),
    ("lines[1].part.unit_price.currency_code", "empty", |r| part(r).unit_price.as_mut().unwrap().currency_code.clear()),
    ("lines[1].part.unit_price.units_minor", "negative", |r| part(r).unit_price.as_mut().unwrap().units_minor = -5),
    ("lines[1]", "another currency", |r| {
        part(r).unit_price = Some(Money { currency_code: "USD".into(), units_minor: 100 })
    }),
    ("lines[0].labour.operation_code", "not in the catalogue", |r| labour(r).operation_code = "ZZ-9999".into()),
    ("vin", "missing without a check-in", |r| r.vin.clear()),
    ("check_in_id", "not a UUID", |r| r.check_in_id = "visit-1".into()),
    ("check_in_id", "no such check-in", |r| r.check_in_id = uuid::Uuid::now_v7().to_string()),
];

const APPROVE: &[Mutation<pb::ApproveEstimateRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "42".into()),
    ("estimate_version", "zero", |r| r.estimate_version = 0),
    ("consented_by", "empty", |r| r.consented_by.clear()),
    ("consented_by", "over 200 characters", |r| r.consented_by = "y".repeat(201)),
    ("channel", "unspecified", |r| r.channel = 0),
    ("signature_reference", "missing for in-person consent", |r| r.signature_reference.clear()),
    ("signature_reference", "over 1000 characters", |r| r.signature_reference = "s".repeat(1001)),
    ("declined_lines[0].line_id", "not an id", |r| {
        r.declined_lines = vec![pb::DeclinedLine { line_id: "x".into(), reason: "no".into() }]
    }),
    ("declined_lines[0].reason", "empty", |r| {
        r.declined_lines = vec![pb::DeclinedLine { line_id: uuid::Uuid::now_v7().to_string(), reason: String::new() }]
    }),
];

const CANCEL: &[Mutation<pb::CancelRepairOrderRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a UUID", |r| r.request_id = "again".into()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "42".into()),
    ("repair_order_id", "missing", |r| r.repair_order_id.clear()),
    ("reason", "empty", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

fn cancel(order: &str) -> pb::CancelRepairOrderRequest {
    pb::CancelRepairOrderRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.into(),
        reason: "customer changed their mind".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_reception_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let token = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let reception = suite.service("reception");
    let mut orders = clients::orders(reception, &token).await;

    for (field, case, mutate) in CREATE {
        let mut request = fixtures::create_repair_order(false);
        mutate(&mut request);
        names_field(orders.create_repair_order(request).await, field, &format!("CreateRepairOrder {field}: {case}"));
    }
    let id = aftersales_kernel::RepairOrderId::new().to_string();
    for (field, case, mutate) in APPROVE {
        let mut request = fixtures::approve(&id);
        mutate(&mut request);
        names_field(orders.approve_estimate(request).await, field, &format!("ApproveEstimate {field}: {case}"));
    }
    for (field, case, mutate) in CANCEL {
        let mut request = cancel(&id);
        mutate(&mut request);
        names_field(orders.cancel_repair_order(request).await, field, &format!("CancelRepairOrder {field}: {case}"));
    }
    names_field(
        orders.get_repair_order(pb::GetRepairOrderRequest { id: "nope".into() }).await,
        "id",
        "GetRepairOrder id",
    );
    for (field, request) in [
        (
            "page.page_size",
            pb::ListRepairOrdersRequest {
                page: Some(PageRequest { page_size: 501, ..Default::default() }),
                ..Default::default()
            },
        ),
        (
            "page.page_token",
            pb::ListRepairOrdersRequest {
                page: Some(PageRequest { page_token: "forged".into(), ..Default::default() }),
                ..Default::default()
            },
        ),
        ("dealer_id", pb::ListRepairOrdersRequest { dealer_id: "D-1".into(), ..Default::default() }),
        ("state", pb::ListRepairOrdersRequest { state: 77, ..Default::default() }),
    ] {
        names_field(orders.list_repair_orders(request).await, field, &format!("ListRepairOrders {field}"));
    }

    // Nothing half-written: no order, no event, no idempotency key taken.
    let listed = orders.list_repair_orders(pb::ListRepairOrdersRequest::default()).await.unwrap().into_inner();
    assert!(listed.repair_orders.is_empty());
    let mut feed = clients::feed(reception, &Caller::role("oem_manager").token(&data)).await;
    assert!(all_events(&mut feed).await.is_empty());
    orders.create_repair_order(fixtures::create_repair_order(false)).await.expect("a good request after bad ones");

    // The feed and the dev clock check their fields too.
    names_field(
        feed.list_events(ListEventsRequest { after_sequence: 0, page_size: 1001 }).await,
        "page_size",
        "ListEvents page_size",
    );
    let oem = Caller::role("oem_manager").token(&data);
    let mut clock = ClockAdminServiceClient::with_interceptor(reception.channel().await, Bearer(Some(oem)));
    let status = clock
        .advance_clock(AdvanceClockRequest { by: Some(prost_types::Duration { seconds: 60, nanos: 0 }) })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition, "AdvanceClock needs clock.mode = manual");
}

/// What an estimate is checked against beyond its own fields: a retired operation, a price outside the dealer's
/// currency, a check-in of another dealer or one whose car or reading the request contradicts — each named, nothing
/// written.
#[tokio::test(flavor = "multi_thread")]
async fn an_estimate_that_does_not_fit_the_catalogue_the_dealer_or_the_check_in_is_refused() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let workshop_feed = suite.fake_workshop.clone().expect("the suite's fake workshop feed");
    catalogue::publish_operation(&workshop_feed, "ENG-0001", false);
    let reception = suite.service("reception");
    catalogue::wait_for_record(reception.channel().await, &data, "ENG-0001", false).await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let other_dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token(&data);
    let mut orders = clients::orders(reception, &token).await;
    let visit = checked_in(reception, &data, &dealer).await;
    let elsewhere = checked_in(reception, &data, &other_dealer).await;
    let mut dealer_in_cny = directory::new_dealer(&dealer, "CNY1", 1300);
    dealer_in_cny.currency_code = "CNY".into();
    let oem = Bearer(Some(Caller::role("oem_manager").token(&data)));
    DirectoryServiceClient::with_interceptor(reception.channel().await, oem)
        .create_dealer(dealer_in_cny)
        .await
        .unwrap();

    let cny = |r: &mut pb::CreateRepairOrderRequest| {
        labour(r).hourly_rate.as_mut().unwrap().currency_code = "CNY".into();
        part(r).unit_price.as_mut().unwrap().currency_code = "CNY".into();
    };
    let for_visit = |r: &mut pb::CreateRepairOrderRequest, visit: &pb::CheckInRecord| {
        r.check_in_id = visit.id.clone();
        r.vin.clear();
        r.mileage_km = 0;
    };
    let cases: Vec<(&str, &str, Change<'_>)> = vec![
        (
            "lines[0].labour.operation_code",
            "retired operation",
            Box::new(move |r| {
                cny(r);
                labour(r).operation_code = "ENG-0001".into();
            }),
        ),
        ("lines[0]", "not the dealer's currency", Box::new(|_| {})),
        (
            "check_in_id",
            "another dealer's check-in",
            Box::new(|r| {
                cny(r);
                for_visit(r, &elsewhere);
            }),
        ),
        (
            "vin",
            "not the checked-in car",
            Box::new(|r| {
                cny(r);
                for_visit(r, &visit);
                r.vin = fixtures::fresh_vin();
            }),
        ),
        (
            "mileage_km",
            "not the checked-in reading",
            Box::new(|r| {
                cny(r);
                for_visit(r, &visit);
                r.mileage_km = visit.mileage_km + 1;
            }),
        ),
    ];
    for (field, case, mutate) in &cases {
        let mut request = fixtures::create_repair_order(false);
        mutate(&mut request);
        names_field(orders.create_repair_order(request).await, field, &format!("CreateRepairOrder {field}: {case}"));
    }
    let listed = orders.list_repair_orders(pb::ListRepairOrdersRequest::default()).await.unwrap().into_inner();
    assert!(listed.repair_orders.is_empty(), "nothing written");

    // The same request in the dealer's currency, for the visit, is taken.
    let mut good = fixtures::create_repair_order(false);
    cny(&mut good);
    for_visit(&mut good, &visit);
    let order = orders.create_repair_order(good).await.expect("a fitting estimate").into_inner();
    assert_eq!((order.vin, order.mileage_km), (visit.vin.clone(), visit.mileage_km));
}

/// A change to a request that refers to the test's check-ins.
type Change<'a> = Box<dyn Fn(&mut pb::CreateRepairOrderRequest) + 'a>;

/// A walk-in check-in of a new customer's new car at `dealer`.
async fn checked_in(reception: &aftersales_e2e::ServiceProcess, data: &str, dealer: &str) -> pb::CheckInRecord {
    let advisor = Bearer(Some(Caller::dealer("service_advisor", dealer).token(data)));
    let channel = reception.channel().await;
    let customer = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone())
        .create_customer(fixtures::create_customer())
        .await
        .unwrap()
        .into_inner();
    let car = VehicleServiceClient::with_interceptor(channel.clone(), advisor.clone())
        .register_vehicle(fixtures::register_vehicle(&customer.id))
        .await
        .unwrap()
        .into_inner();
    CheckInServiceClient::with_interceptor(channel, advisor)
        .check_in(fixtures::check_in(&customer.id, &car.id, 51_000))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_workshop_is_named() {
    let mut suite = Suite::start(Backend::Sqlite, &["workshop"], SuiteOptions::default()).await.unwrap();
    let token = Caller::dealer("foreman", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let mut jobs = clients::jobs(suite.service("workshop"), &token).await;
    names_field(jobs.get_job(GetJobRequest { id: "17".into() }).await, "id", "GetJob id");
    for (field, request) in [
        (
            "page.page_size",
            ListJobsRequest { page: Some(PageRequest { page_size: -1, ..Default::default() }), ..Default::default() },
        ),
        (
            "page.page_token",
            ListJobsRequest {
                page: Some(PageRequest { page_token: "x".into(), ..Default::default() }),
                ..Default::default()
            },
        ),
        ("dealer_id", ListJobsRequest { dealer_id: "dealer".into(), ..Default::default() }),
        ("repair_order_id", ListJobsRequest { repair_order_id: "order".into(), ..Default::default() }),
        ("state", ListJobsRequest { state: 42, ..Default::default() }),
    ] {
        names_field(jobs.list_jobs(request).await, field, &format!("ListJobs {field}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_manual_clock_moves_only_forward_and_only_for_oem_managers() {
    let options = SuiteOptions::default()
        .with("AFTERSALES__CLOCK__MODE", "manual")
        .with("AFTERSALES__CLOCK__START", "2026-01-01T08:00:00Z");
    let mut suite = Suite::start(Backend::Sqlite, &["workshop"], options).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("workshop").channel().await;
    let mut clock = ClockAdminServiceClient::with_interceptor(
        channel.clone(),
        Bearer(Some(Caller::role("oem_manager").token(&data))),
    );
    let day = prost_types::Duration { seconds: 24 * 3600, nanos: 0 };
    let now = clock.advance_clock(AdvanceClockRequest { by: Some(day) }).await.unwrap().into_inner().now.unwrap();
    assert_eq!(chrono::DateTime::from_timestamp(now.seconds, 0).unwrap().to_rfc3339(), "2026-01-02T08:00:00+00:00");
    for (case, by) in [
        ("missing", None),
        ("backwards", Some(prost_types::Duration { seconds: -1, nanos: 0 })),
        ("zero", Some(prost_types::Duration::default())),
    ] {
        names_field(clock.advance_clock(AdvanceClockRequest { by }).await, "by", case);
    }
    let mut as_advisor = ClockAdminServiceClient::with_interceptor(
        channel,
        Bearer(Some(Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data))),
    );
    let status = as_advisor.advance_clock(AdvanceClockRequest { by: Some(day) }).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}
