//! Supplier: the OEM's suppliers (供应商) — who they are, whom to contact and whether the OEM still buys from
//! them (and, as the suite grows, their claims and scorecards).
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the supplier, its code, its contacts, its status.
//! - [`api`]: the gRPC service: caller checks, request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows; who sees which supplier.
//! - [`store`]: tables, the repository, migrations.
//! - [`convert`]: domain → proto for responses and events.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod store;

use std::future::Future;

use aftersales_proto::supplier::v1::supplier_service_server::SupplierServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Serves the supplier service on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Suppliers::new(ctx.db.clone(), ctx.clock.clone());
    host.add_service(
        SupplierServiceServer::new(api::SupplierApi::new(app))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.run::<store::Migrator>(shutdown).await
}
