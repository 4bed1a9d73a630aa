//! `aftersales`: the suite's command line.
//!
//! Dev tokens (`token`, `dealer-id`), the health of the five services (`health`), their event feeds (`events`),
//! repair orders at reception (`orders`), and the workshop: jobs through their whole life (`jobs`), the
//! technicians who work them (`technicians`), and a dealer's settings and the operation catalogue (`workshop`).
//! Calls carry `--token`, or a dev token minted on the spot with the dev key under `--data-dir`, so every command
//! works right after `make run`.
//!
//! # Layout
//!
//! - `connect`: where a service listens, the channel, the bearer interceptor.
//! - `output`: failures and exit codes (0 ok, 1 call failed, 2 usage), rich error details, money, hours, times.
//! - `parse`: the command line's own syntax (decimal money, line specs): pure and unit-tested.
//! - `commands`: one module per command.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod connect;
mod output;
mod parse;

/// The after-sales suite from the command line.
#[derive(Parser, Debug)]
#[command(name = "aftersales", version, about)]
struct Cli {
    #[command(flatten)]
    global: connect::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print a dev token for a role (signed with <data-dir>/keys/dev-user.pem).
    Token(commands::token::TokenArgs),
    /// Print a fresh dealer id (UUIDv7) to use with --dealer.
    DealerId,
    /// Check the services' gRPC health; exit code 0 only if all are SERVING.
    Health(commands::health::HealthArgs),
    /// Read a service's event feed (as oem_manager unless --token or --role say otherwise).
    Events(commands::events::EventsArgs),
    /// Repair orders at reception (as service_advisor of --dealer).
    Orders(commands::orders::OrdersArgs),
    /// Workshop jobs of --dealer: queue, assign, work, quality, wash, KPIs (each as the role that makes the call).
    Jobs(commands::jobs::JobsArgs),
    /// The workshop's technicians of --dealer: register, train, shifts.
    Technicians(commands::technicians::TechniciansArgs),
    /// A dealer's workshop settings and the operation catalogue.
    Workshop(commands::workshop::WorkshopArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return output::Failure::Other(format!("cannot start tokio: {e}")).report(),
    };
    let global = cli.global;
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Token(args) => commands::token::run(&global, args),
            Command::DealerId => commands::token::dealer_id(),
            Command::Health(args) => commands::health::run(&global, args).await,
            Command::Events(args) => commands::events::run(&global, args).await,
            Command::Orders(args) => commands::orders::run(&global, args).await,
            Command::Jobs(args) => commands::jobs::run(&global, args).await,
            Command::Technicians(args) => commands::technicians::run(&global, args).await,
            Command::Workshop(args) => commands::workshop::run(&global, args).await,
        }
    });
    result.unwrap_or_else(|failure| failure.report())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks its definition only when a subcommand is used; this checks them all at once.
    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
