//! Verifies bearer tokens: signature, expiry, audience and issuer, then role and tenant claims.

use std::collections::HashMap;

use aftersales_kernel::{DealerId, SupplierId};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, errors::ErrorKind};
use serde::{Deserialize, Serialize};

use super::keys::KeySet;
use super::{Principal, Role, SERVICE_ISSUER, Tenant};

/// The claims of every token of the suite.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Staff member, supplier system or service name.
    pub sub: String,
    /// One of the roles of DOMAIN.md.
    pub role: String,
    /// The dealer, for dealer staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dealer_id: Option<String>,
    /// The supplier, for supplier systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_id: Option<String>,
    /// "aftersales".
    pub aud: String,
    /// Who signed it.
    pub iss: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
}

/// Verified tokens kept, so a caller's every call does not pay a signature check (ES256: ~0.4 ms of CPU).
const CACHE_LIMIT: usize = 10_000;

/// Turns tokens into principals.
pub struct Authenticator {
    /// SHA-256 of a verified token → who it speaks for and until when (`exp`, seconds). Only successes are kept,
    /// and an entry is used only while its token is unexpired; when full, the cache starts over.
    verified: std::sync::Mutex<HashMap<[u8; 32], (Principal, i64)>>,
    user_keys: Vec<(DecodingKey, Algorithm)>,
    service_keys: HashMap<String, DecodingKey>,
    issuer: String,
    audience: String,
    leeway: u64,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("user_keys", &self.user_keys.len())
            .field("service_keys", &self.service_keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Why a token was refused (the message goes back to the caller; it never echoes the token).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct AuthError(pub String);

impl Authenticator {
    /// Builds a verifier from resolved keys.
    pub fn new(keys: &KeySet, issuer: &str, audience: &str, leeway: u64) -> Result<Authenticator, AuthError> {
        let user_keys = keys.user_public.iter().map(|pem| parse_public(pem)).collect::<Result<Vec<_>, _>>()?;
        let service_keys = keys
            .service_public
            .iter()
            .map(|(name, pem)| {
                DecodingKey::from_ec_pem(pem.as_bytes())
                    .map(|key| (name.clone(), key))
                    .map_err(|e| AuthError(format!("service key of {name}: {e}")))
            })
            .collect::<Result<HashMap<_, _>, _>>()?;
        Ok(Authenticator {
            verified: std::sync::Mutex::new(HashMap::new()),
            user_keys,
            service_keys,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            leeway,
        })
    }

    /// Verifies `token` (or finds it verified before and still unexpired) and returns who it speaks for.
    pub fn authenticate(&self, token: &str) -> Result<Principal, AuthError> {
        use sha2::Digest;
        let key: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        let now = chrono::Utc::now().timestamp();
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((principal, exp)) = verified.get(&key) {
            if now <= *exp + self.leeway as i64 {
                return Ok(principal.clone());
            }
            verified.remove(&key);
        }
        drop(verified);
        let (principal, exp) = self.verify_token(token)?;
        let mut verified = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if verified.len() >= CACHE_LIMIT {
            verified.clear();
        }
        verified.insert(key, (principal.clone(), exp));
        Ok(principal)
    }

    fn verify_token(&self, token: &str) -> Result<(Principal, i64), AuthError> {
        let header = decode_header(token).map_err(|_| AuthError("malformed token".into()))?;
        let claims = match header.kid.as_deref().and_then(|kid| kid.strip_prefix("service:")) {
            Some(service) => {
                let key = self
                    .service_keys
                    .get(service)
                    .ok_or_else(|| AuthError(format!("unknown service key {service:?}")))?;
                let claims = self.verify(token, key, Algorithm::ES256, SERVICE_ISSUER)?;
                if claims.role != Role::Service.as_str() || claims.sub != service {
                    return Err(AuthError("a service key signs only its own service tokens".into()));
                }
                claims
            }
            None => {
                let mut last = AuthError("no key to verify the token".into());
                let mut verified = None;
                for (key, algorithm) in self.user_keys.iter().filter(|(_, alg)| *alg == header.alg) {
                    match self.verify(token, key, *algorithm, &self.issuer) {
                        Ok(claims) => {
                            verified = Some(claims);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                let claims = verified.ok_or(last)?;
                if claims.role == Role::Service.as_str() {
                    return Err(AuthError("role service needs a service key".into()));
                }
                claims
            }
        };
        let exp = claims.exp;
        Ok((principal_from(claims)?, exp))
    }

    fn verify(&self, token: &str, key: &DecodingKey, algorithm: Algorithm, issuer: &str) -> Result<Claims, AuthError> {
        let mut validation = Validation::new(algorithm);
        validation.set_audience(&[&self.audience]);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        validation.leeway = self.leeway;
        decode::<Claims>(token, key, &validation).map(|data| data.claims).map_err(|e| {
            AuthError(
                match e.kind() {
                    ErrorKind::ExpiredSignature => "token expired",
                    ErrorKind::InvalidAudience => "token is for another audience",
                    ErrorKind::InvalidIssuer => "token from an unknown issuer",
                    ErrorKind::InvalidSignature => "token signature does not verify",
                    ErrorKind::MissingRequiredClaim(_) => "token lacks a required claim",
                    _ => "token could not be verified",
                }
                .to_string(),
            )
        })
    }
}

fn parse_public(pem: &str) -> Result<(DecodingKey, Algorithm), AuthError> {
    if let Ok(key) = DecodingKey::from_ec_pem(pem.as_bytes()) {
        return Ok((key, Algorithm::ES256));
    }
    DecodingKey::from_rsa_pem(pem.as_bytes())
        .map(|key| (key, Algorithm::RS256))
        .map_err(|e| AuthError(format!("user public key: {e}")))
}

fn principal_from(claims: Claims) -> Result<Principal, AuthError> {
    let role = Role::parse(&claims.role).ok_or_else(|| AuthError(format!("unknown role {:?}", claims.role)))?;
    if claims.sub.is_empty() {
        return Err(AuthError("token has an empty subject".into()));
    }
    let tenant = if role.is_dealer_staff() {
        let raw = claims.dealer_id.as_deref().ok_or_else(|| AuthError("dealer staff token lacks dealer_id".into()))?;
        Tenant::Dealer(DealerId::parse(raw).map_err(|_| AuthError("dealer_id is not a dealer id".into()))?)
    } else if role == Role::Supplier {
        let raw = claims.supplier_id.as_deref().ok_or_else(|| AuthError("supplier token lacks supplier_id".into()))?;
        Tenant::Supplier(SupplierId::parse(raw).map_err(|_| AuthError("supplier_id is not a supplier id".into()))?)
    } else if role == Role::Service {
        Tenant::Service(claims.sub.clone())
    } else {
        Tenant::Oem
    };
    Ok(Principal { subject: claims.sub, role, tenant })
}

/// Signs user tokens with a PKCS#8 PEM key (dev mode, CLI and tests; production tokens come from the identity
/// provider).
pub fn mint_token(private_pem: &str, claims: &Claims, kid: Option<&str>) -> Result<String, AuthError> {
    let key = jsonwebtoken::EncodingKey::from_ec_pem(private_pem.as_bytes())
        .map_err(|e| AuthError(format!("signing key: {e}")))?;
    let mut header = jsonwebtoken::Header::new(Algorithm::ES256);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &key).map_err(|e| AuthError(format!("signing: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::keys::{private_pem, public_pem};
    use p256::ecdsa::SigningKey;

    struct Fixture {
        user: SigningKey,
        service: SigningKey,
        auth: Authenticator,
    }

    fn fixture() -> Fixture {
        let user = SigningKey::random(&mut rand_core::OsRng);
        let service = SigningKey::random(&mut rand_core::OsRng);
        let keys = KeySet {
            user_public: vec![public_pem(&user)],
            service_public: vec![("workshop".into(), public_pem(&service))],
            own_private: String::new(),
        };
        let auth = Authenticator::new(&keys, "aftersales-dev", "aftersales", 0).unwrap();
        Fixture { user, service, auth }
    }

    fn claims(role: &str) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: "alice".into(),
            role: role.into(),
            dealer_id: Some(DealerId::new().to_string()),
            supplier_id: None,
            aud: "aftersales".into(),
            iss: "aftersales-dev".into(),
            exp: now + 600,
            iat: now,
        }
    }

    #[test]
    fn a_valid_user_token_gives_its_principal() {
        let f = fixture();
        let token = mint_token(&private_pem(&f.user), &claims("service_advisor"), None).unwrap();
        let principal = f.auth.authenticate(&token).unwrap();
        assert_eq!(principal.role, Role::ServiceAdvisor);
        assert!(matches!(principal.tenant, Tenant::Dealer(_)));
    }

    #[test]
    fn expired_wrong_audience_and_foreign_signatures_are_refused() {
        let f = fixture();
        let mut expired = claims("service_advisor");
        expired.exp = chrono::Utc::now().timestamp() - 60;
        let mut other_audience = claims("service_advisor");
        other_audience.aud = "billing".into();
        let stranger = SigningKey::random(&mut rand_core::OsRng);
        for (token, why) in [
            (mint_token(&private_pem(&f.user), &expired, None).unwrap(), "expired"),
            (mint_token(&private_pem(&f.user), &other_audience, None).unwrap(), "audience"),
            (mint_token(&private_pem(&stranger), &claims("service_advisor"), None).unwrap(), "signature"),
        ] {
            assert!(f.auth.authenticate(&token).is_err(), "{why} accepted");
        }
    }

    #[test]
    fn a_user_key_cannot_vouch_for_a_service() {
        let f = fixture();
        let token = mint_token(&private_pem(&f.user), &claims("service"), None).unwrap();
        assert!(f.auth.authenticate(&token).is_err());
    }

    #[test]
    fn a_service_key_signs_only_its_own_name() {
        let f = fixture();
        let mut c = claims("service");
        c.iss = SERVICE_ISSUER.into();
        c.sub = "workshop".into();
        let ok = mint_token(&private_pem(&f.service), &c, Some("service:workshop")).unwrap();
        assert_eq!(f.auth.authenticate(&ok).unwrap().tenant, Tenant::Service("workshop".into()));
        c.sub = "parts".into();
        let impostor = mint_token(&private_pem(&f.service), &c, Some("service:workshop")).unwrap();
        assert!(f.auth.authenticate(&impostor).is_err());
    }

    #[test]
    fn dealer_staff_tokens_need_a_dealer() {
        let f = fixture();
        let mut c = claims("technician");
        c.dealer_id = None;
        let token = mint_token(&private_pem(&f.user), &c, None).unwrap();
        assert!(f.auth.authenticate(&token).is_err());
    }
}
