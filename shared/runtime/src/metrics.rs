//! The suite's metrics, exported over OTLP with the traces (`telemetry.otlp_endpoint`, every
//! `telemetry.metrics_interval_ms`): instruments are made once, from the global meter provider that
//! `telemetry::init` installs (a no-op provider when nothing is exported).
//!
//! - `rpc.server.duration` (histogram, ms; `rpc.method`, `rpc.grpc.status_code`): every call the edge passed on —
//!   its count is the call rate, the non-zero codes the errors, the buckets the latency;
//! - `aftersales.feed.lag` (histogram, s; `feed`): how long after it happened a followed feed's event was applied.

use std::sync::OnceLock;

use opentelemetry::KeyValue;
use opentelemetry::metrics::Histogram;

struct Instruments {
    rpc_duration: Histogram<f64>,
    feed_lag: Histogram<f64>,
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
