//! The partner endpoint: a second listener of the same routes for supplier systems, over mutual TLS (ARCHITECTURE.md,
//! "Security": mutual TLS for supplier systems, by configuration).
//!
//! A connection needs a client certificate signed by the configured CA (`partner.client_ca_file`); each call still
//! carries its bearer token, verified by the edge as on the main listener. On this endpoint the edge then admits
//! only supplier tokens, and only from a certificate issued to that supplier: one valid for the DNS name
//! `<supplier id>.<partner.supplier_name_suffix>`. A stolen token is useless without the supplier's key, and a
//! supplier's certificate cannot carry another supplier's token.

use std::sync::Arc;

use anyhow::Context as _;
use http::Request;
use rustls_pki_types::{CertificateDer, ServerName};
use tonic::Status;
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

use crate::auth::{Principal, Role};
use crate::settings::PartnerSettings;

/// What the edge checks of a call on the partner endpoint.
#[derive(Debug, Clone)]
pub struct PartnerGate {
    /// The DNS-name suffix a supplier's certificate carries after its id.
    suffix: String,
}

impl PartnerGate {
    /// The gate of `settings`.
    pub fn new(settings: &PartnerSettings) -> Arc<PartnerGate> {
        Arc::new(PartnerGate { suffix: settings.supplier_name_suffix.clone() })
    }

    /// Admits the call of `principal` if it is a supplier's and the connection's certificate was issued to it.
    pub fn admit<B>(&self, principal: &Principal, request: &Request<B>) -> Result<(), Status> {
        let supplier = match (principal.role, principal.supplier()) {
            (Role::Supplier, Some(id)) => id,
            _ => return Err(Status::permission_denied("the partner endpoint serves supplier systems only")),
        };
        let certificates = request
            .extensions()
            .get::<TlsConnectInfo<TcpConnectInfo>>()
            .and_then(|info| info.peer_certs())
            .ok_or_else(|| Status::unauthenticated("no client certificate"))?;
        let leaf = certificates.first().ok_or_else(|| Status::unauthenticated("no client certificate"))?;
        if self.names(leaf, &supplier.to_string()) {
            Ok(())
        } else {
            Err(Status::unauthenticated("the client certificate was not issued to the token's supplier"))
        }
    }

    /// Whether the certificate is valid for `<supplier>.<suffix>`.
    fn names(&self, der: &CertificateDer<'_>, supplier: &str) -> bool {
        let Ok(name) = ServerName::try_from(format!("{supplier}.{}", self.suffix)) else { return false };
        webpki::EndEntityCert::try_from(der).is_ok_and(|cert| cert.verify_is_valid_for_subject_name(&name).is_ok())
    }
}

/// The TLS configuration of the partner endpoint: its identity, and the CA its clients' certificates must chain to.
pub fn tls_config(settings: &PartnerSettings) -> anyhow::Result<ServerTlsConfig> {
    let read = |what: &str, path: &str| std::fs::read(path).with_context(|| format!("partner.{what}: {path}"));
    let identity = Identity::from_pem(read("cert_file", &settings.cert_file)?, read("key_file", &settings.key_file)?);
    let clients = Certificate::from_pem(read("client_ca_file", &settings.client_ca_file)?);
    Ok(ServerTlsConfig::new().identity(identity).client_ca_root(clients))
}
