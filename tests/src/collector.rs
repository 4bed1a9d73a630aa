//! An OpenTelemetry collector served from the test process over real OTLP/gRPC: the services under test export
//! their spans and metrics to it (`telemetry.otlp_endpoint`), and the test reads what arrived.

use std::sync::{Arc, Mutex};

use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_server::{
    MetricsService, MetricsServiceServer,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{ExportMetricsServiceRequest, ExportMetricsServiceResponse};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{TraceService, TraceServiceServer};
use opentelemetry_proto::tonic::collector::trace::v1::{ExportTraceServiceRequest, ExportTraceServiceResponse};
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::metrics::v1::metric::Data;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::{Request, Response, Status};

/// One exported span, flattened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedSpan {
    /// The exporting service (`service.name` of its resource).
    pub service: String,
    /// The span's name.
    pub name: String,
    /// Its trace, hex.
    pub trace_id: String,
    /// Its id, hex.
    pub span_id: String,
    /// Its parent's id, hex; empty for a root.
    pub parent_span_id: String,
}

/// One exported data point of a histogram or a sum, flattened (the latest export of each is what counts: the
/// services export cumulative values).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedPoint {
    /// The exporting service.
    pub service: String,
    /// The metric's name.
    pub metric: String,
    /// The point's attributes, as text.
    pub attributes: Vec<(String, String)>,
    /// Histogram: how many values; sum and gauge: the value.
    pub count: f64,
}

impl ExportedPoint {
    /// The value of attribute `key`, if the point has it.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The collector: every span and metric point exported to it so far.
#[derive(Debug, Clone, Default)]
pub struct Collector {
    spans: Arc<Mutex<Vec<ExportedSpan>>>,
    points: Arc<Mutex<Vec<ExportedPoint>>>,
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::StringValue(s)) => s.clone(),
        Some(Value::IntValue(i)) => i.to_string(),
        Some(Value::BoolValue(b)) => b.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

fn attributes(attributes: &[KeyValue]) -> Vec<(String, String)> {
    attributes.iter().map(|a| (a.key.clone(), text(a.value.as_ref().and_then(|v| v.value.as_ref())))).collect()
}

fn number(point: &opentelemetry_proto::tonic::metrics::v1::NumberDataPoint) -> f64 {
    use opentelemetry_proto::tonic::metrics::v1::number_data_point::Value;
    match point.value {
        Some(Value::AsInt(i)) => i as f64,
        Some(Value::AsDouble(d)) => d,
        None => 0.0,
    }
}

fn service_of(resource: Option<&opentelemetry_proto::tonic::resource::v1::Resource>) -> String {
    resource
        .iter()
        .flat_map(|r| &r.attributes)
        .find(|a| a.key == "service.name")
        .map(|a| text(a.value.as_ref().and_then(|v| v.value.as_ref())))
        .unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Collector {
    /// Serves an empty collector on 127.0.0.1:0; returns it with its URL.
    pub async fn serve() -> (Collector, String) {
        let collector = Collector::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the collector");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let server = tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(collector.clone()))
            .add_service(MetricsServiceServer::new(collector.clone()))
            .serve_with_incoming(TcpListenerStream::new(listener));
        tokio::spawn(async move { server.await.expect("the collector serves") });
        (collector, url)
    }

    /// Every span received so far.
    pub fn spans(&self) -> Vec<ExportedSpan> {
        self.spans.lock().expect("collector lock").clone()
    }

    /// Every metric point received so far, oldest export first.
    pub fn points(&self) -> Vec<ExportedPoint> {
        self.points.lock().expect("collector lock").clone()
    }
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let mut received = Vec::new();
        for resource_spans in request.into_inner().resource_spans {
            let service = service_of(resource_spans.resource.as_ref());
            for scope in resource_spans.scope_spans {
                for span in scope.spans {
                    received.push(ExportedSpan {
                        service: service.clone(),
                        name: span.name,
                        trace_id: hex(&span.trace_id),
                        span_id: hex(&span.span_id),
                        parent_span_id: hex(&span.parent_span_id),
                    });
                }
            }
        }
        self.spans.lock().expect("collector lock").extend(received);
        Ok(Response::new(ExportTraceServiceResponse { partial_success: None }))
    }
}

#[tonic::async_trait]
impl MetricsService for Collector {
    async fn export(
        &self,
        request: Request<ExportMetricsServiceRequest>,
    ) -> Result<Response<ExportMetricsServiceResponse>, Status> {
        let mut received = Vec::new();
        for resource_metrics in request.into_inner().resource_metrics {
            let service = service_of(resource_metrics.resource.as_ref());
            for scope in resource_metrics.scope_metrics {
                for metric in scope.metrics {
                    let point = |attributes, count| ExportedPoint {
                        service: service.clone(),
                        metric: metric.name.clone(),
                        attributes,
                        count,
                    };
                    match &metric.data {
                        Some(Data::Histogram(h)) => received.extend(
                            h.data_points.iter().map(|p| point(self::attributes(&p.attributes), p.count as f64)),
                        ),
                        Some(Data::Sum(s)) => received
                            .extend(s.data_points.iter().map(|p| point(self::attributes(&p.attributes), number(p)))),
                        Some(Data::Gauge(g)) => received
                            .extend(g.data_points.iter().map(|p| point(self::attributes(&p.attributes), number(p)))),
                        _ => {}
                    }
                }
            }
        }
        self.points.lock().expect("collector lock").extend(received);
        Ok(Response::new(ExportMetricsServiceResponse { partial_success: None }))
    }
}
