//! Supplier: the OEM's suppliers (供应商) — who they are, whom to contact and whether the OEM still buys from
//! them — and the claims (索赔) the OEM raises against them, followed by the suppliers' own systems over gRPC.
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the supplier, its code, its contacts, its status; the claim and its lifecycle.
//! - [`api`]: the gRPC services (`SupplierService`, `ClaimService`, `ScorecardService`): caller checks, request
//!   parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows; who sees which supplier and claim; the
//!   supplier's claim stream.
//! - [`feeds`]: escalation's and parts' events that draft claims, and the engine's clock verdicts scorecards count.
//! - [`store`]: tables, the repositories, migrations.
//! - [`convert`]: domain → proto for responses, events and the stored claim record.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod feeds;
pub mod store;

use std::future::Future;

use aftersales_proto::supplier::v1::claim_service_server::ClaimServiceServer;
use aftersales_proto::supplier::v1::scorecard_service_server::ScorecardServiceServer;
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
    let currency = aftersales_kernel::Currency::parse(&settings.supplier.claim_currency)
        .map_err(|e| anyhow::anyhow!("supplier.claim_currency: {e}"))?;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Suppliers::new(ctx.db.clone(), ctx.clock.clone());
    let claims = app::claims::Claims::new(ctx.db.clone(), ctx.clock.clone(), currency);
    host.add_service(
        SupplierServiceServer::new(api::SupplierApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    let claim_api = api::claims::ClaimApi::new(claims.clone(), host.feed_head(), ctx.shutdown.clone());
    host.add_service(
        ClaimServiceServer::new(claim_api)
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    let scorecards = app::scorecards::Scorecards::new(
        ctx.db.clone(),
        ctx.settings.supplier.acknowledgement_policy.clone(),
        ctx.settings.supplier.solution_policy.clone(),
    );
    host.add_service(ScorecardServiceServer::new(api::scorecards::ScorecardApi::new(scorecards.clone())));
    host.follow("escalation", feeds::Feed::escalation(app.clone(), claims.clone(), scorecards.clone()));
    host.follow("parts", feeds::Feed::parts(app, claims, scorecards));
    host.run::<store::Migrator>(shutdown).await
}
