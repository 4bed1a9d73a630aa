//! Typed configuration from layered sources: built-in defaults, then `config/<AFTERSALES_ENV>.toml` (optional),
//! then `AFTERSALES__SECTION__KEY` environment variables. A bad value fails start-up with the key in the message.
//!
//! Tests never touch the process environment: they pass their overrides as a map to [`Settings::load_from`].

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

/// The five services, with their default ports.
pub const SERVICES: [(&str, u16); 5] =
    [("reception", 50051), ("workshop", 50052), ("parts", 50053), ("escalation", 50054), ("supplier", 50055)];

/// The `AFTERSALES_ENV` of production (the container image's): manual clocks and dev keys are refused.
pub const PRODUCTION: &str = "prod";

/// Everything a service reads from configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Which service this is.
    pub service: ServiceSettings,
    /// Where generated files (SQLite databases, dev keys) live.
    pub data_dir: String,
    /// The gRPC server.
    pub server: ServerSettings,
    /// The database.
    pub database: DatabaseSettings,
    /// Logs, traces and metrics.
    pub telemetry: TelemetrySettings,
    /// Token verification and service keys.
    pub auth: AuthSettings,
    /// Where time comes from.
    pub clock: ClockSettings,
    /// Event feeds and consumers.
    pub feeds: FeedSettings,
    /// gRPC addresses of the other services (name → URL).
    pub peers: BTreeMap<String, String>,
    /// Crash-test failpoints.
    pub failpoints: FailpointSettings,
    /// Reception's rules that are configuration rather than code.
    pub reception: ReceptionSettings,
    /// Escalation's rules that are configuration rather than code.
    pub escalation: EscalationSettings,
    /// The supplier service's rules that are configuration rather than code.
    pub supplier: SupplierSettings,
    /// The partner endpoint: mutual TLS for supplier systems.
    pub partner: PartnerSettings,
}

/// `[partner]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PartnerSettings {
    /// Serve the partner endpoint (the same routes on a second listener, mutual TLS, supplier tokens only).
    pub enabled: bool,
    /// Address to bind.
    pub host: String,
    /// Port (0: any free one, announced in `<data_dir>/run/<service>.partner.addr`).
    pub port: u16,
    /// The endpoint's certificate chain, PEM.
    pub cert_file: String,
    /// Its private key, PEM.
    pub key_file: String,
    /// The CA that issues supplier systems' client certificates, PEM.
    pub client_ca_file: String,
    /// A supplier's client certificate is valid for the DNS name `<supplier id>.<this suffix>`.
    pub supplier_name_suffix: String,
}

/// `[supplier]`.
#[derive(Debug, Clone, Deserialize)]
pub struct SupplierSettings {
    /// The ISO 4217 currency a claim drafted from an event starts in (at zero cost, until `quality` revises it).
    pub claim_currency: String,
    /// The escalation policy whose clocks time a supplier's acknowledgement (the scorecard's on-time rate).
    pub acknowledgement_policy: String,
    /// The escalation policy whose clocks time a supplier's solution by its committed date (corrective actions on
    /// time).
    pub solution_policy: String,
}

/// `[escalation]`.
#[derive(Debug, Clone, Deserialize)]
pub struct EscalationSettings {
    /// A TOML file of case categories and support groups; empty: the one compiled in (`config/cases/routing.toml`).
    pub case_routing: String,
    /// A case about the same engine or vehicle with the same category as one received at most this many days
    /// before it is a repeat of that one.
    pub repeat_window_days: u32,
    /// The IANA time zone case reports count months, quarters and years in.
    pub report_time_zone: String,
}

/// `[reception]`.
#[derive(Debug, Clone, Deserialize)]
pub struct ReceptionSettings {
    /// How long after delivery the follow-up visit falls due, in hours (FollowUpScheduled.due_at).
    pub follow_up_after_hours: i64,
}

/// `[service]`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceSettings {
    /// One of the five service names.
    pub name: String,
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Interface to listen on.
    pub host: String,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// Unary call timeout.
    pub request_timeout_ms: u64,
    /// Calls served at once before shedding load.
    pub concurrency_limit: usize,
    /// Largest message, both ways.
    pub max_message_bytes: usize,
    /// NOT_SERVING period before the listener closes on shutdown.
    pub drain_ms: u64,
    /// Wait for calls in flight after the drain.
    pub shutdown_grace_ms: u64,
}

/// `[database]`.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` or `postgres://...`.
    pub url: String,
    /// Pool size.
    pub max_connections: u32,
    /// SQLite `synchronous` pragma: "full" or "normal".
    pub sqlite_synchronous: String,
    /// SQLite busy timeout.
    pub sqlite_busy_timeout_ms: u64,
    /// Diagnostics: a file every statement is appended to with its values (see `statement_log`); empty is off.
    pub statement_log: String,
}

