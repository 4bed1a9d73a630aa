//! The supplier service binary.

use aftersales_runtime::Settings;
use aftersales_runtime::server::shutdown_signal;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load("supplier")?;
    let _telemetry = aftersales_runtime::telemetry::init("supplier", &settings.telemetry);
    let listener = tokio::net::TcpListener::bind((settings.server.host.as_str(), settings.server.port)).await?;
    aftersales_supplier::serve(settings, listener, shutdown_signal()).await
}
