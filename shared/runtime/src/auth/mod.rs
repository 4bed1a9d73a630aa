//! Who is calling: bearer tokens (JWT) verified into a [`Principal`] with a role and a tenant.
//!
//! User tokens are signed by the identity provider (dev mode: a key generated under `<data_dir>/keys`); each
//! service signs its own short-lived tokens for calls to other services with its own key. A token signed by a
//! service key is accepted only for that service's name and role `service`, and only for the RPCs of the feed
//! graph ([`graph`]); a user key can never vouch for role `service`.

pub mod graph;
pub mod keys;
pub mod principal;
pub mod service_tokens;
pub mod verifier;

pub use principal::{DealerScope, Principal, Role, Tenant};
pub use service_tokens::{ServiceAuth, ServiceTokens};
pub use verifier::{Authenticator, Claims};

/// `iss` of the tokens services mint for each other.
pub const SERVICE_ISSUER: &str = "aftersales-service";
