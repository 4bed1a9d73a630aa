//! Tokens a service presents to the services it follows, and the client interceptor that attaches them together
//! with the W3C trace context of the current span.

use std::sync::{Arc, Mutex};

use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;

use super::verifier::{AuthError, Claims, mint_token};
use super::{Role, SERVICE_ISSUER};

/// How long a minted service token lives.
const LIFETIME_SECONDS: i64 = 600;
/// Mint a fresh one when less than this is left.
const REFRESH_BEFORE_SECONDS: i64 = 120;

/// Mints and caches this service's own tokens.
pub struct ServiceTokens {
    service: String,
    audience: String,
    private_pem: String,
    cached: Mutex<Option<(String, i64)>>,
}

impl std::fmt::Debug for ServiceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceTokens").field("service", &self.service).finish()
    }
}

impl ServiceTokens {
    /// Tokens for `service`, signed with its private key.
    pub fn new(service: &str, audience: &str, private_pem: String) -> Self {
        Self { service: service.to_string(), audience: audience.to_string(), private_pem, cached: Mutex::new(None) }
    }

    /// A token valid for at least two more minutes.
    pub fn token(&self) -> Result<String, AuthError> {
        let now = chrono::Utc::now().timestamp();
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((token, exp)) = cached.as_ref()
            && exp - now > REFRESH_BEFORE_SECONDS
        {
            return Ok(token.clone());
        }
        let claims = Claims {
            sub: self.service.clone(),
            role: Role::Service.as_str().to_string(),
            dealer_id: None,
            supplier_id: None,
            aud: self.audience.clone(),
            iss: SERVICE_ISSUER.to_string(),
            exp: now + LIFETIME_SECONDS,
            iat: now,
        };
        let token = mint_token(&self.private_pem, &claims, Some(&format!("service:{}", self.service)))?;
        *cached = Some((token.clone(), claims.exp));
        Ok(token)
    }
}

/// Client interceptor: bearer token plus `traceparent`/`tracestate` of the current span.
#[derive(Clone, Debug)]
pub struct ServiceAuth {
    tokens: Arc<ServiceTokens>,
}

impl ServiceAuth {
    /// Wraps a token source.
    pub fn new(tokens: Arc<ServiceTokens>) -> Self {
        Self { tokens }
    }
}

impl Interceptor for ServiceAuth {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        let token =
            self.tokens.token().map_err(|e| tonic::Status::internal(format!("could not mint a service token: {e}")))?;
        let value = MetadataValue::try_from(format!("Bearer {token}"))
            .map_err(|_| tonic::Status::internal("service token is not valid metadata"))?;
        request.metadata_mut().insert("authorization", value);
        crate::telemetry::inject_trace_context(request.metadata_mut());
        Ok(request)
    }
}
