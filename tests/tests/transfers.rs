//! Transfers between a dealer's warehouses over the real parts binary, on SQLite and PostgreSQL: the oldest batches
//! leave the sending warehouse, the transfer is in transit (listed, on nobody's shelf), is received once into a bin
//! of the receiving warehouse, and each batch keeps its age there — the next issue still takes the oldest first.

use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::transfer_service_client::TransferServiceClient;
use tonic::Code;

fn send(from: &str, to: &str, part: &str, hundredths: i64) -> pb::TransferStockRequest {
    pb::TransferStockRequest { quantity_hundredths: hundredths, ..fixtures::transfer_stock(from, to, part) }
}

fn lots(level: &pb::StockLevel) -> Vec<(String, String, i64)> {
    level.lots.iter().map(|l| (l.bin.clone(), l.batch.clone(), l.on_hand_hundredths)).collect()
}

async fn transfer(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["parts"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(channel.clone(), &data, &dealer).await;
    let branch = store.add_warehouse().await;
    store.put("A-01", "L-OLD", 300).await;
    store.put("A-01", "L-MID", 200).await;
    store.put_in(&branch, "A-01", "L-NEW", 100).await;
    let clerk = Bearer(Some(Caller::dealer("parts_clerk", &dealer).token(&data)));
    let mut transfers = TransferServiceClient::with_interceptor(channel.clone(), clerk);

    let sent = transfers.transfer_stock(send(&store.warehouse, &branch, &store.part, 400)).await.unwrap().into_inner();
    assert_eq!((sent.state(), sent.quantity_hundredths), (pb::TransferState::InTransit, 400));
    let taken: Vec<(&str, i64)> = sent.lines.iter().map(|l| (l.batch.as_str(), l.quantity_hundredths)).collect();
    assert_eq!(taken, [("L-OLD", 300), ("L-MID", 100)], "oldest batches leave first");
    assert_eq!(lots(&store.level().await), [("A-01".into(), "L-MID".into(), 100)]);
    assert_eq!(store.level_in(&branch).await.on_hand_hundredths, 100, "in transit is on nobody's shelf");
    let listed = pb::ListTransfersRequest { in_transit_only: true, ..Default::default() };
    let in_transit = transfers.list_transfers(listed.clone()).await.unwrap().into_inner().transfers;
    assert_eq!(in_transit.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), [sent.id.as_str()]);

    let receive = pb::ReceiveTransferRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        transfer_id: sent.id.clone(),
        bin: "B-01".into(),
    };
    let received = transfers.receive_transfer(receive.clone()).await.unwrap().into_inner();
    assert_eq!((received.state(), received.to_bin.as_str()), (pb::TransferState::Received, "B-01"));
    assert!(transfers.list_transfers(listed).await.unwrap().into_inner().transfers.is_empty());
    let again = pb::ReceiveTransferRequest { request_id: uuid::Uuid::now_v7().to_string(), ..receive };
    assert_eq!(transfers.receive_transfer(again).await.unwrap_err().code(), Code::FailedPrecondition);

    // Each batch kept its age: the branch's oldest stock is now the transferred L-OLD.
    let branch_level = store.level_in(&branch).await;
    assert_eq!(
        lots(&branch_level),
        [
            ("B-01".into(), "L-OLD".into(), 300),
            ("B-01".into(), "L-MID".into(), 100),
            ("A-01".into(), "L-NEW".into(), 100)
        ]
    );
    let issue = pb::IssuePartsRequest { quantity_hundredths: 350, ..fixtures::issue_parts(&branch, &store.part) };
    let issued = store.stock("parts_clerk").issue_parts(issue).await.unwrap().into_inner().movements;
    assert_eq!(
        issued.iter().map(|m| (m.batch.as_str(), -m.quantity_hundredths)).collect::<Vec<_>>(),
        [("L-OLD", 300), ("L-MID", 50)]
    );

    // Not to itself, not to another dealer's warehouse, not beyond what is on hand.
    let to_itself = transfers.transfer_stock(send(&store.warehouse, &store.warehouse, &store.part, 1)).await;
    assert_eq!(to_itself.unwrap_err().code(), Code::InvalidArgument);
    let elsewhere = Store::open(channel, &data, &aftersales_kernel::DealerId::new().to_string()).await;
    let foreign = transfers.transfer_stock(send(&store.warehouse, &elsewhere.warehouse, &store.part, 1)).await;
    assert_eq!(foreign.unwrap_err().code(), Code::InvalidArgument);
    let too_much = transfers.transfer_stock(send(&store.warehouse, &branch, &store.part, 101)).await;
    assert_eq!(too_much.unwrap_err().code(), Code::FailedPrecondition);
    assert_eq!(store.level().await.on_hand_hundredths, 100, "refused transfers move nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_on_sqlite() {
    transfer(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_on_postgres() {
    transfer(Backend::Postgres).await;
}
