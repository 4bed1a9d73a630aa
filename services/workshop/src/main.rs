//! The workshop service binary.

use aftersales_runtime::Settings;
use aftersales_runtime::server::shutdown_signal;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load("workshop")?;
    let _telemetry = aftersales_runtime::telemetry::init("workshop", &settings.telemetry);
    let listener = tokio::net::TcpListener::bind((settings.server.host.as_str(), settings.server.port)).await?;
    aftersales_workshop::serve(settings, listener, shutdown_signal()).await
}
