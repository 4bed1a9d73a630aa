//! The edge of every service: one tower layer that each call passes before reaching a handler.
//!
//! In order, and why in that order:
//! 1. request id — accepted from `x-request-id` or generated, so even a refused call can be found in the logs;
//! 2. span — continues the caller's W3C trace context, and carries the request id for every log line below;
//! 3. open paths — health and reflection answer anyone, also while starting or overloaded;
//! 4. readiness — business calls get UNAVAILABLE until migrations are done;
//! 5. load shedding — beyond the concurrency limit a call is refused at once with RESOURCE_EXHAUSTED rather than
//!    queued (a queue only turns overload into timeouts);
//! 6. authentication — the bearer token becomes a `Principal` in the request extensions; service tokens are held
//!    to the feed graph here, so no handler can forget it;
//! 7. on the partner endpoint only — a supplier's token from a client certificate issued to that supplier
//!    ([`super::partner`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use http::{HeaderValue, Request, Response};
use tokio::sync::Semaphore;
use tonic::Status;
use tower::{Layer, Service};
use tracing::Instrument;

use super::partner::PartnerGate;
use crate::auth::{Authenticator, Role, Tenant, graph};

/// Header carrying the request id both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// Shared state of the edge.
#[derive(Debug)]
pub struct EdgeState {
    /// This service's name (for the service-token allow-list).
    pub service: String,
    /// Token verifier.
    pub auth: Arc<Authenticator>,
    /// False until migrations are done.
    pub ready: AtomicBool,
    /// One permit per call in flight.
    pub permits: Arc<Semaphore>,
}

/// The layer.
#[derive(Clone, Debug)]
pub struct EdgeLayer {
    state: Arc<EdgeState>,
    partner: Option<Arc<PartnerGate>>,
}

impl EdgeLayer {
    /// A layer over shared state.
    pub fn new(state: Arc<EdgeState>) -> Self {
        Self { state, partner: None }
    }

    /// The layer of the partner endpoint: the same, then `gate`.
    pub fn partner(state: Arc<EdgeState>, gate: Arc<PartnerGate>) -> Self {
        Self { state, partner: Some(gate) }
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge { inner, state: self.state.clone(), partner: self.partner.clone() }
    }
}

/// The service the layer wraps around the router.
#[derive(Clone, Debug)]
pub struct Edge<S> {
    inner: S,
    state: Arc<EdgeState>,
    partner: Option<Arc<PartnerGate>>,
}

fn is_open(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.")
}

fn request_id_of<B>(request: &Request<B>) -> String {
    request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

fn bearer<B>(request: &Request<B>) -> Option<&str> {
    request.headers().get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")
}

impl<S, B> Service<Request<B>> for Edge<S>
where
    S: Service<Request<B>, Response = Response<tonic::body::Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The clone that was driven to readiness is the one to call; keep a fresh clone for next time
        // (https://docs.rs/tower/latest/tower/trait.Service.html#be-careful-when-cloning-inner-services).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let state = self.state.clone();
        let partner = self.partner.clone();

        let request_id = request_id_of(&request);
        let path = request.uri().path().to_string();
        let span = tracing::info_span!("rpc", otel.name = %path, otel.kind = "server", request_id = %request_id,
            rpc.code = tracing::field::Empty);
        crate::telemetry::continue_trace_from_headers(&span, request.headers());
        let header = HeaderValue::from_str(&request_id).ok();

        let refused = |status: Status, header: Option<HeaderValue>| {
            let mut response: Response<tonic::body::Body> = status.into_http();
            if let Some(h) = header {
                response.headers_mut().insert(REQUEST_ID, h);
            }
            response
        };

        Box::pin(
            async move {
                let started = Instant::now();
                let _permit = if is_open(&path) {
                    None
                } else {
                    if !state.ready.load(Ordering::Acquire) {
                        return Ok(refused(Status::unavailable("service is starting"), header));
                    }
                    let Ok(permit) = state.permits.clone().try_acquire_owned() else {
                        tracing::warn!("load shed: concurrency limit reached");
                        return Ok(refused(Status::resource_exhausted("server overloaded; retry later"), header));
                    };
                    let Some(token) = bearer(&request) else {
                        return Ok(refused(Status::unauthenticated("missing bearer token"), header));
                    };
                    let principal = match state.auth.authenticate(token) {
                        Ok(p) => p,
                        Err(e) => {
                            tracing::info!(reason = %e, "unauthenticated");
                            return Ok(refused(Status::unauthenticated(e.0), header));
                        }
                    };
                    if let (Role::Service, Tenant::Service(caller)) = (principal.role, &principal.tenant)
                        && !graph::service_may_call(caller, &state.service, &path)
                    {
                        return Ok(refused(
                            Status::permission_denied(format!("service {caller} may not call {path}")),
                            header,
                        ));
                    }
                    if let Some(gate) = &partner
                        && let Err(status) = gate.admit(&principal, &request)
                    {
                        tracing::info!(reason = %status.message(), "refused at the partner endpoint");
                        return Ok(refused(status, header));
                    }
                    request.extensions_mut().insert(principal);
                    Some(permit)
                };
                let mut response = inner.call(request).await?;
                if let Some(h) = header {
                    response.headers_mut().insert(REQUEST_ID, h);
                }
                // Trailers-only responses (errors) carry grpc-status in the headers.
                let code =
                    response.headers().get("grpc-status").and_then(|v| v.to_str().ok()).unwrap_or("0").to_string();
                tracing::Span::current().record("rpc.code", code.as_str());
                let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
                crate::metrics::rpc_handled(&path, &code, elapsed_ms);
                if code == "0" {
                    tracing::debug!(elapsed_ms, "handled");
                } else {
                    tracing::info!(elapsed_ms, grpc.code = %code, "handled with error");
                }
                Ok(response)
            }
            .instrument(span),
        )
    }
}

/// The principal the edge attached to a request (handlers call this first).
pub fn principal<T>(request: &tonic::Request<T>) -> Result<crate::auth::Principal, Status> {
    request
        .extensions()
        .get::<crate::auth::Principal>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("missing bearer token"))
}
