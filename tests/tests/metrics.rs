//! Metrics over OTLP, read at a collector in this process: reception's calls show up per method and status code
//! (rate, errors, latency from one histogram), and workshop's feed lag per followed feed; a stock-out in parts, a
//! breach with its firing lateness and the open clocks in escalation.

use std::time::Duration;

use aftersales_e2e::collector::Collector;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures, wait};
use aftersales_proto::reception::v1::GetRepairOrderRequest;
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;

const CREATE: &str = "/aftersales.reception.v1.RepairOrderService/CreateRepairOrder";
const GET: &str = "/aftersales.reception.v1.RepairOrderService/GetRepairOrder";

#[tokio::test(flavor = "multi_thread")]
async fn calls_errors_and_feed_lag_reach_the_collector() {
    let (collector, url) = Collector::serve().await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__TELEMETRY__OTLP_ENDPOINT", &url)
        .with("AFTERSALES__TELEMETRY__METRICS_INTERVAL_MS", "300");
    let Some(mut suite) = Suite::start(Backend::Sqlite, &["reception", "workshop"], options).await else { return };
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token(&suite.data_dir());
    let channel = suite.service("reception").channel().await;
    let mut orders = RepairOrderServiceClient::with_interceptor(channel, Bearer(Some(token)));
    for _ in 0..3 {
        orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap();
    }
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let missing = GetRepairOrderRequest { id: aftersales_kernel::RepairOrderId::new().to_string() };
    assert_eq!(orders.get_repair_order(missing).await.unwrap_err().code(), tonic::Code::NotFound);

    // The services export cumulative values every 300 ms: wait until the latest export holds everything.
    let counts = wait::until(Duration::from_secs(60), "the calls and the feed lag at the collector", || {
        let points = collector.points();
        async move {
            let latest = |service: &str, metric: &str, key: &str, value: &str, code: Option<&str>| {
                points
                    .iter()
                    .rev()
                    .find(|p| {
                        p.service == service
                            && p.metric == metric
                            && p.attribute(key) == Some(value)
                            && code.is_none_or(|c| p.attribute("rpc.grpc.status_code") == Some(c))
                    })
                    .map(|p| p.count)
            };
            let created = latest("reception", "rpc.server.duration", "rpc.method", CREATE, Some("0"))?;
            let not_found = latest("reception", "rpc.server.duration", "rpc.method", GET, Some("5"))?;
            let lag = latest("workshop", "aftersales.feed.lag", "feed", "reception", None)?;
            (created >= 4.0).then_some((created, not_found, lag))
        }
    })
    .await;
    assert_eq!(counts.0, 4.0, "four CreateRepairOrder calls answered OK");
    assert_eq!(counts.1, 1.0, "one GetRepairOrder answered NOT_FOUND");
    assert!(counts.2 >= 1.0, "workshop applied reception's events and measured their lag");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stock_out_and_a_breach_reach_the_collector() {
    use aftersales_proto::escalation::v1::case_service_client::CaseServiceClient;
    use aftersales_proto::parts::v1 as parts;

    let (collector, url) = Collector::serve().await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__TELEMETRY__OTLP_ENDPOINT", &url)
        .with("AFTERSALES__TELEMETRY__METRICS_INTERVAL_MS", "300")
        .with("AFTERSALES__CLOCK__MODE", "manual");
    let Some(mut suite) = Suite::start(Backend::Sqlite, &["parts", "escalation"], options).await else { return };
    let data = suite.data_dir();

    // A counter issue of 5 pieces where 2 are on hand: refused, STOCK_SHORT.
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = aftersales_e2e::stock::Store::open(suite.service("parts").channel().await, &data, &dealer).await;
    store.put("A-01", "L-2026-01", 200).await;
    let issue =
        parts::IssuePartsRequest { quantity_hundredths: 500, ..fixtures::issue_parts(&store.warehouse, &store.part) };
    let refused = store.stock("parts_clerk").issue_parts(issue).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);

    // A hotline case nobody triages within its hour: the triage clock breaches.
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let mut cases = CaseServiceClient::with_interceptor(suite.service("escalation").channel().await, support);
    cases.create_case(fixtures::new_case("")).await.unwrap();
    suite.advance(Duration::from_secs(61 * 60)).await;

    let (short, breaches) =
        wait::until(Duration::from_secs(60), "the stock-out and the breach at the collector", || {
            let points = collector.points();
            async move {
                let latest = |service: &str, metric: &str| {
                    points.iter().rev().find(|p| p.service == service && p.metric == metric).cloned()
                };
                let short = latest("parts", "aftersales.stock.refusals")?;
                let breach = latest("escalation", "aftersales.clock.breaches")?;
                Some((short, breach))
            }
        })
        .await;
    assert_eq!((short.attribute("reason"), short.count), (Some("short"), 1.0));
    assert_eq!((breaches.attribute("policy"), breaches.count), (Some("case_triage"), 1.0));
    let lateness = collector.points().into_iter().rev().find(|p| p.metric == "aftersales.clock.firing_lateness");
    assert_eq!(lateness.map(|p| p.count), Some(1.0), "the breach's firing lateness is measured");
    // The breached triage clock still runs: one open clock.
    let open = wait::until(Duration::from_secs(30), "the open-clocks gauge", || {
        let open = collector.points().into_iter().rev().find(|p| p.metric == "aftersales.clock.open");
        async move { open.filter(|p| p.count >= 1.0) }
    })
    .await;
    assert_eq!((open.service.as_str(), open.count), ("escalation", 1.0));
}
