//! Customers and vehicles over the real binary, on SQLite and PostgreSQL: an advisor registers a customer (found
//! again by phone and by name prefix) and their vehicle (the same VIN twice at one dealer is ALREADY_EXISTS, another
//! dealer's customer cannot own it); readings go up, a lower one is refused naming the last reading, the manager's
//! correction is kept with what it corrected and why; another dealer's staff see none of it.

use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use tonic::Code;

async fn customers_and_vehicles(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = |role: &str, dealer: &str| Bearer(Some(Caller::dealer(role, dealer).token(&data)));
    let mut customers = CustomerServiceClient::with_interceptor(channel.clone(), token("service_advisor", &dealer));
    let mut vehicles = VehicleServiceClient::with_interceptor(channel.clone(), token("service_advisor", &dealer));
    let mut manager = VehicleServiceClient::with_interceptor(channel.clone(), token("dealer_manager", &dealer));

    let customer = customers.create_customer(fixtures::create_customer()).await.unwrap().into_inner();
    assert_eq!(customer.phone, "+8613800000000", "stored in one shape");
    let by_phone = pb::ListCustomersRequest { phone: "+86 138-0000-0000".into(), ..Default::default() };
    let found = customers.list_customers(by_phone).await.unwrap().into_inner().customers;
    assert_eq!(found.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [customer.id.as_str()]);
    let by_name = pb::ListCustomersRequest { name_prefix: "Li".into(), ..Default::default() };
    assert_eq!(customers.list_customers(by_name).await.unwrap().into_inner().customers.len(), 1);
    let nobody = pb::ListCustomersRequest { name_prefix: "Wang".into(), ..Default::default() };
    assert!(customers.list_customers(nobody).await.unwrap().into_inner().customers.is_empty());

    let register = fixtures::register_vehicle(&customer.id);
    let vehicle = vehicles.register_vehicle(register.clone()).await.unwrap().into_inner();
    assert_eq!((vehicle.mileage_km, vehicle.mileage_history.len()), (42_000, 1));
    let twice = pb::RegisterVehicleRequest { request_id: uuid::Uuid::now_v7().to_string(), ..register };
    assert_eq!(vehicles.register_vehicle(twice).await.unwrap_err().code(), Code::AlreadyExists);
    let other = aftersales_kernel::DealerId::new().to_string();
    let mut outsider = VehicleServiceClient::with_interceptor(channel.clone(), token("service_advisor", &other));
    let poached = outsider.register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap_err();
    assert_eq!(poached.code(), Code::NotFound, "another dealer's customer is not found");

    let reading = |km: i64| pb::RecordMileageRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        vehicle_id: vehicle.id.clone(),
        km,
        source: pb::MileageSource::CheckIn as i32,
    };
    vehicles.record_mileage(reading(425_000)).await.unwrap();
    let lower = vehicles.record_mileage(reading(42_500)).await.unwrap_err();
    assert_eq!(lower.code(), Code::FailedPrecondition);
    assert!(lower.message().contains("425000"), "{}", lower.message());
    let correction = pb::CorrectMileageRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        vehicle_id: vehicle.id.clone(),
        km: 42_500,
        reason: "a zero too many at check-in".into(),
    };
    let denied = vehicles.correct_mileage(correction.clone()).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied, "only the manager corrects");
    let corrected = manager.correct_mileage(correction).await.unwrap().into_inner();
    assert_eq!(corrected.mileage_km, 42_500);
    let last = corrected.mileage_history.last().unwrap();
    assert_eq!((last.source(), last.corrected_from_km), (pb::MileageSource::Correction, 425_000));
    assert_eq!(corrected.mileage_history.len(), 3, "nothing deleted");

    let mut outsider_customers = CustomerServiceClient::with_interceptor(channel, token("service_advisor", &other));
    let hidden = outsider_customers.get_customer(pb::GetCustomerRequest { id: customer.id.clone() }).await;
    assert_eq!(hidden.unwrap_err().code(), Code::NotFound);
    let hidden = outsider.get_vehicle(pb::GetVehicleRequest { id: vehicle.id.clone() }).await;
    assert_eq!(hidden.unwrap_err().code(), Code::NotFound);
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_and_vehicles_on_sqlite() {
    customers_and_vehicles(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_and_vehicles_on_postgres() {
    customers_and_vehicles(Backend::Postgres).await;
}
