//! `aftersales jobs`: the workshop jobs queued for approved orders, through their whole life — read them (`list`,
//! `get`), see the waiting queue and suggestions (`queue`, `suggest`), change them step by step (`assign` …
//! `wash`, in `jobs_change`) and measure the workshop (`kpis`). Each subcommand calls as the role that makes the
//! call (see its help) unless --role says otherwise; a readable summary or table, or JSON with `--json`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use aftersales_proto::workshop::v1::{
    GetJobRequest, GetWorkshopKpisRequest, Job, JobState, ListAssignmentQueueRequest, ListJobsRequest,
    SuggestTechnicianRequest,
};
use aftersales_runtime::auth::Role;

use super::jobs_change::{self, ChangeCommand};
use super::jobs_view::{self as view, JOB_STATES};
use super::token::CallerArgs;
use super::{Outcome, call, jobs_json, kpis_view, queue_view};
use crate::connect::{self, Authed, Global, Target};
use crate::output::{self, Failure};
use crate::parse;

/// The period `jobs kpis` covers without --from.
const KPI_DAYS: i64 = 30;

/// Arguments of `aftersales jobs`.
#[derive(clap::Args, Debug)]
pub struct JobsArgs {
    #[command(flatten)]
    caller: CallerArgs,
    #[command(subcommand)]
    command: JobsCommand,
}

#[derive(clap::Subcommand, Debug)]
enum JobsCommand {
    /// List jobs, newest first (as service_advisor).
    List {
        /// Only the job of this repair order.
        #[arg(long, default_value = "")]
        order: String,
        /// Only jobs in this state.
        #[arg(long, value_parser = JOB_STATES)]
        state: Option<String>,
        /// Only jobs held by this technician (id).
        #[arg(long, default_value = "")]
        technician: String,
        /// Jobs per page, 1..=500.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
        /// Page token printed by the previous page.
        #[arg(long, default_value = "")]
        page_token: String,
    },
    /// Show one job with its history: assignments, clock, notes, delays, additional work, inspections (as
    /// service_advisor).
    Get {
        /// Job id.
        id: String,
    },
    /// The waiting queue of --dealer: jobs that need a technician, in the order they are offered, each with the
    /// technician the system suggests and why, or why nobody qualifies (as foreman).
    Queue {
        /// At most this many jobs, 1..=500.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
    },
    /// The technician the system suggests for one job now (as foreman).
    Suggest {
        /// Job id.
        job: String,
    },
    #[command(flatten)]
    Change(ChangeCommand),
    /// Rework and punctuality of the jobs that became ready in [--from, --to) (as foreman).
    Kpis {
        /// Start of the period, RFC 3339 (default: 30 days before --to).
        #[arg(long, value_parser = parse::time)]
        from: Option<prost_types::Timestamp>,
        /// End of the period (exclusive), RFC 3339 (default: now).
        #[arg(long, value_parser = parse::time)]
        to: Option<prost_types::Timestamp>,
        /// The dealer to measure: OEM roles may name any (default: every dealer); dealer staff only their own.
        #[arg(long, value_parser = parse::dealer_id)]
        dealer_filter: Option<String>,
    },
}

impl JobsCommand {
    /// The role that makes the call, for the dev token when --role is not given.
    fn role(&self) -> Role {
        match self {
            JobsCommand::List { .. } | JobsCommand::Get { .. } => Role::ServiceAdvisor,
            JobsCommand::Queue { .. } | JobsCommand::Suggest { .. } | JobsCommand::Kpis { .. } => Role::Foreman,
            JobsCommand::Change(change) => change.role(),
        }
    }
}

