//! Waiting for something to become true across processes.

use std::future::Future;
use std::time::Duration;

/// Polls `check` every 10 ms until it returns `Some`, failing the test after `within`. Used only where no
/// signal exists to wait on (another process's database); the deadline is a failure bound, not a delay.
pub async fn until<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out after {within:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