/// Log output format.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// `[telemetry]`.
#[derive(Debug, Clone, Deserialize)]
pub struct TelemetrySettings {
    /// Log format.
    pub format: LogFormat,
    /// Default filter directives.
    pub level: String,
    /// OTLP/gRPC endpoint; empty for none.
    pub otlp_endpoint: String,
    /// How often metrics are exported, ms.
    pub metrics_interval_ms: u64,
}

/// `[auth]`.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// Expected `iss` of user tokens.
    pub issuer: String,
    /// Expected `aud` of every token.
    pub audience: String,
    /// Generate and trust dev keys under `<data_dir>/keys`.
    pub dev_keys: bool,
    /// Identity provider public keys (PEM paths).
    pub user_public_keys: Vec<String>,
    /// This service's private key (PEM path).
    pub service_private_key: String,
    /// Other services' public keys (name → PEM path).
    pub service_public_keys: BTreeMap<String, String>,
    /// Tolerated clock skew.
    pub leeway_seconds: u64,
}

/// Clock source.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// The machine's clock.
    System,
    /// Stands still until AdvanceClock (tests and demos only).
    Manual,
}

/// `[clock]`.
#[derive(Debug, Clone, Deserialize)]
pub struct ClockSettings {
    /// Source.
    pub mode: ClockMode,
    /// RFC 3339 start of the manual clock; empty for now.
    pub start: String,
}

impl ClockSettings {
    /// The manual clock's start, if configured.
    pub fn start_time(&self) -> Result<Option<DateTime<Utc>>, String> {
        if self.start.is_empty() {
            return Ok(None);
        }
        DateTime::parse_from_rfc3339(&self.start)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| format!("clock.start: {e}"))
    }
}

/// `[feeds]`.
#[derive(Debug, Clone, Deserialize)]
pub struct FeedSettings {
    /// Fallback poll interval.
    pub fallback_poll_ms: u64,
    /// Catch-up page size.
    pub batch_size: u32,
    /// Reconnect backoff, first step.
    pub reconnect_min_ms: u64,
    /// Reconnect backoff, ceiling.
    pub reconnect_max_ms: u64,
}

/// `[failpoints]`.
#[derive(Debug, Clone, Deserialize)]
pub struct FailpointSettings {
    /// Points that abort the process.
    pub abort: Vec<String>,
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct SettingsError(pub String);

impl Settings {
    /// Loads the settings of `service` from defaults, `config/<AFTERSALES_ENV>.toml` and the process environment.
    pub fn load(service: &str) -> Result<Settings, SettingsError> {
        Self::load_from(service, None)
    }

    /// Like [`Settings::load`], with `environment` standing in for the process environment (tests).
    pub fn load_from(service: &str, environment: Option<HashMap<String, String>>) -> Result<Settings, SettingsError> {
        let port = SERVICES
            .iter()
            .find(|(name, _)| *name == service)
            .map(|(_, port)| *port)
            .ok_or_else(|| SettingsError(format!("service.name: unknown service {service:?}")))?;
        let env_name = match &environment {
            Some(map) => map.get("AFTERSALES_ENV").cloned(),
            None => std::env::var("AFTERSALES_ENV").ok(),
        }
        .unwrap_or_else(|| "dev".to_string());

        let error = |e: config::ConfigError| SettingsError(e.to_string());
        let builder = Config::builder()
            .add_source(File::from_str(include_str!("defaults.toml"), FileFormat::Toml))
            .set_default("service.name", service)
            .map_err(error)?
            .set_default("server.port", port)
            .map_err(error)?
            .set_default("database.url", format!("sqlite://data/{service}.db?mode=rwc"))
            .map_err(error)?
            .add_source(File::with_name(&format!("config/{env_name}")).format(FileFormat::Toml).required(false))
            .add_source(
                Environment::with_prefix("AFTERSALES")
                    .prefix_separator("__")
                    .separator("__")
                    .list_separator(",")
                    .with_list_parse_key("failpoints.abort")
                    .with_list_parse_key("auth.user_public_keys")
                    .try_parsing(true)
                    .source(environment),
            );
        let mut settings: Settings = builder.build().map_err(error)?.try_deserialize().map_err(error)?;
        // `AFTERSALES__FAILPOINTS__ABORT=` (empty) disarms everything.
        settings.failpoints.abort.retain(|name| !name.trim().is_empty());
        settings.validate(&env_name)?;
        Ok(settings)
    }

