//! `aftersales jobs list|get`: the workshop jobs queued for approved orders, as service_advisor of `--dealer` by
//! default; a readable summary or table, or JSON shaped like the proto message with `--json`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use aftersales_proto::workshop::v1::{GetJobRequest, Job, JobState, ListJobsRequest};
use aftersales_runtime::auth::Role;
use serde_json::{Value, json};

use super::Outcome;
use super::token::CallerArgs;
use crate::connect::{self, Global};
use crate::output::{self, Failure};

/// The states `--state` accepts (proto names without `JOB_STATE_`, lower case).
const JOB_STATES: [&str; 6] = ["queued", "assigned", "in_progress", "awaiting_inspection", "ready", "cancelled"];

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
    /// List jobs, newest first.
    List {
        /// Only the job of this repair order.
        #[arg(long, default_value = "")]
        order: String,
        /// Only jobs in this state.
        #[arg(long, value_parser = JOB_STATES)]
        state: Option<String>,
        /// Jobs per page, 1..=500.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
        /// Page token printed by the previous page.
        #[arg(long, default_value = "")]
        page_token: String,
    },
    /// Show one job.
    Get {
        /// Job id.
        id: String,
    },
}

/// Runs one `jobs` subcommand.
pub async fn run(global: &Global, args: JobsArgs) -> Outcome {
    let target = global.target("workshop")?;
    let token = args.caller.token(global, Role::ServiceAdvisor)?;
    let mut jobs = JobServiceClient::new(connect::authed(&target, &token, true).await?);
    match args.command {
        JobsCommand::Get { id } => {
            let job = jobs.get_job(GetJobRequest { id }).await.map_err(Failure::call(&target))?.into_inner();
            if global.json {
                output::line(&job_json(&job).to_string());
            } else {
                output::line(&job_text(&job));
            }
        }
        JobsCommand::List { order, state, limit, page_token } => {
            let state = match state {
                Some(name) => JobState::from_str_name(&format!("JOB_STATE_{}", name.to_ascii_uppercase()))
                    .ok_or_else(|| Failure::Usage(format!("unknown state {name:?}")))?,
                None => JobState::Unspecified,
            };
            let response = jobs
                .list_jobs(ListJobsRequest {
                    page: Some(PageRequest { page_size: limit, page_token }),
                    dealer_id: String::new(),
                    repair_order_id: order,
                    state: state as i32,
                    technician_id: String::new(),
                })
                .await
                .map_err(Failure::call(&target))?
                .into_inner();
            if global.json {
                for job in &response.jobs {
                    output::line(&job_json(job).to_string());
                }
            } else {
                output::line(&jobs_table(&response.jobs));
            }
            if let Some(next) = response.page.filter(|p| !p.next_page_token.is_empty()) {
                eprintln!("(more: --page-token {})", next.next_page_token);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn state(value: i32) -> String {
    JobState::try_from(value)
        .map(|s| output::short_name(s.as_str_name(), "JOB_STATE_"))
        .unwrap_or_else(|_| value.to_string())
}

fn job_text(job: &Job) -> String {
    let mut text = format!(
        "job {}  {}{}\n",
        job.id,
        state(job.state).to_ascii_uppercase(),
        if job.urgent { "  URGENT" } else { "" }
    );
    text += &format!("  order     {}\n", job.repair_order_id);
    text += &format!("  dealer    {}\n", job.dealer_id);
    text += &format!("  vehicle   {}\n", job.vin);
    text += &format!("  hours     {} estimated\n", output::hundredths(job.estimated_hours_hundredths));
    text += &format!("  promised  {}\n", output::time(job.promised_at.as_ref()));
    text += &format!("  approved  {}\n", output::time(job.approved_at.as_ref()));
    text += &format!("  queued    {}\n", output::time(job.queued_at.as_ref()));
    text += "  operations";
    for op in &job.operations {
        text += &format!(
            "\n    {}  {:<12} {:>7} h",
            op.line_id,
            op.operation_code,
            output::hundredths(op.estimated_hours_hundredths)
        );
    }
    text
}

fn jobs_table(jobs: &[Job]) -> String {
    let mut text = format!(
        "{:<36}  {:<19}  {:<36}  {:<17}  {:<6}  {:>7}  QUEUED",
        "ID", "STATE", "ORDER", "VIN", "URGENT", "HOURS"
    );
    for job in jobs {
        text += &format!(
            "\n{:<36}  {:<19}  {:<36}  {:<17}  {:<6}  {:>7}  {}",
            job.id,
            state(job.state),
            job.repair_order_id,
            job.vin,
            if job.urgent { "yes" } else { "no" },
            output::hundredths(job.estimated_hours_hundredths),
            output::time(job.queued_at.as_ref())
        );
    }
    if jobs.is_empty() {
        text += "\n(no jobs)";
    }
    text
}

fn job_json(job: &Job) -> Value {
    let operations: Vec<Value> = job
        .operations
        .iter()
        .map(|op| {
            json!({
                "line_id": op.line_id,
                "operation_code": op.operation_code,
                "estimated_hours_hundredths": op.estimated_hours_hundredths,
            })
        })
        .collect();
    json!({
        "id": job.id,
        "dealer_id": job.dealer_id,
        "repair_order_id": job.repair_order_id,
        "vin": job.vin,
        "urgent": job.urgent,
        "state": JobState::try_from(job.state).map_or(json!(job.state), |s| json!(s.as_str_name())),
        "operations": operations,
        "estimated_hours_hundredths": job.estimated_hours_hundredths,
        "promised_at": output::time(job.promised_at.as_ref()),
        "approved_at": output::time(job.approved_at.as_ref()),
        "queued_at": output::time(job.queued_at.as_ref()),
        "update_time": output::time(job.update_time.as_ref()),
    })
}
