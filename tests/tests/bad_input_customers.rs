//! Bad input, field by field, for customers and vehicles: every request field has at least one failing row →
//! INVALID_ARGUMENT naming it; the customer and the vehicle are unchanged afterwards.

use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;

const CREATE: &[Mutation<pb::CreateCustomerRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("name", "missing", |r| r.name.clear()),
    ("name", "over 200 characters", |r| r.name = "n".repeat(201)),
    ("phone", "missing", |r| r.phone.clear()),
    ("phone", "no country code", |r| r.phone = "13800000000".into()),
    ("phone", "letters", |r| r.phone = "+86 138 CALL ME".into()),
    ("email", "no @", |r| r.email = "li.wei.example.cn".into()),
    ("address", "over 500 characters", |r| r.address = "a".repeat(501)),
    ("preferred_channel", "unspecified", |r| r.preferred_channel = 0),
];

const REGISTER: &[Mutation<pb::RegisterVehicleRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("vin", "missing", |r| r.vin.clear()),
    ("vin", "wrong check digit", |r| r.vin = "1M8GDM9AYKP042788".into()),
    ("model", "missing", |r| r.model.clear()),
    ("model_year", "1900", |r| r.model_year = 1900),
    ("model_year", "2101", |r| r.model_year = 2101),
    ("plate", "over 20 characters", |r| r.plate = "P".repeat(21)),
    ("owner_customer_id", "missing", |r| r.owner_customer_id.clear()),
    ("owner_customer_id", "not an id", |r| r.owner_customer_id = "C-1".into()),
    ("mileage_km", "negative", |r| r.mileage_km = -1),
    ("mileage_km", "over 2000000", |r| r.mileage_km = 2_000_001),
];

const RECORD: &[Mutation<pb::RecordMileageRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("vehicle_id", "not an id", |r| r.vehicle_id = "V".into()),
    ("km", "negative", |r| r.km = -5),
    ("source", "unspecified", |r| r.source = 0),
    ("source", "a correction", |r| r.source = pb::MileageSource::Correction as i32),
];

const CORRECT: &[Mutation<pb::CorrectMileageRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("vehicle_id", "missing", |r| r.vehicle_id.clear()),
    ("km", "over 2000000", |r| r.km = 3_000_000),
    ("reason", "missing", |r| r.reason.clear()),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_customers_and_vehicles_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token(&data)));
    let manager = Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data)));
    let customers = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let vehicles = VehicleServiceClient::with_interceptor(channel.clone(), advisor);
    let corrector = VehicleServiceClient::with_interceptor(channel, manager);
    let customer = customers.clone().create_customer(fixtures::create_customer()).await.unwrap().into_inner();
    let vehicle =
        vehicles.clone().register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();

    for (field, case, mutate) in CREATE {
        let mut request = fixtures::create_customer();
        mutate(&mut request);
        names_field(
            customers.clone().create_customer(request).await,
            field,
            &format!("CreateCustomer {field}: {case}"),
        );
    }
    let update = |etag: &str| pb::UpdateCustomerRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        id: customer.id.clone(),
        etag: etag.to_string(),
        name: customer.name.clone(),
        phone: "0".into(),
        email: String::new(),
        address: String::new(),
        preferred_channel: 1,
    };
    names_field(customers.clone().update_customer(update(&customer.etag)).await, "phone", "UpdateCustomer phone");
    names_field(customers.clone().update_customer(update("")).await, "etag", "UpdateCustomer etag: missing");
    names_field(
        customers.clone().get_customer(pb::GetCustomerRequest { id: "c".into() }).await,
        "id",
        "GetCustomer id: not an id",
    );
    let bad_phone = pb::ListCustomersRequest { phone: "12".into(), ..Default::default() };
    names_field(customers.clone().list_customers(bad_phone).await, "phone", "ListCustomers phone");
    for (field, case, mutate) in REGISTER {
        let mut request = fixtures::register_vehicle(&customer.id);
        mutate(&mut request);
        names_field(
            vehicles.clone().register_vehicle(request).await,
            field,
            &format!("RegisterVehicle {field}: {case}"),
        );
    }
    let bad_vin = pb::ListVehiclesRequest { vin: "ABC".into(), ..Default::default() };
    names_field(vehicles.clone().list_vehicles(bad_vin).await, "vin", "ListVehicles vin");
    for (field, case, mutate) in RECORD {
        let mut request = pb::RecordMileageRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            vehicle_id: vehicle.id.clone(),
            km: 50_000,
            source: pb::MileageSource::CheckIn as i32,
        };
        mutate(&mut request);
        names_field(vehicles.clone().record_mileage(request).await, field, &format!("RecordMileage {field}: {case}"));
    }
    for (field, case, mutate) in CORRECT {
        let mut request = pb::CorrectMileageRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            vehicle_id: vehicle.id.clone(),
            km: 41_000,
            reason: "typo".into(),
        };
        mutate(&mut request);
        names_field(
            corrector.clone().correct_mileage(request).await,
            field,
            &format!("CorrectMileage {field}: {case}"),
        );
    }

    let now = customers.clone().get_customer(pb::GetCustomerRequest { id: customer.id.clone() }).await.unwrap();
    assert_eq!(now.into_inner(), customer, "the customer is as it was");
    let now = vehicles.clone().get_vehicle(pb::GetVehicleRequest { id: vehicle.id.clone() }).await.unwrap();
    assert_eq!(now.into_inner(), vehicle, "the vehicle is as it was");
}
