//! Appointments over the real binary with a manual clock, on SQLite and PostgreSQL: a customer and their vehicle are
//! registered; an urgent appointment is requested (the event carries what the 15-min confirmation and 1-h fast-lane
//! clocks need and no personal data), a bay is reserved, it is confirmed, moved with a reason, a reminder recorded;
//! a second appointment is confirmed and, once its slot has passed, marked a no-show; a third is cancelled and takes
//! nothing more. The feed carries every step in order.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::common::v1::AdvanceClockRequest;
use aftersales_proto::common::v1::clock_admin_service_client::ClockAdminServiceClient;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

const START: &str = "2026-03-02T08:00:00Z";

fn at(rfc3339: &str) -> Option<prost_types::Timestamp> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap();
    Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 })
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn appointments(backend: Backend) {
    let options =
        SuiteOptions::default().with("AFTERSALES__CLOCK__MODE", "manual").with("AFTERSALES__CLOCK__START", START);
    let Some(mut suite) = Suite::start(backend, &["reception"], options).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token_as(&data, "alice")));
    let customers = CustomerServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let customer = customers.clone().create_customer(fixtures::create_customer()).await.unwrap().into_inner();
    let vehicles = VehicleServiceClient::with_interceptor(channel.clone(), advisor.clone());
    let vehicle =
        vehicles.clone().register_vehicle(fixtures::register_vehicle(&customer.id)).await.unwrap().into_inner();
    let mut desk = AppointmentServiceClient::with_interceptor(channel.clone(), advisor);
    let request = |urgent: bool| pb::RequestAppointmentRequest {
        wished_at: at("2026-03-02T10:00:00Z"),
        ..fixtures::request_appointment(&customer.id, &vehicle.id, urgent)
    };

    // The urgent one: fast lane, confirmation, a move, a reminder.
    let urgent = desk.request_appointment(request(true)).await.unwrap().into_inner();
    assert_eq!(urgent.state(), pb::AppointmentState::Requested);
    let lane = pb::ArrangeFastLaneRequest {
        request_id: id(),
        appointment_id: urgent.id.clone(),
        bay: "Bay 1".into(),
        technician_subject: String::new(),
        reserved_from: at("2026-03-02T08:30:00Z"),
    };
    desk.arrange_fast_lane(lane).await.unwrap();
    let confirm = |appointment: &str| pb::ConfirmAppointmentRequest {
        request_id: id(),
        appointment_id: appointment.to_string(),
        slot_at: None,
    };
    let confirmed = desk.confirm_appointment(confirm(&urgent.id)).await.unwrap().into_inner();
    assert_eq!((confirmed.confirmed_by.as_str(), confirmed.slot_at), ("alice", at("2026-03-02T10:00:00Z")));
    let moved = pb::RescheduleAppointmentRequest {
        request_id: id(),
        appointment_id: urgent.id.clone(),
        slot_at: at("2026-03-02T09:00:00Z"),
        reason: "a bay came free earlier".into(),
    };
    let moved = desk.reschedule_appointment(moved).await.unwrap().into_inner();
    assert_eq!(moved.slot_changes[0].previous_slot_at, at("2026-03-02T10:00:00Z"));
    let reminder = pb::RecordReminderRequest {
        request_id: id(),
        appointment_id: urgent.id.clone(),
        advisor_name: "Alice Zhang".into(),
        advisor_contact: "+86 21 5555 0101".into(),
        what_to_bring: "service booklet, both keys".into(),
        channel: pb::ReminderChannel::Sms as i32,
    };
    assert_eq!(desk.record_reminder(reminder).await.unwrap().into_inner().reminders.len(), 1);

    // A calm one: no fast lane; confirmed; a no-show only once its slot has passed.
    let calm = desk.request_appointment(request(false)).await.unwrap().into_inner();
    let no_lane = pb::ArrangeFastLaneRequest {
        request_id: id(),
        appointment_id: calm.id.clone(),
        bay: "Bay 2".into(),
        technician_subject: String::new(),
        reserved_from: at("2026-03-02T08:30:00Z"),
    };
    assert_eq!(desk.arrange_fast_lane(no_lane).await.unwrap_err().code(), Code::FailedPrecondition);
    desk.confirm_appointment(confirm(&calm.id)).await.unwrap();
    let no_show =
        |appointment: &str| pb::MarkNoShowRequest { request_id: id(), appointment_id: appointment.to_string() };
    assert_eq!(desk.mark_no_show(no_show(&calm.id)).await.unwrap_err().code(), Code::FailedPrecondition);
    let mut clock = ClockAdminServiceClient::with_interceptor(
        channel.clone(),
        Bearer(Some(Caller::role("oem_manager").token(&data))),
    );
    let three_hours = prost_types::Duration { seconds: 3 * 3600, nanos: 0 };
    clock.advance_clock(AdvanceClockRequest { by: Some(three_hours) }).await.unwrap();
    let missed = desk.mark_no_show(no_show(&calm.id)).await.unwrap().into_inner();
    assert_eq!(missed.state(), pb::AppointmentState::NoShow);

    // A cancelled one takes nothing more.
    let wished = pb::RequestAppointmentRequest { wished_at: at("2026-03-03T10:00:00Z"), ..request(false) };
    let third = desk.request_appointment(wished).await.unwrap().into_inner();
    let cancel =
        pb::CancelAppointmentRequest { request_id: id(), appointment_id: third.id.clone(), reason: "sold it".into() };
    desk.cancel_appointment(cancel).await.unwrap();
    assert_eq!(desk.confirm_appointment(confirm(&third.id)).await.unwrap_err().code(), Code::FailedPrecondition);

    // Another dealer's staff see none of it.
    let other = aftersales_kernel::DealerId::new().to_string();
    let mut outsider = AppointmentServiceClient::with_interceptor(
        channel,
        Bearer(Some(Caller::dealer("service_advisor", &other).token(&data))),
    );
    let hidden = outsider.get_appointment(pb::GetAppointmentRequest { id: urgent.id.clone() }).await.unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);

    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events = clients::at_least_events(&feed, 10).await;
    let steps: Vec<&str> = events.iter().map(|e| e.event_type.rsplit('.').next().unwrap()).collect();
    assert_eq!(
        steps,
        [
            "AppointmentRequested",
            "FastLaneArranged",
            "AppointmentConfirmed",
            "AppointmentRescheduled",
            "AppointmentReminderSent",
            "AppointmentRequested",
            "AppointmentConfirmed",
            "AppointmentNoShow",
            "AppointmentRequested",
            "AppointmentCancelled",
        ]
    );
    let requested = events.iter().find_map(decode_payload::<pb::AppointmentRequested>).unwrap().unwrap();
    assert!(requested.urgent);
    assert_eq!(requested.requested_at, at(START), "the clock's time, for the 15-min confirmation clock");
    for event in &events {
        let text = String::from_utf8_lossy(&event.payload.as_ref().unwrap().value).to_string();
        assert!(!text.contains("Li Wei") && !text.contains("+8613800000000"), "no personal data on the feed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn appointments_on_sqlite() {
    appointments(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn appointments_on_postgres() {
    appointments(Backend::Postgres).await;
}
