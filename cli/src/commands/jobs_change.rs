//! The `jobs` subcommands that change a job, one per step of its life in the workshop: assign (foreman), start,
//! clock on and off, progress notes, delays, additional work and the self-check (the assigned technician, acting
//! as their own staff subject), inspection (qc_inspector) and wash (foreman). Each carries a fresh request id
//! (UUIDv7) unless `--request-id` repeats one, and answers with the job as it is after the change.
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use aftersales_proto::workshop::v1::{
    AssignJobRequest, ClockOffRequest, ClockOnRequest, CompleteSelfCheckRequest, Job, LogProgressRequest,
    RecordInspectionRequest, RecordWashRequest, ReportDelayRequest, RequestAdditionalWorkRequest, RequestedOperation,
    RequestedPart, StartJobRequest,
};
use aftersales_runtime::auth::Role;

use super::{call, request_id};
use crate::connect::{Authed, Target};
use crate::output::Failure;
use crate::parse::{self, ItemSpec};

/// The job a change is made to, and its idempotency key.
#[derive(clap::Args, Debug)]
pub struct On {
    /// Job id.
    job: String,
    /// Idempotency key; repeat a failed command's to retry it safely (default: a fresh UUIDv7).
    #[arg(long)]
    request_id: Option<String>,
}

/// An inspection's verdict: exactly one of --pass and --fail.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Verdict {
    /// The job passed: it goes to the wash.
    #[arg(long)]
    pass: bool,
    /// The job failed (needs --findings): it goes back to the same technician for rework.
    #[arg(long, requires = "findings")]
    fail: bool,
}

