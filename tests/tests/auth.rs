//! Authentication and tenancy at the edge, over real gRPC against the reception binary.

use aftersales_e2e::auth::{service_token, sign};
use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_proto::common::v1::ListEventsRequest;
use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::reception::v1::GetRepairOrderRequest;
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use tonic::Code;

async fn suite() -> Suite {
    Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap()
}

async fn get_order(suite: &mut Suite, token: Option<String>, id: &str) -> Result<(), tonic::Status> {
    let channel = suite.service("reception").channel().await;
    RepairOrderServiceClient::with_interceptor(channel, Bearer(token))
        .get_repair_order(GetRepairOrderRequest { id: id.into() })
        .await
        .map(|_| ())
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_expired_forged_and_misaddressed_tokens_are_unauthenticated() {
    let mut suite = suite().await;
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer);
    let id = aftersales_kernel::RepairOrderId::new().to_string();

    let mut expired = advisor.claims();
    expired.exp = chrono::Utc::now().timestamp() - 3600;
    let mut other_audience = advisor.claims();
    other_audience.aud = "billing".into();
    let stranger = tempfile::tempdir().unwrap();
    let forged = advisor.token(&stranger.path().display().to_string());

    for (why, token) in [
        ("no token", None),
        ("garbage", Some("not.a.jwt".to_string())),
        ("expired", Some(sign(&data, &expired))),
        ("wrong audience", Some(sign(&data, &other_audience))),
        ("signed by an unknown key", Some(forged)),
    ] {
        let status = get_order(&mut suite, token, &id).await.unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated, "{why}: {status:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_dealers_order_is_not_found_exactly_like_a_missing_one() {
    let mut suite = suite().await;
    let data = suite.data_dir();
    let (dealer_a, dealer_b) =
        (aftersales_kernel::DealerId::new().to_string(), aftersales_kernel::DealerId::new().to_string());
    let token_b = Caller::dealer("service_advisor", &dealer_b).token(&data);
    let channel = suite.service("reception").channel().await;
    let order_of_b = RepairOrderServiceClient::with_interceptor(channel, Bearer(Some(token_b)))
        .create_repair_order(fixtures::create_repair_order(false))
        .await
        .unwrap()
        .into_inner();

    let token_a = Caller::dealer("service_advisor", &dealer_a).token(&data);
    let foreign = get_order(&mut suite, Some(token_a.clone()), &order_of_b.id).await.unwrap_err();
    let missing =
        get_order(&mut suite, Some(token_a), &aftersales_kernel::RepairOrderId::new().to_string()).await.unwrap_err();
    assert_eq!(foreign.code(), Code::NotFound);
    assert_eq!((foreign.code(), foreign.message()), (missing.code(), missing.message()), "ids must not be probeable");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_token_reaches_only_the_feeds_of_the_graph() {
    let mut suite = suite().await;
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;

    // Workshop follows reception: its token reads reception's feed.
    let mut feed =
        EventFeedServiceClient::with_interceptor(channel.clone(), Bearer(Some(service_token(&data, "workshop"))));
    feed.list_events(ListEventsRequest::default()).await.expect("workshop reads reception's feed");

    // Supplier does not follow reception.
    let mut feed =
        EventFeedServiceClient::with_interceptor(channel.clone(), Bearer(Some(service_token(&data, "supplier"))));
    let status = feed.list_events(ListEventsRequest::default()).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);

    // No service may call a business RPC.
    let status = get_order(
        &mut suite,
        Some(service_token(&data, "workshop")),
        &aftersales_kernel::RepairOrderId::new().to_string(),
    )
    .await
    .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn dealer_staff_cannot_read_event_feeds() {
    let mut suite = suite().await;
    let token =
        Caller::dealer("dealer_manager", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let channel = suite.service("reception").channel().await;
    let status = EventFeedServiceClient::with_interceptor(channel, Bearer(Some(token)))
        .list_events(ListEventsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}
