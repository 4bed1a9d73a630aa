//! Bad input, field by field, for parts' warehouses, stock ledger, stock counts and transfers: every request field has at least one failing
//! row → INVALID_ARGUMENT naming it — also an unknown part, a bin the warehouse does not have and a zero quantity —
//! and nothing is written: the warehouse, the stock level, the ledger and the feed are as they were. Issuing more
//! than is on hand is a broken rule (FAILED_PRECONDITION, STOCK_SHORT), not bad input, and writes nothing either.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::stock_service_client::StockServiceClient;
use aftersales_proto::parts::v1::transfer_service_client::TransferServiceClient;
use aftersales_proto::parts::v1::warehouse_service_client::WarehouseServiceClient;
use tonic::Code;

const CREATE: &[Mutation<pb::CreateWarehouseRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("code", "missing", |r| r.code.clear()),
    ("code", "lower case", |r| r.code = "main".into()),
    ("code", "over 20 characters", |r| r.code = "W".repeat(21)),
    ("name", "missing", |r| r.name.clear()),
    ("name", "over 200 characters", |r| r.name = "n".repeat(201)),
];

const ADD_BIN: &[Mutation<pb::AddBinRequest>] = &[
    ("request_id", "not a UUID", |r| r.request_id = "again".into()),
    ("warehouse_id", "not an id", |r| r.warehouse_id = "W-1".into()),
    ("bin", "missing", |r| r.bin = None),
    ("bin.code", "a double dash", |r| r.bin.as_mut().unwrap().code = "A--1".into()),
    ("bin.description", "over 200 characters", |r| r.bin.as_mut().unwrap().description = "d".repeat(201)),
];

