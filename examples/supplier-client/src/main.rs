//! `supplier-client`: follows a supplier's claims and acknowledges new ones (see the crate's documentation).

use std::path::PathBuf;
use std::time::Duration;

use aftersales_supplier_client::{Options, TlsFiles, run};
use clap::Parser;

/// Follows this supplier's claims on the OEM's supplier service and acknowledges each new one.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The supplier service.
    #[arg(long, env = "AFTERSALES_SUPPLIER_ENDPOINT", default_value = "http://127.0.0.1:50055")]
    endpoint: String,
    /// The supplier's bearer token (role `supplier`, its supplier id).
    #[arg(long, env = "AFTERSALES_SUPPLIER_TOKEN", hide_env_values = true)]
    token: String,
    /// Where the cursor of the last change handled is kept.
    #[arg(long, default_value = "supplier-client.cursor")]
    cursor_file: PathBuf,
    /// Days ahead the client commits to propose a solution (1..=90).
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(i64).range(1..=90))]
    commit_days: i64,
    /// Stop once no change arrived for this many seconds (default: follow forever).
    #[arg(long)]
    exit_when_idle_seconds: Option<u64>,
    /// Mutual TLS (the partner endpoint, an https:// endpoint): the CA that issued the endpoint's certificate, PEM.
    #[arg(long, requires_all = ["cert_file", "key_file"])]
    ca_file: Option<PathBuf>,
    /// The supplier's client certificate, PEM.
    #[arg(long, requires = "ca_file")]
    cert_file: Option<PathBuf>,
    /// Its private key, PEM.
    #[arg(long, requires = "ca_file")]
    key_file: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let options = Options {
        endpoint: args.endpoint,
        token: args.token,
        cursor_file: args.cursor_file,
        commit_days: args.commit_days,
        idle_exit: args.exit_when_idle_seconds.map(Duration::from_secs),
        tls: match (args.ca_file, args.cert_file, args.key_file) {
            (Some(ca_file), Some(cert_file), Some(key_file)) => Some(TlsFiles { ca_file, cert_file, key_file }),
            _ => None,
        },
    };
    let summary = run(&options).await?;
    println!(
        "{} changes handled, {} claims acknowledged, cursor {}",
        summary.changes,
        summary.acknowledged.len(),
        summary.cursor
    );
    Ok(())
}
