//! The example client against the real supplier service (in this process, real gRPC): it acknowledges the claims
//! sent to it, resumes from its saved cursor after stopping, and replaying changes it already handled changes
//! nothing.

use std::time::Duration;

use aftersales_e2e::Caller;
use aftersales_e2e::fixtures::{new_claim, new_supplier};
use aftersales_e2e::in_process::InProcess;
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use aftersales_supplier_client::{Bearer, Options, run, save_cursor};
use tonic::transport::Channel;

/// A dev token of `role` (of `supplier`, for a supplier) that the in-process service trusts.
fn token(service: &InProcess, role: &str, supplier: Option<&str>) -> String {
    let caller = match supplier {
        Some(id) => Caller::supplier(id),
        None => Caller::role(role),
    };
    caller.token(&service.data_dir)
}

fn bearer(token: &str) -> Bearer {
    Bearer::new(token).unwrap()
}

/// Quality drafts and sends a claim against `supplier`; its id.
async fn send_claim(
    quality: &mut ClaimServiceClient<tonic::service::interceptor::InterceptedService<Channel, Bearer>>,
    supplier: &str,
) -> String {
    let id = quality.draft_claim(new_claim(supplier)).await.unwrap().into_inner().id;
    quality
        .send_claim(pb::SendClaimRequest { request_id: uuid::Uuid::now_v7().to_string(), claim_id: id.clone() })
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn the_client_acknowledges_new_claims_and_resumes_where_it_stopped() {
    let service = InProcess::start("supplier", &[], aftersales_supplier::serve).await;
    let quality_token = token(&service, "quality", None);
    let mut suppliers = SupplierServiceClient::with_interceptor(service.channel.clone(), bearer(&quality_token));
    let supplier = suppliers.create_supplier(new_supplier()).await.unwrap().into_inner().id;
    let mut quality = ClaimServiceClient::with_interceptor(service.channel.clone(), bearer(&quality_token));
    let first = [send_claim(&mut quality, &supplier).await, send_claim(&mut quality, &supplier).await];

    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        endpoint: service.address.clone(),
        token: token(&service, "supplier", Some(&supplier)),
        cursor_file: dir.path().join("cursor"),
        commit_days: 14,
        idle_exit: Some(Duration::from_millis(2000)),
        tls: None,
    };
    let run_1 = run(&options).await.unwrap();
    assert_eq!(run_1.acknowledged, first, "both sent claims acknowledged, in order");
    assert_eq!(run_1.changes, 4, "two sent, then the client's own two acknowledgements");

    // Away: a third claim is sent. Back from the saved cursor: only that one is new.
    let third = send_claim(&mut quality, &supplier).await;
    let run_2 = run(&options).await.unwrap();
    assert_eq!(run_2.acknowledged, std::slice::from_ref(&third));
    assert_eq!(run_2.changes, 2, "the third claim sent and acknowledged, nothing of before");
    assert!(run_2.cursor > run_1.cursor);

    // A crash before the cursor was saved replays changes already handled: nothing is acknowledged twice.
    save_cursor(&options.cursor_file, 0).unwrap();
    let replay = run(&options).await.unwrap();
    assert!(replay.acknowledged.is_empty(), "{replay:?}");
    assert_eq!((replay.changes, replay.cursor), (6, run_2.cursor));
    for id in first.iter().chain([&third]) {
        let claim = quality.get_claim(pb::GetClaimRequest { id: id.clone() }).await.unwrap().into_inner();
        assert_eq!(claim.state(), pb::ClaimState::Acknowledged);
    }
}

#[tokio::test]
async fn a_refused_token_stops_the_client_with_the_reason() {
    let service = InProcess::start("supplier", &[], aftersales_supplier::serve).await;
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        endpoint: service.address.clone(),
        token: token(&service, "quality", None),
        cursor_file: dir.path().join("cursor"),
        commit_days: 14,
        idle_exit: Some(Duration::from_millis(300)),
        tls: None,
    };
    let refused = run(&options).await.unwrap_err();
    assert!(format!("{refused:#}").contains("refused"), "{refused:#}");
}
