//! Bad input, field by field, for escalation's policy and clock RPCs: each field with a failing row is
//! INVALID_ARGUMENT naming it, and nothing is written — the newest policy version and the clock stay as they were.

use std::time::Duration;

use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, wait};
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::escalation::v1::policy_service_client::PolicyServiceClient;
use aftersales_proto::reception::v1 as reception;

const PUBLISH: &[Mutation<esc::PublishPoliciesRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("policies_toml", "empty", |r| r.policies_toml.clear()),
    ("policies_toml", "not TOML", |r| r.policies_toml = "[[policy]".into()),
    ("policies_toml", "an unknown key", |r| {
        r.policies_toml.push_str("\n[[ladder]]\nname = \"x\"\nlevels = [\"a\", \"b\"]\ncolour = \"red\"\n")
    }),
    ("note", "missing", |r| r.note.clear()),
];

const WAIVE: &[Mutation<esc::WaiveClockRequest>] = &[
    ("request_id", "not a UUID", |r| r.request_id = "again".into()),
    ("clock_id", "not an id", |r| r.clock_id = "C-1".into()),
    ("reason", "missing", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

const PAUSE: &[Mutation<esc::PauseClockRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("clock_id", "missing", |r| r.clock_id.clear()),
    ("reason", "missing", |r| r.reason.clear()),
    ("reason", "over 100 characters", |r| r.reason = "w".repeat(101)),
];

async fn bad_input(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("appointment").await;
    let options = SuiteOptions::default().with_for("escalation", "AFTERSALES__PEERS__RECEPTION", &reception_url);
    let Some(mut suite) = Suite::start(backend, &["escalation"], options).await else { return };
    let data = suite.data_dir();
    let channel = suite.service("escalation").channel().await;
    let oem = |role: &str| Bearer(Some(Caller::role(role).token(&data)));
    let mut policies = PolicyServiceClient::with_interceptor(channel.clone(), oem("oem_manager"));
    let mut clocks = ClockServiceClient::with_interceptor(channel.clone(), oem("oem_manager"));
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let appointment = uuid::Uuid::now_v7().to_string();
    let requested = reception::AppointmentRequested {
        appointment_id: appointment.clone(),
        dealer_id: dealer.clone(),
        ..Default::default()
    };
    reception_feed.publish(&dealer, &appointment, &requested);
    let clock = wait::until(Duration::from_secs(15), "the appointment's clock", || {
        let (mut clocks, subject) = (clocks.clone(), appointment.clone());
        async move {
            let request = esc::ListClocksRequest { subject_id: subject, page: None };
            clocks.list_clocks(request).await.ok()?.into_inner().clocks.pop()
        }
    })
    .await;
    let reader = policies.clone();
    let newest = || {
        let mut policies = reader.clone();
        async move { policies.get_policies(esc::GetPoliciesRequest { version: 0 }).await.unwrap().into_inner() }
    };
    let explainer = clocks.clone();
    let explain = || {
        let (mut clocks, id) = (explainer.clone(), clock.clock_id.clone());
        async move { clocks.explain_clock(esc::ExplainClockRequest { clock_id: id }).await.unwrap().into_inner() }
    };
    let (version_before, clock_before) = (newest().await, explain().await);

    for (field, case, mutate) in PUBLISH {
        let mut request = esc::PublishPoliciesRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            policies_toml: version_before.policies_toml.clone(),
            note: "2027 targets".into(),
        };
        mutate(&mut request);
        names_field(policies.publish_policies(request).await, field, &format!("PublishPolicies {field}: {case}"));
    }
    names_field(policies.get_policies(esc::GetPoliciesRequest { version: -1 }).await, "version", "GetPolicies version");
    names_field(
        clocks.explain_clock(esc::ExplainClockRequest { clock_id: "c".into() }).await,
        "clock_id",
        "ExplainClock",
    );
    for (field, request) in [
        ("subject_id", esc::ListClocksRequest { subject_id: String::new(), page: None }),
        ("subject_id", esc::ListClocksRequest { subject_id: "s".repeat(101), page: None }),
        (
            "page.page_token",
            esc::ListClocksRequest {
                subject_id: appointment.clone(),
                page: Some(PageRequest { page_token: "forged".into(), page_size: 0 }),
            },
        ),
    ] {
        names_field(clocks.list_clocks(request).await, field, &format!("ListClocks {field}"));
    }
    for (field, case, mutate) in WAIVE {
        let mut request = esc::WaiveClockRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            clock_id: clock.clock_id.clone(),
            reason: "customer abroad".into(),
        };
        mutate(&mut request);
        names_field(clocks.waive_clock(request).await, field, &format!("WaiveClock {field}: {case}"));
    }
    for (field, case, mutate) in PAUSE {
        let mut request = esc::PauseClockRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            clock_id: clock.clock_id.clone(),
            reason: "waiting_for_customer".into(),
        };
        mutate(&mut request);
        names_field(clocks.pause_clock(request).await, field, &format!("PauseClock {field}: {case}"));
    }
    for (field, request) in [
        ("request_id", esc::ResumeClockRequest { request_id: String::new(), clock_id: clock.clock_id.clone() }),
        ("clock_id", esc::ResumeClockRequest { request_id: uuid::Uuid::now_v7().to_string(), clock_id: "x".into() }),
    ] {
        names_field(clocks.resume_clock(request).await, field, &format!("ResumeClock {field}"));
    }

    // A pause reason the policy does not allow is a broken rule, not bad input.
    let lunch = esc::PauseClockRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        clock_id: clock.clock_id.clone(),
        reason: "lunch".into(),
    };
    assert_eq!(clocks.pause_clock(lunch).await.unwrap_err().code(), tonic::Code::FailedPrecondition);

    assert_eq!(newest().await.version, version_before.version, "no version was published");
    assert_eq!(explain().await, clock_before, "the clock is as it was");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_clock_input_on_sqlite() {
    bad_input(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_clock_input_on_postgres() {
    bad_input(Backend::Postgres).await;
}
