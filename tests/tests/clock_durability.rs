//! Clocks are durable and fire exactly once. On SQLite and PostgreSQL: three confirmation clocks due at 08:15; the
//! service stops at 08:01 and comes back at 08:50 — each clock breaches once, with its true due time (fired 35
//! minutes late) and both ladder climbs (08:15, 08:45); a further restart fires nothing again. On PostgreSQL: two
//! scheduler processes on one database over 10,000 due clocks — every clock breached exactly once.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::process::ServiceProcess;
use aftersales_e2e::{Backend, Suite, SuiteOptions, clients, wait};
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::reception::v1 as reception;
use aftersales_runtime::outbox::decode_payload;

const START: &str = "2026-03-02T08:00:00Z";

fn t(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&chrono::Utc)
}

fn stamp(rfc3339: &str) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: t(rfc3339).timestamp(), nanos: 0 })
}

fn requested(appointment: &str, dealer: &str) -> reception::AppointmentRequested {
    reception::AppointmentRequested {
        appointment_id: appointment.to_string(),
        dealer_id: dealer.to_string(),
        ..Default::default()
    }
}

fn manual_from(start: &str, reception_url: &str) -> SuiteOptions {
    SuiteOptions::default().with("AFTERSALES__CLOCK__MODE", "manual").with("AFTERSALES__CLOCK__START", start).with_for(
        "escalation",
        "AFTERSALES__PEERS__RECEPTION",
        reception_url,
    )
}

async fn due_while_down(backend: Backend) {
    let (feed, url) = FakeFeed::serve("appointment").await;
    let Some(mut suite) = Suite::start(backend, &["escalation"], manual_from(START, &url)).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    for _ in 0..3 {
        let appointment = uuid::Uuid::now_v7().to_string();
        feed.publish_at(&dealer, &appointment, &requested(&appointment, &dealer), t(START));
    }
    // Wait until all three clocks exist.
    let support = aftersales_e2e::Bearer(Some(aftersales_e2e::Caller::role("oem_support").token(&data)));
    let clocks = ClockServiceClient::with_interceptor(suite.service("escalation").channel().await, support);
    wait::until(Duration::from_secs(15), "three clocks", || {
        let (clocks, subjects) = (clocks.clone(), feed.aggregates());
        async move {
            let mut found = 0;
            for subject_id in subjects {
                let request = esc::ListClocksRequest { subject_id, page: None };
                found += clocks.clone().list_clocks(request).await.ok()?.into_inner().clocks.len();
            }
            (found == 3).then_some(())
        }
    })
    .await;
    suite.service("escalation").terminate().await;

    // Back at 08:50: the 08:15 breaches and the 08:45 re-escalations fire now, once each.
    let back = [("AFTERSALES__CLOCK__START".to_string(), "2026-03-02T08:50:00Z".to_string())];
    suite.service("escalation").restart(&back).await;
    let events = wait::until(Duration::from_secs(20), "the breaches fired on start-up", || {
        let suite = &suite;
        async move {
            let mut reader =
                clients::feed(&suite.services["escalation"], &service_token(&suite.data_dir(), "supplier")).await;
            let events = clients::all_events(&mut reader).await;
            let escalated = events.iter().filter(|e| decode_payload::<esc::ClockEscalated>(e).is_some()).count();
            (escalated == 6).then_some(events)
        }
    })
    .await;
    let breaches: Vec<esc::ClockBreached> =
        events.iter().filter_map(decode_payload::<esc::ClockBreached>).map(Result::unwrap).collect();
    assert_eq!(breaches.len(), 3, "each clock once");
    for breach in &breaches {
        assert_eq!((breach.due_at, breach.fired_at), (stamp("2026-03-02T08:15:00Z"), stamp("2026-03-02T08:50:00Z")));
    }
    let climbs: Vec<(i32, Option<prost_types::Timestamp>)> = events
        .iter()
        .filter_map(decode_payload::<esc::ClockEscalated>)
        .map(Result::unwrap)
        .map(|e| (e.level, e.escalated_at))
        .collect();
    assert_eq!(climbs.iter().filter(|(level, at)| *level == 2 && *at == stamp("2026-03-02T08:45:00Z")).count(), 3);

    // Another restart: nothing fires twice.
    suite.service("escalation").restart(&back).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut reader = clients::feed(suite.service("escalation"), &service_token(&data, "supplier")).await;
    let again = clients::all_events(&mut reader).await;
    assert_eq!(again.len(), events.len(), "no event after the second restart");
}

#[tokio::test(flavor = "multi_thread")]
async fn due_while_down_on_sqlite() {
    due_while_down(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn due_while_down_on_postgres() {
    due_while_down(Backend::Postgres).await;
}

/// Two scheduler processes, one PostgreSQL database, 10,000 clocks due at once.
#[tokio::test(flavor = "multi_thread")]
async fn two_schedulers_fire_each_clock_once() {
    const CLOCKS: usize = 10_000;
    let (feed, url) = FakeFeed::serve("appointment").await;
    let Some(mut suite) = Suite::start(Backend::Postgres, &["escalation"], manual_from(START, &url)).await else {
        return;
    };
    let data = suite.data_dir();
    let db_url = suite.db.url_for("escalation").await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    for _ in 0..CLOCKS {
        let appointment = uuid::Uuid::now_v7().to_string();
        feed.publish_at(&dealer, &appointment, &requested(&appointment, &dealer), t(START));
    }
    let count = |sql: &'static str| {
        let db_url = db_url.clone();
        async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&db_url).await.unwrap();
            let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
            n as usize
        }
    };
    wait::until(Duration::from_secs(600), "10,000 clocks started", || async {
        (count("SELECT COUNT(*) FROM clocks WHERE policy = 'appointment_confirmation'").await == CLOCKS).then_some(())
    })
    .await;

    // A second process of the service on the same database, same clock.
    let env = suite.env_for("escalation", &manual_from(START, &url)).await;
    let second = ServiceProcess::start("escalation", &data, env).await;
    suite.services.insert("escalation-2".into(), second);
    suite.advance(Duration::from_secs(16 * 60)).await;

    wait::until(Duration::from_secs(300), "every clock breached", || async {
        let breached =
            count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'aftersales.escalation.v1.ClockBreached'")
                .await;
        (breached >= CLOCKS).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let breached =
        count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'aftersales.escalation.v1.ClockBreached'").await;
    let distinct = count(
        "SELECT COUNT(DISTINCT aggregate_id) FROM outbox_events WHERE event_type = 'aftersales.escalation.v1.ClockBreached'",
    )
    .await;
    assert_eq!((breached, distinct), (CLOCKS, CLOCKS), "every clock breached exactly once");
    let unfired = count(
        "SELECT COUNT(*) FROM clocks WHERE policy = 'appointment_confirmation' AND body NOT LIKE '%\"breached\"%'",
    )
    .await;
    assert_eq!(unfired, 0);
}