const ADJUST: &[Mutation<pb::AdjustStockRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("warehouse_id", "missing", |r| r.warehouse_id.clear()),
    ("bin", "lower case", |r| r.bin = "a-01".into()),
    ("bin", "not a bin of the warehouse", |r| r.bin = "Z-99".into()),
    ("part_number", "a space", |r| r.part_number = "A 1".into()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("batch", "missing", |r| r.batch.clear()),
    ("batch", "a leading slash", |r| r.batch = "/L1".into()),
    ("quantity_hundredths", "zero", |r| r.quantity_hundredths = 0),
    ("quantity_hundredths", "beyond the limit", |r| r.quantity_hundredths = 10_000_001),
    ("reason", "missing", |r| r.reason.clear()),
];

const ISSUE: &[Mutation<pb::IssuePartsRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("warehouse_id", "not an id", |r| r.warehouse_id = "42".into()),
    ("part_number", "missing", |r| r.part_number.clear()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("quantity_hundredths", "zero", |r| r.quantity_hundredths = 0),
    ("quantity_hundredths", "negative", |r| r.quantity_hundredths = -100),
    ("batch", "a space", |r| r.batch = "L 1".into()),
    ("document_type", "missing", |r| r.document_type.clear()),
    ("document_type", "upper case", |r| r.document_type = "Counter".into()),
    ("document_reference", "missing", |r| r.document_reference.clear()),
    ("document_reference", "over 200 characters", |r| r.document_reference = "x".repeat(201)),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

const START: &[Mutation<pb::StartCountRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("warehouse_id", "not an id", |r| r.warehouse_id = "W".into()),
    ("bins", "none", |r| r.bins.clear()),
    ("bins", "a bin twice", |r| r.bins = vec!["A-01".into(), "A-01".into()]),
    ("bins[0]", "lower case", |r| r.bins = vec!["a-01".into()]),
    ("bins[1]", "not a bin of the warehouse", |r| r.bins = vec!["A-01".into(), "Z-99".into()]),
];

const RECORD: &[Mutation<pb::RecordCountRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("count_id", "not an id", |r| r.count_id = "C".into()),
    ("bin", "missing", |r| r.bin.clear()),
    ("bin", "not covered by the count", |r| r.bin = "B-01".into()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("batch", "a trailing dot", |r| r.batch = "L1.".into()),
    ("counted_hundredths", "negative", |r| r.counted_hundredths = -1),
    ("counted_hundredths", "beyond the limit", |r| r.counted_hundredths = 10_000_001),
];

const TRANSFER: &[Mutation<pb::TransferStockRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("from_warehouse_id", "not an id", |r| r.from_warehouse_id = "W".into()),
    ("to_warehouse_id", "missing", |r| r.to_warehouse_id.clear()),
    ("to_warehouse_id", "the sending warehouse", |r| r.to_warehouse_id = r.from_warehouse_id.clone()),
    ("to_warehouse_id", "no warehouse of the dealer", |r| r.to_warehouse_id = uuid::Uuid::now_v7().to_string()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("quantity_hundredths", "zero", |r| r.quantity_hundredths = 0),
    ("batch", "a space", |r| r.batch = "L 1".into()),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_a_transfer_is_named_and_nothing_moves() {
    let mut suite = Suite::start(Backend::Sqlite, &["parts"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(channel.clone(), &data, &dealer).await;
    let branch = store.add_warehouse().await;
    store.put("A-01", "L-2026-01", 500).await;
    let clerk = Bearer(Some(Caller::dealer("parts_clerk", &dealer).token(&data)));
    let mut transfers = TransferServiceClient::with_interceptor(channel, clerk);
    for (field, case, mutate) in TRANSFER {
        let mut request = fixtures::transfer_stock(&store.warehouse, &branch, &store.part);
        mutate(&mut request);
        names_field(transfers.transfer_stock(request).await, field, &format!("TransferStock {field}: {case}"));
    }
    let sent =
        transfers.transfer_stock(fixtures::transfer_stock(&store.warehouse, &branch, &store.part)).await.unwrap();
    let receive = |transfer_id: &str, bin: &str| pb::ReceiveTransferRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        transfer_id: transfer_id.into(),
        bin: bin.into(),
    };
    let id = sent.into_inner().id;
    for (field, request) in [
        ("request_id", pb::ReceiveTransferRequest { request_id: String::new(), ..receive(&id, "A-01") }),
        ("transfer_id", receive("T-1", "A-01")),
        ("bin", receive(&id, "a-01")),
        ("bin", receive(&id, "Z-99")),
    ] {
        names_field(transfers.receive_transfer(request).await, field, &format!("ReceiveTransfer {field}"));
    }
    names_field(transfers.get_transfer(pb::GetTransferRequest { id: "T".into() }).await, "id", "GetTransfer id");
    let list = pb::ListTransfersRequest { dealer_id: "D".into(), ..Default::default() };
    names_field(transfers.list_transfers(list).await, "dealer_id", "ListTransfers dealer_id");

    // Nothing moved but the one good transfer, still in transit.
    assert_eq!(store.level().await.on_hand_hundredths, 400);
    assert_eq!(store.level_in(&branch).await.on_hand_hundredths, 0);
    let read = transfers.get_transfer(pb::GetTransferRequest { id }).await.unwrap().into_inner();
    assert_eq!(read.state(), pb::TransferState::InTransit);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_a_stock_count_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["parts"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let store = Store::open(channel, &data, &aftersales_kernel::DealerId::new().to_string()).await;
    store.put("A-01", "L-2026-01", 500).await;
    let (mut manager, mut clerk) = (store.counts("dealer_manager"), store.counts("parts_clerk"));
    for (field, case, mutate) in START {
        let mut request = fixtures::start_count(&store.warehouse);
        mutate(&mut request);
        names_field(manager.start_count(request).await, field, &format!("StartCount {field}: {case}"));
    }
    let count = manager.start_count(fixtures::start_count(&store.warehouse)).await.unwrap().into_inner();
    for (field, case, mutate) in RECORD {
        let mut request = fixtures::record_count(&count.id, &store.part, 480);
        mutate(&mut request);
        names_field(clerk.record_count(request).await, field, &format!("RecordCount {field}: {case}"));
    }
    let post = pb::PostCountRequest { request_id: "x".into(), count_id: "y".into() };
    for field in ["request_id", "count_id"] {
        names_field(manager.post_count(post.clone()).await, field, &format!("PostCount {field}"));
    }
    let cancel = pb::CancelCountRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        count_id: count.id.clone(),
        reason: String::new(),
    };
    names_field(manager.cancel_count(cancel).await, "reason", "CancelCount reason: missing");
    names_field(manager.get_count(pb::GetCountRequest { id: "C-1".into() }).await, "id", "GetCount id");

    // Nothing written: the count still open with no line, the stock untouched.
    let read = manager.get_count(pb::GetCountRequest { id: count.id.clone() }).await.unwrap().into_inner();
    assert_eq!((read.state(), read.lines.len()), (pb::CountState::Open, 0));
    assert_eq!(store.level().await.on_hand_hundredths, 500);
    assert_eq!(store.movements().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_warehouses_and_stock_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["parts"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(channel.clone(), &data, &dealer).await;
    store.put("A-01", "L-1", 500).await;
    let manager = Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data)));
    let mut warehouses = WarehouseServiceClient::with_interceptor(channel, manager);
    let warehouse_before =
        warehouses.get_warehouse(pb::GetWarehouseRequest { id: store.warehouse.clone() }).await.unwrap().into_inner();
    let (level_before, ledger_before) = (store.level().await, store.movements().await);
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "supplier")).await;
    // The catalogue entry and the movements so far, once the relay has numbered them.
    let events_before = clients::at_least_events(&feed, 1 + ledger_before.len()).await.len();

    for (field, case, mutate) in CREATE {
        let mut request = fixtures::create_warehouse();
        mutate(&mut request);
        names_field(warehouses.create_warehouse(request).await, field, &format!("CreateWarehouse {field}: {case}"));
    }
    for (field, case, mutate) in ADD_BIN {
        let mut request = fixtures::add_bin(&store.warehouse, "C-01");
        mutate(&mut request);
        names_field(warehouses.add_bin(request).await, field, &format!("AddBin {field}: {case}"));
    }
    names_field(warehouses.get_warehouse(pb::GetWarehouseRequest { id: "W".into() }).await, "id", "GetWarehouse id");
    for (field, request) in [
        ("dealer_id", pb::ListWarehousesRequest { dealer_id: "D-1".into(), ..Default::default() }),
        (
            "page.page_token",
            pb::ListWarehousesRequest {
                page: Some(PageRequest { page_token: "forged".into(), ..Default::default() }),
                ..Default::default()
            },
        ),
    ] {
        names_field(warehouses.list_warehouses(request).await, field, &format!("ListWarehouses {field}"));
    }
    let mut manager_stock = store.stock("dealer_manager");
    for (field, case, mutate) in ADJUST {
        let mut request = fixtures::adjust_stock(&store.warehouse, &store.part);
        mutate(&mut request);
        names_field(manager_stock.adjust_stock(request).await, field, &format!("AdjustStock {field}: {case}"));
    }
    let mut clerk = store.stock("parts_clerk");
    for (field, case, mutate) in ISSUE {
        let mut request = fixtures::issue_parts(&store.warehouse, &store.part);
        mutate(&mut request);
        names_field(clerk.issue_parts(request).await, field, &format!("IssueParts {field}: {case}"));
    }
    let level = |warehouse_id: &str, part_number: &str| pb::GetStockLevelRequest {
        warehouse_id: warehouse_id.into(),
        part_number: part_number.into(),
    };
    names_field(clerk.get_stock_level(level("W", &store.part)).await, "warehouse_id", "GetStockLevel warehouse_id");
    names_field(clerk.get_stock_level(level(&store.warehouse, "a b")).await, "part_number", "GetStockLevel part");
    let movements = |warehouse_id: &str, part_number: &str| pb::ListMovementsRequest {
        warehouse_id: warehouse_id.into(),
        part_number: part_number.into(),
        page: None,
    };
    names_field(clerk.list_movements(movements("", &store.part)).await, "warehouse_id", "ListMovements warehouse_id");
    names_field(clerk.list_movements(movements(&store.warehouse, "")).await, "part_number", "ListMovements part");
    let availability = |dealer_id: &str, part_number: &str| pb::GetPartAvailabilityRequest {
        dealer_id: dealer_id.into(),
        part_number: part_number.into(),
    };
    let (ours, part) = (store.dealer.as_str(), store.part.as_str());
    for (request, field) in [(availability("dealer-7", part), "dealer_id"), (availability(ours, "a b"), "part_number")]
    {
        names_field(clerk.get_part_availability(request).await, field, &format!("GetPartAvailability {field}"));
    }
    let mut oem = StockServiceClient::with_interceptor(
        suite.service("parts").channel().await,
        Bearer(Some(Caller::role("oem_support").token(&data))),
    );
    names_field(oem.get_part_availability(availability("", part)).await, "dealer_id", "OEM staff name the dealer");

    // More than on hand: a broken rule, not bad input.
    let too_many =
        pb::IssuePartsRequest { quantity_hundredths: 501, ..fixtures::issue_parts(&store.warehouse, &store.part) };
    assert_eq!(clerk.issue_parts(too_many).await.unwrap_err().code(), Code::FailedPrecondition);

    // Nothing written.
    let warehouse_after =
        warehouses.get_warehouse(pb::GetWarehouseRequest { id: store.warehouse.clone() }).await.unwrap().into_inner();
    assert_eq!(warehouse_after, warehouse_before);
    let listed = warehouses.list_warehouses(pb::ListWarehousesRequest::default()).await.unwrap().into_inner();
    assert_eq!(listed.warehouses.len(), 1, "no warehouse was opened");
    assert_eq!(store.level().await, level_before);
    assert_eq!(store.movements().await, ledger_before);
    assert_eq!(clients::all_events(&mut feed.clone()).await.len(), events_before, "nothing on the feed");
}
