//! The supplier clocks, on SQLite and PostgreSQL, with escalation following a fake supplier feed on a manual clock
//! (until the supplier service sends claims): a claim sent at 08:00 on day 1 is not acknowledged within 24 hours —
//! it breaches and the OEM's quality department hears of it; acknowledged at 09:00 on day 2 (met an hour late) with a
//! solution committed for day 4, it starts the solution clock due then; the solution comes on day 3, in time.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, wait};
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_runtime::outbox::decode_payload;

const START: &str = "2026-03-02T08:00:00Z";

fn t(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&chrono::Utc)
}

fn stamp(rfc3339: &str) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: t(rfc3339).timestamp(), nanos: 0 })
}

async fn supplier_clocks(backend: Backend) {
    let (feed, url) = FakeFeed::serve("claim").await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__CLOCK__MODE", "manual")
        .with("AFTERSALES__CLOCK__START", START)
        .with_for("escalation", "AFTERSALES__PEERS__SUPPLIER", &url);
    let Some(mut suite) = Suite::start(backend, &["escalation"], options).await else { return };
    let data = suite.data_dir();
    let (claim, vendor) = (uuid::Uuid::now_v7().to_string(), aftersales_kernel::SupplierId::new().to_string());
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let clocks = ClockServiceClient::with_interceptor(suite.service("escalation").channel().await, support);
    let of_claim = |count: usize| {
        let (clocks, claim) = (clocks.clone(), claim.clone());
        async move {
            wait::until(Duration::from_secs(15), "the claim's clocks", || {
                let (mut clocks, claim) = (clocks.clone(), claim.clone());
                async move {
                    let request = esc::ListClocksRequest { subject_id: claim, page: None };
                    Some(clocks.list_clocks(request).await.ok()?.into_inner().clocks).filter(|c| c.len() == count)
                }
            })
            .await
        }
    };

    let sent = supplier::ClaimSent {
        claim_id: claim.clone(),
        supplier_id: vendor.clone(),
        part_number: "A-1001".into(),
        batch: "L-2026-01".into(),
        sent_at: stamp(START),
        claim: None,
    };
    feed.publish_for_supplier_at(&vendor, &claim, &sent, t(START));
    let response = of_claim(1).await.remove(0);
    assert_eq!((response.policy.as_str(), response.tenant_id.as_str()), ("supplier_response", vendor.as_str()));
    assert_eq!(response.due_time, stamp("2026-03-03T08:00:00Z"));

    // Day 2, 08:01: not acknowledged — the supplier ladder's next level, quality.
    suite.advance(Duration::from_secs(24 * 3600 + 60)).await;
    let explain = |id: String| {
        let mut clocks = clocks.clone();
        async move { clocks.explain_clock(esc::ExplainClockRequest { clock_id: id }).await.unwrap().into_inner() }
    };
    let breached = wait::until(Duration::from_secs(15), "the response clock's breach", || async {
        Some(explain(response.clock_id.clone()).await).filter(|c| c.level == 1)
    })
    .await;
    assert_eq!(breached.history.last().map(|e| e.role.as_str()), Some("quality"));

    // Acknowledged at 09:00 on day 2 with a solution committed for day 4, 17:00.
    let acknowledged = supplier::ClaimAcknowledged {
        claim_id: claim.clone(),
        supplier_id: vendor.clone(),
        committed_solution_at: stamp("2026-03-05T17:00:00Z"),
        acknowledged_at: stamp("2026-03-03T09:00:00Z"),
        claim: None,
    };
    feed.publish_for_supplier_at(&vendor, &claim, &acknowledged, t("2026-03-03T09:00:00Z"));
    let both = of_claim(2).await;
    let solution = both.iter().find(|c| c.policy == "supplier_solution").unwrap().clone();
    assert_eq!(solution.due_time, stamp("2026-03-05T17:00:00Z"), "due at the committed date");

    // The solution on day 3: in time.
    let proposed = supplier::SolutionProposed {
        claim_id: claim.clone(),
        supplier_id: vendor.clone(),
        proposed_at: stamp("2026-03-04T10:00:00Z"),
        claim: None,
    };
    feed.publish_for_supplier_at(&vendor, &claim, &proposed, t("2026-03-04T10:00:00Z"));
    let reader = clients::feed(suite.service("escalation"), &service_token(&data, "supplier")).await;
    let closed = wait::until(Duration::from_secs(15), "both clocks closed", || {
        let mut reader = reader.clone();
        async move {
            let events = clients::all_events(&mut reader).await;
            let closed: Vec<esc::ClockClosed> =
                events.iter().filter_map(decode_payload::<esc::ClockClosed>).map(Result::unwrap).collect();
            (closed.len() == 2).then_some(closed)
        }
    })
    .await;
    let outcome = |policy: &str| closed.iter().find(|c| c.policy == policy).map(|c| (c.outcome(), c.late_by_seconds));
    assert_eq!(outcome("supplier_response"), Some((esc::ClockOutcome::MetLate, 3600)));
    assert_eq!(outcome("supplier_solution"), Some((esc::ClockOutcome::MetOnTime, 0)));
}

#[tokio::test(flavor = "multi_thread")]
async fn supplier_clocks_on_sqlite() {
    supplier_clocks(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn supplier_clocks_on_postgres() {
    supplier_clocks(Backend::Postgres).await;
}