/// The steps of a job's life.
#[derive(clap::Subcommand, Debug)]
pub enum ChangeCommand {
    /// Give a job to a technician on shift whose skills cover every operation (as foreman). Accepting the
    /// suggestion (`jobs queue`, `jobs suggest`) needs no reason; anyone else is an override and needs one.
    Assign {
        #[command(flatten)]
        on: On,
        /// The technician's id (`aftersales technicians list`).
        #[arg(long)]
        technician: String,
        /// Why not the suggested technician (required for an override, refused otherwise).
        #[arg(long, default_value = "")]
        override_reason: String,
    },
    /// Start work on an assigned job (as the assigned technician: --subject <their subject>; or the foreman).
    Start {
        #[command(flatten)]
        on: On,
    },
    /// Clock on one operation of a started job (as the assigned technician); one open clock per job.
    ClockOn {
        #[command(flatten)]
        on: On,
        /// The operation's order line id (`aftersales jobs get` lists them).
        #[arg(long)]
        line: String,
    },
    /// Clock off the job's open clock (as the assigned technician, or the foreman).
    ClockOff {
        #[command(flatten)]
        on: On,
    },
    /// Log a progress note on a started job (as the assigned technician, or the foreman).
    Progress {
        #[command(flatten)]
        on: On,
        /// The note: a re-diagnosis, a key operation.
        #[arg(long)]
        note: String,
        /// A photo or video reference (URI or storage key), up to 10 (repeatable).
        #[arg(long = "media", value_name = "REF")]
        media: Vec<String>,
    },
    /// Report that the job will finish later than promised (as the assigned technician, or the foreman).
    Delay {
        #[command(flatten)]
        on: On,
        /// The new promised time, RFC 3339 (e.g. 2026-03-01T17:00:00+08:00); later than now and than the current.
        #[arg(long, value_parser = parse::time)]
        until: prost_types::Timestamp,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Ask for extra work found during the job (as the assigned technician); reception asks the customer, and the
    /// operations join the job only once approved.
    ExtraWork {
        #[command(flatten)]
        on: On,
        /// What was found.
        #[arg(long)]
        finding: String,
        /// An operation of the catalogue and its estimated hours, CODE:HOURS, e.g. BRK-0100:0.8 (repeatable).
        #[arg(long, value_name = "CODE:HOURS", value_parser = parse::labour_hours)]
        labour: Vec<ItemSpec>,
        /// A part and its quantity, PARTNO:QTY, e.g. A-1001:2 (repeatable).
        #[arg(long, value_name = "PARTNO:QTY", value_parser = parse::part_quantity)]
        part: Vec<ItemSpec>,
        /// A photo or video reference, up to 10 (repeatable).
        #[arg(long = "media", value_name = "REF")]
        media: Vec<String>,
    },
    /// Complete the self-check (as the assigned technician): every operation clocked, no clock open, no extra work
    /// waiting for the customer; the job then waits for inspection.
    SelfCheck {
        #[command(flatten)]
        on: On,
        /// What was checked.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record the quality inspection (as qc_inspector, who did not work on the job): --pass, or --fail with
    /// --findings.
    Inspect {
        #[command(flatten)]
        on: On,
        #[command(flatten)]
        verdict: Verdict,
        /// What was found (required with --fail).
        #[arg(long, default_value = "")]
        findings: String,
    },
    /// Record the wash of an inspected job (as foreman): the job is ready for delivery.
    Wash {
        #[command(flatten)]
        on: On,
    },
}

impl ChangeCommand {
    /// The role that makes the change, for the dev token when --role is not given.
    pub fn role(&self) -> Role {
        match self {
            ChangeCommand::Assign { .. } | ChangeCommand::Wash { .. } => Role::Foreman,
            ChangeCommand::Inspect { .. } => Role::QcInspector,
            ChangeCommand::Start { .. }
            | ChangeCommand::ClockOn { .. }
            | ChangeCommand::ClockOff { .. }
            | ChangeCommand::Progress { .. }
            | ChangeCommand::Delay { .. }
            | ChangeCommand::ExtraWork { .. }
            | ChangeCommand::SelfCheck { .. } => Role::Technician,
        }
    }
}

/// Makes the change and gives the job as it is after it.
pub async fn apply(
    jobs: &mut JobServiceClient<Authed>,
    target: &Target,
    command: ChangeCommand,
) -> Result<Job, Failure> {
    match command {
        ChangeCommand::Assign { on, technician, override_reason } => {
            let request = AssignJobRequest {
                request_id: request_id(on.request_id),
                job_id: on.job,
                technician_id: technician,
                override_reason,
            };
            call(target, jobs.assign_job(request).await)
        }
        ChangeCommand::Start { on } => {
            let request = StartJobRequest { request_id: request_id(on.request_id), job_id: on.job };
            call(target, jobs.start_job(request).await)
        }
        ChangeCommand::ClockOn { on, line } => {
            let request = ClockOnRequest { request_id: request_id(on.request_id), job_id: on.job, line_id: line };
            call(target, jobs.clock_on(request).await)
        }
        ChangeCommand::ClockOff { on } => {
            let request = ClockOffRequest { request_id: request_id(on.request_id), job_id: on.job };
            call(target, jobs.clock_off(request).await)
        }
        ChangeCommand::Progress { on, note, media } => {
            let request = LogProgressRequest {
                request_id: request_id(on.request_id),
                job_id: on.job,
                note,
                media_references: media,
            };
            call(target, jobs.log_progress(request).await)
        }
        ChangeCommand::Delay { on, until, reason } => {
            let request = ReportDelayRequest {
                request_id: request_id(on.request_id),
                job_id: on.job,
                new_promised_at: Some(until),
                reason,
            };
            call(target, jobs.report_delay(request).await)
        }
        ChangeCommand::ExtraWork { on, finding, labour, part, media } => {
            if labour.is_empty() && part.is_empty() {
                return Err(Failure::Usage(
                    "extra work needs at least one --labour CODE:HOURS or --part PARTNO:QTY".into(),
                ));
            }
            let request = RequestAdditionalWorkRequest {
                request_id: request_id(on.request_id),
                job_id: on.job,
                finding,
                operations: labour
                    .into_iter()
                    .map(|spec| RequestedOperation {
                        operation_code: spec.code,
                        estimated_hours_hundredths: spec.amount.as_hundredths(),
                    })
                    .collect(),
                parts: part
                    .into_iter()
                    .map(|spec| RequestedPart {
                        part_number: spec.code,
                        quantity_hundredths: spec.amount.as_hundredths(),
                    })
                    .collect(),
                media_references: media,
            };
            call(target, jobs.request_additional_work(request).await)
        }
        ChangeCommand::SelfCheck { on, note } => {
            let request = CompleteSelfCheckRequest { request_id: request_id(on.request_id), job_id: on.job, note };
            call(target, jobs.complete_self_check(request).await)
        }
        ChangeCommand::Inspect { on, verdict, findings } => {
            let request = RecordInspectionRequest {
                request_id: request_id(on.request_id),
                job_id: on.job,
                passed: verdict.pass && !verdict.fail,
                findings,
            };
            call(target, jobs.record_inspection(request).await)
        }
        ChangeCommand::Wash { on } => {
            let request = RecordWashRequest { request_id: request_id(on.request_id), job_id: on.job };
            call(target, jobs.record_wash(request).await)
        }
    }
}
