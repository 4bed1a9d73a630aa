//! Workshop: the OEM operation catalogue, technicians (training, skills, shifts), dealer workshop settings, and
//! jobs — queued from reception's approved orders, assigned (suggestion, foreman override, automatic), worked
//! (clock on/off, progress, delays, additional work), self-checked, inspected with the rework loop, washed and
//! ready — with the workshop KPIs.
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the job an approved order becomes, the catalogue's operations.
//! - [`api`]: the gRPC services (jobs, operation catalogue, technicians): caller checks, request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows.
//! - [`feeds`]: reception's feed → jobs.
//! - [`store`]: tables, the repository, migrations.
//! - [`convert`]: domain → proto for responses and events.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod feeds;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use aftersales_proto::workshop::v1::job_service_server::JobServiceServer;
use aftersales_proto::workshop::v1::operation_catalogue_service_server::OperationCatalogueServiceServer;
use aftersales_proto::workshop::v1::technician_service_server::TechnicianServiceServer;
use aftersales_proto::workshop::v1::workshop_settings_service_server::WorkshopSettingsServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Serves workshop on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Workshop::new(ctx.db.clone(), ctx.clock.clone());
    host.add_service(
        JobServiceServer::new(api::JobApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        OperationCatalogueServiceServer::new(api::OperationCatalogueApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        TechnicianServiceServer::new(api::TechnicianApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        WorkshopSettingsServiceServer::new(api::WorkshopSettingsApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.follow("reception", Arc::new(feeds::ReceptionFeed::new(app)));
    host.run::<store::Migrator>(shutdown).await
}
