//! Escalation: the OEM's complaint and problem desk. Owns cases and the SLA engine — policies as versioned data,
//! clocks driven by the other services' events, the scheduler, breaches and ladders (and, as the suite grows, root
//! cause, responsibility and KPIs).
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the case, where it came from, its severity and its life cycle; contact; serial/VIN;
//!   the SLA engine's policies and clocks (`domain::sla`).
//! - [`schema`]: the suite's events read field by field through their descriptors; [`policies`]: the defaults.
//! - [`feeds`]: every followed feed's events handed to the engine (`app::engine`); `app::scheduler` fires clocks.
//! - [`api`]: the gRPC service: caller checks (role and dealer), request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows.
//! - [`store`]: the `cases` table, its repository, migrations.
//! - [`convert`]: domain → proto for responses and events (`CaseOpened`, without personal data).
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod feeds;
pub mod policies;
pub mod schema;
pub mod store;

use std::future::Future;

use aftersales_proto::escalation::v1::case_report_service_server::CaseReportServiceServer;
use aftersales_proto::escalation::v1::case_service_server::CaseServiceServer;
use aftersales_proto::escalation::v1::clock_service_server::ClockServiceServer;
use aftersales_proto::escalation::v1::emergency_service_server::EmergencyServiceServer;
use aftersales_proto::escalation::v1::policy_service_server::PolicyServiceServer;
use aftersales_proto::escalation::v1::responsibility_service_server::ResponsibilityServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Counts the open clocks for the `aftersales.clock.open` gauge at the metrics export interval, until shutdown (only
/// when metrics are exported).
async fn count_open_clocks(ctx: aftersales_runtime::server::ServiceContext) {
    if ctx.settings.telemetry.otlp_endpoint.is_empty() {
        return;
    }
    let every = std::time::Duration::from_millis(ctx.settings.telemetry.metrics_interval_ms.max(100));
    loop {
        match store::sla::open_count(ctx.db.reader()).await {
            Ok(open) => aftersales_runtime::metrics::set_open_clocks(open),
            Err(e) => tracing::warn!(error = %e, "could not count the open clocks"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = ctx.shutdown.cancelled() => return,
        }
    }
}

/// Serves escalation on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let settings_routing = settings.escalation.case_routing.clone();
    let settings_repeat_days = settings.escalation.repeat_window_days;
    let report_zone: chrono_tz::Tz = settings.escalation.report_time_zone.parse().map_err(|_| {
        anyhow::anyhow!(
            "escalation.report_time_zone {:?} is not an IANA time zone",
            settings.escalation.report_time_zone
        )
    })?;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let schema = std::sync::Arc::new(schema::EventSchema::load()?);
    let engine = app::engine::Engine::new(ctx.db.clone(), ctx.clock.clone(), schema);
    let routing = std::sync::Arc::new(routing(&settings_routing)?);
    let window = domain::RepeatWindow::days(settings_repeat_days);
    let app = app::Escalation::new(ctx.db.clone(), ctx.clock.clone(), engine.clone(), routing, window);
    host.add_service(
        CaseReportServiceServer::new(api::CaseReportApi::new(app.clone(), report_zone))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        EmergencyServiceServer::new(api::EmergencyApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        ResponsibilityServiceServer::new(api::ResponsibilityApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        CaseServiceServer::new(api::CaseApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        PolicyServiceServer::new(api::PolicyApi::new(engine.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    let clocks = api::ClockApi::new(engine.clone(), host.feed_head(), ctx.shutdown.clone());
    host.add_service(
        ClockServiceServer::new(clocks).max_decoding_message_size(max_message).max_encoding_message_size(max_message),
    );
    host.follow("reception", feeds::ReceptionFeed::new(app.clone()));
    for producer in ["workshop", "parts", "supplier"] {
        host.follow(producer, feeds::ClockFeed::new(engine.clone()));
    }
    host.spawn_after_migrations(move |ctx| async move {
        if let Err(e) = engine.start_up().await {
            tracing::error!(error = %e, "the SLA engine could not publish its default policies");
        }
        app::scheduler::run(engine, ctx.clock.clone(), ctx.shutdown.clone()).await
    });
    host.spawn_after_migrations(count_open_clocks);
    host.run::<store::Migrator>(shutdown).await
}

/// The case routing: the file `escalation.case_routing` names, else the one compiled in.
fn routing(path: &str) -> anyhow::Result<domain::routing::Routing> {
    let text = if path.is_empty() {
        include_str!("../../../config/cases/routing.toml").to_string()
    } else {
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("escalation.case_routing {path}: {e}"))?
    };
    domain::routing::Routing::from_toml(&text).map_err(|e| anyhow::anyhow!("escalation.case_routing: {e}"))
}
