//! The host every service runs in: settings in, a serving gRPC server out.
//!
//! A service builds a [`ServiceHost`] from its settings and a bound listener, adds its own gRPC services and the
//! feeds it follows, and calls [`ServiceHost::run`]. The host adds what every service has (health, reflection v1
//! and v1alpha, the event feed, the dev clock admin), serves NOT_SERVING while migrations run, starts the outbox
//! relay and the consumers, and on shutdown drains (NOT_SERVING for `server.drain_ms`), ends streams and waits for
//! calls in flight.

pub mod edge;
pub mod partner;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use aftersales_proto::common::v1::clock_admin_service_server::ClockAdminServiceServer;
use aftersales_proto::common::v1::event_feed_service_server::EventFeedServiceServer;
use anyhow::Context as _;
use sea_orm_migration::MigratorTrait;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tonic::server::NamedService;
use tonic::service::RoutesBuilder;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use crate::auth::keys::KeySet;
use crate::auth::{Authenticator, ServiceAuth, ServiceTokens};
use crate::clock::{ManualClock, SharedClock, SystemClock};
use crate::clock_admin::ClockAdmin;
use crate::db::Db;
use crate::outbox::consumer::{Consumer, EventHandler};
use crate::outbox::feed_service::FeedService;
use crate::outbox::relay::{FeedHead, Relay};
use crate::settings::{ClockMode, Settings};
use edge::{EdgeLayer, EdgeState};

/// What a service's handlers and use cases share.
#[derive(Clone, Debug)]
pub struct ServiceContext {
    /// The service's name.
    pub name: String,
    /// Its settings.
    pub settings: Arc<Settings>,
    /// Its database.
    pub db: Db,
    /// Its clock.
    pub clock: SharedClock,
    /// Cancelled when the service stops (background tasks and streams watch it).
    pub shutdown: CancellationToken,
    /// Tokens for calls to other services.
    pub service_tokens: Arc<ServiceTokens>,
}

impl ServiceContext {
    /// An interceptor that authenticates this service to a peer.
    pub fn service_auth(&self) -> ServiceAuth {
        ServiceAuth::new(self.service_tokens.clone())
    }
}

/// A background task started once migrations are done.
type BackgroundTask = Box<dyn FnOnce(ServiceContext) -> futures::future::BoxFuture<'static, ()> + Send>;

/// A service being assembled, then run.
pub struct ServiceHost {
    context: ServiceContext,
    listener: TcpListener,
    routes: RoutesBuilder,
    names: Vec<&'static str>,
    edge: Arc<EdgeState>,
    head: FeedHead,
    consumers: Vec<Consumer>,
    background: Vec<BackgroundTask>,
}

impl std::fmt::Debug for ServiceHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceHost").field("name", &self.context.name).field("services", &self.names).finish()
    }
}

impl ServiceHost {
    /// Connects the database, resolves keys and the clock. Serves nothing yet.
    pub async fn new(settings: Settings, listener: TcpListener) -> anyhow::Result<ServiceHost> {
        crate::failpoints::arm(&settings.failpoints.abort);
        let name = settings.service.name.clone();
        let keys = KeySet::resolve(&settings).context("auth keys")?;
        let authenticator =
            Authenticator::new(&keys, &settings.auth.issuer, &settings.auth.audience, settings.auth.leeway_seconds)
                .map_err(|e| anyhow::anyhow!("auth: {e}"))?;
        let service_tokens = Arc::new(ServiceTokens::new(&name, &settings.auth.audience, keys.own_private.clone()));
        let clock: SharedClock = match settings.clock.mode {
            ClockMode::System => Arc::new(SystemClock),
            ClockMode::Manual => {
                let start = settings.clock.start_time().map_err(anyhow::Error::msg)?.unwrap_or_else(chrono::Utc::now);
                Arc::new(ManualClock::new(start))
            }
        };
        let db = Db::connect(&settings.database).await.map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
        let edge = Arc::new(EdgeState {
            service: name.clone(),
            auth: Arc::new(authenticator),
            ready: Default::default(),
            permits: Arc::new(Semaphore::new(settings.server.concurrency_limit)),
        });
        let context = ServiceContext {
            name,
            settings: Arc::new(settings),
            db,
            clock,
            shutdown: CancellationToken::new(),
            service_tokens,
        };
        Ok(ServiceHost {
            context,
            listener,
            routes: RoutesBuilder::default(),
            names: Vec::new(),
            edge,
            head: FeedHead::new(),
            consumers: Vec::new(),
            background: Vec::new(),
        })
    }

