//! Reservations on SQLite and PostgreSQL, with parts following fake reception and workshop feeds (so the test
//! chooses each upstream fact): two approved orders reserve more of a part than is on hand, so a counter issue finds
//! nothing free; the second order's cancellation lets its share go; a counter issue then takes only what is
//! available; the first order's requisition uses up its reservation by what was issued; and when its job is ready,
//! what it still held is released as not needed. Every step is on parts' feed.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn approved(order: &str, dealer: &str, line: &str, part: &str, hundredths: i64) -> reception::RepairOrderApproved {
    reception::RepairOrderApproved {
        repair_order_id: order.into(),
        dealer_id: dealer.into(),
        vin: fixtures::VIN.into(),
        mileage_km: 42_000,
        lines: vec![reception::RepairOrderLine {
            line_id: line.into(),
            item: Some(reception::repair_order_line::Item::Part(reception::PartItem {
                part_number: part.into(),
                quantity_hundredths: hundredths,
                unit_price: None,
            })),
            ..Default::default()
        }],
        ..Default::default()
    }
}

async fn reservations(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("repair_order").await;
    let (workshop_feed, workshop_url) = FakeFeed::serve("job").await;
    let options = SuiteOptions::default().with_for("parts", "AFTERSALES__PEERS__RECEPTION", &reception_url).with_for(
        "parts",
        "AFTERSALES__PEERS__WORKSHOP",
        &workshop_url,
    );
    let Some(mut suite) = Suite::start(backend, &["parts"], options).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let channel = suite.service("parts").channel().await;
    let store = Store::open(channel.clone(), &data, &dealer).await;
    store.put("A-01", "L-1", 500).await;
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "reception")).await;
    let availability = |reserved: i64| {
        let store = &store;
        async move {
            wait::until(Duration::from_secs(15), "the reservations to settle", || async move {
                Some(store.availability().await).filter(|a| a.reserved_hundredths == reserved)
            })
            .await
        }
    };

    // Two approved orders: 3 and 4 pieces of the 5 on hand.
    let (first, second, first_line, second_line) = (id(), id(), id(), id());
    reception_feed.publish(&dealer, &first, &approved(&first, &dealer, &first_line, &store.part, 300));
    reception_feed.publish(&dealer, &second, &approved(&second, &dealer, &second_line, &store.part, 400));
    let short = availability(700).await;
    assert_eq!((short.on_hand_hundredths, short.available_hundredths), (500, -200), "short for promised orders");
    let held: Vec<(&str, i64)> =
        short.reservations.iter().map(|r| (r.line_id.as_str(), r.quantity_hundredths)).collect();
    assert_eq!(held.len(), 2);
    assert!(held.contains(&(first_line.as_str(), 300)) && held.contains(&(second_line.as_str(), 400)));

    // Nothing is free for the counter.
    let counter = |hundredths: i64| pb::IssuePartsRequest {
        quantity_hundredths: hundredths,
        ..fixtures::issue_parts(&store.warehouse, &store.part)
    };
    let refused = store.stock("parts_clerk").issue_parts(counter(100)).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("reserved"), "{}", refused.message());
    assert_eq!(store.level().await.on_hand_hundredths, 500, "nothing written");

    // The second order is cancelled: its 4 pieces are free again; the counter may take 2, not 3.
    let cancelled = reception::RepairOrderCancelled {
        repair_order_id: second.clone(),
        dealer_id: dealer.clone(),
        ..Default::default()
    };
    reception_feed.publish(&dealer, &second, &cancelled);
    assert_eq!(availability(300).await.available_hundredths, 200);
    let too_much = store.stock("parts_clerk").issue_parts(counter(201)).await.unwrap_err();
    assert_eq!(too_much.code(), Code::FailedPrecondition, "the first order's 3 pieces stay");
    store.stock("parts_clerk").issue_parts(counter(200)).await.unwrap();

    // The first order's job asks for 1 piece: issuing it uses up 1 of the 3 reserved.
    let job = id();
    let queued = workshop::JobQueued {
        job_id: job.clone(),
        dealer_id: dealer.clone(),
        repair_order_id: first.clone(),
        vin: fixtures::VIN.into(),
        ..Default::default()
    };
    workshop_feed.publish(&dealer, &job, &queued);
    let as_role = |role: &str| {
        RequisitionServiceClient::with_interceptor(
            channel.clone(),
            Bearer(Some(Caller::dealer(role, &dealer).token(&data))),
        )
    };
    let ask = pb::RequestPartsRequest {
        request_id: id(),
        job_id: job.clone(),
        part_number: store.part.clone(),
        quantity_hundredths: 100,
    };
    let requisition = wait::until(Duration::from_secs(15), "parts to know the job", || {
        let (mut technician, ask) = (as_role("technician"), ask.clone());
        async move { technician.request_parts(ask).await.ok().map(|r| r.into_inner()) }
    })
    .await;
    assert_eq!(requisition.line_id, first_line, "charged to the order's line of the part");
    let decide = pb::ApproveRequisitionRequest { request_id: id(), requisition_id: requisition.id.clone() };
    as_role("service_advisor").approve_requisition(decide).await.unwrap();
    let issue = pb::IssueRequisitionRequest {
        request_id: id(),
        requisition_id: requisition.id.clone(),
        warehouse_id: store.warehouse.clone(),
        quantity_hundredths: 100,
        batch: String::new(),
    };
    as_role("parts_clerk").issue_requisition(issue).await.unwrap();
    let after_issue = availability(200).await;
    assert_eq!((after_issue.on_hand_hundredths, after_issue.available_hundredths), (200, 0));

    // The job is ready: the 2 pieces the order still held were not needed.
    let ready = workshop::JobReady {
        job_id: job.clone(),
        dealer_id: dealer.clone(),
        repair_order_id: first.clone(),
        vin: fixtures::VIN.into(),
        ..Default::default()
    };
    workshop_feed.publish(&dealer, &job, &ready);
    let done = availability(0).await;
    assert_eq!((done.on_hand_hundredths, done.available_hundredths, done.reservations.len()), (200, 200, 0));

    let events = wait::until(Duration::from_secs(15), "RequisitionsClosed on the feed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            events.iter().any(|e| decode_payload::<pb::RequisitionsClosed>(e).is_some()).then_some(events)
        }
    })
    .await;
    let reserved: Vec<(String, i64, i64)> = events
        .iter()
        .filter_map(decode_payload::<pb::PartsReserved>)
        .map(Result::unwrap)
        .map(|e| (e.repair_order_id, e.quantity_hundredths, e.available_after_hundredths))
        .collect();
    assert_eq!(reserved, [(first.clone(), 300, 200), (second.clone(), 400, -200)]);
    let released: Vec<(String, i64, pb::ReleaseReason)> = events
        .iter()
        .filter_map(decode_payload::<pb::ReservationReleased>)
        .map(Result::unwrap)
        .map(|e| (e.repair_order_id.clone(), e.quantity_hundredths, e.reason()))
        .collect();
    assert_eq!(
        released,
        [(second, 400, pb::ReleaseReason::OrderCancelled), (first, 200, pb::ReleaseReason::NotNeeded)]
    );
}

