//! Bad input, field by field, for settlement, delivery and follow-up: every request field has at least one failing
//! row → INVALID_ARGUMENT whose BadRequest details name that field. The rows are aimed at a real ready order (the
//! crew works its job to ready), so the rows only the settlement can refuse (a discount above the lines, a line not
//! on the order, a next service below the check-in reading) are proven too — and afterwards the settlement and the
//! order are exactly as they were and reception's feed has no new event.

use std::future::Future;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::reception::order_in;
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, directory, fixtures, wait};
use aftersales_proto::common::v1::Money;
use aftersales_proto::parts::v1 as parts;
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

const EXPLAIN: &[Mutation<pb::ExplainVarianceRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "RO".into()),
    ("line_id", "missing", |r| r.line_id.clear()),
    ("line_id", "not an id", |r| r.line_id = "line-1".into()),
    ("line_id", "not a line of the order", |r| r.line_id = uuid::Uuid::now_v7().to_string()),
    ("reason", "missing", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

const DISCOUNT: &[Mutation<pb::AddDiscountRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("repair_order_id", "missing", |r| r.repair_order_id.clear()),
    ("description", "missing", |r| r.description.clear()),
    ("description", "over 200 characters", |r| r.description = "d".repeat(201)),
    ("amount", "missing", |r| r.amount = None),
    ("amount.currency_code", "not a currency", |r| r.amount.as_mut().unwrap().currency_code = "e".into()),
    ("amount.units_minor", "negative", |r| r.amount.as_mut().unwrap().units_minor = -1),
    ("amount", "zero", |r| r.amount.as_mut().unwrap().units_minor = 0),
    ("amount", "more than the lines", |r| r.amount.as_mut().unwrap().units_minor = 100_000_000),
    ("amount", "another currency", |r| r.amount = Some(Money { currency_code: "USD".into(), units_minor: 1 })),
    ("reason", "missing", |r| r.reason.clear()),
];

const REMOVE: &[Mutation<pb::RemoveDiscountRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "1".into()),
    ("discount_id", "missing", |r| r.discount_id.clear()),
    ("discount_id", "not an id", |r| r.discount_id = "d".into()),
];

const SIGN: &[Mutation<pb::SignSettlementRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "x".into()),
    ("signed_by", "missing", |r| r.signed_by.clear()),
    ("signed_by", "over 200 characters", |r| r.signed_by = "s".repeat(201)),
    ("signature_reference", "missing", |r| r.signature_reference.clear()),
    ("signature_reference", "over 1000 characters", |r| r.signature_reference = "s".repeat(1001)),
];

const CREDIT: &[Mutation<pb::IssueCreditNoteRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "x".into()),
    ("amount", "missing", |r| r.amount = None),
    ("amount.units_minor", "negative", |r| r.amount.as_mut().unwrap().units_minor = -5),
    ("reason", "missing", |r| r.reason.clear()),
];

const DELIVER: &[Mutation<pb::DeliverVehicleRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "x".into()),
    ("old_parts", "unspecified", |r| r.old_parts = 0),
    ("old_parts", "unknown", |r| r.old_parts = 17),
    ("next_service_on", "not a date", |r| r.next_service_on = "next spring".into()),
    ("next_service_on", "today or before", |r| r.next_service_on = "2020-01-01".into()),
    ("next_service_km", "negative", |r| r.next_service_km = -1),
    ("next_service_km", "over 2000000", |r| r.next_service_km = 2_000_001),
    ("next_service_km", "not above the check-in reading", |r| r.next_service_km = 1000),
];

