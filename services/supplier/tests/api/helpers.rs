//! `spawn_app()`: the supplier service served in this process (`aftersales_e2e::in_process`: port 0, fresh data directory and
//! database), and tokens signed with the dev user key that the service trusts.

use std::time::Duration;

use aftersales_e2e::in_process::InProcess;
use aftersales_kernel::{DealerId, SupplierId};
use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, ListEventsRequest};
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use aftersales_proto::supplier::v1::{CreateSupplierRequest, SupplierContact, SupplierStatus};
use aftersales_runtime::auth::verifier::mint_token;
use aftersales_runtime::auth::{Claims, Role};
use tonic::transport::Channel;
use tonic::{Code, Request};

/// A running supplier service.
pub struct TestApp {
    /// A client to it.
    pub client: SupplierServiceClient<Channel>,
    /// A client to its claims.
    pub claims: ClaimServiceClient<Channel>,
    /// A client to its event feed.
    pub feed: EventFeedServiceClient<Channel>,
    user_key: String,
    service_key: String,
    _service: InProcess,
}

/// Starts supplier in this process and waits until it serves (migrations done).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The same, with `env` on top of the test defaults (e.g. a fake upstream feed's address).
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestApp {
    let service = InProcess::start("supplier", env, aftersales_supplier::serve).await;
    TestApp {
        client: SupplierServiceClient::new(service.channel.clone()),
        claims: ClaimServiceClient::new(service.channel.clone()),
        feed: EventFeedServiceClient::new(service.channel.clone()),
        user_key: service.user_key(),
        service_key: service.service_key("reception"),
        _service: service,
    }
}

impl TestApp {
    /// A channel to the service, for clients of its other gRPC services.
    pub fn channel(&self) -> Channel {
        self._service.channel.clone()
    }

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
        self.signed(role, (role == Role::Supplier).then(SupplierId::new), message)
    }

    /// `message` sent by the system of supplier `id`.
    pub fn as_supplier<T>(&self, id: &str, message: T) -> Request<T> {
        self.signed(Role::Supplier, Some(SupplierId::parse(id).expect("supplier id")), message)
    }

    fn signed<T>(&self, role: Role, supplier: Option<SupplierId>, message: T) -> Request<T> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: format!("test-{role}"),
            role: role.as_str().to_string(),
            dealer_id: role.is_dealer_staff().then(|| DealerId::new().to_string()),
            supplier_id: supplier.map(|id| id.to_string()),
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

/// A complete, valid request for supplier `code`, approved, with two contacts and a fresh request id.
pub fn new_supplier(code: &str) -> CreateSupplierRequest {
    let contact = |name: &str, duty: &str| SupplierContact {
        name: name.into(),
        email: format!("{}@supplier.example", name.to_lowercase()),
        phone: "+86 21 5555 0100".into(),
        duty: duty.into(),
    };
    CreateSupplierRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        name: format!("Supplier {code}"),
        code: code.into(),
        contacts: vec![contact("Wang", "quality"), contact("Li", "claims")],
        status: SupplierStatus::Approved as i32,
    }
}

/// Whether a FAILED_PRECONDITION carries `reason` (the rule, in its `google.rpc.ErrorInfo` detail).
pub fn refused_for(status: &tonic::Status, reason: &str) -> bool {
    status.code() == Code::FailedPrecondition && String::from_utf8_lossy(status.details()).contains(reason)
}