    /// What handlers need.
    pub fn context(&self) -> &ServiceContext {
        &self.context
    }

    /// The port actually bound (tests bind port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// Adds one of the service's gRPC services; health reports it by name.
    pub fn add_service<S>(&mut self, service: S) -> &mut Self
    where
        S: tower::Service<
                http::Request<tonic::body::Body>,
                Response = http::Response<tonic::body::Body>,
                Error = std::convert::Infallible,
            > + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        self.names.push(S::NAME);
        self.routes.add_service(service);
        self
    }

    /// Follows another service's feed with `handler`, starting once migrations are done.
    pub fn follow(&mut self, producer: &'static str, handler: Arc<dyn EventHandler>) -> &mut Self {
        self.consumers.push(Consumer::new(producer, handler));
        self
    }

    /// The head of this service's own feed: it rises as the relay numbers committed events (a stream of the
    /// service's events watches it).
    pub fn feed_head(&self) -> crate::outbox::relay::FeedHead {
        self.head.clone()
    }

    /// Runs `task` in the background once migrations are done (e.g. a scheduler); it should end when the context's
    /// `shutdown` is cancelled.
    pub fn spawn_after_migrations<F, Fut>(&mut self, task: F) -> &mut Self
    where
        F: FnOnce(ServiceContext) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.background.push(Box::new(move |ctx| Box::pin(task(ctx))));
        self
    }

    /// Serves until `shutdown` completes, then drains and stops.
    pub async fn run<M: MigratorTrait>(mut self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let ctx = self.context.clone();
        let settings = ctx.settings.clone();
        let max_message = settings.server.max_message_bytes;

        let (health, health_service) = tonic_health::server::health_reporter();
        let mut all_names = self.names.clone();
        all_names.push(<EventFeedServiceServer<FeedService> as NamedService>::NAME);
        all_names.push(<ClockAdminServiceServer<ClockAdmin> as NamedService>::NAME);
        set_health(&health, &all_names, ServingStatus::NotServing).await;

        let feed = FeedService::new(ctx.clone(), self.head.clone());
        self.routes
            .add_service(
                EventFeedServiceServer::new(feed)
                    .max_decoding_message_size(max_message)
                    .max_encoding_message_size(max_message),
            )
            .add_service(ClockAdminServiceServer::new(ClockAdmin::new(ctx.clock.clone())))
            .add_service(health_service)
            .add_service(reflection_v1()?)
            .add_service(reflection_v1alpha()?);

        let stop_serving = CancellationToken::new();
        let port = self.port();
        let routes = self.routes.routes();
        let incoming = TcpIncoming::from(self.listener).with_nodelay(Some(true));
        let server = Server::builder()
            .timeout(Duration::from_millis(settings.server.request_timeout_ms))
            .layer(EdgeLayer::new(self.edge.clone()))
            .add_routes(routes.clone())
            .serve_with_incoming_shutdown(incoming, stop_serving.clone().cancelled_owned());
        let mut server = tokio::spawn(server);
        let partner = if settings.partner.enabled {
            let listener = TcpListener::bind((settings.partner.host.as_str(), settings.partner.port))
                .await
                .with_context(|| format!("partner.port {}", settings.partner.port))?;
            let partner_port = listener.local_addr()?.port();
            let server = Server::builder()
                .tls_config(partner::tls_config(&settings.partner)?)?
                .timeout(Duration::from_millis(settings.server.request_timeout_ms))
                .layer(EdgeLayer::partner(self.edge.clone(), partner::PartnerGate::new(&settings.partner)))
                .add_routes(routes)
                .serve_with_incoming_shutdown(
                    TcpIncoming::from(listener).with_nodelay(Some(true)),
                    stop_serving.clone().cancelled_owned(),
                );
            tracing::info!(port = partner_port, "partner endpoint (mutual TLS)");
            Some((tokio::spawn(server), partner_port))
        } else {
            None
        };

        // Health answers NOT_SERVING while the schema is brought up to date.
        if let Err(e) = ctx.db.migrate::<M>().await {
            stop_serving.cancel();
            return Err(anyhow::anyhow!("migrations failed: {e}"));
        }
        let relay = Relay::new(ctx.clone(), self.head.clone());
        let mut tasks = vec![tokio::spawn(relay.run())];
        for consumer in self.consumers.drain(..) {
            tasks.push(tokio::spawn(consumer.run(ctx.clone())));
        }
        for task in self.background.drain(..) {
            tasks.push(tokio::spawn(task(ctx.clone())));
        }
        self.edge.ready.store(true, Ordering::Release);
        set_health(&health, &all_names, ServingStatus::Serving).await;
        let address_file = announce(&settings, &settings.service.name, "http", port);
        let partner_file = partner
            .as_ref()
            .and_then(|(_, port)| announce(&settings, &format!("{}.partner", settings.service.name), "https", *port));
        tracing::info!(service = %ctx.name, port, "serving");

        let served_until_error = tokio::select! {
            _ = shutdown => None,
            result = &mut server => Some(result),
        };
        if let Some(result) = served_until_error {
            ctx.shutdown.cancel();
            return match result {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(anyhow::anyhow!("server failed: {e}")),
                Err(e) => Err(anyhow::anyhow!("server task failed: {e}")),
            };
        }

        for file in address_file.iter().chain(&partner_file) {
            let _ = std::fs::remove_file(file);
        }
        tracing::info!(service = %ctx.name, drain_ms = settings.server.drain_ms, "draining");
        set_health(&health, &all_names, ServingStatus::NotServing).await;
        tokio::time::sleep(Duration::from_millis(settings.server.drain_ms)).await;
        // Streams and background tasks end; then the listener closes and calls in flight finish.
        ctx.shutdown.cancel();
        stop_serving.cancel();
        let grace = Duration::from_millis(settings.server.shutdown_grace_ms);
        if tokio::time::timeout(grace, &mut server).await.is_err() {
            tracing::warn!("calls still in flight after the grace period; stopping anyway");
            server.abort();
        }
        if let Some((mut partner, _)) = partner
            && tokio::time::timeout(grace, &mut partner).await.is_err()
        {
            partner.abort();
        }
        for task in tasks {
            let _ = tokio::time::timeout(grace, task).await;
        }
        tracing::info!(service = %ctx.name, "stopped");
        Ok(())
    }
}

