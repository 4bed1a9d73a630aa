//! The feed a reader can trust: gap-free sequences in commit order under concurrent writers (one of them holding
//! its transaction open), pushed to streams at once (not on the fallback poll).

use std::collections::BTreeSet;
use std::time::Duration;

use aftersales_e2e::clients::{self, all_events};
use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions};
use aftersales_proto::common::v1::WatchEventsRequest;
use sqlx::Connection;

async fn a_new_event_is_pushed_without_waiting_for_the_poll(backend: Backend) {
    let options = SuiteOptions::default().with("AFTERSALES__FEEDS__FALLBACK_POLL_MS", "3600000");
    let Some(mut suite) = Suite::start(backend, &["reception"], options).await else {
        return;
    };
    let data = suite.data_dir();
    let reception = suite.service("reception");
    let mut feed = clients::feed(reception, &Caller::role("oem_manager").token(&data)).await;
    let mut stream = feed.watch_events(WatchEventsRequest { after_sequence: 0 }).await.unwrap().into_inner();

    let advisor = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut orders = clients::orders(reception, &advisor).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();

    let event = tokio::time::timeout(Duration::from_secs(1), stream.message())
        .await
        .expect("event within a second with an hour-long fallback poll")
        .unwrap()
        .and_then(|m| m.event)
        .unwrap();
    assert_eq!(event.sequence, 1);
    assert_eq!(event.aggregate_id, order.id);
    assert_eq!(event.event_type, "aftersales.reception.v1.RepairOrderCreated");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_event_is_pushed_without_waiting_for_the_poll_on_sqlite() {
    a_new_event_is_pushed_without_waiting_for_the_poll(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_event_is_pushed_without_waiting_for_the_poll_on_postgres() {
    a_new_event_is_pushed_without_waiting_for_the_poll(Backend::Postgres).await;
}

/// Eight concurrent writers on PostgreSQL while a ninth holds its transaction (with an outbox row) open: a
/// reader following the feed sees 1, 2, 3, ... without a gap, every event exactly once, the late one included.
#[tokio::test(flavor = "multi_thread")]
async fn a_reader_never_skips_an_event_that_commits_late() {
    const WRITERS: usize = 8;
    const PER_WRITER: usize = 15;
    let Some(mut suite) = Suite::start(Backend::Postgres, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let url = suite.db.url_for("reception").await;
    let reception = suite.service("reception");

    // The slow writer: an outbox row inserted first, committed last.
    let mut slow = sqlx::PgConnection::connect(&url).await.unwrap();
    let late_id = uuid::Uuid::now_v7().to_string();
    sqlx::query("BEGIN").execute(&mut slow).await.unwrap();
    sqlx::query(
        "INSERT INTO outbox_events (event_id, event_type, occurred_at_us, tenant_kind, tenant_id, aggregate_type, \
         aggregate_id, traceparent, tracestate, payload) VALUES ($1, 'test.Late', 0, 3, '', 'test', 'late', '', '', $2)",
    )
    .bind(&late_id)
    .bind(Vec::<u8>::new())
    .execute(&mut slow)
    .await
    .unwrap();

    let mut feed = clients::feed(reception, &Caller::role("oem_manager").token(&data)).await;
    let mut stream = feed.watch_events(WatchEventsRequest { after_sequence: 0 }).await.unwrap().into_inner();
    let expected = WRITERS * PER_WRITER + 1;
    // The reader reports how far it got, so the late row commits only once every earlier row is on the feed.
    let (progress, mut seen_so_far) = tokio::sync::watch::channel(0usize);
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        while seen.len() < expected {
            let event = stream.message().await.unwrap().and_then(|m| m.event).unwrap();
            seen.push((event.sequence, event.event_id));
            let _ = progress.send(seen.len());
        }
        seen
    });

    let advisor = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let mut orders = clients::orders(reception, &advisor).await;
        writers.push(tokio::spawn(async move {
            for _ in 0..PER_WRITER {
                orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    // Every writer's row committed before the late one: once the reader has read past all of them (the relay
    // numbers rows after they commit, so this waits for numbering, not for commits), the late row commits and
    // must still reach the reader, numbered last.
    tokio::time::timeout(Duration::from_secs(30), seen_so_far.wait_for(|n| *n == expected - 1))
        .await
        .expect("the reader saw every earlier event")
        .unwrap();
    sqlx::query("COMMIT").execute(&mut slow).await.unwrap();

    let seen = tokio::time::timeout(Duration::from_secs(30), reader).await.expect("reader saw every event").unwrap();
    let sequences: Vec<u64> = seen.iter().map(|(s, _)| *s).collect();
    assert_eq!(sequences, (1..=expected as u64).collect::<Vec<_>>(), "gap-free, in order, each once");
    let ids: BTreeSet<&String> = seen.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), expected, "every event exactly once");
    assert!(ids.contains(&late_id), "the late committer is on the feed");
    assert_eq!(seen.last().unwrap().1, late_id, "numbered after everything that committed before it");

    // A second reader from the start sees the same history.
    let replay = all_events(&mut feed).await;
    assert_eq!(replay.iter().map(|e| e.sequence).collect::<Vec<_>>(), sequences);
}
