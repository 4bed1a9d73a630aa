//! Following another service's feed: each event applied exactly once, in the same transaction as its effect.
//!
//! The cursor (last applied sequence) lives in this service's own schema and advances in the applying
//! transaction with a guarded update (`WHERE sequence = <what we read>`), so a crash before commit replays the
//! event and a crash after commit never does. The event id is recorded too, so a redelivered event is a no-op
//! even if sequences were ever re-served. Events the handler does not care about are passed over without a
//! transaction each: the cursor moves past them in batches (after a short quiet or a thousand of them). On PostgreSQL a session advisory lock is the consumer's lease: one
//! replica follows a feed at a time, the others wait to take over. Disconnects reconnect with backoff and resume
//! from the cursor.

use std::sync::Arc;
use std::time::Duration;

use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, WatchEventsRequest};
use anyhow::Context as _;
use sea_orm::{ConnectionTrait, Value};
use tonic::transport::Endpoint;
use tracing::Instrument;

use crate::db::{WriteTxn, to_micros};
use crate::errors::AppResult;
use crate::failpoints;
use crate::server::ServiceContext;

/// Skipped events are acknowledged (the cursor written) after this much quiet on the stream...
const SKIP_FLUSH_IDLE: Duration = Duration::from_millis(200);
/// ...or after this many of them, whichever comes first.
const SKIP_FLUSH_EVERY: u64 = 1000;

/// Where a consumer is: the last sequence handled, and the last one written to `feed_cursors`.
struct Position {
    handled: u64,
    persisted: u64,
}

/// What a service does with the events of a feed it follows.
#[tonic::async_trait]
pub trait EventHandler: Send + Sync + 'static {
    /// Whether events of `event_type` matter to this service. Others are passed over without a transaction of
    /// their own (the cursor moves past them in batches), which keeps a busy producer from costing the consumer
    /// a write per event it ignores.
    fn handles(&self, event_type: &str) -> bool {
        let _ = event_type;
        true
    }

    /// Applies `event` inside `txn` (ignore types you do not handle by returning `Ok`). An error rolls the
    /// transaction back and the event is retried after a backoff; it is never skipped.
    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()>;
}

/// One followed feed.
pub struct Consumer {
    producer: &'static str,
    handler: Arc<dyn EventHandler>,
}

impl Consumer {
    /// Follows `producer` with `handler`.
    pub fn new(producer: &'static str, handler: Arc<dyn EventHandler>) -> Self {
        Self { producer, handler }
    }

