//! `aftersales workshop settings|operations`: a dealer's workshop settings (read, or change with the etag read
//! just before, as dealer_manager) and the OEM operation catalogue jobs are planned against (read, or add an
//! operation as oem_manager).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_kernel::Hundredths;
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient;
use aftersales_proto::workshop::v1::workshop_settings_service_client::WorkshopSettingsServiceClient;
use aftersales_proto::workshop::v1::{
    CreateOperationRequest, GetWorkshopSettingsRequest, ListOperationsRequest, UpdateWorkshopSettingsRequest,
};
use aftersales_runtime::auth::Role;

use super::token::CallerArgs;
use super::workshop_view as view;
use super::{Outcome, call, request_id};
use crate::connect::{self, Global, Target};
use crate::output;
use crate::parse;

/// Arguments of `aftersales workshop`.
#[derive(clap::Args, Debug)]
pub struct WorkshopArgs {
    #[command(flatten)]
    caller: CallerArgs,
    #[command(subcommand)]
    command: WorkshopCommand,
}

#[derive(clap::Subcommand, Debug)]
enum WorkshopCommand {
    /// Show --dealer's workshop settings, or change them (as dealer_manager).
    Settings {
        /// Turn automatic assignment on (every job that needs a technician goes at once to the suggested one;
        /// turning it on assigns the waiting jobs) or off (the foreman assigns from `jobs queue`).
        #[arg(long, value_enum)]
        automatic_assignment: Option<Switch>,
        /// Idempotency key of the change (default: a fresh UUIDv7).
        #[arg(long)]
        request_id: Option<String>,
    },
    /// The operation catalogue jobs are planned against: the skill each operation needs.
    #[command(subcommand)]
    Operations(OperationsCommand),
}

#[derive(clap::Subcommand, Debug)]
enum OperationsCommand {
    /// List the catalogue in code order (as oem_manager; every dealer role may read it too).
    List {
        /// Only operations of this skill family.
        #[arg(long, default_value = "")]
        family: String,
        /// Operations per page, 1..=500.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
        /// Page token printed by the previous page.
        #[arg(long, default_value = "")]
        page_token: String,
    },
    /// Add an operation to the catalogue (as oem_manager).
    Add {
        /// Operation code, e.g. ENG-0420.
        code: String,
        /// Name of the operation.
        #[arg(long)]
        name: String,
        /// Skill family a technician needs, e.g. engine.
        #[arg(long)]
        family: String,
        /// Minimum level in that family, 1..=5.
        #[arg(long, value_parser = clap::value_parser!(i32).range(1..=5))]
        level: i32,
        /// Standard hours, e.g. 1.5.
        #[arg(long, value_parser = parse::hours)]
        hours: Hundredths,
        /// Idempotency key (default: a fresh UUIDv7).
        #[arg(long)]
        request_id: Option<String>,
    },
}

#[derive(clap::ValueEnum, Debug, Clone, Copy)]
enum Switch {
    On,
    Off,
}

/// Runs one `workshop` subcommand.
pub async fn run(global: &Global, args: WorkshopArgs) -> Outcome {
    let target = global.target("workshop")?;
    match args.command {
        WorkshopCommand::Settings { automatic_assignment, request_id } => {
            settings(global, &target, &args.caller, automatic_assignment, request_id).await
        }
        WorkshopCommand::Operations(command) => operations(global, &target, &args.caller, command).await,
    }
}

async fn settings(
    global: &Global,
    target: &Target,
    caller: &CallerArgs,
    automatic_assignment: Option<Switch>,
    given: Option<String>,
) -> Outcome {
    let token = caller.token(global, Role::DealerManager)?;
    let mut settings = WorkshopSettingsServiceClient::new(connect::authed(target, &token, true).await?);
    // Dealer staff read their own dealer's; OEM roles name one with --dealer.
    let dealer_id = caller.dealer().unwrap_or_default().to_string();
    let mut current = call(target, settings.get_workshop_settings(GetWorkshopSettingsRequest { dealer_id }).await)?;
    if let Some(switch) = automatic_assignment {
        let request = UpdateWorkshopSettingsRequest {
            request_id: request_id(given),
            etag: current.etag.clone(),
            automatic_assignment: matches!(switch, Switch::On),
        };
        current = call(target, settings.update_workshop_settings(request).await)?;
    }
    if global.json {
        output::line(&view::settings_json(&current).to_string());
    } else {
        output::line(&view::settings_text(&current));
    }
    Ok(ExitCode::SUCCESS)
}

async fn operations(global: &Global, target: &Target, caller: &CallerArgs, command: OperationsCommand) -> Outcome {
    let token = caller.token(global, Role::OemManager)?;
    let mut catalogue = OperationCatalogueServiceClient::new(connect::authed(target, &token, true).await?);
    match command {
        OperationsCommand::List { family, limit, page_token } => {
            let request = ListOperationsRequest {
                page: Some(PageRequest { page_size: limit, page_token }),
                skill_family: family,
            };
            let response = call(target, catalogue.list_operations(request).await)?;
            if global.json {
                for op in &response.operations {
                    output::line(&view::operation_json(op).to_string());
                }
            } else {
                output::line(&view::operations_table(&response.operations));
            }
            if let Some(next) = response.page.filter(|p| !p.next_page_token.is_empty()) {
                eprintln!("(more: --page-token {})", next.next_page_token);
            }
        }
        OperationsCommand::Add { code, name, family, level, hours, request_id: given } => {
            let request = CreateOperationRequest {
                request_id: request_id(given),
                code,
                name,
                skill_family: family,
                minimum_level: level,
                standard_hours_hundredths: hours.as_hundredths(),
            };
            let op = call(target, catalogue.create_operation(request).await)?;
            if global.json {
                output::line(&view::operation_json(&op).to_string());
            } else {
                output::line(&view::operation_text(&op));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
