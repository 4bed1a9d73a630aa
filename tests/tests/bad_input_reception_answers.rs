//! Bad input, field by field, for reception's answers to additional work and its customer notices: every request
//! field has at least one failing row → INVALID_ARGUMENT whose BadRequest details name that field. The rows are
//! aimed at a real order whose job runs and asks for additional work, so the rows only the order can refuse (a price
//! in another currency, a part price missing, a promise not later) are proven too — and afterwards the order is
//! exactly as it was and reception's feed has no new event.

use std::future::Future;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::reception::{order_in, order_with_request};
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::common::v1::Money;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::workshop::v1 as workshop;

async fn rows<T, R, Fut>(rpc: &str, table: &[Mutation<T>], base: impl Fn() -> T, call: impl Fn(T) -> Fut)
where
    R: std::fmt::Debug,
    Fut: Future<Output = Result<tonic::Response<R>, tonic::Status>>,
{
    for (field, case, mutate) in table {
        let mut request = base();
        mutate(&mut request);
        names_field(call(request).await, field, &format!("{rpc} {field}: {case}"));
    }
}

fn usd(minor: i64) -> Option<Money> {
    Some(Money { currency_code: "USD".into(), units_minor: minor })
}

const APPROVE: &[Mutation<pb::ApproveAdditionalWorkRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "abc".into()),
    ("repair_order_id", "missing", |r| r.repair_order_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "RO-1".into()),
    ("additional_work_id", "missing", |r| r.additional_work_id.clear()),
    ("additional_work_id", "not an id", |r| r.additional_work_id = "extra".into()),
    ("hourly_rate", "missing while operations are asked for", |r| r.hourly_rate = None),
    ("hourly_rate.currency_code", "not a currency code", |r| {
        r.hourly_rate.as_mut().unwrap().currency_code = "euro".into()
    }),
    ("hourly_rate.units_minor", "negative", |r| r.hourly_rate.as_mut().unwrap().units_minor = -1),
    ("hourly_rate", "another currency than the order's", |r| r.hourly_rate = usd(8000)),
    ("part_unit_prices", "none for the requested part", |r| r.part_unit_prices.clear()),
    ("part_unit_prices", "one too many", |r| r.part_unit_prices.push(r.part_unit_prices[0].clone())),
    ("part_unit_prices[0].units_minor", "negative", |r| r.part_unit_prices[0].units_minor = -5),
    ("part_unit_prices[0]", "another currency", |r| r.part_unit_prices[0] = usd(100).unwrap()),
    ("consented_by", "missing", |r| r.consented_by.clear()),
    ("consented_by", "over 200 characters", |r| r.consented_by = "n".repeat(201)),
    ("channel", "unspecified", |r| r.channel = 0),
    ("channel", "unknown", |r| r.channel = 42),
    ("signature_reference", "missing in person", |r| {
        r.channel = pb::ConsentChannel::InPerson as i32;
        r.signature_reference.clear()
    }),
    ("signature_reference", "over 1000 characters", |r| r.signature_reference = "s".repeat(1001)),
];

const REFUSE: &[Mutation<pb::RefuseAdditionalWorkRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "1".into()),
    ("additional_work_id", "not an id", |r| r.additional_work_id = "1".into()),
    ("reason", "missing", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
    ("reason", "a control character", |r| r.reason = "no\u{7}thanks".into()),
    ("refused_by", "missing", |r| r.refused_by.clear()),
    ("channel", "unspecified", |r| r.channel = 0),
];

const PROGRESS: &[Mutation<pb::NotifyCustomerProgressRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("repair_order_id", "missing", |r| r.repair_order_id.clear()),
    ("message", "missing", |r| r.message.clear()),
    ("message", "over 4000 characters", |r| r.message = "m".repeat(4001)),
    ("channel", "unspecified", |r| r.channel = 0),
    ("channel", "unknown", |r| r.channel = 9),
    ("expected_ready_at", "not a valid time", |r| {
        r.expected_ready_at = Some(prost_types::Timestamp { seconds: 0, nanos: -1 })
    }),
    ("expected_ready_at", "in the past", |r| {
        r.expected_ready_at = Some(prost_types::Timestamp { seconds: 1, nanos: 0 })
    }),
];

const DELAY: &[Mutation<pb::NotifyCustomerDelayRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "order".into()),
    ("reason", "missing", |r| r.reason.clear()),
    ("new_promised_at", "missing", |r| r.new_promised_at = None),
    ("new_promised_at", "not later than the promise", |r| {
        r.new_promised_at = Some(prost_types::Timestamp { seconds: 1, nanos: 0 })
    }),
    ("compensation_offer", "missing", |r| r.compensation_offer.clear()),
    ("compensation_offer", "over 1000 characters", |r| r.compensation_offer = "c".repeat(1001)),
    ("channel", "unspecified", |r| r.channel = 0),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_the_answers_and_notices_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let foreman = crew.jobs(&crew.foreman_token);
    let orders = clients::orders(suite.service("reception"), &advisor).await;

    // A real order whose job runs and asks for additional work.
    let order = orders.clone().create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.clone().approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let job = wait::until(std::time::Duration::from_secs(15), "the job", || {
        let (mut jobs, order) = (foreman.clone(), order.id.clone());
        async move {
            let request = workshop::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    crew.bring(&job.id, Stage::Started).await;
    order_in(&orders, &order.id, pb::RepairOrderState::InWorkshop).await;
    let work = crew.ask_for_additional_work(&job.id).await;
    let before = order_with_request(&orders, &order.id, &work.id).await;
    let mut feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events_before = clients::at_least_events(&feed, 2).await;

    let call = |orders: &clients::Orders| orders.clone();
    rows(
        "ApproveAdditionalWork",
        APPROVE,
        || fixtures::approve_additional_work(&order.id, &work.id),
        |r| {
            let mut c = call(&orders);
            async move { c.approve_additional_work(r).await }
        },
    )
    .await;
    rows(
        "RefuseAdditionalWork",
        REFUSE,
        || fixtures::refuse_additional_work(&order.id, &work.id),
        |r| {
            let mut c = call(&orders);
            async move { c.refuse_additional_work(r).await }
        },
    )
    .await;
    rows(
        "NotifyCustomerProgress",
        PROGRESS,
        || fixtures::progress_notice(&order.id),
        |r| {
            let mut c = call(&orders);
            async move { c.notify_customer_progress(r).await }
        },
    )
    .await;
    rows(
        "NotifyCustomerDelay",
        DELAY,
        || fixtures::delay_notice(&order.id, 3),
        |r| {
            let mut c = call(&orders);
            async move { c.notify_customer_delay(r).await }
        },
    )
    .await;
    for (case, id) in [("missing", ""), ("not an id", "RO-7")] {
        let request = pb::ListCustomerNoticesRequest { repair_order_id: id.into(), page: None };
        names_field(
            call(&orders).list_customer_notices(request).await,
            "repair_order_id",
            &format!("ListCustomerNotices repair_order_id: {case}"),
        );
    }

    let after = call(&orders).get_repair_order(pb::GetRepairOrderRequest { id: order.id.clone() }).await;
    assert_eq!(after.unwrap().into_inner(), before, "the order is exactly as it was");
    assert_eq!(clients::all_events(&mut feed).await, events_before, "reception's feed has no new event");
    let request = pb::ListCustomerNoticesRequest { repair_order_id: order.id.clone(), page: None };
    assert!(call(&orders).list_customer_notices(request).await.unwrap().into_inner().notices.is_empty());
}
