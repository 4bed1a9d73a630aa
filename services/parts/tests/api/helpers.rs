//! `spawn_app()`: parts served in this process (`aftersales_e2e::in_process`: port 0, fresh data directory and
//! database), and tokens signed with the dev user key that the service trusts.

use std::time::Duration;

use aftersales_e2e::in_process::InProcess;
use aftersales_kernel::{DealerId, SupplierId};
use aftersales_proto::common::v1::Money;
use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, ListEventsRequest};
use aftersales_proto::parts::v1::part_catalogue_service_client::PartCatalogueServiceClient;
use aftersales_proto::parts::v1::purchasing_service_client::PurchasingServiceClient;
use aftersales_proto::parts::v1::{CreateCatalogueEntryRequest, GetCatalogueEntryRequest};
use aftersales_runtime::auth::verifier::mint_token;
use aftersales_runtime::auth::{Claims, Role};
use tonic::transport::Channel;
use tonic::{Code, Request};

/// A running parts service.
pub struct TestApp {
    /// A client to it.
    pub client: PartCatalogueServiceClient<Channel>,
    /// Its purchasing service.
    pub purchasing: PurchasingServiceClient<Channel>,
    /// A client to its event feed.
    pub feed: EventFeedServiceClient<Channel>,
    user_key: String,
    service_key: String,
    _service: InProcess,
}

/// Starts parts in this process and waits until it serves (migrations done).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The same with `env` on top of the test defaults (e.g. a fake upstream feed's address).
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestApp {
    let service = InProcess::start("parts", env, aftersales_parts::serve).await;
    TestApp {
        client: PartCatalogueServiceClient::new(service.channel.clone()),
        purchasing: PurchasingServiceClient::new(service.channel.clone()),
        feed: EventFeedServiceClient::new(service.channel.clone()),
        user_key: service.user_key(),
        service_key: service.service_key("reception"),
        _service: service,
    }
}

impl TestApp {
    /// The feed once it holds `count` events. The relay numbers events just after their commit, so a test
    /// that committed them asks until they are numbered.
    pub async fn events(&self, count: usize) -> Vec<EventEnvelope> {
        for _ in 0..500 {
            let request = self.as_role(Role::OemSupport, ListEventsRequest { after_sequence: 0, page_size: 0 });
            let events = self.feed.clone().list_events(request).await.expect("list events").into_inner().events;
            if events.len() >= count {
                return events;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the feed never held {count} events");
    }

    /// `message` sent by someone with `role` (dealer staff of a fresh dealer, a fresh supplier, or OEM staff).
    pub fn as_role<T>(&self, role: Role, message: T) -> Request<T> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: format!("test-{role}"),
            role: role.as_str().to_string(),
            dealer_id: role.is_dealer_staff().then(|| DealerId::new().to_string()),
            supplier_id: (role == Role::Supplier).then(|| SupplierId::new().to_string()),
            aud: "aftersales".into(),
            iss: "aftersales-dev".into(),
            exp: now + 600,
            iat: now,
        };
        let token = mint_token(&self.user_key, &claims, None).expect("token");
        bearer(message, &token)
    }

    /// `message` sent by the reception service with its own service key.
    pub fn as_service<T>(&self, message: T) -> Request<T> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "reception".into(),
            role: Role::Service.as_str().into(),
            dealer_id: None,
            supplier_id: None,
            aud: "aftersales".into(),
            iss: aftersales_runtime::auth::SERVICE_ISSUER.into(),
            exp: now + 600,
            iat: now,
        };
        let token = mint_token(&self.service_key, &claims, Some("service:reception")).expect("token");
        bearer(message, &token)
    }
}

fn bearer<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    let value = format!("Bearer {token}").parse().expect("header value");
    request.metadata_mut().insert("authorization", value);
    request
}

/// The fields an INVALID_ARGUMENT names. The runtime writes them into the message as `field: why; ...` as well
/// as into `BadRequest` details; the message is enough here and needs no extra dependency.
pub fn violated_fields(status: &tonic::Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .message()
        .split("; ")
        .filter_map(|violation| violation.split_once(": ").map(|(field, _)| field.to_string()))
        .collect()
}

/// A complete, valid request for `part_number`, with a fresh request id.
pub fn new_entry(part_number: &str) -> CreateCatalogueEntryRequest {
    CreateCatalogueEntryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        part_number: part_number.into(),
        name: "Brake pad set, front".into(),
        specification: "Ceramic\nwith wear indicator".into(),
        applicable_models: vec!["A4 B9".into(), "A5 F5".into()],
        maker: "TRW".into(),
        supplier_id: String::new(),
        list_price: Some(Money { currency_code: "EUR".into(), units_minor: 8_950 }),
        warranty_months: 24,
        warranty_km: 50_000,
        superseded_by: String::new(),
    }
}

/// A request for one entry.
pub fn get(part_number: &str) -> GetCatalogueEntryRequest {
    GetCatalogueEntryRequest { part_number: part_number.into() }
}
