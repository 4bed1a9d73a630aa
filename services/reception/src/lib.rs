//! Reception: the dealer's front desk. Owns repair orders (and, as the suite grows, the dealer directory,
//! customers, appointments, settlement and follow-up).
//!
//! # Layout
//! - `main.rs`: reads settings, starts telemetry, calls [`serve`].
//! - [`domain`]: the rules — the repair order, its estimate, consent and state machine.
//! - [`api`]: the gRPC service: caller checks, request parsing, rendering.
//! - [`app`]: use cases, each one transaction with its outbox rows.
//! - [`feeds`]: workshop's feed → orders in the workshop.
//! - [`store`]: tables, the repository, migrations.
//! - [`convert`]: domain → proto for responses and events.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod convert;
pub mod domain;
pub mod feeds;
pub mod parts_feed;
pub mod store;

use std::future::Future;
use std::sync::Arc;

use aftersales_proto::reception::v1::appointment_service_server::AppointmentServiceServer;
use aftersales_proto::reception::v1::check_in_service_server::CheckInServiceServer;
use aftersales_proto::reception::v1::customer_service_server::CustomerServiceServer;
use aftersales_proto::reception::v1::directory_service_server::DirectoryServiceServer;
use aftersales_proto::reception::v1::inquiry_service_server::InquiryServiceServer;
use aftersales_proto::reception::v1::reception_kpi_service_server::ReceptionKpiServiceServer;
use aftersales_proto::reception::v1::repair_order_service_server::RepairOrderServiceServer;
use aftersales_proto::reception::v1::settlement_service_server::SettlementServiceServer;
use aftersales_proto::reception::v1::vehicle_service_server::VehicleServiceServer;
use aftersales_runtime::Settings;
use aftersales_runtime::server::ServiceHost;
use tokio::net::TcpListener;

/// Serves reception on `listener` until `shutdown` completes.
pub async fn serve(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let max_message = settings.server.max_message_bytes;
    let rules = settings.reception.clone();
    let mut host = ServiceHost::new(settings, listener).await?;
    let ctx = host.context().clone();
    let app = app::Reception::new(ctx.db.clone(), ctx.clock.clone(), &rules);
    host.add_service(
        RepairOrderServiceServer::new(api::RepairOrderApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        DirectoryServiceServer::new(api::DirectoryApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        AppointmentServiceServer::new(api::AppointmentApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        CheckInServiceServer::new(api::CheckInApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        CustomerServiceServer::new(api::CustomerApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        VehicleServiceServer::new(api::VehicleApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        InquiryServiceServer::new(api::InquiryApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        ReceptionKpiServiceServer::new(api::ReceptionKpiApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.add_service(
        SettlementServiceServer::new(api::SettlementApi::new(app.clone()))
            .max_decoding_message_size(max_message)
            .max_encoding_message_size(max_message),
    );
    host.follow("workshop", Arc::new(feeds::WorkshopFeed::new(app.clone())));
    host.follow("parts", Arc::new(parts_feed::PartsFeed::new(app)));
    host.run::<store::Migrator>(shutdown).await
}
