//! Dev tokens for any role and tenant, signed with the dev user key under the test's data directory.

use aftersales_runtime::auth::Claims;
use aftersales_runtime::auth::keys::{dev_user_key_path, load_or_create, private_pem};
use aftersales_runtime::auth::verifier::mint_token;
use tonic::metadata::MetadataValue;
use tonic::service::Interceptor;

/// Who a test calls as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Role name.
    pub role: String,
    /// Dealer (dealer staff).
    pub dealer_id: Option<String>,
    /// Supplier (supplier systems).
    pub supplier_id: Option<String>,
}

impl Caller {
    /// A caller of `role` with no tenant claim.
    pub fn role(role: &str) -> Caller {
        Caller { role: role.to_string(), dealer_id: None, supplier_id: None }
    }

    /// Dealer staff of `dealer`.
    pub fn dealer(role: &str, dealer: &str) -> Caller {
        Caller { role: role.to_string(), dealer_id: Some(dealer.to_string()), supplier_id: None }
    }

    /// A supplier system.
    pub fn supplier(supplier: &str) -> Caller {
        Caller { role: "supplier".into(), dealer_id: None, supplier_id: Some(supplier.to_string()) }
    }

    /// Claims valid for an hour.
    pub fn claims(&self) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: format!("{}-{}", self.role, uuid::Uuid::now_v7().simple()),
            role: self.role.clone(),
            dealer_id: self.dealer_id.clone(),
            supplier_id: self.supplier_id.clone(),
            aud: "aftersales".into(),
            iss: "aftersales-dev".into(),
            exp: now + 3600,
            iat: now,
        }
    }

    /// A token signed with the dev user key of `data_dir` (created if absent).
    pub fn token(&self, data_dir: &str) -> String {
        sign(data_dir, &self.claims())
    }

    /// A token for this caller as the staff member `subject` (e.g. a registered technician).
    pub fn token_as(&self, data_dir: &str, subject: &str) -> String {
        let mut claims = self.claims();
        claims.sub = subject.to_string();
        sign(data_dir, &claims)
    }
}

/// Signs arbitrary claims with the dev user key of `data_dir`.
pub fn sign(data_dir: &str, claims: &Claims) -> String {
    let key = load_or_create(&dev_user_key_path(data_dir)).expect("dev user key");
    mint_token(&private_pem(&key), claims, None).expect("token")
}

/// Adds `authorization: Bearer <token>` to every call (or nothing, for the "no token" cases).
#[derive(Debug, Clone)]
pub struct Bearer(pub Option<String>);

impl Interceptor for Bearer {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(token) = &self.0 {
            let value =
                MetadataValue::try_from(format!("Bearer {token}")).map_err(|_| tonic::Status::internal("token"))?;
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }
}

/// A token service `service` would present to its peers (signed with its dev service key).
pub fn service_token(data_dir: &str, service: &str) -> String {
    use aftersales_runtime::auth::SERVICE_ISSUER;
    use aftersales_runtime::auth::keys::dev_service_key_path;
    let key = load_or_create(&dev_service_key_path(data_dir, service)).expect("dev service key");
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: service.to_string(),
        role: "service".into(),
        dealer_id: None,
        supplier_id: None,
        aud: "aftersales".into(),
        iss: SERVICE_ISSUER.into(),
        exp: now + 600,
        iat: now,
    };
    mint_token(&private_pem(&key), &claims, Some(&format!("service:{service}"))).expect("service token")
}
