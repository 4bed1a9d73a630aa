//! Check-in over the real binary, on SQLite and PostgreSQL: a confirmed appointment's car is checked in with the
//! full walk-around (the appointment becomes checked in, the reading joins the mileage history, VehicleCheckedIn is
//! on the feed); a walk-in needs no appointment; identity not checked, a lower reading, an appointment of another
//! car or one already checked in are refused and leave nothing behind. An order opened for the check-in takes its
//! car and reading.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

async fn check_in(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token(&data)));
    let customer = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone())
        .create_customer(fixtures::create_customer())
        .await
        .unwrap()
        .into_inner();
    let mut vehicles = VehicleServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let car = vehicles.register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();
    let other_car = vehicles.register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();
    let mut appointments = AppointmentServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let booked = appointments
        .request_appointment(fixtures::request_appointment(&customer.id, &car.id, false))
        .await
        .unwrap()
        .into_inner();
    let confirm = pb::ConfirmAppointmentRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        appointment_id: booked.id.clone(),
        slot_at: None,
    };
    appointments.confirm_appointment(confirm).await.unwrap();
    let mut desk = CheckInServiceClient::with_interceptor(channel.clone(), advisor);

    // Refusals first: each leaves the vehicle and the appointment as they were.
    let with = |car: &str, km: i64, identity: bool| pb::CheckInRequest {
        appointment_id: booked.id.clone(),
        identity_checked: identity,
        ..fixtures::check_in(&customer.id, car, km)
    };
    let unchecked = desk.check_in(with(&car.id, 42_800, false)).await.unwrap_err();
    assert_eq!(unchecked.code(), Code::InvalidArgument);
    let lower = desk.check_in(with(&car.id, 41_000, true)).await.unwrap_err();
    assert_eq!(lower.code(), Code::FailedPrecondition);
    let wrong_car = desk.check_in(with(&other_car.id, 42_800, true)).await.unwrap_err();
    assert_eq!(wrong_car.code(), Code::InvalidArgument);
    let unchanged = vehicles.get_vehicle(pb::GetVehicleRequest { id: car.id.clone() }).await.unwrap().into_inner();
    assert_eq!(unchanged.mileage_history.len(), 1);

    // The appointment's car, checked in.
    let record = desk.check_in(with(&car.id, 42_800, true)).await.unwrap().into_inner();
    assert_eq!((record.appointment_id.as_str(), record.mileage_km), (booked.id.as_str(), 42_800));
    assert_eq!(record.exterior_damage[0].panel, "front bumper");
    let kept = appointments.get_appointment(pb::GetAppointmentRequest { id: booked.id.clone() }).await.unwrap();
    assert_eq!(kept.into_inner().state(), pb::AppointmentState::CheckedIn);
    let read = vehicles.get_vehicle(pb::GetVehicleRequest { id: car.id.clone() }).await.unwrap().into_inner();
    assert_eq!((read.mileage_km, read.mileage_history.last().unwrap().source()), (42_800, pb::MileageSource::CheckIn));
    let again = desk.check_in(with(&car.id, 42_900, true)).await.unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition, "an appointment is checked in once");

    // A walk-in.
    let walk_in = desk.check_in(fixtures::check_in(&customer.id, &other_car.id, 42_010)).await.unwrap().into_inner();
    assert!(walk_in.appointment_id.is_empty());
    let listed = pb::ListCheckInsRequest { vehicle_id: car.id.clone(), ..Default::default() };
    let listed = desk.list_check_ins(listed).await.unwrap().into_inner().check_ins;
    assert_eq!(listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [record.id.as_str()]);

    // The order for the visit: named by the check-in alone, it is for the checked-in car at the checked-in reading.
    let mut orders =
        clients::orders(suite.service("reception"), &Caller::dealer("service_advisor", &dealer).token(&data)).await;
    let for_visit = pb::CreateRepairOrderRequest {
        check_in_id: record.id.clone(),
        vin: String::new(),
        mileage_km: 0,
        ..fixtures::create_repair_order(false)
    };
    let order = orders.create_repair_order(for_visit).await.unwrap().into_inner();
    assert_eq!(
        (order.vin.as_str(), order.mileage_km, order.check_in_id.as_str()),
        (car.vin.as_str(), 42_800, record.id.as_str())
    );
    let read = orders.get_repair_order(pb::GetRepairOrderRequest { id: order.id.clone() }).await.unwrap().into_inner();
    assert_eq!(read.check_in_id, record.id, "the link is stored");

    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events = clients::at_least_events(&feed, 5).await;
    let checked: Vec<pb::VehicleCheckedIn> =
        events.iter().filter_map(decode_payload::<pb::VehicleCheckedIn>).map(Result::unwrap).collect();
    assert_eq!(checked.len(), 2);
    assert_eq!((checked[0].appointment_id.as_str(), checked[0].mileage_km), (booked.id.as_str(), 42_800));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_in_on_sqlite() {
    check_in(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn check_in_on_postgres() {
    check_in(Backend::Postgres).await;
}
