//! One application error for every service, mapped to a `tonic::Status` in exactly one place.
//!
//! Handlers and use cases return `AppError`; the `From<AppError> for Status` impl below decides the gRPC code and
//! the rich details (`google.rpc.BadRequest` for field violations, `google.rpc.ErrorInfo` for broken rules). An
//! internal error never reaches the caller as text: it is logged with the request id and answered with a fixed
//! message.

use std::collections::HashMap;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// The domain the `ErrorInfo` details name.
const ERROR_DOMAIN: &str = "aftersales";

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    /// Path of the field in the request, e.g. `lines[2].labour.operation_code`.
    pub field: String,
    /// Why it is wrong, as a sentence for the caller.
    pub description: String,
}

/// Everything a use case can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more request fields are missing or malformed.
    #[error("invalid argument: {}", describe(.0))]
    InvalidArgument(Vec<FieldViolation>),
    /// The resource does not exist, or the caller may not see it (the two are indistinguishable on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A create collided with a different resource holding the same natural key (part number, supplier code).
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// The caller is known but its role may not make this call, or it named another tenant.
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// No valid credentials.
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// A business rule forbids the change in the current state.
    #[error("failed precondition {reason}: {message}")]
    FailedPrecondition {
        /// Machine-readable rule, e.g. `REPAIR_ORDER_NOT_ESTIMATED`.
        reason: &'static str,
        /// For people.
        message: String,
        /// The state the resource is in.
        current_state: String,
    },
    /// A concurrent change won (stale etag, lost race); the caller may retry.
    #[error("aborted: {0}")]
    Aborted(String),
    /// The service cannot take the call right now (starting, overloaded, draining).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected. Logged in full, answered with a fixed message.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

fn describe(violations: &[FieldViolation]) -> String {
    violations.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; ")
}

impl AppError {
    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, description: impl Into<String>) -> Self {
        AppError::InvalidArgument(vec![FieldViolation { field: field.into(), description: description.into() }])
    }

    /// A rule broken by the resource's current state.
    pub fn precondition(reason: &'static str, current_state: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::FailedPrecondition { reason, message: message.into(), current_state: current_state.into() }
    }

    /// Wraps an unexpected error.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<AppError> for Status {
    fn from(error: AppError) -> Self {
        match error {
            AppError::InvalidArgument(violations) => {
                let message = describe(&violations);
                let mut details = ErrorDetails::new();
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                Status::with_error_details(Code::InvalidArgument, message, details)
            }
            AppError::NotFound(what) => Status::not_found(format!("{what} not found")),
            AppError::AlreadyExists(what) => Status::already_exists(what),
            AppError::PermissionDenied(why) => Status::permission_denied(why),
            AppError::Unauthenticated(why) => Status::unauthenticated(why),
            AppError::FailedPrecondition { reason, message, current_state } => {
                let metadata = HashMap::from([("current_state".to_string(), current_state.clone())]);
                let details = ErrorDetails::with_error_info(reason, ERROR_DOMAIN, metadata);
                Status::with_error_details(
                    Code::FailedPrecondition,
                    format!("{message} (current state: {current_state})"),
                    details,
                )
            }
            AppError::Aborted(why) => Status::aborted(why),
            AppError::Unavailable(why) => Status::unavailable(why),
            AppError::Internal(cause) => {
                // The request id is a field of the current request span, so this line carries it.
                tracing::error!(error = format!("{cause:#}"), "internal error");
                Status::internal("internal error; the request id identifies it in the service's logs")
            }
        }
    }
}

/// Shorthand for use cases.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_argument_names_every_field_in_bad_request_details() {
        let status: Status = AppError::InvalidArgument(vec![
            FieldViolation { field: "vin".into(), description: "must be 17 characters".into() },
            FieldViolation { field: "lines".into(), description: "must not be empty".into() },
        ])
        .into();
        assert_eq!(status.code(), Code::InvalidArgument);
        let bad = status.get_details_bad_request().expect("bad request details");
        let fields: Vec<_> = bad.field_violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["vin", "lines"]);
    }

    #[test]
    fn failed_precondition_carries_the_rule_and_current_state() {
        let status: Status = AppError::precondition("NOT_ESTIMATED", "approved", "already approved").into();
        assert_eq!(status.code(), Code::FailedPrecondition);
        let info = status.get_details_error_info().expect("error info");
        assert_eq!(info.reason, "NOT_ESTIMATED");
        assert_eq!(info.metadata.get("current_state").map(String::as_str), Some("approved"));
    }

    #[test]
    fn internal_errors_never_leak_their_cause() {
        let status: Status = AppError::internal(anyhow::anyhow!("syntax error at or near SELECT")).into();
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("SELECT"));
    }
}
