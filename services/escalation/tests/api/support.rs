//! The test harness: a real escalation server in this process (`aftersales_e2e::in_process`), on a manual clock, and
//! tokens minted with the dev user key it trusts.

use aftersales_e2e::in_process::InProcess;
use aftersales_kernel::{DealerId, SupplierId};
use aftersales_proto::common::v1::AdvanceClockRequest;
use aftersales_proto::common::v1::clock_admin_service_client::ClockAdminServiceClient;
use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::case_service_client::CaseServiceClient;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::escalation::v1::responsibility_service_client::ResponsibilityServiceClient;
use aftersales_runtime::auth::Claims;
use aftersales_runtime::auth::verifier::mint_token;
use tonic::transport::Channel;

/// Where the manual clock stands when the server starts.
pub const CLOCK_START: &str = "2026-03-02T09:00:00Z";

/// A running server and what tests need to call it.
pub struct TestApp {
    /// Cases.
    pub cases: CaseServiceClient<Channel>,
    /// The event feed.
    pub feed: EventFeedServiceClient<Channel>,
    /// Clocks.
    pub clocks: ClockServiceClient<Channel>,
    /// Root cause and responsibility.
    pub responsibility: ResponsibilityServiceClient<Channel>,
    /// The manual clock.
    pub clock_admin: ClockAdminServiceClient<Channel>,
    signing_key: String,
    channel: Channel,
    // Dropping it stops the server.
    _service: InProcess,
}

/// The caller most tests record cases as.
pub const SUPPORT: Caller = Caller::Oem("oem_support");

/// Who is calling.
#[derive(Clone, Copy, Debug)]
pub enum Caller {
    /// Staff of a dealer.
    Dealer(&'static str, DealerId),
    /// OEM staff.
    Oem(&'static str),
    /// A supplier's system.
    Supplier,
}

/// Starts escalation in this process on a manual clock and waits until it serves.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like [`spawn_app`], with more settings (`AFTERSALES__...` variables).
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![("AFTERSALES__CLOCK__MODE", "manual"), ("AFTERSALES__CLOCK__START", CLOCK_START)];
    env.extend_from_slice(extra);
    let service = InProcess::start("escalation", &env, aftersales_escalation::serve).await;
    TestApp {
        cases: CaseServiceClient::new(service.channel.clone()),
        feed: EventFeedServiceClient::new(service.channel.clone()),
        clocks: ClockServiceClient::new(service.channel.clone()),
        responsibility: ResponsibilityServiceClient::new(service.channel.clone()),
        clock_admin: ClockAdminServiceClient::new(service.channel.clone()),
        signing_key: service.user_key(),
        channel: service.channel.clone(),
        _service: service,
    }
}

impl TestApp {
    /// The server's channel, for a client of another service.
    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// A request carrying `caller`'s bearer token.
    pub fn request_as<T>(&self, caller: Caller, message: T) -> tonic::Request<T> {
        let now = chrono::Utc::now().timestamp();
        let (sub, role, dealer_id, supplier_id) = match caller {
            Caller::Dealer(role, dealer) => ("dealer-staff", role, Some(dealer.to_string()), None),
            // Each OEM role its own subject: a superior's approval must not look like the proposer's.
            Caller::Oem(role) => (role, role, None, None),
            Caller::Supplier => ("supplier-system", "supplier", None, Some(SupplierId::new().to_string())),
        };
        let claims = Claims {
            sub: sub.into(),
            role: role.into(),
            dealer_id,
            supplier_id,
            aud: "aftersales".into(),
            iss: "aftersales-dev".into(),
            exp: now + 600,
            iat: now,
        };
        let token = mint_token(&self.signing_key, &claims, None).expect("token");
        let mut request = tonic::Request::new(message);
        request.metadata_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
        request
    }

    /// Creates a case as `caller`.
    pub async fn create(&self, caller: Caller, request: pb::CreateCaseRequest) -> Result<pb::Case, tonic::Status> {
        self.cases.clone().create_case(self.request_as(caller, request)).await.map(tonic::Response::into_inner)
    }

