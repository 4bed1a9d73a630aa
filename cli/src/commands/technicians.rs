//! `aftersales technicians register|train|shift|list|get`: a dealer's workshop technicians — who they are (the
//! staff subject they act as), what their training earns them, whether they are on shift. Registering and training
//! are the dealer_manager's, shifts the foreman's; each change carries a fresh request id (UUIDv7) unless
//! `--request-id` repeats one.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::workshop::v1::technician_service_client::TechnicianServiceClient;
use aftersales_proto::workshop::v1::{
    AssessmentResult, GetTechnicianRequest, ListTechniciansRequest, RecordTrainingRequest, RegisterTechnicianRequest,
    SetShiftRequest, Technician,
};
use aftersales_runtime::auth::Role;

use super::technicians_view as view;
use super::token::CallerArgs;
use super::{Outcome, call, request_id};
use crate::connect::{self, Global};
use crate::output::{self, Failure};
use crate::parse;

/// Arguments of `aftersales technicians`.
#[derive(clap::Args, Debug)]
pub struct TechniciansArgs {
    #[command(flatten)]
    caller: CallerArgs,
    #[command(subcommand)]
    command: TechniciansCommand,
}

#[derive(clap::Subcommand, Debug)]
enum TechniciansCommand {
    /// Register a staff member of --dealer as a technician (as dealer_manager): --subject is the staff member's
    /// token subject, the one they will act as; they start off shift, with no training and no skills.
    Register {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Idempotency key (default: a fresh UUIDv7).
        #[arg(long)]
        request_id: Option<String>,
    },
    /// Record a training or certification course (as dealer_manager); passed courses earn their level.
    Train {
        /// Technician id.
        id: String,
        /// Course name or code.
        #[arg(long)]
        course: String,
        /// Skill family the course certifies, e.g. engine, electrical, body.
        #[arg(long)]
        family: String,
        /// Level the course certifies, 1 (basic) ..= 5 (master).
        #[arg(long, value_parser = clap::value_parser!(i32).range(1..=5))]
        level: i32,
        /// Day the course was completed, YYYY-MM-DD.
        #[arg(long = "on", value_name = "YYYY-MM-DD", value_parser = parse::day)]
        completed_on: String,
        #[command(flatten)]
        assessment: Assessment,
        /// Idempotency key (default: a fresh UUIDv7).
        #[arg(long)]
        request_id: Option<String>,
    },
    /// Put a technician on or off shift (as foreman); only technicians on shift are offered jobs, and going off
    /// shift hands their open jobs back to the queue.
    Shift {
        /// Technician id.
        id: String,
        #[command(flatten)]
        switch: Switch,
        /// Idempotency key (default: a fresh UUIDv7).
        #[arg(long)]
        request_id: Option<String>,
    },
    /// List the technicians of --dealer, oldest registration first (as foreman).
    List {
        /// Only technicians on shift now.
        #[arg(long)]
        on_shift: bool,
        /// Technicians per page, 1..=500.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
        /// Page token printed by the previous page.
        #[arg(long, default_value = "")]
        page_token: String,
    },
    /// Show one technician with their training history (as foreman).
    Get {
        /// Technician id.
        id: String,
    },
}

/// A course's result: exactly one of --passed and --failed.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
struct Assessment {
    /// The assessment was passed: the level is earned.
    #[arg(long)]
    passed: bool,
    /// The assessment was failed: nothing is earned (levels already earned are kept).
    #[arg(long)]
    failed: bool,
}

/// On or off shift: exactly one of --on and --off.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
struct Switch {
    /// Comes on shift.
    #[arg(long)]
    on: bool,
    /// Goes off shift.
    #[arg(long)]
    off: bool,
}

impl TechniciansCommand {
    /// The role that makes the call, for the dev token when --role is not given.
    fn role(&self) -> Role {
        match self {
            TechniciansCommand::Register { .. } | TechniciansCommand::Train { .. } => Role::DealerManager,
            TechniciansCommand::Shift { .. } | TechniciansCommand::List { .. } | TechniciansCommand::Get { .. } => {
                Role::Foreman
            }
        }
    }
}

/// Runs one `technicians` subcommand.
pub async fn run(global: &Global, args: TechniciansArgs) -> Outcome {
    let target = global.target("workshop")?;
    let role = args.command.role();
    let token = match args.command {
        // --subject names the staff member registered; the manager calls as themselves.
        TechniciansCommand::Register { .. } => args.caller.token_with_default_subject(global, role)?,
        _ => args.caller.token(global, role)?,
    };
    let mut technicians = TechnicianServiceClient::new(connect::authed(&target, &token, true).await?);
    let technician = match args.command {
        TechniciansCommand::Register { name, request_id: given } => {
            let subject = args.caller.subject().map(str::to_string).ok_or_else(|| {
                Failure::Usage("technicians register needs --subject <the staff member's token subject>".into())
            })?;
            let request = RegisterTechnicianRequest { request_id: request_id(given), subject, name };
            call(&target, technicians.register_technician(request).await)?
        }
        TechniciansCommand::Train { id, course, family, level, completed_on, assessment, request_id: given } => {
            let result = if assessment.passed { AssessmentResult::Passed } else { AssessmentResult::Failed };
            let request = RecordTrainingRequest {
                request_id: request_id(given),
                technician_id: id,
                course,
                skill_family: family,
                level,
                completed_on,
                result: result as i32,
            };
            call(&target, technicians.record_training(request).await)?
        }
        TechniciansCommand::Shift { id, switch, request_id: given } => {
            let request = SetShiftRequest {
                request_id: request_id(given),
                technician_id: id,
                on_shift: switch.on && !switch.off,
            };
            call(&target, technicians.set_shift(request).await)?
        }
        TechniciansCommand::Get { id } => call(&target, technicians.get_technician(GetTechnicianRequest { id }).await)?,
        TechniciansCommand::List { on_shift, limit, page_token } => {
            let request = ListTechniciansRequest {
                page: Some(PageRequest { page_size: limit, page_token }),
                // Dealer staff list their own dealer; OEM roles may name one with --dealer.
                dealer_id: args.caller.dealer().unwrap_or_default().to_string(),
                on_shift_only: on_shift,
            };
            let response = call(&target, technicians.list_technicians(request).await)?;
            print_list(global, &response.technicians);
            if let Some(next) = response.page.filter(|p| !p.next_page_token.is_empty()) {
                eprintln!("(more: --page-token {})", next.next_page_token);
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    if global.json {
        output::line(&view::technician_json(&technician).to_string());
    } else {
        output::line(&view::technician_text(&technician));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_list(global: &Global, technicians: &[Technician]) {
    if global.json {
        for technician in technicians {
            output::line(&view::technician_json(technician).to_string());
        }
    } else {
        output::line(&view::technicians_table(technicians));
    }
}
