//! `EventFeedService`: the service's numbered events, as pages and as a live stream.

use std::pin::Pin;
use std::time::Duration;

use aftersales_proto::common::v1::event_feed_service_server::EventFeedService;
use aftersales_proto::common::v1::{ListEventsRequest, ListEventsResponse, WatchEventsRequest, WatchEventsResponse};
use futures::Stream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::relay::FeedHead;
use super::{head_sequence, read_events};
use crate::auth::{Principal, Role};
use crate::errors::AppError;
use crate::server::ServiceContext;
use crate::server::edge::principal;

/// Events a stream reads per query while catching up.
const STREAM_BATCH: u64 = 200;

/// The feed of one service.
#[derive(Clone, Debug)]
pub struct FeedService {
    ctx: ServiceContext,
    head: FeedHead,
}

impl FeedService {
    /// Serves `ctx`'s outbox; streams wake on `head`.
    pub fn new(ctx: ServiceContext, head: FeedHead) -> Self {
        Self { ctx, head }
    }
}

/// Feeds carry every tenant's data: only services (held to the feed graph by the edge) and OEM staff read them.
fn authorize(principal: &Principal) -> Result<(), AppError> {
    if principal.role == Role::Service || principal.role.is_oem_staff() {
        Ok(())
    } else {
        Err(AppError::PermissionDenied(format!("role {} may not read event feeds", principal.role)))
    }
}

type EventStream = Pin<Box<dyn Stream<Item = Result<WatchEventsResponse, Status>> + Send>>;

#[tonic::async_trait]
impl EventFeedService for FeedService {
    async fn list_events(&self, request: Request<ListEventsRequest>) -> Result<Response<ListEventsResponse>, Status> {
        authorize(&principal(&request)?)?;
        let request = request.into_inner();
        let limit = match request.page_size {
            0 => 100,
            n if (1..=1000).contains(&n) => n as u64,
            _ => return Err(AppError::invalid("page_size", "must be between 0 and 1000").into()),
        };
        let head = head_sequence(self.ctx.db.reader()).await?;
        let events = read_events(&self.ctx.db, request.after_sequence, limit).await?;
        Ok(Response::new(ListEventsResponse { events, head_sequence: head }))
    }

    type WatchEventsStream = EventStream;

    async fn watch_events(&self, request: Request<WatchEventsRequest>) -> Result<Response<EventStream>, Status> {
        authorize(&principal(&request)?)?;
        let mut cursor = request.into_inner().after_sequence;
        let (tx, rx) = mpsc::channel(STREAM_BATCH as usize);
        let ctx = self.ctx.clone();
        let mut head = self.head.subscribe();
        let poll = Duration::from_millis(ctx.settings.feeds.fallback_poll_ms);
        tokio::spawn(async move {
            loop {
                // Mark the head seen *before* reading, so a rise during the read wakes the next wait.
                head.borrow_and_update();
                let events = match read_events(&ctx.db, cursor, STREAM_BATCH).await {
                    Ok(events) => events,
                    Err(e) => {
                        let _ = tx.send(Err(Status::from(e))).await;
                        return;
                    }
                };
                let caught_up = (events.len() as u64) < STREAM_BATCH;
                for event in events {
                    cursor = event.sequence;
                    // A failed send means the reader left: stop quietly.
                    if tx.send(Ok(WatchEventsResponse { event: Some(event) })).await.is_err() {
                        return;
                    }
                }
                if caught_up {
                    tokio::select! {
                        _ = head.changed() => {}
                        _ = tokio::time::sleep(poll) => {}
                        _ = tx.closed() => return,
                        _ = ctx.shutdown.cancelled() => return,
                    }
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
