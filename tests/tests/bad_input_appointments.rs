//! Bad input, field by field, for appointments: every request field has at least one failing row → INVALID_ARGUMENT
//! naming it; the appointment and the feed are unchanged afterwards.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;

fn stamp(t: chrono::DateTime<chrono::Utc>) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 })
}

const REQUEST: &[Mutation<pb::RequestAppointmentRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("customer_id", "not an id", |r| r.customer_id = "C".into()),
    ("vehicle_id", "missing", |r| r.vehicle_id.clear()),
    ("channel", "unspecified", |r| r.channel = 0),
    ("fault_description", "missing", |r| r.fault_description.clear()),
    ("fault_description", "over 4000 characters", |r| r.fault_description = "f".repeat(4001)),
    ("wished_at", "missing", |r| r.wished_at = None),
    ("wished_at", "not a valid time", |r| r.wished_at = Some(prost_types::Timestamp { seconds: 0, nanos: -1 })),
    ("wished_at", "in the past", |r| r.wished_at = Some(prost_types::Timestamp { seconds: 1, nanos: 0 })),
];

const RESCHEDULE: &[Mutation<pb::RescheduleAppointmentRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("appointment_id", "not an id", |r| r.appointment_id = "A".into()),
    ("slot_at", "missing", |r| r.slot_at = None),
    ("slot_at", "in the past", |r| r.slot_at = Some(prost_types::Timestamp { seconds: 1, nanos: 0 })),
    ("reason", "missing", |r| r.reason.clear()),
];

const LANE: &[Mutation<pb::ArrangeFastLaneRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("bay", "over 50 characters", |r| r.bay = "b".repeat(51)),
    ("bay", "neither bay nor technician", |r| r.bay.clear()),
    ("technician_subject", "over 200 characters", |r| r.technician_subject = "t".repeat(201)),
    ("reserved_from", "missing", |r| r.reserved_from = None),
];

const REMINDER: &[Mutation<pb::RecordReminderRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("advisor_name", "missing", |r| r.advisor_name.clear()),
    ("advisor_contact", "over 100 characters", |r| r.advisor_contact = "c".repeat(101)),
    ("what_to_bring", "missing", |r| r.what_to_bring.clear()),
    ("channel", "unspecified", |r| r.channel = 0),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_an_appointment_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token(&data)));
    let customers = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let customer = customers.clone().create_customer(fixtures::create_customer()).await.unwrap().into_inner();
    let vehicles = VehicleServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let vehicle =
        vehicles.clone().register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();
    let desk = AppointmentServiceClient::with_interceptor(channel, advisor);
    let urgent = fixtures::request_appointment(&customer.id, &vehicle.id, true);
    let booked = desk.clone().request_appointment(urgent).await.unwrap().into_inner();
    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events_before = clients::at_least_events(&feed, 1).await;

    for (field, case, mutate) in REQUEST {
        let mut request = fixtures::request_appointment(&customer.id, &vehicle.id, false);
        mutate(&mut request);
        names_field(
            desk.clone().request_appointment(request).await,
            field,
            &format!("RequestAppointment {field}: {case}"),
        );
    }
    let past = pb::ConfirmAppointmentRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        appointment_id: booked.id.clone(),
        slot_at: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
    };
    names_field(desk.clone().confirm_appointment(past).await, "slot_at", "ConfirmAppointment slot_at: in the past");
    let later = chrono::Utc::now() + chrono::Duration::days(3);
    for (field, case, mutate) in RESCHEDULE {
        let mut request = pb::RescheduleAppointmentRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            appointment_id: booked.id.clone(),
            slot_at: stamp(later),
            reason: "travel".into(),
        };
        mutate(&mut request);
        names_field(
            desk.clone().reschedule_appointment(request).await,
            field,
            &format!("RescheduleAppointment {field}: {case}"),
        );
    }
    let cancel = pb::CancelAppointmentRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        appointment_id: booked.id.clone(),
        reason: String::new(),
    };
    names_field(desk.clone().cancel_appointment(cancel).await, "reason", "CancelAppointment reason: missing");
    let no_show = pb::MarkNoShowRequest { request_id: String::new(), appointment_id: booked.id.clone() };
    names_field(desk.clone().mark_no_show(no_show).await, "request_id", "MarkNoShow request_id: missing");
    for (field, case, mutate) in LANE {
        let mut request = pb::ArrangeFastLaneRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            appointment_id: booked.id.clone(),
            bay: "Bay 1".into(),
            technician_subject: String::new(),
            reserved_from: stamp(chrono::Utc::now()),
        };
        mutate(&mut request);
        names_field(desk.clone().arrange_fast_lane(request).await, field, &format!("ArrangeFastLane {field}: {case}"));
    }
    for (field, case, mutate) in REMINDER {
        let mut request = pb::RecordReminderRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            appointment_id: booked.id.clone(),
            advisor_name: "Alice".into(),
            advisor_contact: "+86 21 5555 0101".into(),
            what_to_bring: "keys".into(),
            channel: pb::ReminderChannel::Sms as i32,
        };
        mutate(&mut request);
        names_field(desk.clone().record_reminder(request).await, field, &format!("RecordReminder {field}: {case}"));
    }
    names_field(
        desk.clone().get_appointment(pb::GetAppointmentRequest { id: "x".into() }).await,
        "id",
        "GetAppointment id: not an id",
    );
    let bad_state = pb::ListAppointmentsRequest { state: 99, ..Default::default() };
    names_field(desk.clone().list_appointments(bad_state).await, "state", "ListAppointments state: unknown");

    let now = desk.clone().get_appointment(pb::GetAppointmentRequest { id: booked.id.clone() }).await.unwrap();
    assert_eq!(now.into_inner(), booked, "the appointment is as it was");
    let mut feed = feed;
    assert_eq!(clients::all_events(&mut feed).await, events_before, "no new event");
}

