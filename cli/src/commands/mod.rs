//! One module per command; each exposes its clap arguments and a `run` returning an [`Outcome`].
#![forbid(unsafe_code)]

pub mod events;
pub mod health;
pub mod jobs;
pub mod orders;
mod orders_view;
pub mod token;

/// What a command ends with: an exit code, or a failure `main` reports (and picks the exit code for).
pub type Outcome = Result<std::process::ExitCode, crate::output::Failure>;
