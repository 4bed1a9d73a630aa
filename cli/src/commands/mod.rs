//! One module per command; each exposes its clap arguments and a `run` returning an [`Outcome`]. What a command's
//! results look like lives next to it (`*_view`), so the command files only say what is called and how.
#![forbid(unsafe_code)]

pub mod events;
pub mod health;
pub mod jobs;
mod jobs_change;
mod jobs_json;
mod jobs_view;
mod kpis_view;
pub mod orders;
mod orders_view;
mod queue_view;
pub mod technicians;
mod technicians_view;
pub mod token;
pub mod workshop;
mod workshop_view;

use crate::connect::Target;
use crate::output::Failure;

/// What a command ends with: an exit code, or a failure `main` reports (and picks the exit code for).
pub type Outcome = Result<std::process::ExitCode, crate::output::Failure>;

/// The answer of a unary call to `target`, or the failure to report.
fn call<T>(target: &Target, result: Result<tonic::Response<T>, tonic::Status>) -> Result<T, Failure> {
    result.map(tonic::Response::into_inner).map_err(Failure::call(target))
}

/// The idempotency key of a change: the one given (to retry a failed command safely), else a fresh UUIDv7.
fn request_id(given: Option<String>) -> String {
    given.unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}
