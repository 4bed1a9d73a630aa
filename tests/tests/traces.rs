//! Traces across services: reception and workshop export their spans over OTLP to a collector in this process; the
//! first flow (an order approved at reception, its job queued by workshop from reception's feed) is one trace —
//! the workshop span that consumed `RepairOrderApproved` is a child of the reception call that approved the order,
//! through the trace context the event envelope carried.

use std::time::Duration;

use aftersales_e2e::collector::{Collector, ExportedSpan};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures, wait};
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;

const APPROVE: &str = "/aftersales.reception.v1.RepairOrderService/ApproveEstimate";
const CONSUME: &str = "consume aftersales.reception.v1.RepairOrderApproved";

#[tokio::test(flavor = "multi_thread")]
async fn the_approval_and_the_job_it_queues_are_one_trace() {
    let (collector, url) = Collector::serve().await;
    let options = SuiteOptions::default().with("AFTERSALES__TELEMETRY__OTLP_ENDPOINT", &url);
    let Some(mut suite) = Suite::start(Backend::Sqlite, &["reception", "workshop"], options).await else { return };
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token(&suite.data_dir());
    let channel = suite.service("reception").channel().await;
    let mut orders = RepairOrderServiceClient::with_interceptor(channel, Bearer(Some(token)));
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();

    // Spans leave in batches (every few seconds): wait for both ends of the flow.
    let (approve, consume) = wait::until(Duration::from_secs(60), "the approval's and the consumer's spans", || {
        let spans = collector.spans();
        async move {
            let find = |service: &str, name: &str| -> Option<ExportedSpan> {
                spans.iter().find(|s| s.service == service && s.name == name).cloned()
            };
            Some((find("reception", APPROVE)?, find("workshop", CONSUME)?))
        }
    })
    .await;
    assert_eq!(consume.trace_id, approve.trace_id, "one trace from the call to the consumer");
    // The consumer's parent is the span that was current when reception appended the event: the approval's own
    // span or one inside it — walk up from the parent to the approval.
    let spans = collector.spans();
    let mut parent = consume.parent_span_id.clone();
    let mut hops = 0;
    while parent != approve.span_id {
        let up = spans.iter().find(|s| s.span_id == parent && s.service == "reception");
        let up = up.unwrap_or_else(|| panic!("the consumer's ancestor {parent} is not a reception span: {spans:#?}"));
        parent = up.parent_span_id.clone();
        hops += 1;
        assert!(hops < 10, "no path from the consumer to the approval");
    }
    assert!(approve.trace_id.chars().any(|c| c != '0'), "a real trace id");
}
