//! `aftersales health`: asks each service's gRPC health service about the server as a whole (service name "")
//! and prints NAME PORT STATUS; exit code 0 only if every service asked is SERVING.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use futures::future::join_all;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use super::Outcome;
use crate::connect::{self, Global, Target};
use crate::output::{self, Failure};

/// Longest wait for one health answer.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Arguments of `aftersales health`.
#[derive(clap::Args, Debug)]
pub struct HealthArgs {
    /// Check only this service.
    #[arg(long, value_parser = connect::service_names())]
    service: Option<String>,
}

/// What one service said.
enum Health {
    /// It answered with this status name (`SERVING`, `NOT_SERVING`, ...).
    Status(String),
    /// It did not answer.
    Down(String),
}

/// Checks the services at once and prints the table.
pub async fn run(global: &Global, args: HealthArgs) -> Outcome {
    let names = match &args.service {
        Some(name) => vec![name.clone()],
        None => connect::service_names().into_iter().map(String::from).collect(),
    };
    let targets = names.iter().map(|name| global.target(name)).collect::<Result<Vec<_>, _>>()?;
    let results = join_all(targets.iter().map(check)).await;

    let all_serving = results.iter().all(|h| matches!(h, Health::Status(s) if s == "SERVING"));
    if global.json {
        for (target, health) in targets.iter().zip(&results) {
            let (status, reason) = match health {
                Health::Status(status) => (status.as_str(), None),
                Health::Down(reason) => ("DOWN", Some(reason.as_str())),
            };
            let row = serde_json::json!({
                "name": target.service, "port": target.port, "status": status, "reason": reason,
            });
            output::line(&row.to_string());
        }
    } else {
        output::line(&format!("{:<12} {:<6} STATUS", "NAME", "PORT"));
        for (target, health) in targets.iter().zip(&results) {
            let status = match health {
                Health::Status(status) => status.clone(),
                Health::Down(reason) => format!("DOWN: {reason}"),
            };
            output::line(&format!("{:<12} {:<6} {status}", target.service, target.port));
        }
    }
    Ok(if all_serving { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

async fn check(target: &Target) -> Health {
    let channel = match connect::channel(target, true).await {
        Ok(channel) => channel,
        Err(Failure::Down { reason, .. }) => return Health::Down(reason),
        Err(other) => return Health::Down(other.render().trim().to_string()),
    };
    let mut request = tonic::Request::new(HealthCheckRequest { service: String::new() });
    request.set_timeout(CHECK_TIMEOUT);
    match HealthClient::new(channel).check(request).await {
        Ok(response) => Health::Status(
            ServingStatus::try_from(response.into_inner().status)
                .map(|s| s.as_str_name().to_string())
                .unwrap_or_else(|_| "UNKNOWN".into()),
        ),
        Err(status) => Health::Down(format!("{}: {}", output::code_name(status.code()), status.message())),
    }
}
