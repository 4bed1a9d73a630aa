//! The first cross-service flow: reception approves an order → `RepairOrderApproved` on reception's feed →
//! workshop queues exactly one job for it (`JobQueued`), readable through workshop's API — on SQLite and on
//! PostgreSQL, across restarts and while workshop is down.

use std::time::Duration;

use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, wait};
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use aftersales_proto::workshop::v1::{self as workshop, ListJobsRequest};

type Jobs = JobServiceClient<tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>>;

async fn jobs_client(suite: &mut Suite, token: &str) -> Jobs {
    let channel = suite.service("workshop").channel().await;
    JobServiceClient::with_interceptor(channel, Bearer(Some(token.to_string())))
}

/// Polls workshop until the order's job shows (another process's database: there is nothing to wait on).
async fn wait_for_jobs(jobs: &Jobs, order: &str) -> Vec<workshop::Job> {
    wait::until(Duration::from_secs(10), "the job of the approved order", || {
        let (mut jobs, order) = (jobs.clone(), order.to_string());
        async move {
            let found = jobs_of(&mut jobs, &order).await;
            (!found.is_empty()).then_some(found)
        }
    })
    .await
}

async fn jobs_of(jobs: &mut Jobs, order: &str) -> Vec<workshop::Job> {
    jobs.list_jobs(ListJobsRequest { repair_order_id: order.into(), ..Default::default() })
        .await
        .expect("ListJobs")
        .into_inner()
        .jobs
}

async fn approved_order(suite: &mut Suite, token: &str, urgent: bool) -> String {
    let channel = suite.service("reception").channel().await;
    let mut orders = RepairOrderServiceClient::with_interceptor(channel, Bearer(Some(token.to_string())));
    let order = orders.create_repair_order(fixtures::create_repair_order(urgent)).await.expect("create").into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.expect("approve");
    order.id
}

async fn approved_order_becomes_one_queued_job(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token(&suite.data_dir());

    let order = approved_order(&mut suite, &token, true).await;

    let jobs = wait_for_jobs(&jobs_client(&mut suite, &token).await, &order).await;
    assert_eq!(jobs.len(), 1, "one job per approved order");
    let job = &jobs[0];
    assert_eq!(job.state, workshop::JobState::Queued as i32);
    assert!(job.urgent);
    assert_eq!(job.dealer_id, dealer);
    assert_eq!(job.operations.len(), 1, "the labour line is the job's operation; the part line is not");
    assert_eq!(job.estimated_hours_hundredths, 150);
}

#[tokio::test(flavor = "multi_thread")]
async fn approved_order_becomes_one_queued_job_on_sqlite() {
    approved_order_becomes_one_queued_job(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn approved_order_becomes_one_queued_job_on_postgres() {
    approved_order_becomes_one_queued_job(Backend::Postgres).await;
}

/// Workshop down while orders are approved delays the jobs, never loses them; restarting it does not double them.
async fn orders_approved_while_workshop_is_down_are_queued_when_it_returns(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token(&suite.data_dir());
    let before = approved_order(&mut suite, &token, false).await;
    wait_for_jobs(&jobs_client(&mut suite, &token).await, &before).await;

    suite.service("workshop").kill().await;
    let mut during = Vec::new();
    for _ in 0..3 {
        during.push(approved_order(&mut suite, &token, false).await);
    }
    suite.service("workshop").restart(&[]).await;

    let jobs = jobs_client(&mut suite, &token).await;
    for order in during.iter().chain([&before]) {
        let jobs = wait_for_jobs(&jobs, order).await;
        assert_eq!(jobs.len(), 1, "order {order} must have exactly one job");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_approved_while_workshop_is_down_are_queued_when_it_returns_on_sqlite() {
    orders_approved_while_workshop_is_down_are_queued_when_it_returns(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_approved_while_workshop_is_down_are_queued_when_it_returns_on_postgres() {
    orders_approved_while_workshop_is_down_are_queued_when_it_returns(Backend::Postgres).await;
}