/// 10 pieces on hand in two warehouses, 4 reserved for an order: 16 clerks issuing a piece each at once, from either
/// warehouse, get exactly the 6 that are free; the 4 held stay.
async fn concurrent_counter_issues(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("repair_order").await;
    let options = SuiteOptions::default().with_for("parts", "AFTERSALES__PEERS__RECEPTION", &reception_url);
    let Some(mut suite) = Suite::start(backend, &["parts"], options).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(suite.service("parts").channel().await, &data, &dealer).await;
    let branch = store.add_warehouse().await;
    store.put("A-01", "L-1", 500).await;
    store.put_in(&branch, "A-01", "L-1", 500).await;
    let order = id();
    reception_feed.publish(&dealer, &order, &approved(&order, &dealer, &id(), &store.part, 400));
    wait::until(Duration::from_secs(15), "the reservation", || async {
        Some(store.availability().await).filter(|a| a.reserved_hundredths == 400)
    })
    .await;

    let clerks = (0..16).map(|i| {
        let warehouse = if i % 2 == 0 { store.warehouse.clone() } else { branch.clone() };
        let request =
            pb::IssuePartsRequest { quantity_hundredths: 100, ..fixtures::issue_parts(&warehouse, &store.part) };
        let mut stock = store.stock("parts_clerk");
        async move { stock.issue_parts(request).await }
    });
    let results = futures::future::join_all(clerks).await;
    let issued = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(issued, 6, "exactly what was free");
    assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|s| s.code() == Code::FailedPrecondition));
    let after = store.availability().await;
    assert_eq!(
        (after.on_hand_hundredths, after.reserved_hundredths, after.available_hundredths),
        (400, 400, 0),
        "the order's 4 pieces are still there"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_counter_issues_on_sqlite() {
    concurrent_counter_issues(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_counter_issues_on_postgres() {
    concurrent_counter_issues(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reservations_on_sqlite() {
    reservations(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reservations_on_postgres() {
    reservations(Backend::Postgres).await;
}
