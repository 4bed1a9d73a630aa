//! Parts: the OEM part catalogue (配件目录) — what every part number is, what it fits, what it costs, its
//! warranty and what replaces it —, dealers' warehouses and bins, the stock ledger (库存台账): immutable
//! movements, balances that never go negative, oldest batch first —, requisitions by job, reservations, and
//! purchasing from the suppliers the supplier service approves.
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the catalogue entry and its warranty, stock, requisitions, reservations, purchasing
//!   (who a part may be bought from, orders, plans).
//! - [`api`]: the gRPC services: caller checks, request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows.
//! - [`feeds`]: what parts follows — reception's approved and cancelled orders, workshop's jobs, and the supplier
//!   service's `SupplierStatusChanged`, copied onto the approved-supplier list (parts sets no supplier status
//!   itself).
//! - [`store`]: the tables, the repositories, migrations.
//! - [`convert`]: domain → proto for responses and events.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod feeds;
pub mod store;

use std::future::Future;

use aftersales_proto::parts::v1::part_catalogue_service_server::PartCatalogueServiceServer;
use aftersales_proto::parts::v1::purchase_order_service_server::PurchaseOrderServiceServer;
use aftersales_proto::parts::v1::purchasing_service_server::PurchasingServiceServer;
use aftersales_proto::parts::v1::requisition_service_server::RequisitionServiceServer;
use aftersales_proto::parts::v1::stock_count_service_server::StockCountServiceServer;
use aftersales_proto::parts::v1::stock_service_server::StockServiceServer;
use aftersales_proto::parts::v1::transfer_service_server::TransferServiceServer;
use aftersales_proto::parts::v1::warehouse_service_server::WarehouseServiceServer;
use aftersales_proto::parts::v1::warranty_service_server::WarrantyServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Serves parts on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Parts::new(ctx.db.clone(), ctx.clock.clone());
    host.add_service(
        PartCatalogueServiceServer::new(api::PartCatalogueApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        WarehouseServiceServer::new(api::WarehouseApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        StockCountServiceServer::new(api::StockCountApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        RequisitionServiceServer::new(api::RequisitionApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        WarrantyServiceServer::new(api::WarrantyApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        TransferServiceServer::new(api::TransferApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        StockServiceServer::new(api::StockApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        PurchasingServiceServer::new(api::PurchasingApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        PurchaseOrderServiceServer::new(api::PurchaseOrderApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.follow("reception", feeds::Feed::reception(app.clone()));
    host.follow("workshop", feeds::Feed::workshop(app.clone()));
    host.follow("supplier", feeds::Feed::supplier(app));
    host.run::<store::Migrator>(shutdown).await
}