const FOLLOW_UP: &[Mutation<pb::RecordFollowUpRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("repair_order_id", "not an id", |r| r.repair_order_id = "x".into()),
    ("channel", "unspecified", |r| r.channel = 0),
    ("score", "zero", |r| r.score = 0),
    ("score", "six", |r| r.score = 6),
    ("comments", "over 4000 characters", |r| r.comments = "c".repeat(4001)),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_settlement_delivery_and_follow_up_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let parts_feed = suite.fake_parts.clone().expect("the suite's fake parts feed");
    let dealer = aftersales_kernel::DealerId::new().to_string();
    directory::register_dealer(suite.service("reception"), &data, &dealer, "BJ01", 1300).await;
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let manager = Caller::dealer("dealer_manager", &dealer).token(&data);
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let foreman = crew.jobs(&crew.foreman_token);
    let orders = clients::orders(suite.service("reception"), &advisor).await;
    let settlements = clients::settlements(suite.service("reception"), &advisor).await;
    let credits = clients::settlements(suite.service("reception"), &manager).await;

    // A ready order, and one delivered (for the follow-up rows).
    let mut ready = Vec::new();
    for _ in 0..2 {
        let order =
            orders.clone().create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
        orders.clone().approve_estimate(fixtures::approve(&order.id)).await.unwrap();
        let job = wait::until(std::time::Duration::from_secs(15), "the job", || {
            let (mut jobs, order) = (foreman.clone(), order.id.clone());
            async move {
                let request = workshop::ListJobsRequest { repair_order_id: order, ..Default::default() };
                jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
            }
        })
        .await;
        crew.bring(&job.id, Stage::Ready).await;
        let ready_order = order_in(&orders, &order.id, pb::RepairOrderState::Ready).await;
        // Parts (a fake feed here) issued exactly the consented parts and closed the order's requisitions.
        let used = ready_order
            .lines
            .iter()
            .filter_map(|line| match &line.item {
                Some(pb::repair_order_line::Item::Part(part)) if !line.declined => Some(parts::UsedPart {
                    line_id: line.line_id.clone(),
                    part_number: part.part_number.clone(),
                    quantity_hundredths: part.quantity_hundredths,
                }),
                _ => None,
            })
            .collect();
        let closed = parts::RequisitionsClosed {
            repair_order_id: order.id.clone(),
            dealer_id: dealer.clone(),
            used,
            ..Default::default()
        };
        parts_feed.publish(&dealer, &order.id, &closed);
        aftersales_e2e::reception::requisitions_closed(&settlements, &order.id).await;
        ready.push(ready_order);
    }
    let (order, delivered) = (ready[0].id.clone(), ready[1].id.clone());
    aftersales_e2e::reception::sign(&settlements, &delivered).await;
    orders.clone().deliver_vehicle(fixtures::deliver(&delivered)).await.unwrap();
    let line = ready[0].lines[0].line_id.clone();
    let discounted = settlements.clone().add_discount(fixtures::add_discount(&order, 100)).await.unwrap().into_inner();
    let discount = discounted.discounts[0].id.clone();

    let mut feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    // The dealer, two orders opened and approved, one signed and delivered (with its follow-up scheduled).
    let events_before = clients::at_least_events(&feed, 8).await;
    let get = |id: &str| {
        let mut s = settlements.clone();
        let request = pb::GetSettlementRequest { repair_order_id: id.to_string() };
        async move { s.get_settlement(request).await.unwrap().into_inner() }
    };
    let settlement_before = get(&order).await;

    for (case, id) in [("missing", ""), ("not an id", "RO-1")] {
        let request = pb::GetSettlementRequest { repair_order_id: id.into() };
        names_field(
            settlements.clone().get_settlement(request).await,
            "repair_order_id",
            &format!("GetSettlement repair_order_id: {case}"),
        );
    }
    let explain = || pb::ExplainVarianceRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.clone(),
        line_id: line.clone(),
        reason: "took longer".into(),
    };
    rows("ExplainVariance", EXPLAIN, explain, |r| {
        let mut c = settlements.clone();
        async move { c.explain_variance(r).await }
    })
    .await;
    rows(
        "AddDiscount",
        DISCOUNT,
        || fixtures::add_discount(&order, 100),
        |r| {
            let mut c = settlements.clone();
            async move { c.add_discount(r).await }
        },
    )
    .await;
    let remove = || pb::RemoveDiscountRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.clone(),
        discount_id: discount.clone(),
    };
    rows("RemoveDiscount", REMOVE, remove, |r| {
        let mut c = settlements.clone();
        async move { c.remove_discount(r).await }
    })
    .await;
    let sign = || pb::SignSettlementRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: order.clone(),
        signed_by: "Li Wei".into(),
        signature_reference: "sig://1".into(),
    };
    rows("SignSettlement", SIGN, sign, |r| {
        let mut c = settlements.clone();
        async move { c.sign_settlement(r).await }
    })
    .await;
    let credit = || pb::IssueCreditNoteRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: delivered.clone(),
        amount: fixtures::eur(100),
        reason: "wrong rate".into(),
    };
    rows("IssueCreditNote", CREDIT, credit, |r| {
        let mut c = credits.clone();
        async move { c.issue_credit_note(r).await }
    })
    .await;
    // The order is ready, not settled: the delivery rows are refused for their field before the state is looked at
    // (apart from the reading, which needs the order).
    rows(
        "DeliverVehicle",
        DELIVER,
        || fixtures::deliver(&order),
        |r| {
            let mut c = orders.clone();
            async move { c.deliver_vehicle(r).await }
        },
    )
    .await;
    rows(
        "RecordFollowUp",
        FOLLOW_UP,
        || fixtures::follow_up(&delivered, 5),
        |r| {
            let mut c = orders.clone();
            async move { c.record_follow_up(r).await }
        },
    )
    .await;

    assert_eq!(get(&order).await, settlement_before, "the settlement is exactly as it was");
    assert_eq!(clients::all_events(&mut feed).await, events_before, "reception's feed has no new event");
}
