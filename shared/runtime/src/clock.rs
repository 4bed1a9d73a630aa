//! Where time comes from. Every service asks a `Clock`, never the system directly, so a 24 h policy is tested in
//! milliseconds: the manual clock moves only when told, and wakes everything sleeping until a time it reached.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, SubsecRound, Utc};
use tokio::sync::watch;

/// Now, and waiting until a given time.
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
    /// Completes once `now() >= deadline`.
    fn sleep_until(&self, deadline: DateTime<Utc>) -> futures::future::BoxFuture<'static, ()>;
    /// The manual clock, when this is one (for the AdvanceClock admin call).
    fn as_manual(&self) -> Option<&ManualClock> {
        None
    }
}

/// A clock shared by every part of a service.
pub type SharedClock = Arc<dyn Clock>;

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        // Microseconds: what every table stores, so a response and a later read of it agree exactly.
        Utc::now().trunc_subsecs(6)
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(async move {
            let wait = (deadline - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
        })
    }
}

/// A clock that stands still until advanced. Sleepers wake when an advance reaches their deadline.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    // Every advance publishes the new time; sleepers watch it.
    ticks: watch::Sender<DateTime<Utc>>,
}

/// Why an advance was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AdvanceError {
    /// Time never goes back, and a zero step is a mistake.
    #[error("must be positive: time never goes back")]
    NotForward,
    /// The step would overflow the calendar.
    #[error("is too large")]
    TooLarge,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        let start = start.trunc_subsecs(6);
        let (ticks, _) = watch::channel(start);
        Self { now: Mutex::new(start), ticks }
    }

    /// Moves time forward by `by` and wakes every sleeper whose deadline is now reached.
    pub fn advance(&self, by: chrono::Duration) -> Result<DateTime<Utc>, AdvanceError> {
        if by <= chrono::Duration::zero() {
            return Err(AdvanceError::NotForward);
        }
        // A poisoned lock only means another thread panicked mid-advance; the time itself is still valid.
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        let next = now.checked_add_signed(by).ok_or(AdvanceError::TooLarge)?.trunc_subsecs(6);
        *now = next;
        self.ticks.send_replace(next);
        Ok(next)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> futures::future::BoxFuture<'static, ()> {
        let mut ticks = self.ticks.subscribe();
        Box::pin(async move {
            // `wait_for` checks the current value first, so a deadline already passed returns at once.
            let _ = ticks.wait_for(|now| *now >= deadline).await;
        })
    }

    fn as_manual(&self) -> Option<&ManualClock> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
    }

    #[tokio::test]
    async fn a_sleeper_wakes_when_the_manual_clock_reaches_its_deadline() {
        let clock = Arc::new(ManualClock::new(start()));
        let sleeper = tokio::spawn(clock.sleep_until(start() + chrono::Duration::hours(24)));
        clock.advance(chrono::Duration::hours(23)).unwrap();
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished(), "woke an hour early");
        clock.advance(chrono::Duration::hours(1)).unwrap();
        sleeper.await.unwrap();
        assert_eq!(clock.now(), start() + chrono::Duration::hours(24));
    }

    #[test]
    fn the_manual_clock_never_goes_back() {
        let clock = ManualClock::new(start());
        assert_eq!(clock.advance(chrono::Duration::seconds(-1)), Err(AdvanceError::NotForward));
        assert_eq!(clock.advance(chrono::Duration::zero()), Err(AdvanceError::NotForward));
        assert_eq!(clock.now(), start());
    }

    #[tokio::test]
    async fn a_deadline_in_the_past_does_not_wait() {
        let clock = ManualClock::new(start());
        clock.sleep_until(start() - chrono::Duration::minutes(5)).await;
    }
}