/// Runs one `jobs` subcommand.
pub async fn run(global: &Global, args: JobsArgs) -> Outcome {
    let target = global.target("workshop")?;
    let token = args.caller.token(global, args.command.role())?;
    let mut jobs = JobServiceClient::new(connect::authed(&target, &token, true).await?);
    match args.command {
        JobsCommand::Get { id } => print_job(global, &call(&target, jobs.get_job(GetJobRequest { id }).await)?),
        JobsCommand::List { order, state, technician, limit, page_token } => {
            let request = list_request(order, state, technician, limit, page_token)?;
            let response = call(&target, jobs.list_jobs(request).await)?;
            if global.json {
                for job in &response.jobs {
                    output::line(&jobs_json::job_json(job).to_string());
                }
            } else {
                output::line(&view::jobs_table(&response.jobs));
            }
            if let Some(next) = response.page.filter(|p| !p.next_page_token.is_empty()) {
                eprintln!("(more: --page-token {})", next.next_page_token);
            }
        }
        JobsCommand::Queue { limit } => {
            // Dealer staff see their own dealer's queue; OEM roles name the dealer with --dealer.
            let dealer_id = args.caller.dealer().unwrap_or_default().to_string();
            let response =
                call(&target, jobs.list_assignment_queue(ListAssignmentQueueRequest { dealer_id, limit }).await)?;
            if global.json {
                for queued in &response.jobs {
                    output::line(&queue_view::queued_json(queued).to_string());
                }
            } else {
                output::line(&queue_view::queue_table(&response.jobs));
            }
        }
        JobsCommand::Suggest { job } => {
            let response =
                call(&target, jobs.suggest_technician(SuggestTechnicianRequest { job_id: job.clone() }).await)?;
            if global.json {
                output::line(&queue_view::suggestion_response_json(&response).to_string());
            } else {
                output::line(&queue_view::suggestion_text(&job, &response));
            }
        }
        JobsCommand::Kpis { from, to, dealer_filter } => {
            kpis(global, &target, &mut jobs, from, to, dealer_filter.unwrap_or_default()).await?
        }
        JobsCommand::Change(change) => print_job(global, &jobs_change::apply(&mut jobs, &target, change).await?),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_job(global: &Global, job: &Job) {
    if global.json {
        output::line(&jobs_json::job_json(job).to_string());
    } else {
        output::line(&view::job_text(job));
    }
}

fn list_request(
    order: String,
    state: Option<String>,
    technician: String,
    limit: i32,
    page_token: String,
) -> Result<ListJobsRequest, Failure> {
    let state = match state {
        Some(name) => JobState::from_str_name(&format!("JOB_STATE_{}", name.to_ascii_uppercase()))
            .ok_or_else(|| Failure::Usage(format!("unknown state {name:?}")))?,
        None => JobState::Unspecified,
    };
    Ok(ListJobsRequest {
        page: Some(PageRequest { page_size: limit, page_token }),
        dealer_id: String::new(),
        repair_order_id: order,
        state: state as i32,
        technician_id: technician,
    })
}

async fn kpis(
    global: &Global,
    target: &Target,
    jobs: &mut JobServiceClient<Authed>,
    from: Option<prost_types::Timestamp>,
    to: Option<prost_types::Timestamp>,
    dealer_id: String,
) -> Result<(), Failure> {
    let to = to.unwrap_or_else(|| {
        let now = chrono::Utc::now();
        // Subseconds kept: a job that became ready a moment ago is inside [from, now).
        prost_types::Timestamp { seconds: now.timestamp(), nanos: now.timestamp_subsec_micros() as i32 * 1000 }
    });
    let from =
        from.unwrap_or_else(|| prost_types::Timestamp { seconds: to.seconds - KPI_DAYS * 86_400, nanos: to.nanos });
    let request = GetWorkshopKpisRequest { dealer_id, from: Some(from), to: Some(to) };
    let kpis = call(target, jobs.get_workshop_kpis(request).await)?;
    if global.json {
        output::line(&kpis_view::kpis_json(&kpis).to_string());
    } else {
        output::line(&kpis_view::kpis_text(&kpis));
    }
    Ok(())
}
