//! The suite's metrics, exported over OTLP with the traces (`telemetry.otlp_endpoint`, every
//! `telemetry.metrics_interval_ms`): instruments are made once, from the global meter provider that
//! `telemetry::init` installs (a no-op provider when nothing is exported).
//!
//! - `rpc.server.duration` (histogram, ms; `rpc.method`, `rpc.grpc.status_code`): every call the edge passed on —
//!   its count is the call rate, the non-zero codes the errors, the buckets the latency;
//! - `aftersales.feed.lag` (histogram, s; `feed`): how long after it happened a followed feed's event was applied;
//! - `aftersales.stock.refusals` (counter; `reason` = short / reserved): issues and transfers parts refused for want
//!   of stock;
//! - `aftersales.clock.breaches` (counter; `policy`) and `aftersales.clock.firing_lateness` (histogram, ms;
//!   `policy`): each breach the escalation engine committed, and how long after its due time it fired;
//! - `aftersales.clock.open` (gauge): the escalation engine's open clocks (running or paused), as last counted.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Histogram, ObservableGauge};

struct Instruments {
    rpc_duration: Histogram<f64>,
    feed_lag: Histogram<f64>,
    stock_refusals: Counter<u64>,
    clock_breaches: Counter<u64>,
    firing_lateness: Histogram<f64>,
}

fn instruments() -> &'static Instruments {
    static INSTRUMENTS: OnceLock<Instruments> = OnceLock::new();
    INSTRUMENTS.get_or_init(|| {
        let meter = opentelemetry::global::meter("aftersales");
        Instruments {
            rpc_duration: meter
                .f64_histogram("rpc.server.duration")
                .with_unit("ms")
                .with_description("Calls handled, by method and gRPC status code")
                .build(),
            feed_lag: meter
                .f64_histogram("aftersales.feed.lag")
                .with_unit("s")
                .with_description("From an event's occurrence to its application by a follower")
                .build(),
            stock_refusals: meter
                .u64_counter("aftersales.stock.refusals")
                .with_description("Issues and transfers refused for want of stock")
                .build(),
            clock_breaches: meter
                .u64_counter("aftersales.clock.breaches")
                .with_description("SLA clock periods missed")
                .build(),
            firing_lateness: meter
                .f64_histogram("aftersales.clock.firing_lateness")
                .with_unit("ms")
                .with_description("From a clock's due time to its firing")
                .build(),
        }
    })
}

/// A call to `method` answered with gRPC status `code` after `elapsed_ms`.
pub fn rpc_handled(method: &str, code: &str, elapsed_ms: f64) {
    let attributes =
        [KeyValue::new("rpc.method", method.to_string()), KeyValue::new("rpc.grpc.status_code", code.to_string())];
    instruments().rpc_duration.record(elapsed_ms, &attributes);
}

/// An event of `feed` applied `lag_seconds` after it happened.
pub fn feed_applied(feed: &str, lag_seconds: f64) {
    instruments().feed_lag.record(lag_seconds.max(0.0), &[KeyValue::new("feed", feed.to_string())]);
}

/// Parts refused an issue or a transfer: `reason` is "short" (not on hand) or "reserved" (held for orders).
pub fn stock_refused(reason: &'static str) {
    instruments().stock_refusals.add(1, &[KeyValue::new("reason", reason)]);
}

/// A clock of `policy` breached, fired `lateness_ms` after its due time.
pub fn clock_breached(policy: &str, lateness_ms: f64) {
    let attributes = [KeyValue::new("policy", policy.to_string())];
    instruments().clock_breaches.add(1, &attributes);
    instruments().firing_lateness.record(lateness_ms.max(0.0), &attributes);
}

/// The escalation engine counted `open` open clocks (the gauge reports the latest count; only a service that
/// counts clocks has the gauge).
pub fn set_open_clocks(open: u64) {
    static OPEN: AtomicU64 = AtomicU64::new(0);
    static GAUGE: OnceLock<ObservableGauge<u64>> = OnceLock::new();
    OPEN.store(open, Ordering::Relaxed);
    GAUGE.get_or_init(|| {
        opentelemetry::global::meter("aftersales")
            .u64_observable_gauge("aftersales.clock.open")
            .with_description("Open SLA clocks (running or paused)")
            .with_callback(|observer| observer.observe(OPEN.load(Ordering::Relaxed), &[]))
            .build()
    });
}
