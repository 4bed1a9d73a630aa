//! Crashes at the worst moments (failpoints abort the process), then restarts: nothing lost, nothing doubled.

use std::time::Duration;

use aftersales_e2e::clients::{self, Jobs};
use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, wait};
use aftersales_proto::workshop::v1::ListJobsRequest;

const ARM: &str = "AFTERSALES__FAILPOINTS__ABORT";

fn env(key: &str, value: &str) -> Vec<(String, String)> {
    vec![(key.to_string(), value.to_string())]
}

async fn job_count(jobs: &mut Jobs, order: &str) -> usize {
    jobs.list_jobs(ListJobsRequest { repair_order_id: order.into(), ..Default::default() })
        .await
        .map(|r| r.into_inner().jobs.len())
        .unwrap_or(0)
}

async fn wait_for_one_job(suite: &mut Suite, token: &str, order: &str) {
    let jobs = clients::jobs(suite.service("workshop"), token).await;
    wait::until(Duration::from_secs(15), "the job", || {
        let (mut jobs, order) = (jobs.clone(), order.to_string());
        async move { (job_count(&mut jobs, &order).await > 0).then_some(()) }
    })
    .await;
}

/// How many `event_type` events `service`'s feed has, once it has at least `expected` (the relay numbers rows just
/// after they commit); the callers assert the exact count.
async fn count_events(suite: &mut Suite, service: &str, event_type: &str, expected: usize) -> usize {
    let token = Caller::role("oem_manager").token(&suite.data_dir());
    let feed = clients::feed(suite.service(service), &token).await;
    clients::count_once_at_least(&feed, expected, |e| e.event_type == event_type).await
}

/// Workshop's consumer dies at `failpoint` while applying an approval; after a restart the order has exactly one
/// job and workshop published exactly one `JobQueued`.
async fn consumer_crash_applies_once(failpoint: &str) {
    let options = SuiteOptions::default().with_for("workshop", ARM, failpoint);
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], options).await.unwrap();
    let token =
        Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let mut orders = clients::orders(suite.service("reception"), &token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();

    let status = suite.service("workshop").wait_exit(Duration::from_secs(15)).await;
    assert!(!status.success(), "workshop should have aborted at {failpoint}");
    suite.service("workshop").restart(&env(ARM, "")).await;

    wait_for_one_job(&mut suite, &token, &order.id).await;
    let mut jobs = clients::jobs(suite.service("workshop"), &token).await;
    assert_eq!(job_count(&mut jobs, &order.id).await, 1);
    assert_eq!(count_events(&mut suite, "workshop", "aftersales.workshop.v1.JobQueued", 1).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consumer_killed_before_commit_applies_the_event_once_after_restart() {
    consumer_crash_applies_once("consumer.before_commit").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consumer_killed_after_commit_does_not_apply_the_event_again() {
    consumer_crash_applies_once("consumer.after_commit").await;
}

/// Reception dies after committing an approval but before waking its relay and streams: on restart the relay
/// numbers the committed event and workshop still gets its one job.
#[tokio::test(flavor = "multi_thread")]
async fn a_producer_killed_between_commit_and_wake_up_loses_nothing() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], SuiteOptions::default()).await.unwrap();
    let token =
        Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let mut orders = clients::orders(suite.service("reception"), &token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();

    suite.service("reception").restart(&env(ARM, "producer.after_commit")).await;
    let mut orders = clients::orders(suite.service("reception"), &token).await;
    assert!(orders.approve_estimate(fixtures::approve(&order.id)).await.is_err(), "the process died mid-call");
    suite.service("reception").wait_exit(Duration::from_secs(15)).await;
    suite.service("reception").restart(&env(ARM, "")).await;

    wait_for_one_job(&mut suite, &token, &order.id).await;
    assert_eq!(count_events(&mut suite, "reception", "aftersales.reception.v1.RepairOrderApproved", 1).await, 1);
}

/// The same events delivered again (cursor rewound while workshop was down) are applied once.
#[tokio::test(flavor = "multi_thread")]
async fn redelivered_events_are_applied_once() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], SuiteOptions::default()).await.unwrap();
    let token =
        Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let mut orders = clients::orders(suite.service("reception"), &token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    wait_for_one_job(&mut suite, &token, &order.id).await;

    suite.service("workshop").kill().await;
    let url = suite.db.url_for("workshop").await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE feed_cursors SET sequence = 0 WHERE feed = 'reception'").execute(&pool).await.unwrap();
    pool.close().await;
    suite.service("workshop").restart(&[]).await;

    // A later order proves the rewound feed was read through to its end.
    let later = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&later.id)).await.unwrap();
    wait_for_one_job(&mut suite, &token, &later.id).await;
    let mut jobs = clients::jobs(suite.service("workshop"), &token).await;
    assert_eq!(job_count(&mut jobs, &order.id).await, 1);
    assert_eq!(count_events(&mut suite, "workshop", "aftersales.workshop.v1.JobQueued", 2).await, 2);
}
