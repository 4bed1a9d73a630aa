//! What every service of the suite does the same way, written once.
//!
//! # Layout
//! - [`settings`]: layered, typed configuration; a bad value fails start-up naming its key.
//! - [`telemetry`]: logs, OTLP traces, W3C trace context in metadata and event envelopes.
//! - [`server`]: the host (health, reflection, edge layer, graceful shutdown) and [`server::edge`].
//! - [`auth`]: tokens, keys, principals, the feed graph that limits service tokens.
//! - [`db`]: SQLite/PostgreSQL connection, migrations, write transactions; [`migrations`]: the runtime's tables.
//! - [`errors`]: the one app error and its mapping to `tonic::Status`; [`validate`]: field checks.
//! - [`paging`]: opaque page tokens; [`idempotency`]: `request_id` handling.
//! - [`clock`]: the `Clock` trait, system and manual clocks; [`clock_admin`]: the dev AdvanceClock service.
//! - [`failpoints`]: named crash points for crash tests.
//! - [`outbox`]: events appended with state changes, the relay that numbers them, the feed service, consumers.
#![forbid(unsafe_code)]

pub mod auth;
pub mod clock;
pub mod clock_admin;
pub mod db;
pub mod errors;
pub mod failpoints;
pub mod idempotency;
pub mod metrics;
pub mod migrations;
pub mod outbox;
pub mod paging;
pub mod server;
pub mod settings;
pub mod sql;
pub mod statement_log;
pub mod telemetry;
pub mod validate;

pub use errors::{AppError, AppResult};
pub use settings::Settings;

/// Converts a proto timestamp to chrono (None when absent or out of range).
pub fn from_timestamp(t: Option<&prost_types::Timestamp>) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = t?;
    chrono::DateTime::from_timestamp(t.seconds, u32::try_from(t.nanos).ok()?)
}

/// Money on the wire.
pub fn to_money(m: aftersales_kernel::Money) -> aftersales_proto::common::v1::Money {
    aftersales_proto::common::v1::Money { currency_code: m.currency().to_string(), units_minor: m.minor_units() }
}

/// Money from the wire, unchecked for sign (None when absent or its currency is not an ISO code): for values this
/// service wrote itself; requests go through `validate::Check::money`.
pub fn from_money(m: Option<&aftersales_proto::common::v1::Money>) -> Option<aftersales_kernel::Money> {
    let m = m?;
    Some(aftersales_kernel::Money::new(aftersales_kernel::Currency::parse(&m.currency_code).ok()?, m.units_minor))
}

/// Converts chrono to a proto timestamp.
pub fn to_timestamp(t: chrono::DateTime<chrono::Utc>) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: t.timestamp(), nanos: t.timestamp_subsec_nanos() as i32 }
}
