//! The relay: numbers committed outbox rows in commit order, then wakes every stream of the feed.
//!
//! Only committed rows are visible to the relay, and only one relay stamps at a time (SQLite: the single writer;
//! PostgreSQL: a transaction-scoped advisory lock, so replicas take turns and a crashed holder releases it with its
//! connection). Each pass gives the pending rows the next sequences after the current head, in insertion order.
//! A row that commits late is simply numbered in a later pass, after rows a reader may already have seen — so a
//! reader never skips one. Streams in this process are woken through [`FeedHead`]; on PostgreSQL the stamping
//! transaction also sends `NOTIFY`, which replicas' listeners turn into the same wake-up.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend, Value};
use tokio::sync::watch;

use crate::errors::AppResult;
use crate::server::ServiceContext;

/// Rows numbered per pass.
const BATCH: i64 = 1000;
/// Advisory lock key of the relay (any constant; each service has its own database).
const RELAY_LOCK: i64 = 0x0A57_5E1E_0001;

/// The newest numbered sequence, watched by feed streams.
#[derive(Clone, Debug)]
pub struct FeedHead {
    sender: watch::Sender<u64>,
}

impl Default for FeedHead {
    fn default() -> Self {
        Self::new()
    }
}

impl FeedHead {
    /// Starts at 0 until the relay reads the real head.
    pub fn new() -> Self {
        Self { sender: watch::channel(0).0 }
    }

    /// Raises the head (never lowers it).
    pub fn advance_to(&self, sequence: u64) {
        self.sender.send_if_modified(|head| {
            let raised = sequence > *head;
            if raised {
                *head = sequence;
            }
            raised
        });
    }

    /// A receiver that is notified on every rise.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.sender.subscribe()
    }
}

/// PostgreSQL NOTIFY channel of a service's feed.
pub fn notify_channel(service: &str) -> String {
    format!("aftersales_feed_{service}")
}

/// The relay task of one service.
pub struct Relay {
    ctx: ServiceContext,
    head: FeedHead,
}

impl Relay {
    /// A relay for `ctx`'s outbox.
    pub fn new(ctx: ServiceContext, head: FeedHead) -> Self {
        Self { ctx, head }
    }

    /// Numbers rows until shutdown: at once when a local commit rings, on NOTIFY from replicas, and on the
    /// fallback poll for anything else (a producer that crashed between commit and ring).
    pub async fn run(self) {
        let signal = self.ctx.db.outbox_signal();
        let poll = Duration::from_millis(self.ctx.settings.feeds.fallback_poll_ms);
        if let Some(pool) = self.ctx.db.postgres_pool().cloned() {
            tokio::spawn(listen(pool, notify_channel(&self.ctx.name), self.head.clone(), self.ctx.shutdown.clone()));
        }
        match super::head_sequence(self.ctx.db.reader()).await {
            Ok(head) => self.head.advance_to(head),
            Err(e) => tracing::warn!(error = %e, "relay could not read the feed head"),
        }
        let mut failures = 0u32;
        loop {
            match self.stamp_all().await {
                Ok(()) => failures = 0,
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "relay pass failed; retrying");
                    let backoff = Duration::from_millis(50 * 2u64.pow(failures.min(6)));
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => continue,
                        _ = self.ctx.shutdown.cancelled() => return,
                    }
                }
            }
            tokio::select! {
                _ = signal.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = self.ctx.shutdown.cancelled() => return,
            }
        }
    }

    async fn stamp_all(&self) -> AppResult<()> {
        loop {
            let (stamped, newest) = self.stamp_once().await?;
            if let Some(newest) = newest {
                self.head.advance_to(newest);
            }
            if stamped < BATCH {
                return Ok(());
            }
        }
    }

    /// One pass: numbers up to BATCH pending rows. Returns how many and the newest sequence.
    async fn stamp_once(&self) -> AppResult<(i64, Option<u64>)> {
        let txn = self.ctx.db.write().await?;
        let postgres = txn.get_database_backend() == DbBackend::Postgres;
        if postgres {
            txn.execute_raw(txn.statement("SELECT pg_advisory_xact_lock($1)", [Value::from(RELAY_LOCK)])).await?;
        }
        let rows = txn
            .query_all_raw(txn.statement(
                "WITH head AS (SELECT COALESCE(MAX(sequence), 0) AS s FROM outbox_events), \
                 pending AS (SELECT position, ROW_NUMBER() OVER (ORDER BY position) AS rn FROM outbox_events \
                             WHERE sequence IS NULL ORDER BY position LIMIT $1) \
                 UPDATE outbox_events SET sequence = (SELECT s FROM head) + pending.rn FROM pending \
                 WHERE outbox_events.position = pending.position RETURNING outbox_events.sequence",
                [Value::from(BATCH)],
            ))
            .await?;
        let mut newest = None;
        for row in &rows {
            let sequence = row.try_get::<i64>("", "sequence")? as u64;
            newest = newest.max(Some(sequence));
        }
        if let (true, Some(newest)) = (postgres, newest) {
            txn.execute_raw(txn.statement(
                "SELECT pg_notify($1, $2)",
                [Value::from(notify_channel(&self.ctx.name)), Value::from(newest.to_string())],
            ))
            .await?;
        }
        txn.commit().await?;
        Ok((rows.len() as i64, newest))
    }
}

/// Turns NOTIFYs of other replicas' relays into local wake-ups; reconnects with backoff.
async fn listen(pool: sqlx::PgPool, channel: String, head: FeedHead, shutdown: tokio_util::sync::CancellationToken) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let listener = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
            listener.listen(&channel).await?;
            loop {
                let notification = listener.recv().await?;
                if let Ok(sequence) = notification.payload().parse::<u64>() {
                    head.advance_to(sequence);
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        };
        tokio::select! {
            result = listener => {
                if let Err(e) = result {
                    tracing::warn!(error = %e, "feed listener lost its connection; reconnecting");
                }
            }
            _ = shutdown.cancelled() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.cancelled() => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}