/// Where a serving service announces its address: `<data_dir>/run/<service>.addr`. Peers configured with an
/// empty URL read it (tests on port 0; several suites on one machine), and its presence means "ready".
pub fn address_file(data_dir: &str, service: &str) -> std::path::PathBuf {
    std::path::Path::new(data_dir).join("run").join(format!("{service}.addr"))
}

/// Writes `<scheme>://<host>:<port>` to the address file of `name` (a service, or `<service>.partner`).
fn announce(settings: &Settings, name: &str, scheme: &str, port: u16) -> Option<std::path::PathBuf> {
    let host = match settings.server.host.as_str() {
        "0.0.0.0" | "::" | "" => "127.0.0.1",
        host => host,
    };
    let file = address_file(&settings.data_dir, name);
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(file.parent().unwrap_or(std::path::Path::new(".")))?;
        let temp = file.with_extension("tmp");
        std::fs::write(&temp, format!("{scheme}://{host}:{port}"))?;
        std::fs::rename(&temp, &file)
    };
    match write() {
        Ok(()) => Some(file),
        Err(e) => {
            tracing::warn!(error = %e, "could not write the address file");
            None
        }
    }
}

async fn set_health(reporter: &HealthReporter, names: &[&'static str], status: ServingStatus) {
    reporter.set_service_status("", status).await;
    for name in names {
        reporter.set_service_status(*name, status).await;
    }
}

fn reflection_v1() -> anyhow::Result<
    tonic_reflection::server::v1::ServerReflectionServer<impl tonic_reflection::server::v1::ServerReflection>,
> {
    Ok(tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(aftersales_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?)
}

fn reflection_v1alpha() -> anyhow::Result<
    tonic_reflection::server::v1alpha::ServerReflectionServer<impl tonic_reflection::server::v1alpha::ServerReflection>,
> {
    Ok(tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(aftersales_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?)
}

/// Completes on SIGTERM or Ctrl-C (SIGINT): what `main` passes to [`ServiceHost::run`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
