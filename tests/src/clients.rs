//! Authenticated clients for tests.

use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, ListEventsRequest};
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use aftersales_proto::reception::v1::settlement_service_client::SettlementServiceClient;
use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::auth::Bearer;
use crate::process::ServiceProcess;

/// Reception's repair orders.
pub type Orders = RepairOrderServiceClient<InterceptedService<Channel, Bearer>>;
/// Reception's settlements.
pub type Settlements = SettlementServiceClient<InterceptedService<Channel, Bearer>>;
/// Workshop's jobs.
pub type Jobs = JobServiceClient<InterceptedService<Channel, Bearer>>;
/// Any service's feed.
pub type Feed = EventFeedServiceClient<InterceptedService<Channel, Bearer>>;

/// Reception's repair orders as `token`.
pub async fn orders(service: &ServiceProcess, token: &str) -> Orders {
    RepairOrderServiceClient::with_interceptor(service.channel().await, Bearer(Some(token.to_string())))
}

/// Reception's settlements as `token`.
pub async fn settlements(service: &ServiceProcess, token: &str) -> Settlements {
    SettlementServiceClient::with_interceptor(service.channel().await, Bearer(Some(token.to_string())))
}

/// Workshop's jobs as `token`.
pub async fn jobs(service: &ServiceProcess, token: &str) -> Jobs {
    JobServiceClient::with_interceptor(service.channel().await, Bearer(Some(token.to_string())))
}

/// A service's feed as `token`.
pub async fn feed(service: &ServiceProcess, token: &str) -> Feed {
    EventFeedServiceClient::with_interceptor(service.channel().await, Bearer(Some(token.to_string())))
}

/// Every event of a feed so far (all pages).
pub async fn all_events(feed: &mut Feed) -> Vec<EventEnvelope> {
    let mut events = Vec::new();
    loop {
        let after = events.last().map(|e: &EventEnvelope| e.sequence).unwrap_or(0);
        let page = feed
            .list_events(ListEventsRequest { after_sequence: after, page_size: 1000 })
            .await
            .expect("ListEvents")
            .into_inner();
        if page.events.is_empty() {
            return events;
        }
        events.extend(page.events);
    }
}

/// Every event of a feed once there are at least `count`: a service's relay numbers rows just after they commit, so
/// an event of a call that has answered may take a moment to appear.
pub async fn at_least_events(feed: &Feed, count: usize) -> Vec<EventEnvelope> {
    crate::wait::until(std::time::Duration::from_secs(15), &format!("{count} events on the feed"), || {
        let mut feed = feed.clone();
        async move {
            let events = all_events(&mut feed).await;
            (events.len() >= count).then_some(events)
        }
    })
    .await
}

/// How many events of the feed satisfy `wanted`, once at least `count` do (waits, bounded, for the relay to number
/// rows committed just before): a count that must be exact is asserted by the caller afterwards.
pub async fn count_once_at_least(feed: &Feed, count: usize, wanted: impl Fn(&EventEnvelope) -> bool) -> usize {
    let wanted = &wanted;
    crate::wait::until(std::time::Duration::from_secs(15), &format!("{count} matching events on the feed"), || {
        let mut feed = feed.clone();
        async move {
            let found = all_events(&mut feed).await.iter().filter(|e| wanted(e)).count();
            (found >= count).then_some(found)
        }
    })
    .await
}
