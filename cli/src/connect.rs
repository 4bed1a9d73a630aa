//! Reaching a service: the options every command shares, where a service listens, the channel, and the bearer
//! interceptor that puts `authorization: Bearer <token>` on every call.
#![forbid(unsafe_code)]

use std::fmt;
use std::time::Duration;

use aftersales_runtime::settings::SERVICES;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::output::Failure;

/// How long to wait for a TCP connection before calling a service down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Longest unary call (the services' own limit is 30 s).
const CALL_TIMEOUT: Duration = Duration::from_secs(35);

/// Options every command accepts, before or after the subcommand.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// The services' data directory: the dev key under <data-dir>/keys signs the tokens.
    #[arg(long, global = true, env = "AFTERSALES_DATA_DIR", default_value = "data")]
    pub data_dir: String,
    /// Host the services listen on.
    #[arg(long, global = true, default_value = "127.0.0.1")]
    pub host: String,
    /// Port of reception; the others follow in order (workshop +1, parts +2, escalation +3, supplier +4).
    #[arg(
        long,
        global = true,
        env = "AFTERSALES_PORT_BASE",
        default_value_t = SERVICES[0].1
    )]
    pub port_base: u16,
    /// Machine output: JSON (one object per line for lists and feeds).
    #[arg(long, global = true)]
    pub json: bool,
}

/// One service at one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Service name, e.g. `reception`.
    pub service: &'static str,
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}:{}", self.service, self.host, self.port)
    }
}

/// The five service names, for argument parsing.
pub fn service_names() -> Vec<&'static str> {
    SERVICES.iter().map(|(name, _)| *name).collect()
}

impl Global {
    /// Where `service` listens: its default port shifted by `--port-base`.
    pub fn target(&self, service: &str) -> Result<Target, Failure> {
        let (name, default_port) = SERVICES.iter().find(|(name, _)| *name == service).ok_or_else(|| {
            Failure::Usage(format!("unknown service {service:?}; one of: {}", service_names().join(", ")))
        })?;
        let offset = default_port - SERVICES[0].1;
        let port = self
            .port_base
            .checked_add(offset)
            .ok_or_else(|| Failure::Usage(format!("--port-base {} is too high", self.port_base)))?;
        Ok(Target { service: name, host: self.host.clone(), port })
    }
}

/// Connects to `target` at once, so an unreachable service is reported as down (with a hint) before any call.
/// `unary` adds the call timeout; streams go without one.
pub async fn channel(target: &Target, unary: bool) -> Result<Channel, Failure> {
    let host = if target.host.contains(':') && !target.host.starts_with('[') {
        format!("[{}]", target.host)
    } else {
        target.host.clone()
    };
    let mut endpoint = Endpoint::from_shared(format!("http://{host}:{}", target.port))
        .map_err(|e| Failure::Usage(format!("--host {:?}: {e}", target.host)))?
        .connect_timeout(CONNECT_TIMEOUT);
    if unary {
        endpoint = endpoint.timeout(CALL_TIMEOUT);
    }
    endpoint.connect().await.map_err(|e| Failure::Down { target: target.clone(), reason: root_cause(&e) })
}

/// A channel that sends `token` with every call.
pub type Authed = InterceptedService<Channel, Bearer>;

/// Connects to `target` and attaches `token`.
pub async fn authed(target: &Target, token: &str, unary: bool) -> Result<Authed, Failure> {
    let bearer = Bearer::new(token)?;
    Ok(InterceptedService::new(channel(target, unary).await?, bearer))
}

/// Adds `authorization: Bearer <token>` to every request.
#[derive(Clone)]
pub struct Bearer(MetadataValue<Ascii>);

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.write_str("Bearer(..)")
    }
}

impl Bearer {
    /// Fails when the token cannot travel as an HTTP header (spaces, non-ASCII).
    pub fn new(token: &str) -> Result<Bearer, Failure> {
        MetadataValue::try_from(format!("Bearer {}", token.trim()))
            .map(Bearer)
            .map_err(|_| Failure::Usage("--token is not a valid token (not printable ASCII)".into()))
    }
}

impl Interceptor for Bearer {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        request.metadata_mut().insert("authorization", self.0.clone());
        Ok(request)
    }
}

/// The innermost cause of an error ("Connection refused (os error 111)"), which says more than "transport error".
pub fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(port_base: u16) -> Global {
        Global { data_dir: "data".into(), host: "127.0.0.1".into(), port_base, json: false }
    }

    #[test]
    fn services_listen_on_their_default_ports_shifted_by_the_base() {
        assert_eq!(global(50051).target("supplier").unwrap().port, 50055);
        assert_eq!(global(60051).target("workshop").unwrap().port, 60052);
    }

    #[test]
    fn an_unknown_service_is_a_usage_error() {
        assert!(matches!(global(50051).target("billing"), Err(Failure::Usage(_))));
    }
}