    /// Runs until shutdown: lease, connect, apply, and on any failure back off and resume from the cursor.
    pub async fn run(self, ctx: ServiceContext) {
        let feeds = &ctx.settings.feeds;
        let (min, max) = (Duration::from_millis(feeds.reconnect_min_ms), Duration::from_millis(feeds.reconnect_max_ms));
        let mut backoff = min;
        loop {
            let lease = match self.acquire_lease(&ctx).await {
                Ok(Some(lease)) => lease,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(feed = self.producer, error = %format!("{e:#}"), "consumer lease failed");
                    None
                }
            };
            let result = self.follow(&ctx, &mut backoff, min).await;
            drop(lease);
            match result {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(feed = self.producer, error = %format!("{e:#}"), retry_in_ms = backoff.as_millis() as u64, "feed interrupted")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {}
                _ = ctx.shutdown.cancelled() => return,
            }
            backoff = (backoff * 2).min(max);
        }
    }

    /// PostgreSQL: waits for the feed's advisory lock on a dedicated connection (held while following).
    /// SQLite: one process owns the file, no lease needed. `Ok(None)` means shutdown came first.
    async fn acquire_lease(
        &self,
        ctx: &ServiceContext,
    ) -> anyhow::Result<Option<Option<sqlx::pool::PoolConnection<sqlx::Postgres>>>> {
        let Some(pool) = ctx.db.postgres_pool() else {
            return Ok(Some(None));
        };
        let key = lease_key(self.producer);
        loop {
            let mut conn = pool.acquire().await?;
            let (held,): (bool,) =
                sqlx::query_as("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await?;
            if held {
                return Ok(Some(Some(conn)));
            }
            drop(conn);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = ctx.shutdown.cancelled() => return Ok(None),
            }
        }
    }

    async fn follow(&self, ctx: &ServiceContext, backoff: &mut Duration, min: Duration) -> anyhow::Result<()> {
        let start = self.read_cursor(ctx).await?;
        let mut position = Position { handled: start, persisted: start };
        let url = ctx.settings.peer_url(self.producer)?;
        let channel = Endpoint::from_shared(url.clone())?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .connect()
            .await
            .with_context(|| format!("connecting to {} at {url}", self.producer))?;
        let mut client = EventFeedServiceClient::with_interceptor(channel, ctx.service_auth());
        let mut stream = client
            .watch_events(WatchEventsRequest { after_sequence: start })
            .await
            .context("WatchEvents")?
            .into_inner();
        tracing::info!(feed = self.producer, after = start, "following feed");
        *backoff = min;
        loop {
            let skipped = position.handled - position.persisted;
            let idle = if skipped > 0 { SKIP_FLUSH_IDLE } else { Duration::MAX };
            let message = tokio::select! {
                message = stream.message() => message.context("feed stream")?,
                _ = tokio::time::sleep(idle) => {
                    self.persist_skipped(ctx, &mut position).await?;
                    continue;
                }
                _ = ctx.shutdown.cancelled() => return Ok(()),
            };
            let Some(event) = message.and_then(|m| m.event) else {
                anyhow::bail!("feed stream ended");
            };
            if event.sequence <= position.handled {
                continue; // delivered again: already handled
            }
            if event.sequence != position.handled + 1 {
                anyhow::bail!("feed skipped from {} to {}", position.handled, event.sequence);
            }
            if self.handler.handles(&event.event_type) {
                self.apply_one(ctx, &event, &mut position).await?;
            } else {
                position.handled = event.sequence;
                if position.handled - position.persisted >= SKIP_FLUSH_EVERY {
                    self.persist_skipped(ctx, &mut position).await?;
                }
            }
        }
    }

    /// Writes the cursor past events passed over since the last write (guarded like every cursor move).
    async fn persist_skipped(&self, ctx: &ServiceContext, position: &mut Position) -> anyhow::Result<()> {
        if position.handled == position.persisted {
            return Ok(());
        }
        let txn = ctx.db.write().await?;
        self.move_cursor(ctx, &txn, position).await?;
        txn.commit().await?;
        position.persisted = position.handled;
        Ok(())
    }

    /// Advances the stored cursor from `persisted` to `handled`; fails if another replica moved it meanwhile.
    async fn move_cursor(&self, ctx: &ServiceContext, txn: &WriteTxn, position: &Position) -> anyhow::Result<()> {
        let moved = txn
            .execute_raw(txn.statement(
                "UPDATE feed_cursors SET sequence = $1, updated_at_us = $2 WHERE feed = $3 AND sequence = $4",
                [
                    Value::from(position.handled as i64),
                    Value::from(to_micros(ctx.clock.now())),
                    Value::from(self.producer),
                    Value::from(position.persisted as i64),
                ],
            ))
            .await?
            .rows_affected();
        if moved == 0 {
            anyhow::bail!("cursor of {} moved under us (another replica applied it)", self.producer);
        }
        Ok(())
    }

    async fn read_cursor(&self, ctx: &ServiceContext) -> anyhow::Result<u64> {
        let db = &ctx.db;
        db.reader()
            .execute_raw(db.statement(
                "INSERT INTO feed_cursors (feed, sequence, updated_at_us) VALUES ($1, 0, $2) ON CONFLICT (feed) DO NOTHING",
                [Value::from(self.producer), Value::from(to_micros(ctx.clock.now()))],
            ))
            .await?;
        let row = db
            .reader()
            .query_one_raw(
                db.statement("SELECT sequence FROM feed_cursors WHERE feed = $1", [Value::from(self.producer)]),
            )
            .await?
            .context("cursor row")?;
        Ok(row.try_get::<i64>("", "sequence")? as u64)
    }

    /// Applies one event in a transaction that also moves the cursor to it (and past any skipped before it).
    async fn apply_one(
        &self,
        ctx: &ServiceContext,
        event: &EventEnvelope,
        position: &mut Position,
    ) -> anyhow::Result<()> {
        let span = tracing::info_span!("consume", otel.name = %format!("consume {}", event.event_type),
            otel.kind = "consumer", feed = self.producer, sequence = event.sequence, event_id = %event.event_id);
        crate::telemetry::continue_trace(&span, &event.traceparent, &event.tracestate);
        let target = Position { handled: event.sequence, persisted: position.persisted };
        async {
            let mut txn = ctx.db.write().await?;
            self.move_cursor(ctx, &txn, &target).await?;
            let first_time = txn
                .execute_raw(txn.statement(
                    "INSERT INTO applied_events (event_id, feed, sequence) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
                    [
                        Value::from(event.event_id.clone()),
                        Value::from(self.producer),
                        Value::from(event.sequence as i64),
                    ],
                ))
                .await?
                .rows_affected()
                == 1;
            if first_time {
                self.handler
                    .apply(&mut txn, event)
                    .await
                    .map_err(|e| anyhow::anyhow!("applying {} #{}: {e}", event.event_type, event.sequence))?;
            }
            failpoints::hit("consumer.before_commit");
            txn.commit().await?;
            failpoints::hit("consumer.after_commit");
            tracing::debug!("applied");
            Ok::<(), anyhow::Error>(())
        }
        .instrument(span)
        .await?;
        if let Some(at) = event.occurred_at.as_ref().and_then(|t| crate::from_timestamp(Some(t))) {
            crate::metrics::feed_applied(self.producer, (ctx.clock.now() - at).num_milliseconds() as f64 / 1000.0);
        }
        position.handled = event.sequence;
        position.persisted = event.sequence;
        Ok(())
    }
}

fn lease_key(producer: &str) -> i64 {
    // Stable across builds and replicas: FNV-1a of the feed name.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("consumer:{producer}").bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}
