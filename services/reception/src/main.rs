//! The reception service binary.

use aftersales_runtime::Settings;
use aftersales_runtime::server::shutdown_signal;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load("reception")?;
    let _telemetry = aftersales_runtime::telemetry::init("reception", &settings.telemetry);
    let listener = tokio::net::TcpListener::bind((settings.server.host.as_str(), settings.server.port)).await?;
    aftersales_reception::serve(settings, listener, shutdown_signal()).await
}
