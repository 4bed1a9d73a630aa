//! Stock counts over the real parts binary, on SQLite and PostgreSQL: a count freezes its bins — issues and
//! adjustments touching them are refused naming the count, other bins work on —; lots are counted beside the
//! ledger; posting is refused while a lot with stock is uncounted, then turns each variance into an adjustment, so
//! the ledger holds what was found; a cancelled count posts nothing and frees its bins.

use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Suite, SuiteOptions, fixtures};
use aftersales_proto::parts::v1 as pb;
use tonic::Code;

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn count(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["parts"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let store = Store::open(channel, &data, &aftersales_kernel::DealerId::new().to_string()).await;
    store.put("A-01", "L-2026-01", 500).await;
    store.put("A-01", "L-2026-02", 200).await;
    store.put("B-01", "L-2026-03", 300).await;
    let (mut manager, mut clerk) = (store.counts("dealer_manager"), store.counts("parts_clerk"));
    let counting = manager.start_count(fixtures::start_count(&store.warehouse)).await.unwrap().into_inner();
    assert_eq!((counting.state(), counting.bins.as_slice()), (pb::CountState::Open, ["A-01".to_string()].as_slice()));

    // Frozen: the oldest batches lie in A-01, so an issue would take them; an adjustment in A-01 is refused too.
    let mut stock = store.stock("parts_clerk");
    let issue = stock.issue_parts(fixtures::issue_parts(&store.warehouse, &store.part)).await.unwrap_err();
    assert_eq!(issue.code(), Code::FailedPrecondition);
    assert!(issue.message().contains(&counting.id), "names the count: {}", issue.message());
    let adjust = store
        .stock("dealer_manager")
        .adjust_stock(fixtures::adjust_stock(&store.warehouse, &store.part))
        .await
        .unwrap_err();
    assert_eq!(adjust.code(), Code::FailedPrecondition);
    // B-01 is not counted: a named batch there is issued.
    let from_b =
        pb::IssuePartsRequest { batch: "L-2026-03".into(), ..fixtures::issue_parts(&store.warehouse, &store.part) };
    stock.issue_parts(from_b).await.expect("B-01 is not frozen");

    // Counted: 480 of the first batch (20 missing); the second batch not yet → posting refused.
    clerk.record_count(fixtures::record_count(&counting.id, &store.part, 450)).await.unwrap();
    let recount =
        clerk.record_count(fixtures::record_count(&counting.id, &store.part, 480)).await.unwrap().into_inner();
    assert_eq!(recount.lines.len(), 1, "a recount replaces the first");
    assert_eq!((recount.lines[0].on_hand_hundredths, recount.lines[0].variance_hundredths), (500, -20));
    let post = pb::PostCountRequest { request_id: request_id(), count_id: counting.id.clone() };
    let incomplete = manager.post_count(post.clone()).await.unwrap_err();
    assert_eq!(incomplete.code(), Code::FailedPrecondition);
    assert!(incomplete.message().contains("L-2026-02"), "names the uncounted lot: {}", incomplete.message());
    let second =
        pb::RecordCountRequest { batch: "L-2026-02".into(), ..fixtures::record_count(&counting.id, &store.part, 200) };
    clerk.record_count(second).await.unwrap();
    let posted =
        manager.post_count(pb::PostCountRequest { request_id: request_id(), ..post }).await.unwrap().into_inner();
    assert_eq!(posted.state(), pb::CountState::Posted);

    // The ledger now holds what was found: one adjustment of -20 for the count; A-01 is free again.
    let level = store.level().await;
    let lots: Vec<(&str, &str, i64)> =
        level.lots.iter().map(|l| (l.bin.as_str(), l.batch.as_str(), l.on_hand_hundredths)).collect();
    assert_eq!(lots, [("A-01", "L-2026-01", 480), ("A-01", "L-2026-02", 200), ("B-01", "L-2026-03", 200)]);
    let movements = store.movements().await;
    let counted: Vec<_> = movements.iter().filter(|m| m.document_type == "stock-count").collect();
    assert_eq!(counted.len(), 1);
    assert_eq!((counted[0].quantity_hundredths, counted[0].document_reference.as_str()), (-20, counting.id.as_str()));
    stock.issue_parts(fixtures::issue_parts(&store.warehouse, &store.part)).await.expect("A-01 is free after posting");

    // A cancelled count posts nothing and frees its bins.
    let dropped = manager.start_count(fixtures::start_count(&store.warehouse)).await.unwrap().into_inner();
    clerk.record_count(fixtures::record_count(&dropped.id, &store.part, 1)).await.unwrap();
    let cancel =
        pb::CancelCountRequest { request_id: request_id(), count_id: dropped.id.clone(), reason: "wrong shelf".into() };
    assert_eq!(manager.cancel_count(cancel).await.unwrap().into_inner().state(), pb::CountState::Cancelled);
    let after = store.level().await;
    assert_eq!(after.lots[0].on_hand_hundredths, 380, "nothing posted from the cancelled count");
    stock
        .issue_parts(fixtures::issue_parts(&store.warehouse, &store.part))
        .await
        .expect("A-01 is free after cancelling");
    let late = clerk.record_count(fixtures::record_count(&dropped.id, &store.part, 1)).await.unwrap_err();
    assert_eq!(late.code(), Code::FailedPrecondition, "a closed count takes no more lines");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stock_count_on_sqlite() {
    count(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stock_count_on_postgres() {
    count(Backend::Postgres).await;
}
