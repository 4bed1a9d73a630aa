//! A fake upstream feed served from the test process over real gRPC: the test appends events as the real service's
//! outbox would number and wrap them, and the service under test follows it like the real one (used where the
//! upstream service does not emit an event yet, or where a test needs to choose the upstream's facts exactly).

use std::pin::Pin;
use std::sync::{Arc, Mutex};

use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::event_feed_service_server::{EventFeedService, EventFeedServiceServer};
use aftersales_proto::common::v1::{
    EventEnvelope, ListEventsRequest, ListEventsResponse, TenantKind, WatchEventsRequest, WatchEventsResponse,
};
use futures::Stream;
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};
use tonic::{Request, Response, Status};

/// A service's feed as its followers read it: envelopes numbered 1, 2, 3, ... appended by the test.
#[derive(Clone, Debug)]
pub struct FakeFeed {
    events: Arc<Mutex<Vec<EventEnvelope>>>,
    head: Arc<watch::Sender<u64>>,
    aggregate_type: &'static str,
}

impl FakeFeed {
    /// Serves an empty feed whose events are about aggregates of `aggregate_type` on 127.0.0.1:0; returns it with
    /// its URL.
    pub async fn serve(aggregate_type: &'static str) -> (FakeFeed, String) {
        let feed = FakeFeed { events: Arc::default(), head: Arc::new(watch::channel(0).0), aggregate_type };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake feed");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tonic::transport::Server::builder()
            .add_service(EventFeedServiceServer::new(feed.clone()))
            .serve_with_incoming(TcpListenerStream::new(listener));
        tokio::spawn(async move { server.await.expect("the fake feed serves") });
        (feed, url)
    }

    /// Appends `event` (about aggregate `aggregate` of `dealer`) as an outbox would number and wrap it, and wakes
    /// the streams. Returns its sequence.
    pub fn publish<E: EventMessage>(&self, dealer: &str, aggregate: &str, event: &E) -> u64 {
        self.append(TenantKind::Dealer, dealer, self.aggregate_type, aggregate, event, chrono::Utc::now())
    }

    /// The same, as having happened at `at` (for a follower on a manual clock).
    pub fn publish_at<E: EventMessage>(
        &self,
        dealer: &str,
        aggregate: &str,
        event: &E,
        at: chrono::DateTime<chrono::Utc>,
    ) -> u64 {
        self.append(TenantKind::Dealer, dealer, self.aggregate_type, aggregate, event, at)
    }

    /// Appends `event` of `supplier` (tenant kind SUPPLIER), as having happened at `at`.
    pub fn publish_for_supplier_at<E: EventMessage>(
        &self,
        supplier: &str,
        aggregate: &str,
        event: &E,
        at: chrono::DateTime<chrono::Utc>,
    ) -> u64 {
        self.append(TenantKind::Supplier, supplier, self.aggregate_type, aggregate, event, at)
    }

    /// Appends an OEM-wide `event` (tenant kind OEM) about aggregate `aggregate` of `aggregate_type`, such as a
    /// catalogue record. Returns its sequence.
    pub fn publish_oem<E: EventMessage>(&self, aggregate_type: &str, aggregate: &str, event: &E) -> u64 {
        self.append(TenantKind::Oem, "", aggregate_type, aggregate, event, chrono::Utc::now())
    }

    /// The aggregate ids of every event published so far, in order.
    pub fn aggregates(&self) -> Vec<String> {
        self.events.lock().expect("feed lock").iter().map(|e| e.aggregate_id.clone()).collect()
    }

    fn append<E: EventMessage>(
        &self,
        tenant_kind: TenantKind,
        tenant: &str,
        aggregate_type: &str,
        aggregate: &str,
        event: &E,
        now: chrono::DateTime<chrono::Utc>,
    ) -> u64 {
        let sequence = {
            let mut events = self.events.lock().expect("feed lock");
            let sequence = events.len() as u64 + 1;
            events.push(EventEnvelope {
                sequence,
                event_id: uuid::Uuid::now_v7().to_string(),
                event_type: E::TYPE_NAME.to_string(),
                occurred_at: Some(prost_types::Timestamp {
                    seconds: now.timestamp(),
                    nanos: now.timestamp_subsec_nanos() as i32,
                }),
                tenant_kind: tenant_kind as i32,
                tenant_id: tenant.to_string(),
                aggregate_type: aggregate_type.into(),
                aggregate_id: aggregate.to_string(),
                traceparent: String::new(),
                tracestate: String::new(),
                payload: Some(prost_types::Any {
                    type_url: format!("type.googleapis.com/{}", E::TYPE_NAME),
                    value: event.encode_to_vec(),
                }),
            });
            sequence
        };
        self.head.send_replace(sequence);
        sequence
    }

    /// Envelopes after `after`, oldest first, at most `limit`.
    fn after(&self, after: u64, limit: usize) -> Vec<EventEnvelope> {
        let events = self.events.lock().expect("feed lock");
        events.iter().filter(|e| e.sequence > after).take(limit).cloned().collect()
    }
}

type EventStream = Pin<Box<dyn Stream<Item = Result<WatchEventsResponse, Status>> + Send>>;

/// Auth is not checked: the consumer presents its service token, and this feed has nothing to protect.
#[tonic::async_trait]
impl EventFeedService for FakeFeed {
    async fn list_events(&self, request: Request<ListEventsRequest>) -> Result<Response<ListEventsResponse>, Status> {
        let request = request.into_inner();
        let limit = if request.page_size == 0 { 100 } else { request.page_size as usize };
        let events = self.after(request.after_sequence, limit);
        Ok(Response::new(ListEventsResponse { events, head_sequence: *self.head.borrow() }))
    }

    type WatchEventsStream = EventStream;

    /// Everything after the cursor, then each event as it is appended.
    async fn watch_events(&self, request: Request<WatchEventsRequest>) -> Result<Response<EventStream>, Status> {
        let mut cursor = request.into_inner().after_sequence;
        let (tx, rx) = mpsc::channel(64);
        let feed = self.clone();
        let mut head = self.head.subscribe();
        tokio::spawn(async move {
            loop {
                // Seen before reading, so an append during the read wakes the next wait.
                head.borrow_and_update();
                for event in feed.after(cursor, usize::MAX) {
                    cursor = event.sequence;
                    if tx.send(Ok(WatchEventsResponse { event: Some(event) })).await.is_err() {
                        return;
                    }
                }
                tokio::select! {
                    changed = head.changed() => if changed.is_err() { return },
                    _ = tx.closed() => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
