//! Escalation: the OEM's complaint and problem desk. Owns cases (and, as the suite grows, SLA policies and
//! clocks, escalations, root cause, responsibility and KPIs).
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the case, where it came from, its severity and its life cycle; contact; serial/VIN.
//! - [`api`]: the gRPC service: caller checks (role and dealer), request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows.
//! - [`store`]: the `cases` table, its repository, migrations.
//! - [`convert`]: domain → proto for responses and events (`CaseOpened`, without personal data).
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod policies;
pub mod schema;
pub mod store;

use std::future::Future;

use aftersales_proto::escalation::v1::case_service_server::CaseServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Serves escalation on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Escalation::new(ctx.db.clone(), ctx.clock.clone());
    host.add_service(
        CaseServiceServer::new(api::CaseApi::new(app))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.run::<store::Migrator>(shutdown).await
}
