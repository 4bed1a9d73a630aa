//! Everything the command line prints besides its results' layout: failures with their exit codes and rich
//! error details, money, hours and times.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use aftersales_kernel::{Currency, Hundredths, Money};
use aftersales_proto::common::v1 as common;
use tonic::{Code, Status};
use tonic_types::StatusExt;

use crate::connect::Target;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line itself is wrong (exit code 2, like clap's own errors).
    Usage(String),
    /// The service could not be reached.
    Down {
        /// Where we tried.
        target: Target,
        /// The innermost cause.
        reason: String,
    },
    /// The service answered with an error.
    Call {
        /// Who answered.
        target: Target,
        /// The answer.
        status: Status,
    },
    /// Anything else (keys, local files).
    Other(String),
}

impl Failure {
    /// A failed call to `target`.
    pub fn call(target: &Target) -> impl FnOnce(Status) -> Failure + '_ {
        move |status| Failure::Call { target: target.clone(), status }
    }

    /// Prints the failure on stderr and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprint!("{}", self.render());
        match self {
            Failure::Usage(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }

    /// The text [`Failure::report`] prints.
    pub fn render(&self) -> String {
        match self {
            Failure::Usage(message) => {
                format!("error: {message}\n\nFor more information, try '--help'.\n")
            }
            Failure::Down { target, reason } => format!(
                "error: {target} is down: {reason}\n  hint: start the services with `make run` \
                 (or point --host/--port-base at them)\n"
            ),
            Failure::Call { target, status } => render_status(target, status),
            Failure::Other(message) => format!("error: {message}\n"),
        }
    }
}

/// `error: <CODE>: <message>`, then each BadRequest field violation and the ErrorInfo reason and metadata.
fn render_status(target: &Target, status: &Status) -> String {
    let mut text = format!("error: {}: {}\n", code_name(status.code()), status.message());
    if let Some(bad) = status.get_details_bad_request() {
        for violation in &bad.field_violations {
            text += &format!("  {}: {}\n", violation.field, violation.description);
        }
    }
    if let Some(info) = status.get_details_error_info() {
        text += &format!("  reason: {} ({})\n", info.reason, info.domain);
        let mut metadata: Vec<_> = info.metadata.iter().collect();
        metadata.sort();
        for (key, value) in metadata {
            text += &format!("  {key}: {value}\n");
        }
    }
    match status.code() {
        Code::Unavailable => {
            text += &format!("  hint: is {target} up? start the services with `make run`\n");
        }
        Code::PermissionDenied => {
            text += "  hint: the token's --role, --dealer and --subject decide; a technician acts as the subject they \
                     were registered with (`aftersales technicians list` shows it)\n";
        }
        Code::Unauthenticated => {
            text += "  hint: dev tokens are signed with <data-dir>/keys/dev-user.pem; run from the services' \
                     directory or pass --data-dir (or --token)\n";
        }
        _ => {}
    }
    text
}

/// The canonical name of a gRPC code: `INVALID_ARGUMENT`, `NOT_FOUND`, ...
pub fn code_name(code: Code) -> String {
    let mut name = String::new();
    for (index, ch) in format!("{code:?}").chars().enumerate() {
        if ch.is_ascii_uppercase() && index > 0 {
            name.push('_');
        }
        name.push(ch.to_ascii_uppercase());
    }
    name
}

/// `EUR 123.45`; `-` when absent; the raw minor units when the currency code is not one.
pub fn money(value: Option<&common::Money>) -> String {
    match value {
        None => "-".into(),
        Some(m) => match Currency::parse(&m.currency_code) {
            Ok(currency) => Money::new(currency, m.units_minor).to_string(),
            Err(_) => format!("{} {} (minor units)", m.currency_code, m.units_minor),
        },
    }
}

/// `1.50` from 150 hundredths.
pub fn hundredths(value: i64) -> String {
    Hundredths::from_hundredths(value).map(|h| h.to_string()).unwrap_or_else(|_| format!("{value}/100"))
}

/// A rate in basis points as a percentage: `8.33 %` from 833.
pub fn percent(basis_points: i32) -> String {
    let sign = if basis_points < 0 { "-" } else { "" };
    let bp = basis_points.unsigned_abs();
    format!("{sign}{}.{:02} %", bp / 100, bp % 100)
}

/// A proto enum value as JSON: its proto name, or the number when the value is unknown to this build.
pub fn enum_json<E: TryFrom<i32>>(value: i32, name: impl Fn(E) -> &'static str) -> serde_json::Value {
    E::try_from(value).map_or(serde_json::json!(value), |e| serde_json::json!(name(e)))
}

/// RFC 3339 in UTC with milliseconds; `-` when absent.
pub fn time(value: Option<&prost_types::Timestamp>) -> String {
    value
        .and_then(|t| chrono::DateTime::from_timestamp(t.seconds, u32::try_from(t.nanos).ok()?))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| "-".into())
}

/// The lower-case short name of a proto enum value: `REPAIR_ORDER_STATE_IN_WORKSHOP` → `in_workshop`.
pub fn short_name(full: &str, prefix: &str) -> String {
    full.strip_prefix(prefix).unwrap_or(full).to_ascii_lowercase()
}

/// Writes `text` and a newline to stdout; false once the reader has gone (a closed pipe), never a panic.
pub fn line(text: &str) -> bool {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_by_their_canonical_names() {
        assert_eq!(code_name(Code::InvalidArgument), "INVALID_ARGUMENT");
        assert_eq!(code_name(Code::Ok), "OK");
        assert_eq!(code_name(Code::FailedPrecondition), "FAILED_PRECONDITION");
    }

    #[test]
    fn money_prints_with_its_currency_and_minor_digits() {
        let eur = common::Money { currency_code: "EUR".into(), units_minor: 12345 };
        assert_eq!(money(Some(&eur)), "EUR 123.45");
        assert_eq!(money(None), "-");
    }

    #[test]
    fn enum_names_shorten_to_lower_case() {
        assert_eq!(short_name("REPAIR_ORDER_STATE_IN_WORKSHOP", "REPAIR_ORDER_STATE_"), "in_workshop");
    }

    #[test]
    fn basis_points_print_as_percentages() {
        assert_eq!(percent(833), "8.33 %");
        assert_eq!(percent(10_000), "100.00 %");
        assert_eq!(percent(5), "0.05 %");
        assert_eq!(percent(0), "0.00 %");
    }

    #[test]
    fn times_print_as_rfc3339_utc() {
        let t = prost_types::Timestamp { seconds: 0, nanos: 5_000_000 };
        assert_eq!(time(Some(&t)), "1970-01-01T00:00:00.005Z");
    }
}