const CHECK_IN: &[Mutation<pb::CheckInRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("appointment_id", "not an id", |r| r.appointment_id = "A-1".into()),
    ("customer_id", "missing", |r| r.customer_id.clear()),
    ("vehicle_id", "not an id", |r| r.vehicle_id = "V".into()),
    ("identity_checked", "not checked", |r| r.identity_checked = false),
    ("mileage_km", "negative", |r| r.mileage_km = -1),
    ("fuel_level_percent", "over 100", |r| r.fuel_level_percent = 101),
    ("exterior_damage", "more than 30 panels", |r| r.exterior_damage = vec![r.exterior_damage[0].clone(); 31]),
    ("exterior_damage[0].panel", "missing", |r| r.exterior_damage[0].panel.clear()),
    ("exterior_damage[0].description", "over 500 characters", |r| r.exterior_damage[0].description = "d".repeat(501)),
    ("interior_notes", "over 4000 characters", |r| r.interior_notes = "i".repeat(4001)),
    ("belongings", "more than 50", |r| r.belongings = vec!["bag".into(); 51]),
    ("belongings[1]", "empty", |r| r.belongings[1].clear()),
    ("fault_symptoms", "missing", |r| r.fault_symptoms.clear()),
    ("photo_references", "more than 20", |r| r.photo_references = vec!["photo://x".into(); 21]),
    ("photo_references[0]", "over 1000 characters", |r| r.photo_references[0] = "p".repeat(1001)),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_a_check_in_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token(&data)));
    let customers = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let customer = customers.clone().create_customer(fixtures::create_customer()).await.unwrap().into_inner();
    let vehicles = VehicleServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let vehicle =
        vehicles.clone().register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();
    let desk = aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient::with_interceptor(
        channel, advisor,
    );
    for (field, case, mutate) in CHECK_IN {
        let mut request = fixtures::check_in(&customer.id, &vehicle.id, 42_500);
        mutate(&mut request);
        names_field(desk.clone().check_in(request).await, field, &format!("CheckIn {field}: {case}"));
    }
    let now = vehicles.clone().get_vehicle(pb::GetVehicleRequest { id: vehicle.id.clone() }).await.unwrap();
    assert_eq!(now.into_inner(), vehicle, "no reading was recorded");
    let listed = desk.clone().list_check_ins(pb::ListCheckInsRequest::default()).await.unwrap().into_inner();
    assert!(listed.check_ins.is_empty());
}
