//! The stock ledger over the real parts binary, on SQLite and PostgreSQL: stock put in two batches, issues take the
//! oldest batch first across bins (or only a named one), whole or nothing; nothing ever goes below zero; every
//! movement is on the ledger and the feed, and the ledger sums to the balances. And the last units: 32 clerks issue
//! one piece each of 10 at once — exactly 10 are issued, the other 22 refused, the ledger consistent.

use std::collections::HashMap;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

/// Each lot's balance equals the sum of its movements, and the newest movement of each lot says the same.
async fn ledger_matches_balances(store: &Store) {
    let level = store.level().await;
    let movements = store.movements().await;
    let mut sums: HashMap<(String, String), i64> = HashMap::new();
    for m in &movements {
        *sums.entry((m.bin.clone(), m.batch.clone())).or_default() += m.quantity_hundredths;
    }
    for lot in &level.lots {
        assert_eq!(
            sums[&(lot.bin.clone(), lot.batch.clone())],
            lot.on_hand_hundredths,
            "lot {}/{}",
            lot.bin,
            lot.batch
        );
    }
    assert_eq!(sums.values().sum::<i64>(), level.on_hand_hundredths);
    assert!(sums.values().all(|s| *s >= 0));
}

async fn ledger(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["parts"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let store = Store::open(channel, &data, &aftersales_kernel::DealerId::new().to_string()).await;
    // The older batch in bin B-01, the newer in A-01: age decides, not the bin.
    store.put("B-01", "L-OLD", 300).await;
    store.put("A-01", "L-NEW", 500).await;
    let mut clerk = store.stock("parts_clerk");

    let issue = |quantity: i64, batch: &str| pb::IssuePartsRequest {
        quantity_hundredths: quantity,
        batch: batch.into(),
        ..fixtures::issue_parts(&store.warehouse, &store.part)
    };
    let taken = clerk.issue_parts(issue(400, "")).await.unwrap().into_inner().movements;
    let plan: Vec<(&str, &str, i64, i64)> = taken
        .iter()
        .map(|m| (m.bin.as_str(), m.batch.as_str(), m.quantity_hundredths, m.on_hand_after_hundredths))
        .collect();
    assert_eq!(plan, [("B-01", "L-OLD", -300, 0), ("A-01", "L-NEW", -100, 400)], "oldest batch first");
    let named = clerk.issue_parts(issue(150, "L-NEW")).await.unwrap().into_inner().movements;
    assert_eq!((named.len(), named[0].on_hand_after_hundredths), (1, 250));

    // Beyond what is on hand: refused whole, nothing written.
    let before = store.movements().await.len();
    let short = clerk.issue_parts(issue(251, "")).await.unwrap_err();
    assert_eq!(short.code(), Code::FailedPrecondition, "{short:?}");
    assert!(short.message().contains("250"), "names what is on hand: {}", short.message());
    let manager_takes_too_much = pb::AdjustStockRequest {
        batch: "L-NEW".into(),
        quantity_hundredths: -251,
        ..fixtures::adjust_stock(&store.warehouse, &store.part)
    };
    let refused = store.stock("dealer_manager").adjust_stock(manager_takes_too_much).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(store.movements().await.len(), before, "refusals write nothing");

    let level = store.level().await;
    assert_eq!(level.on_hand_hundredths, 250);
    assert_eq!(level.lots.iter().map(|l| (l.bin.as_str(), l.batch.as_str())).collect::<Vec<_>>(), [("A-01", "L-NEW")]);
    ledger_matches_balances(&store).await;

    // A retried issue (same request id) is answered with the first result, not issued twice.
    let once = issue(50, "");
    let first = clerk.issue_parts(once.clone()).await.unwrap().into_inner();
    let again = clerk.issue_parts(once).await.unwrap().into_inner();
    assert_eq!(first, again);
    assert_eq!(store.level().await.on_hand_hundredths, 200);

    // The ledger is on the feed: one StockMoved per movement.
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "supplier")).await;
    let movements = store.movements().await.len();
    let events = clients::at_least_events(&feed, movements + 1).await;
    let moved: Vec<pb::StockMoved> =
        events.iter().filter_map(decode_payload::<pb::StockMoved>).map(Result::unwrap).collect();
    assert_eq!(moved.len(), movements);
    assert_eq!(moved.last().unwrap().movement.as_ref().unwrap().on_hand_after_hundredths, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ledger_on_sqlite() {
    ledger(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ledger_on_postgres() {
    ledger(Backend::Postgres).await;
}

async fn last_units(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["parts"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let store = Store::open(channel, &data, &aftersales_kernel::DealerId::new().to_string()).await;
    store.put("A-01", "L-1", 600).await;
    store.put("B-01", "L-2", 400).await;
    let clerks: Vec<_> = (0..32)
        .map(|_| {
            let mut clerk = store.stock("parts_clerk");
            let request = fixtures::issue_parts(&store.warehouse, &store.part);
            tokio::spawn(async move { clerk.issue_parts(request).await.map(|r| r.into_inner()) })
        })
        .collect();
    let mut issued = 0;
    for clerk in clerks {
        match clerk.await.unwrap() {
            Ok(response) => issued += response.movements.iter().map(|m| -m.quantity_hundredths).sum::<i64>(),
            Err(status) => assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}"),
        }
    }
    assert_eq!(issued, 1000, "exactly the 10 pieces on hand are issued");
    assert_eq!(store.level().await.on_hand_hundredths, 0);
    ledger_matches_balances(&store).await;
    let issues = store.movements().await.iter().filter(|m| m.kind() == pb::MovementKind::Issue).count();
    assert_eq!(issues, 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_two_clerks_issue_the_last_ten_units_on_sqlite() {
    last_units(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_two_clerks_issue_the_last_ten_units_on_postgres() {
    last_units(Backend::Postgres).await;
}
