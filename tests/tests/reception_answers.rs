//! Reception answering the workshop and keeping the customer informed, over the real binaries on SQLite and
//! PostgreSQL: a started job's request for additional work makes the order wait; the customer refuses it (workshop
//! closes the request) and approves a second one at the advisor's prices (a new estimate version whose labour line
//! becomes an operation of the job); progress and delay notices are recorded, move the promise and reach the feed;
//! the ready job brings the hours clocked per labour line back to the order.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::reception::{order_in, order_with_request};
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as pb;
use std::time::Duration;

async fn answers_and_notices(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let mut jobs = crew.jobs(&crew.foreman_token);
    let mut orders = clients::orders(suite.service("reception"), &advisor).await;

    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let job = wait::until(Duration::from_secs(15), "the job", || {
        let (mut jobs, order) = (jobs.clone(), order.id.clone());
        async move {
            let request = pb::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    crew.bring(&job.id, Stage::Started).await;
    order_in(&orders, &order.id, reception::RepairOrderState::InWorkshop).await;

    // A delay is announced with a compensation offer: the promise moves, the previous one is kept.
    let delay = orders.notify_customer_delay(fixtures::delay_notice(&order.id, 3)).await.unwrap().into_inner();
    assert_eq!(delay.kind(), reception::NoticeKind::Delay);
    assert_eq!(delay.previous_promised_at, order.promised_at);
    let moved = orders.get_repair_order(reception::GetRepairOrderRequest { id: order.id.clone() }).await;
    assert_eq!(moved.unwrap().into_inner().promised_at, delay.new_promised_at);
    let earlier = orders.notify_customer_delay(fixtures::delay_notice(&order.id, 1)).await.unwrap_err();
    assert_eq!(earlier.code(), tonic::Code::InvalidArgument, "a delay must move the promise later");

    // The first request is refused: workshop closes it, the order goes back to the workshop.
    let first = crew.ask_for_additional_work(&job.id).await;
    let waiting = order_with_request(&orders, &order.id, &first.id).await;
    assert_eq!(waiting.state(), reception::RepairOrderState::AwaitingAdditionalConsent);
    let progress = orders.notify_customer_progress(fixtures::progress_notice(&order.id)).await.unwrap().into_inner();
    assert_eq!(progress.kind(), reception::NoticeKind::Progress);
    let refused = orders.refuse_additional_work(fixtures::refuse_additional_work(&order.id, &first.id)).await;
    let refused = refused.unwrap().into_inner();
    assert_eq!(refused.state(), reception::RepairOrderState::InWorkshop);
    assert_eq!(refused.additional_work[0].decision(), reception::AdditionalWorkDecision::Refused);
    assert_eq!(refused.estimate_version, 1);
    let again = orders.approve_additional_work(fixtures::approve_additional_work(&order.id, &first.id)).await;
    assert_eq!(again.unwrap_err().code(), tonic::Code::FailedPrecondition, "a refusal is final");

    // The second is approved at the advisor's prices: estimate version 2 with two required lines.
    let second = crew.ask_for_additional_work(&job.id).await;
    order_with_request(&orders, &order.id, &second.id).await;
    let approved = orders.approve_additional_work(fixtures::approve_additional_work(&order.id, &second.id)).await;
    let approved = approved.unwrap().into_inner();
    assert_eq!(approved.estimate_version, 2);
    assert_eq!(approved.state(), reception::RepairOrderState::InWorkshop);
    let added: Vec<_> = approved.lines.iter().filter(|l| l.additional_work_id == second.id).collect();
    assert_eq!(added.len(), 2);
    // 1.00 h × 80.00 + 2 × 12.50 added to the fixture's 120.00 + 39.98.
    assert_eq!(approved.estimate_total.as_ref().unwrap().units_minor, 12000 + 3998 + 8000 + 2500);

    // Workshop learns both answers: the refused request closed, the approved one's labour line an operation.
    let job = wait::until(Duration::from_secs(15), "both answers in workshop", || {
        let (mut jobs, id) = (jobs.clone(), job.id.clone());
        async move {
            let job = jobs.get_job(pb::GetJobRequest { id }).await.ok()?.into_inner();
            job.additional_work.iter().all(|w| w.state() != pb::AdditionalWorkState::Requested).then_some(job)
        }
    })
    .await;
    let labour_line = &added.iter().find(|l| matches!(l.item, Some(reception::repair_order_line::Item::Labour(_))));
    let labour_line = labour_line.expect("a labour line");
    assert!(job.operations.iter().any(|op| op.line_id == labour_line.line_id));

    // The job is worked to ready: the order is ready with the hours clocked on each labour line.
    crew.bring(&job.id, Stage::Ready).await;
    let ready = order_in(&orders, &order.id, reception::RepairOrderState::Ready).await;
    let labour: Vec<_> =
        ready.lines.iter().filter(|l| matches!(l.item, Some(reception::repair_order_line::Item::Labour(_)))).collect();
    assert_eq!(labour.len(), 2);
    assert!(labour.iter().all(|l| l.actual_hours_hundredths.is_some()), "{labour:?}");
    let job = jobs.get_job(pb::GetJobRequest { id: job.id.clone() }).await.unwrap().into_inner();
    for line in labour {
        let op = job.operations.iter().find(|op| op.line_id == line.line_id).expect("an operation per labour line");
        assert_eq!(line.actual_hours_hundredths, Some(op.actual_hours_hundredths));
    }

    // The notices are reception's records, and their events meet escalation's clocks.
    let notices = orders
        .list_customer_notices(reception::ListCustomerNoticesRequest { repair_order_id: order.id.clone(), page: None })
        .await
        .unwrap()
        .into_inner()
        .notices;
    assert_eq!(notices.iter().map(|n| n.id.clone()).collect::<Vec<_>>(), [delay.id.clone(), progress.id.clone()]);
    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let kinds: Vec<String> = clients::at_least_events(&feed, 6)
        .await
        .into_iter()
        .filter(|e| e.aggregate_id == order.id)
        .map(|e| e.event_type)
        .collect();
    let short: Vec<&str> = kinds.iter().map(|k| k.rsplit('.').next().unwrap()).collect();
    assert_eq!(
        short,
        [
            "RepairOrderCreated",
            "RepairOrderApproved",
            "CustomerDelayNotified",
            "CustomerProgressNotified",
            "AdditionalWorkRefused",
            "AdditionalWorkApproved",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_and_notices_on_sqlite() {
    answers_and_notices(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_and_notices_on_postgres() {
    answers_and_notices(Backend::Postgres).await;
}