    /// Moves the manual clock forward by `minutes` (as the OEM's manager).
    pub async fn advance(&self, minutes: i64) {
        let by = prost_types::Duration { seconds: minutes * 60, nanos: 0 };
        let request = self.request_as(Caller::Oem("oem_manager"), AdvanceClockRequest { by: Some(by) });
        self.clock_admin.clone().advance_clock(request).await.expect("advance the clock");
    }

    /// The clocks of a case, as OEM support.
    pub async fn clocks_of(&self, case: &str) -> Vec<pb::ClockExplanation> {
        let request = pb::ListClocksRequest { subject_id: case.to_string(), page: None };
        let request = self.request_as(SUPPORT, request);
        self.clocks.clone().list_clocks(request).await.expect("clocks").into_inner().clocks
    }

    /// Waits (on real time, briefly) until the scheduler has brought clock `clock_id` where `done` says.
    pub async fn wait_for_clock(
        &self,
        clock_id: &str,
        done: impl Fn(&pb::ClockExplanation) -> bool,
    ) -> pb::ClockExplanation {
        for _ in 0..300 {
            let request = self.request_as(SUPPORT, pb::ExplainClockRequest { clock_id: clock_id.to_string() });
            let clock = self.clocks.clone().explain_clock(request).await.unwrap().into_inner();
            if done(&clock) {
                return clock;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("clock {clock_id} never got there");
    }

    /// The events of type `event_type` (full name) on the service's feed, oldest first, once there is one (the
    /// relay numbers events shortly after their commit).
    pub async fn events_of(&self, event_type: &str) -> Vec<aftersales_proto::common::v1::EventEnvelope> {
        for _ in 0..100 {
            let request = aftersales_proto::common::v1::ListEventsRequest { after_sequence: 0, page_size: 1000 };
            let request = self.request_as(Caller::Oem("oem_manager"), request);
            let events = self.feed.clone().list_events(request).await.expect("feed").into_inner().events;
            let found: Vec<_> = events.into_iter().filter(|e| e.event_type == event_type).collect();
            if !found.is_empty() {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {event_type} on the feed");
    }

    /// Reads a case as `caller`.
    pub async fn get(&self, caller: Caller, id: &str) -> Result<pb::Case, tonic::Status> {
        let request = pb::GetCaseRequest { id: id.to_string() };
        self.cases.clone().get_case(self.request_as(caller, request)).await.map(tonic::Response::into_inner)
    }

    /// Lists cases as `caller`.
    pub async fn list(
        &self,
        caller: Caller,
        request: pb::ListCasesRequest,
    ) -> Result<pb::ListCasesResponse, tonic::Status> {
        self.cases.clone().list_cases(self.request_as(caller, request)).await.map(tonic::Response::into_inner)
    }
}

/// A valid hotline case about a VIN typed in lower case, tied to no dealer.
pub fn hotline_case() -> pb::CreateCaseRequest {
    pb::CreateCaseRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        dealer_id: String::new(),
        region: "North China".into(),
        source: pb::CaseSource::Hotline as i32,
        model: "WP10.336E53".into(),
        serial_or_vin: "1m8gdm9axkp042788".into(),
        symptom: "white smoke at cold start".into(),
        usage_scenario: "long-haul truck, -20 °C mornings".into(),
        contact: Some(pb::Contact {
            name: "Li Wei".into(),
            phone: "+86 138 0013 8000".into(),
            email: "li.wei@example.cn".into(),
        }),
    }
}

/// A valid dealer complaint, for `dealer` (empty: the caller's own).
pub fn dealer_complaint(dealer: &str) -> pb::CreateCaseRequest {
    pb::CreateCaseRequest {
        dealer_id: dealer.to_string(),
        source: pb::CaseSource::DealerComplaint as i32,
        serial_or_vin: "WP10-2024-000917".into(),
        ..hotline_case()
    }
}
