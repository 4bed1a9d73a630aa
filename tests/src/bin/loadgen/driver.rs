//! The closed-loop runner: N callers, each issuing its next call as soon as the previous one answered, for a
//! 1-second warm-up and then the measured window; latencies of calls that started and ended inside the window go
//! into an HDR histogram (microseconds). A live progress line is kept on stderr.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use hdrhistogram::Histogram;

use crate::probe::{Probe, Usage};

/// Warm-up before every measured window.
pub const WARMUP: Duration = Duration::from_secs(1);

/// One caller's state and its call.
pub trait Worker: Send + 'static {
    /// Makes one call (one request, or one transaction of the baseline).
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>>;
}

/// A new latency histogram, 1 µs to 10 min, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds")
}

/// Microseconds of a duration, at least 1 (the histogram's floor).
pub fn micros(d: Duration) -> u64 {
    (d.as_micros() as u64).max(1)
}

/// The outcome of one measured phase.
pub struct PhaseResult {
    /// Phase name.
    pub name: String,
    /// Latencies of the calls inside the measured window, µs.
    pub hist: Histogram<u64>,
    /// Length of the measured window.
    pub window: Duration,
    /// Failed calls inside the window.
    pub errors: u64,
    /// The first failure, if any.
    pub first_error: Option<String>,
    /// CPU and database activity during the window.
    pub usage: Usage,
}

impl PhaseResult {
    /// Successful calls per second in the window.
    pub fn rate(&self) -> f64 {
        self.hist.len() as f64 / self.window.as_secs_f64()
    }

    /// Latency at quantile `q`, in milliseconds.
    pub fn ms(&self, q: f64) -> f64 {
        self.hist.value_at_quantile(q) as f64 / 1000.0
    }
}

struct Shared {
    done: AtomicU64,
    measured: AtomicU64,
}

struct Outcome<W> {
    worker: W,
    hist: Histogram<u64>,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `workers` concurrently for the warm-up plus `window`, then hands them back with the phase's result.
pub async fn run<W: Worker>(name: &str, window: Duration, workers: Vec<W>, probe: &Probe) -> (PhaseResult, Vec<W>) {
    let start = Instant::now();
    let warm_end = start + WARMUP;
    let end = warm_end + window;
    let shared = Arc::new(Shared { done: AtomicU64::new(0), measured: AtomicU64::new(0) });
    let tasks: Vec<_> =
        workers.into_iter().map(|worker| tokio::spawn(caller(worker, warm_end, end, shared.clone()))).collect();
    let progress = tokio::spawn(progress(name.to_string(), start, warm_end, end, shared.clone()));
    tokio::time::sleep_until(warm_end.into()).await;
    let watch = probe.begin().await;
    tokio::time::sleep_until(end.into()).await;
    let mut hist = histogram();
    let (mut errors, mut first_error, mut workers) = (0, None, Vec::new());
    for task in tasks {
        let outcome = task.await.expect("caller task");
        hist.add(&outcome.hist).expect("same histogram bounds");
        errors += outcome.errors;
        first_error = first_error.or(outcome.first_error);
        workers.push(outcome.worker);
    }
    let usage = watch.end(hist.len()).await;
    progress.abort();
    let result = PhaseResult { name: name.to_string(), hist, window, errors, first_error, usage };
    eprint!("\r\x1b[K");
    eprintln!(
        "{:<52} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
        name,
        result.rate(),
        result.ms(0.5),
        result.ms(0.99),
        result.errors
    );
    if let Some(error) = &result.first_error {
        eprintln!("  first error: {error}");
    }
    (result, workers)
}

async fn caller<W: Worker>(mut worker: W, warm_end: Instant, end: Instant, shared: Arc<Shared>) -> Outcome<W> {
    let mut hist = histogram();
    let (mut errors, mut first_error) = (0, None);
    loop {
        let started = Instant::now();
        if started >= end {
            break;
        }
        let result = worker.call().await;
        let finished = Instant::now();
        shared.done.fetch_add(1, Ordering::Relaxed);
        let inside = started >= warm_end && finished <= end;
        match result {
            Ok(()) if inside => {
                hist.record(micros(finished - started)).expect("latency within bounds");
                shared.measured.fetch_add(1, Ordering::Relaxed);
            }
            Ok(()) => {}
            Err(e) => {
                if inside {
                    errors += 1;
                }
                first_error.get_or_insert_with(|| format!("{e:#}"));
                // A failing call returns fast: do not spin on it.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
    Outcome { worker, hist, errors, first_error }
}

/// `\r`-updated status line: phase, elapsed, requests, current rate.
async fn progress(name: String, start: Instant, warm_end: Instant, end: Instant, shared: Arc<Shared>) {
    let tick = Duration::from_millis(250);
    let (mut last_done, mut last_at) = (0u64, Instant::now());
    loop {
        tokio::time::sleep(tick).await;
        let now = Instant::now();
        let done = shared.done.load(Ordering::Relaxed);
        let rate = (done - last_done) as f64 / (now - last_at).as_secs_f64();
        (last_done, last_at) = (done, now);
        let stage = if now < warm_end {
            format!("warm-up {:.1}s", (now - start).as_secs_f64())
        } else {
            let total = (end - warm_end).as_secs_f64();
            format!("{:.1}/{total:.0}s", (now.min(end) - warm_end).as_secs_f64())
        };
        let measured = shared.measured.load(Ordering::Relaxed);
        eprint!("\r\x1b[K{name:<52} {stage:>12}  {measured:>8} req  {rate:>8.0} req/s");
        let _ = std::io::stderr().flush();
    }
}
