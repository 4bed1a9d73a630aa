//! Several replicas of one service on one PostgreSQL database: the relay is elected per stamping pass, streams
//! on every replica are woken by NOTIFY, and a feed is applied by one consumer at a time, each event once.

use std::collections::BTreeSet;
use std::time::Duration;

use aftersales_e2e::clients::{self, all_events};
use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Caller, ServiceProcess, Suite, SuiteOptions, wait};
use aftersales_proto::common::v1::WatchEventsRequest;
use aftersales_proto::workshop::v1::ListJobsRequest;

/// A second replica of `name`: same database and keys, its own data directory (its own address file).
async fn second_replica(suite: &Suite, name: &str, options: &SuiteOptions) -> (ServiceProcess, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&std::path::Path::new(&suite.data_dir()).join("keys"), &data.join("keys"));
    let mut env = suite.env_for(name, options).await;
    env.retain(|(key, _)| !key.starts_with("AFTERSALES__PEERS__") && key != "AFTERSALES__DATA_DIR");
    env.push(("AFTERSALES__DATA_DIR".into(), data.display().to_string()));
    for (peer, process) in &suite.services {
        env.push((format!("AFTERSALES__PEERS__{}", peer.to_uppercase()), process.url.clone()));
    }
    (ServiceProcess::start(name, &data.display().to_string(), env).await, dir)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stream_on_one_replica_sees_events_written_on_another_at_once() {
    let options = SuiteOptions::default().with("AFTERSALES__FEEDS__FALLBACK_POLL_MS", "3600000");
    let Some(mut suite) = Suite::start(Backend::Postgres, &["reception"], options.clone()).await else {
        return;
    };
    let (replica_b, _dir) = second_replica(&suite, "reception", &options).await;
    let data = suite.data_dir();
    let oem = Caller::role("oem_manager").token(&data);
    let mut feed_b = clients::feed(&replica_b, &oem).await;
    let mut stream = feed_b.watch_events(WatchEventsRequest { after_sequence: 0 }).await.unwrap().into_inner();

    // Writers on both replicas at once.
    let advisor = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut writers = Vec::new();
    for replica in [suite.service("reception") as &ServiceProcess, &replica_b] {
        for _ in 0..4 {
            let mut orders = clients::orders(replica, &advisor).await;
            writers.push(tokio::spawn(async move {
                for _ in 0..10 {
                    orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap();
                }
            }));
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }
    // The last write happens on replica A alone: only A's relay stamps it, so only NOTIFY can wake B's stream.
    let mut orders_a = clients::orders(suite.service("reception"), &advisor).await;
    orders_a.create_repair_order(fixtures::create_repair_order(false)).await.unwrap();
    let mut sequences = Vec::new();
    while sequences.len() < 81 {
        let next = tokio::time::timeout(Duration::from_secs(1), stream.message())
            .await
            .expect("every event pushed within a second (the fallback poll is an hour)")
            .unwrap()
            .and_then(|m| m.event)
            .unwrap();
        sequences.push(next.sequence);
    }
    assert_eq!(sequences, (1..=81).collect::<Vec<u64>>(), "one gap-free sequence across replicas");
    let mut feed_a = clients::feed(suite.service("reception"), &oem).await;
    let ids: BTreeSet<String> = all_events(&mut feed_a).await.into_iter().map(|e| e.event_id).collect();
    assert_eq!(ids.len(), 81);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_workshop_replicas_queue_each_approved_order_once() {
    let options = SuiteOptions::default();
    let Some(mut suite) = Suite::start(Backend::Postgres, &["reception", "workshop"], options.clone()).await else {
        return;
    };
    let (replica_b, _dir) = second_replica(&suite, "workshop", &options).await;
    let data = suite.data_dir();
    let advisor = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut orders = clients::orders(suite.service("reception"), &advisor).await;
    let mut approved = Vec::new();
    for _ in 0..20 {
        let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
        orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
        approved.push(order.id);
    }
    // Either replica may hold the lease; reading through replica B proves they share one database.
    let jobs = clients::jobs(&replica_b, &advisor).await;
    for order in &approved {
        let count = wait::until(Duration::from_secs(15), "the job of each order", || {
            let (mut jobs, order) = (jobs.clone(), order.clone());
            async move {
                let request = ListJobsRequest { repair_order_id: order, ..Default::default() };
                let found = jobs.list_jobs(request).await.ok()?.into_inner().jobs.len();
                (found > 0).then_some(found)
            }
        })
        .await;
        assert_eq!(count, 1, "order {order}");
    }
    let oem = Caller::role("oem_manager").token(&data);
    let feed = clients::feed(suite.service("workshop"), &oem).await;
    let queued = clients::count_once_at_least(&feed, 20, |e| e.event_type.ends_with("JobQueued")).await;
    assert_eq!(queued, 20, "one JobQueued per order, whichever replica applied it");
}
