//! An example of a supplier's own system integrating with the OEM's after-sales suite over gRPC — the smallest
//! useful client a supplier's integrator would write, and a template for theirs:
//!
//! - it authenticates as the supplier with a bearer token (issued by the OEM's identity provider; in development,
//!   `aftersales token --role supplier --supplier <id>`) and, against the partner endpoint, with its client
//!   certificate (mutual TLS: a certificate the OEM's CA issued for `<supplier id>.supplier.aftersales`);
//! - it follows `ClaimService/WatchClaims` from the cursor it last handled, kept in a file, so after a disconnect,
//!   a crash or a restart it receives each change it has not handled exactly once, in order;
//! - it acknowledges every newly sent claim, committing to propose a solution within a configured number of days.
//!
//! A change is handled before its cursor is saved: a crash in between replays that change, and handling it again
//! is harmless (an acknowledgement of a claim already acknowledged is refused with FAILED_PRECONDITION and
//! skipped).

use std::path::{Path, PathBuf};
use std::time::Duration;

use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use anyhow::Context as _;
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};
use tonic::{Code, Request, Status};

/// How the client runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The supplier service, e.g. `http://127.0.0.1:50055`.
    pub endpoint: String,
    /// The supplier's bearer token.
    pub token: String,
    /// Where the cursor of the last change handled is kept.
    pub cursor_file: PathBuf,
    /// How many days ahead the client commits to propose a solution when acknowledging.
    pub commit_days: i64,
    /// Stop once no change arrived for this long (None: follow forever).
    pub idle_exit: Option<Duration>,
    /// Mutual TLS to the partner endpoint (None: plain HTTP/2, as on a local `make run`).
    pub tls: Option<TlsFiles>,
}

/// The files of a mutual-TLS connection, PEM.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The CA that issued the endpoint's certificate.
    pub ca_file: PathBuf,
    /// The supplier's client certificate.
    pub cert_file: PathBuf,
    /// Its private key.
    pub key_file: PathBuf,
}

/// The channel to the service: plain, or mutual TLS with the supplier's certificate.
pub fn channel(options: &Options) -> anyhow::Result<Channel> {
    let endpoint = Endpoint::from_shared(options.endpoint.clone()).context("the endpoint is not a URL")?;
    let Some(tls) = &options.tls else { return Ok(endpoint.connect_lazy()) };
    let read = |path: &PathBuf| std::fs::read(path).with_context(|| format!("reading {}", path.display()));
    let config = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(read(&tls.ca_file)?))
        .identity(Identity::from_pem(read(&tls.cert_file)?, read(&tls.key_file)?));
    Ok(endpoint.tls_config(config).context("TLS settings")?.connect_lazy())
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Changes received.
    pub changes: usize,
    /// Claims this run acknowledged.
    pub acknowledged: Vec<String>,
    /// The cursor saved last.
    pub cursor: i64,
}

/// Adds the bearer token to every call.
#[derive(Clone)]
pub struct Bearer(MetadataValue<tonic::metadata::Ascii>);

impl Bearer {
    /// For `token`; an error when it cannot be a header value.
    pub fn new(token: &str) -> anyhow::Result<Bearer> {
        Ok(Bearer(format!("Bearer {token}").parse().context("the token is not a header value")?))
    }
}

impl Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request.metadata_mut().insert("authorization", self.0.clone());
        Ok(request)
    }
}

type Claims = ClaimServiceClient<InterceptedService<Channel, Bearer>>;

/// The cursor saved in `path`; 0 when there is none yet.
pub fn load_cursor(path: &Path) -> anyhow::Result<i64> {
    match std::fs::read_to_string(path) {
        Ok(text) => text.trim().parse().with_context(|| format!("{} holds no cursor", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Saves `cursor` to `path` atomically (a crash leaves the old cursor or the new one, never half of one).
pub fn save_cursor(path: &Path, cursor: i64) -> anyhow::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, cursor.to_string()).with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("replacing {}", path.display()))
}

/// Follows the supplier's claims until the stream stays idle for `idle_exit` (or forever), reconnecting with
/// backoff after a disconnect.
pub async fn run(options: &Options) -> anyhow::Result<Summary> {
    let bearer = Bearer::new(&options.token)?;
    let channel = channel(options)?;
    let mut claims: Claims = ClaimServiceClient::with_interceptor(channel, bearer);
    let mut summary = Summary { cursor: load_cursor(&options.cursor_file)?, ..Summary::default() };
    let mut backoff = Duration::from_millis(200);
    loop {
        match follow(&mut claims, options, &mut summary).await {
            Ok(()) => return Ok(summary),
            // A refused token or role will not get better by retrying.
            Err(status) if matches!(status.code(), Code::Unauthenticated | Code::PermissionDenied) => {
                anyhow::bail!("the supplier service refused this client: {status}");
            }
            Err(status) => {
                tracing::warn!(%status, cursor = summary.cursor, "stream lost; reconnecting");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// One connection: replays and follows changes after the saved cursor. `Ok` when idle for `idle_exit`.
async fn follow(claims: &mut Claims, options: &Options, summary: &mut Summary) -> Result<(), Status> {
    let request = pb::WatchClaimsRequest { after_cursor: summary.cursor };
    let mut stream = claims.watch_claims(request).await?.into_inner();
    loop {
        let next = match options.idle_exit {
            Some(idle) => match tokio::time::timeout(idle, stream.message()).await {
                Ok(next) => next?,
                Err(_) => return Ok(()),
            },
            None => stream.message().await?,
        };
        let Some(change) = next else {
            return Err(Status::unavailable("the stream ended"));
        };
        handle(claims, options, &change, summary).await?;
        save_cursor(&options.cursor_file, change.cursor).map_err(|e| Status::internal(format!("{e:#}")))?;
        summary.cursor = change.cursor;
        summary.changes += 1;
    }
}

/// Acts on one change: a newly sent claim is acknowledged; everything else is logged.
async fn handle(
    claims: &mut Claims,
    options: &Options,
    change: &pb::ClaimChange,
    summary: &mut Summary,
) -> Result<(), Status> {
    let claim = change.claim.as_ref().ok_or_else(|| Status::internal("a change without its claim"))?;
    tracing::info!(cursor = change.cursor, kind = ?change.kind(), claim_id = %claim.id, part = %claim.part_number, "claim changed");
    if change.kind() != pb::ClaimChangeKind::Sent {
        return Ok(());
    }
    let committed = chrono::Utc::now() + chrono::Duration::days(options.commit_days);
    let request = pb::AcknowledgeClaimRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        claim_id: claim.id.clone(),
        committed_solution_time: Some(prost_types::Timestamp { seconds: committed.timestamp(), nanos: 0 }),
    };
    match claims.acknowledge_claim(request).await {
        Ok(_) => {
            tracing::info!(claim_id = %claim.id, %committed, "acknowledged");
            summary.acknowledged.push(claim.id.clone());
            Ok(())
        }
        // Already acknowledged (a change replayed after a crash, or someone acknowledged it by hand).
        Err(status) if status.code() == Code::FailedPrecondition => {
            tracing::info!(claim_id = %claim.id, "already acknowledged");
            Ok(())
        }
        Err(status) => Err(status),
    }
}