    fn validate(&self, env_name: &str) -> Result<(), SettingsError> {
        let fail = |key: &str, why: &str| Err(SettingsError(format!("{key}: {why}")));
        // Production never runs on a clock someone can move, nor on keys generated on the spot.
        if env_name == PRODUCTION && self.clock.mode == ClockMode::Manual {
            return fail("clock.mode", "manual is not allowed with AFTERSALES_ENV=prod");
        }
        if env_name == PRODUCTION && self.auth.dev_keys {
            return fail(
                "auth.dev_keys",
                "must be false with AFTERSALES_ENV=prod (keys come from the identity provider)",
            );
        }
        if !SERVICES.iter().any(|(name, _)| *name == self.service.name) {
            return fail("service.name", "must be one of the five services");
        }
        if self.server.concurrency_limit == 0 {
            return fail("server.concurrency_limit", "must be at least 1");
        }
        if self.server.request_timeout_ms == 0 {
            return fail("server.request_timeout_ms", "must be at least 1");
        }
        if self.database.max_connections == 0 {
            return fail("database.max_connections", "must be at least 1");
        }
        if !["full", "normal"].contains(&self.database.sqlite_synchronous.as_str()) {
            return fail("database.sqlite_synchronous", "must be \"full\" or \"normal\"");
        }
        if !(self.database.url.starts_with("sqlite:") || self.database.url.starts_with("postgres")) {
            return fail("database.url", "must start with sqlite: or postgres://");
        }
        if self.feeds.fallback_poll_ms == 0 {
            return fail("feeds.fallback_poll_ms", "must be at least 1");
        }
        if self.feeds.batch_size == 0 || self.feeds.batch_size > 1000 {
            return fail("feeds.batch_size", "must be between 1 and 1000");
        }
        self.clock.start_time().map_err(SettingsError)?;
        for name in &self.failpoints.abort {
            if !crate::failpoints::KNOWN.contains(&name.as_str()) {
                return fail("failpoints.abort", &format!("unknown failpoint {name:?}"));
            }
        }
        if !self.auth.dev_keys && self.auth.user_public_keys.is_empty() {
            return fail("auth.user_public_keys", "required when auth.dev_keys is false");
        }
        Ok(())
    }

    /// The gRPC URL of another service. An empty `peers.<service>` means "where it announced itself":
    /// `<data_dir>/run/<service>.addr`, read at each call (so a restarted peer on a new port is found).
    pub fn peer_url(&self, service: &str) -> Result<String, SettingsError> {
        let configured = self.peers.get(service).ok_or_else(|| SettingsError(format!("peers.{service}: missing")))?;
        if !configured.is_empty() {
            return Ok(configured.clone());
        }
        let file = crate::server::address_file(&self.data_dir, service);
        std::fs::read_to_string(&file)
            .map(|url| url.trim().to_string())
            .map_err(|e| SettingsError(format!("peers.{service}: not announced yet at {} ({e})", file.display())))
    }

    /// Whether the database is SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.database.url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Option<HashMap<String, String>> {
        Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn defaults_give_each_service_its_port_and_database() {
        let settings = Settings::load_from("parts", env(&[])).unwrap();
        assert_eq!(settings.server.port, 50053);
        assert_eq!(settings.database.url, "sqlite://data/parts.db?mode=rwc");
        assert_eq!(settings.clock.mode, ClockMode::System);
    }

    #[test]
    fn environment_overrides_defaults() {
        let settings = Settings::load_from(
            "reception",
            env(&[("AFTERSALES__SERVER__PORT", "6000"), ("AFTERSALES__CLOCK__MODE", "manual")]),
        )
        .unwrap();
        assert_eq!(settings.server.port, 6000);
        assert_eq!(settings.clock.mode, ClockMode::Manual);
    }

    #[test]
    fn a_bad_value_fails_naming_its_key() {
        let error = Settings::load_from("reception", env(&[("AFTERSALES__SERVER__PORT", "not-a-port")])).unwrap_err();
        assert!(error.to_string().contains("server.port"), "{error}");
        let error = Settings::load_from("reception", env(&[("AFTERSALES__CLOCK__MODE", "sundial")])).unwrap_err();
        assert!(error.to_string().contains("clock.mode"), "{error}");
        let error = Settings::load_from("reception", env(&[("AFTERSALES__FAILPOINTS__ABORT", "nowhere")])).unwrap_err();
        assert!(error.to_string().contains("failpoints.abort"), "{error}");
    }

    #[test]
    fn production_refuses_a_manual_clock_and_dev_keys() {
        let prod = [("AFTERSALES_ENV", "prod"), ("AFTERSALES__AUTH__DEV_KEYS", "false")];
        let keys = ("AFTERSALES__AUTH__USER_PUBLIC_KEYS", "/etc/aftersales/keys/user.pem");
        let settings = Settings::load_from("supplier", env(&[prod[0], prod[1], keys])).unwrap();
        assert_eq!(settings.clock.mode, ClockMode::System);
        let manual =
            Settings::load_from("supplier", env(&[prod[0], prod[1], keys, ("AFTERSALES__CLOCK__MODE", "manual")]));
        assert!(manual.unwrap_err().to_string().contains("clock.mode"));
        let dev_keys = Settings::load_from("supplier", env(&[prod[0]])).unwrap_err();
        assert!(dev_keys.to_string().contains("auth.dev_keys"), "{dev_keys}");
        let elsewhere =
            Settings::load_from("supplier", env(&[("AFTERSALES_ENV", "test"), ("AFTERSALES__CLOCK__MODE", "manual")]));
        assert_eq!(elsewhere.unwrap().clock.mode, ClockMode::Manual, "tests and demos keep their manual clock");
    }
}
