//! The SLA engine end to end with real binaries on manual clocks, on SQLite and PostgreSQL. An urgent appointment
//! requested at reception starts the 15-minute confirmation clock and the 1-hour fast-lane clock in escalation.
//! Left unconfirmed, the confirmation clock breaches at 08:15 and the dealer's manager hears of it (ClockEscalated,
//! live on WatchEscalations); 30 minutes later the OEM's support lead does. Confirmed at 08:50, it ends met late by
//! 35 minutes; the fast-lane clock breaches at 09:00. ExplainClock tells each step.
//!
//! A job estimated at 2.5 hours, started in the real workshop at 08:00, needs a customer notice every hour: none
//! by 09:00 breaches the first hour and the dealer's manager hears of it; the advisor's notice at 09:30 meets the
//! second hour; the job's readiness stops the clock with that one breach.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::workshop::{Crew, ENGINE_OPERATION, Stage};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_runtime::outbox::decode_payload;
use futures::StreamExt;

const START: &str = "2026-03-02T08:00:00Z";

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

fn time(rfc3339: &str) -> Option<prost_types::Timestamp> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap();
    Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 })
}

async fn unconfirmed_appointment(backend: Backend) {
    let options =
        SuiteOptions::default().with("AFTERSALES__CLOCK__MODE", "manual").with("AFTERSALES__CLOCK__START", START);
    let Some(mut suite) = Suite::start(backend, &["reception", "escalation"], options).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let desk_channel = suite.service("reception").channel().await;
    let advisor = Bearer(Some(Caller::dealer("service_advisor", &dealer).token(&data)));
    let customer = CustomerServiceClient::with_interceptor(desk_channel.clone(), advisor.clone())
        .create_customer(fixtures::create_customer())
        .await
        .unwrap()
        .into_inner();
    let vehicle = VehicleServiceClient::with_interceptor(desk_channel.clone(), advisor.clone())
        .register_vehicle(fixtures::register_vehicle(&customer.id))
        .await
        .unwrap()
        .into_inner();
    let mut desk = AppointmentServiceClient::with_interceptor(desk_channel, advisor);
    let request = pb::RequestAppointmentRequest {
        wished_at: time("2026-03-02T10:00:00Z"),
        ..fixtures::request_appointment(&customer.id, &vehicle.id, true)
    };
    let appointment = desk.request_appointment(request).await.unwrap().into_inner();

    let escalation = suite.service("escalation").channel().await;
    let as_role = |role: &str| {
        let token = if role.starts_with("oem_") || role == "support_lead" {
            Caller::role(role).token(&data)
        } else {
            Caller::dealer(role, &dealer).token(&data)
        };
        ClockServiceClient::with_interceptor(escalation.clone(), Bearer(Some(token)))
    };
    let clocks = || {
        let (mut support, subject) = (as_role("oem_support"), appointment.id.clone());
        async move {
            let request = esc::ListClocksRequest { subject_id: subject, page: None };
            support.list_clocks(request).await.unwrap().into_inner().clocks
        }
    };
    let started = wait::until(Duration::from_secs(15), "both clocks of the urgent appointment", || async {
        Some(clocks().await).filter(|c| c.len() == 2)
    })
    .await;
    let by_policy = |all: &[esc::ClockExplanation], name: &str| all.iter().find(|c| c.policy == name).unwrap().clone();
    let confirmation = by_policy(&started, "appointment_confirmation");
    assert_eq!((confirmation.start_time, confirmation.due_time), (time(START), time("2026-03-02T08:15:00Z")));
    assert_eq!(by_policy(&started, "fast_lane").due_time, time("2026-03-02T09:00:00Z"));

    // The dealer's manager watches the dealer's escalations live.
    let mut watch =
        as_role("dealer_manager").watch_escalations(esc::WatchEscalationsRequest {}).await.unwrap().into_inner();

    // 08:16: the confirmation clock breached at 08:15; the dealer's manager is told.
    suite.advance(minutes(16)).await;
    let first =
        tokio::time::timeout(Duration::from_secs(15), watch.next()).await.expect("an escalation").unwrap().unwrap();
    assert_eq!(
        (first.policy.as_str(), first.level, first.role.as_str()),
        ("appointment_confirmation", 1, "dealer_manager")
    );
    assert_eq!(first.escalated_at, time("2026-03-02T08:15:00Z"));

    // 08:46: still unconfirmed 30 minutes later — one level up, the OEM's support lead.
    suite.advance(minutes(30)).await;
    let second =
        tokio::time::timeout(Duration::from_secs(15), watch.next()).await.expect("a re-escalation").unwrap().unwrap();
    assert_eq!((second.level, second.role.as_str()), (2, "support_lead"));
    assert_eq!(second.escalated_at, time("2026-03-02T08:45:00Z"));

    // 08:50: confirmed at last — met, 35 minutes late.
    suite.advance(minutes(4)).await;
    let confirm = pb::ConfirmAppointmentRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        appointment_id: appointment.id.clone(),
        slot_at: time("2026-03-02T10:00:00Z"),
    };
    desk.confirm_appointment(confirm).await.unwrap();
    let explained = wait::until(Duration::from_secs(15), "the confirmation clock met", || async {
        let mut support = as_role("oem_support");
        let request = esc::ExplainClockRequest { clock_id: confirmation.clock_id.clone() };
        let clock = support.explain_clock(request).await.unwrap().into_inner();
        (clock.status() == esc::ClockStatus::Met).then_some(clock)
    })
    .await;
    let kinds: Vec<&str> = explained.history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["started", "breached", "escalated", "escalated", "met"]);
    assert_eq!(explained.history[4].late_by_seconds, 35 * 60);

    // 09:01: nobody arranged the fast lane.
    suite.advance(minutes(11)).await;
    let third =
        tokio::time::timeout(Duration::from_secs(15), watch.next()).await.expect("the fast lane").unwrap().unwrap();
    assert_eq!((third.policy.as_str(), third.level), ("fast_lane", 1));

    // On escalation's feed: two breaches, three escalations, one clock closed met late.
    let feed = clients::feed(suite.service("escalation"), &service_token(&data, "supplier")).await;
    let events = clients::at_least_events(&feed, 6).await;
    let closed: Vec<esc::ClockClosed> =
        events.iter().filter_map(decode_payload::<esc::ClockClosed>).map(Result::unwrap).collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(
        (closed[0].outcome(), closed[0].late_by_seconds, closed[0].breaches),
        (esc::ClockOutcome::MetLate, 2100, 1)
    );
    assert_eq!(events.iter().filter(|e| decode_payload::<esc::ClockBreached>(e).is_some()).count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn unconfirmed_appointment_on_sqlite() {
    unconfirmed_appointment(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unconfirmed_appointment_on_postgres() {
    unconfirmed_appointment(Backend::Postgres).await;
}

async fn long_job_without_notice(backend: Backend) {
    let options =
        SuiteOptions::default().with("AFTERSALES__CLOCK__MODE", "manual").with("AFTERSALES__CLOCK__START", START);
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop", "escalation"], options).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let mut orders = clients::orders(suite.service("reception"), &advisor).await;
    let create = pb::CreateRepairOrderRequest {
        lines: vec![fixtures::labour(ENGINE_OPERATION, 250)],
        ..fixtures::create_repair_order(false)
    };
    let order = orders.create_repair_order(create).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let foreman = crew.jobs(&crew.foreman_token);
    let job = wait::until(Duration::from_secs(60), "the job of the approved order", || {
        let (mut jobs, order) = (foreman.clone(), order.id.clone());
        async move {
            let request =
                aftersales_proto::workshop::v1::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    crew.bring(&job.id, Stage::Started).await;

    let escalation = suite.service("escalation").channel().await;
    let manager = Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data)));
    let mut clocks = ClockServiceClient::with_interceptor(escalation, manager);
    let progress = wait::until(Duration::from_secs(60), "the hourly progress clock", || {
        let (mut clocks, subject) = (clocks.clone(), order.id.clone());
        async move {
            let request = esc::ListClocksRequest { subject_id: subject, page: None };
            let all = clocks.list_clocks(request).await.ok()?.into_inner().clocks;
            all.into_iter().find(|c| c.policy == "customer_progress")
        }
    })
    .await;
    assert_eq!((progress.start_time, progress.due_time), (time(START), time("2026-03-02T09:00:00Z")));
    let mut watch = clocks.watch_escalations(esc::WatchEscalationsRequest {}).await.unwrap().into_inner();
    let explain = || {
        let request = esc::ExplainClockRequest { clock_id: progress.clock_id.clone() };
        let mut clocks = clocks.clone();
        async move { clocks.explain_clock(request).await.unwrap().into_inner() }
    };

    // 09:01: nobody told the customer in the first hour — breached, and the dealer's manager hears of it.
    suite.advance(minutes(61)).await;
    let escalated = loop {
        let next = tokio::time::timeout(Duration::from_secs(60), watch.next()).await.expect("an escalation");
        let next = next.unwrap().unwrap();
        if next.clock_id == progress.clock_id {
            break next;
        }
    };
    assert_eq!((escalated.level, escalated.role.as_str()), (1, "dealer_manager"));
    assert_eq!(escalated.escalated_at, time("2026-03-02T09:00:00Z"));

    // 09:30: the advisor calls the customer — the second hour is met.
    suite.advance(minutes(29)).await;
    orders.notify_customer_progress(fixtures::progress_notice(&order.id)).await.unwrap();
    wait::until(Duration::from_secs(60), "the second hour met", || async {
        Some(explain().await).filter(|c| c.period == 2)
    })
    .await;

    // The job is finished: the clock stops with the one missed hour.
    crew.bring(&job.id, Stage::Ready).await;
    let stopped = wait::until(Duration::from_secs(60), "the progress clock stopped", || async {
        Some(explain().await).filter(|c| c.status() == esc::ClockStatus::Stopped)
    })
    .await;
    let kinds: Vec<(&str, i32)> = stopped.history.iter().map(|e| (e.kind.as_str(), e.period)).collect();
    assert_eq!(kinds, [("started", 0), ("breached", 0), ("escalated", 0), ("met", 1), ("stopped", 0)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn long_job_without_notice_on_sqlite() {
    long_job_without_notice(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn long_job_without_notice_on_postgres() {
    long_job_without_notice(Backend::Postgres).await;
}
