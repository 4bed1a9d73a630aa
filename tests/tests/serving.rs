//! Every service binary starts on port 0 against a fresh database, reports SERVING once migrated, and lists its
//! own API through reflection v1 and v1alpha (so `buf curl` and `grpcurl` need no proto files).

use aftersales_e2e::probe;
use aftersales_e2e::process::ALL;
use aftersales_e2e::{Backend, Suite, SuiteOptions};
use tonic_health::pb::health_check_response::ServingStatus;

async fn every_service_serves_health_and_reflection(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &ALL, SuiteOptions::default()).await else {
        return;
    };
    for name in ALL {
        let channel = suite.service(name).channel().await;
        assert_eq!(probe::health(channel.clone(), "").await.unwrap(), ServingStatus::Serving, "{name} overall");
        assert_eq!(
            probe::health(channel.clone(), "aftersales.common.v1.EventFeedService").await.unwrap(),
            ServingStatus::Serving,
            "{name} feed"
        );
        let package = format!("aftersales.{name}.v1.");
        for (version, listed) in [
            ("v1", probe::reflection_v1(channel.clone()).await),
            ("v1alpha", probe::reflection_v1alpha(channel.clone()).await),
        ] {
            assert!(listed.iter().any(|s| s.starts_with(&package)), "{name} reflection {version} lists {listed:?}");
            assert!(listed.iter().any(|s| s == "aftersales.common.v1.EventFeedService"), "{name} {version}");
            assert!(listed.iter().any(|s| s == "grpc.health.v1.Health"), "{name} {version}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_serves_health_and_reflection_on_sqlite() {
    every_service_serves_health_and_reflection(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_serves_health_and_reflection_on_postgres() {
    every_service_serves_health_and_reflection(Backend::Postgres).await;
}

/// SIGTERM drains and exits cleanly (exit status 0).
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_a_service_cleanly() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let status = suite.service("reception").terminate().await;
    assert!(status.success(), "exit status {status}");
}

/// `x-request-id` is returned as sent, or generated when absent — also on refused calls.
#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_a_request_id() {
    use aftersales_proto::reception::v1::ListRepairOrdersRequest;
    use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;

    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let token = aftersales_e2e::Caller::role("oem_manager").token(&suite.data_dir());
    let mut client = RepairOrderServiceClient::new(suite.service("reception").channel().await);

    let mut request = tonic::Request::new(ListRepairOrdersRequest::default());
    request.metadata_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    request.metadata_mut().insert("x-request-id", "desk-7-call-42".parse().unwrap());
    let response = client.list_repair_orders(request).await.unwrap();
    assert_eq!(response.metadata().get("x-request-id").unwrap(), "desk-7-call-42");

    let refused = client.list_repair_orders(ListRepairOrdersRequest::default()).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);
    let generated = refused.metadata().get("x-request-id").expect("a generated request id").to_str().unwrap();
    assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");
}
