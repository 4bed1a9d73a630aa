//! Logs, traces and metrics, set up once per process: `tracing` to stdout (pretty or JSON) and, when an OTLP endpoint
//! is configured, spans and metrics (`crate::metrics`) exported over OTLP/gRPC. W3C trace context travels in gRPC metadata and in event envelopes.
//!
//! A tracer provider is installed even without an exporter, so spans always carry real trace ids and the
//! `traceparent` written into events links a consumer's work to the producer's call.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::metrics::{PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::settings::{LogFormat, TelemetrySettings};

static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();
static METERS: OnceLock<SdkMeterProvider> = OnceLock::new();

/// Flushes and shuts the tracer provider down when dropped (spans are lost otherwise).
#[must_use = "dropping the guard flushes telemetry; keep it until the process ends"]
pub struct TelemetryGuard {
    owner: bool,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if self.owner
            && let Some(provider) = PROVIDER.get()
        {
            let _ = provider.force_flush();
            let _ = provider.shutdown();
        }
        if self.owner
            && let Some(meters) = METERS.get()
        {
            let _ = meters.force_flush();
            let _ = meters.shutdown();
        }
    }
}

/// Starts logging and tracing for `service`. Only the first call in a process installs anything (tests start
/// several services in one process); later calls return an inert guard.
pub fn init(service: &str, settings: &TelemetrySettings) -> TelemetryGuard {
    if PROVIDER.get().is_some() {
        return TelemetryGuard { owner: false };
    }
    let resource = || opentelemetry_sdk::Resource::builder().with_service_name(service.to_string()).build();
    let mut builder = SdkTracerProvider::builder().with_resource(resource());
    if !settings.otlp_endpoint.is_empty() {
        match opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(settings.otlp_endpoint.clone())
            .build()
        {
            Ok(exporter) => builder = builder.with_batch_exporter(exporter),
            Err(e) => eprintln!("telemetry.otlp_endpoint: cannot export spans: {e}"),
        }
    }
    let provider = builder.build();
    if PROVIDER.set(provider.clone()).is_err() {
        return TelemetryGuard { owner: false };
    }
    if !settings.otlp_endpoint.is_empty() {
        match opentelemetry_otlp::MetricExporter::builder()
            .with_tonic()
            .with_endpoint(settings.otlp_endpoint.clone())
            .build()
        {
            Ok(exporter) => {
                let reader = PeriodicReader::builder(exporter)
                    .with_interval(Duration::from_millis(settings.metrics_interval_ms.max(100)))
                    .build();
                let meters = SdkMeterProvider::builder().with_resource(resource()).with_reader(reader).build();
                opentelemetry::global::set_meter_provider(meters.clone());
                let _ = METERS.set(meters);
            }
            Err(e) => eprintln!("telemetry.otlp_endpoint: cannot export metrics: {e}"),
        }
    }
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    opentelemetry::global::set_tracer_provider(provider.clone());

    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    // Transport internals stay out of the exported spans: they are noise, and the exporter itself speaks tonic.
    let otel_filter = EnvFilter::new("info,h2=off,hyper=off,tonic=off,tower=off,sqlx=off,sea_orm=off");
    let otel =
        tracing_opentelemetry::layer().with_tracer(provider.tracer(service.to_string())).with_filter(otel_filter);
    let fmt = match settings.format {
        LogFormat::Json => tracing_subscriber::fmt::layer().json().with_filter(filter()).boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer().with_target(false).with_filter(filter()).boxed(),
    };
    let installed = tracing_subscriber::registry().with(otel).with(fmt).try_init().is_ok();
    TelemetryGuard { owner: installed }
}

/// `traceparent` and `tracestate` of the current span ("" when there is none).
pub fn current_trace_context() -> (String, String) {
    let mut carrier = HashMap::new();
    let context = tracing::Span::current().context();
    TraceContextPropagator::new().inject_context(&context, &mut carrier);
    (carrier.remove("traceparent").unwrap_or_default(), carrier.remove("tracestate").unwrap_or_default())
}

/// Makes `span` a child of the remote context in `traceparent`/`tracestate` (no-op when empty or malformed).
pub fn continue_trace(span: &tracing::Span, traceparent: &str, tracestate: &str) {
    if traceparent.is_empty() {
        return;
    }
    let carrier = HashMap::from([
        ("traceparent".to_string(), traceparent.to_string()),
        ("tracestate".to_string(), tracestate.to_string()),
    ]);
    let context = TraceContextPropagator::new().extract(&carrier);
    let _ = span.set_parent(context);
}

/// Makes `span` a child of the trace context in incoming HTTP headers.
pub fn continue_trace_from_headers(span: &tracing::Span, headers: &http::HeaderMap) {
    let context = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    let _ = span.set_parent(context);
}

/// Writes the current span's trace context into outgoing gRPC metadata.
pub fn inject_trace_context(metadata: &mut tonic::metadata::MetadataMap) {
    let context = tracing::Span::current().context();
    TraceContextPropagator::new().inject_context(&context, &mut MetadataInjector(metadata));
}

struct HeaderExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

struct MetadataInjector<'a>(&'a mut tonic::metadata::MetadataMap);

impl Injector for MetadataInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(key), Ok(value)) =
            (tonic::metadata::MetadataKey::from_bytes(key.as_bytes()), tonic::metadata::MetadataValue::try_from(value))
        {
            self.0.insert(key, value);
        }
    }
}
