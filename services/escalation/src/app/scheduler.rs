//! The scheduler: fires what is due, in batches (several fires share a transaction), then sleeps until the next
//! due time — read with one index seek, never a scan of open clocks — unless a newly committed clock wakes it
//! earlier. Clocks that came due while the service was down fire at start-up, each with its true due time.
//! Replicas claim due clocks with `FOR UPDATE SKIP LOCKED` (PostgreSQL), so none fires twice.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::engine::Engine;

/// Clocks fired per transaction.
const BATCH: u64 = 200;
/// How long to wait before trying again after a database error.
const RETRY: Duration = Duration::from_secs(1);

/// Runs until `shutdown`.
pub async fn run(engine: Engine, clock: aftersales_runtime::clock::SharedClock, shutdown: CancellationToken) {
    let wake = engine.wake();
    loop {
        engine.sleeping_until(None);
        match drain(&engine).await {
            Ok(fired) if fired > 0 => tracing::debug!(fired, "clocks fired"),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "firing clocks failed; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(RETRY) => continue,
                    _ = shutdown.cancelled() => return,
                }
            }
        }
        let next = match engine.next_fire().await {
            Ok(next) => next,
            Err(e) => {
                tracing::warn!(error = %e, "reading the next due time failed; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(RETRY) => continue,
                    _ = shutdown.cancelled() => return,
                }
            }
        };
        engine.sleeping_until(next);
        let sleep = async {
            match next {
                Some(at) => clock.sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = sleep => {}
            _ = wake.notified() => {}
            _ = shutdown.cancelled() => return,
        }
    }
}

async fn drain(engine: &Engine) -> aftersales_runtime::AppResult<usize> {
    let mut total = 0;
    loop {
        let fired = engine.fire_due(BATCH).await?;
        total += fired;
        if (fired as u64) < BATCH {
            return Ok(total);
        }
    }
}
