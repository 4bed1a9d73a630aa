//! `aftersales token` and `aftersales dealer-id`, and the caller options of every calling command: `--token`, or
//! a dev token minted for `--role` (and `--dealer`) with the dev user key under `<data-dir>/keys`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_runtime::auth::keys::{dev_user_key_path, load_or_create, private_pem};
use aftersales_runtime::auth::verifier::mint_token;
use aftersales_runtime::auth::{Claims, Role};
use clap::builder::PossibleValuesParser;

use super::Outcome;
use crate::connect::Global;
use crate::output::{self, Failure};
use crate::parse;

/// `iss` the services expect of dev user tokens (`auth.issuer` of the defaults).
const ISSUER: &str = "aftersales-dev";
/// `aud` of every token of the suite (`auth.audience`).
const AUDIENCE: &str = "aftersales";
/// Lifetime of the tokens minted for a single command.
const CALL_TTL_MINUTES: i64 = 60;

/// Arguments of `aftersales token`.
#[derive(clap::Args, Debug)]
pub struct TokenArgs {
    /// Role of the token.
    #[arg(long, value_parser = roles())]
    role: String,
    /// Dealer (UUIDv7) of dealer staff: service_advisor, foreman, technician, qc_inspector, parts_clerk,
    /// dealer_manager.
    #[arg(long, env = "AFTERSALES_DEALER", value_parser = parse::dealer_id)]
    dealer: Option<String>,
    /// Supplier (UUIDv7), for role supplier.
    #[arg(long, value_parser = parse::supplier_id)]
    supplier: Option<String>,
    /// Subject (who the token speaks for); default: $USER.
    #[arg(long)]
    subject: Option<String>,
    /// Lifetime in minutes.
    #[arg(long, default_value_t = 720, value_parser = clap::value_parser!(i64).range(1..=525_600))]
    ttl_minutes: i64,
}

/// Who a calling command calls as; accepted after the command group, e.g. `aftersales orders --dealer D list`
/// or `aftersales orders list --dealer D`.
#[derive(clap::Args, Debug, Clone)]
pub struct CallerArgs {
    /// Bearer token to send; without it a dev token is minted for --role and --dealer.
    #[arg(long, global = true, env = "AFTERSALES_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Role of the minted dev token (default: the role that makes the call, e.g. foreman for `jobs assign`,
    /// technician for `jobs start`, service_advisor for orders, oem_manager for events; see each command's help).
    #[arg(long, global = true, value_parser = roles())]
    role: Option<String>,
    /// Dealer (UUIDv7) of the minted dev token; `aftersales dealer-id` prints a fresh one.
    #[arg(long, global = true, env = "AFTERSALES_DEALER", value_parser = parse::dealer_id)]
    dealer: Option<String>,
    /// Subject of the minted dev token: who the caller is. A technician acts as the subject they were registered
    /// with (`aftersales technicians list` shows it). Default: $USER. (`technicians register` reads it as the
    /// subject of the staff member it registers.)
    #[arg(long, global = true)]
    subject: Option<String>,
}

/// The roles a dev token may carry: every role but `service` (services sign their own tokens).
fn roles() -> PossibleValuesParser {
    PossibleValuesParser::new(Role::ALL.into_iter().filter(|role| *role != Role::Service).map(Role::as_str))
}

/// Prints a dev token.
pub fn run(global: &Global, args: TokenArgs) -> Outcome {
    let role = role(&args.role)?;
    let claims = claims(role, args.dealer, args.supplier, args.subject, args.ttl_minutes)?;
    output::line(&sign(&global.data_dir, &claims)?);
    Ok(ExitCode::SUCCESS)
}

/// Prints a fresh dealer id.
pub fn dealer_id() -> Outcome {
    output::line(&aftersales_kernel::DealerId::new().to_string());
    Ok(ExitCode::SUCCESS)
}

impl CallerArgs {
    /// The token to send: `--token`, or a dev token for `--role` (else `default_role`) of `--dealer`.
    pub fn token(&self, global: &Global, default_role: Role) -> Result<String, Failure> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        self.mint(global, default_role, self.subject.clone())
    }

    /// The token for a call whose `--subject` names someone else (the staff member `technicians register`
    /// registers): `--token`, or a dev token with the default subject ($USER).
    pub fn token_with_default_subject(&self, global: &Global, default_role: Role) -> Result<String, Failure> {
        match &self.token {
            Some(token) => Ok(token.clone()),
            None => self.mint(global, default_role, None),
        }
    }

    /// `--dealer`, if given.
    pub fn dealer(&self) -> Option<&str> {
        self.dealer.as_deref()
    }

    /// `--subject`, if given.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    fn mint(&self, global: &Global, default_role: Role, subject: Option<String>) -> Result<String, Failure> {
        let role = match &self.role {
            Some(name) => role(name)?,
            None => default_role,
        };
        let claims = claims(role, self.dealer.clone(), None, subject, CALL_TTL_MINUTES)?;
        sign(&global.data_dir, &claims)
    }
}

fn role(name: &str) -> Result<Role, Failure> {
    Role::parse(name).ok_or_else(|| Failure::Usage(format!("unknown role {name:?}")))
}

/// The claims of a dev token; dealer staff need a dealer and suppliers a supplier (the other is left out).
fn claims(
    role: Role,
    dealer: Option<String>,
    supplier: Option<String>,
    subject: Option<String>,
    ttl_minutes: i64,
) -> Result<Claims, Failure> {
    if role.is_dealer_staff() && dealer.is_none() {
        return Err(Failure::Usage(format!(
            "role {role} needs --dealer <UUIDv7> (or AFTERSALES_DEALER); `aftersales dealer-id` prints a fresh one"
        )));
    }
    if role == Role::Supplier && supplier.is_none() {
        return Err(Failure::Usage("role supplier needs --supplier <UUIDv7>".into()));
    }
    let now = chrono::Utc::now().timestamp();
    Ok(Claims {
        sub: subject
            .or_else(|| std::env::var("USER").ok())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "dev-user".into()),
        role: role.as_str().to_string(),
        dealer_id: dealer.filter(|_| role.is_dealer_staff()),
        supplier_id: supplier.filter(|_| role == Role::Supplier),
        aud: AUDIENCE.into(),
        iss: ISSUER.into(),
        exp: now + ttl_minutes * 60,
        iat: now,
    })
}

/// Signs with the dev user key of `data_dir`, creating it (with a note) when it is missing.
fn sign(data_dir: &str, claims: &Claims) -> Result<String, Failure> {
    let path = dev_user_key_path(data_dir);
    let existed = path.exists();
    let key = load_or_create(&path).map_err(|e| Failure::Other(format!("dev key {}: {e}", path.display())))?;
    if !existed {
        eprintln!(
            "note: created a new dev key at {}; services trust it only if they use the same data directory",
            path.display()
        );
    }
    mint_token(&private_pem(&key), claims, None).map_err(|e| Failure::Other(format!("could not sign the token: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dealer_staff_without_a_dealer_is_a_usage_error() {
        let result = claims(Role::ServiceAdvisor, None, None, None, 10);
        assert!(matches!(result, Err(Failure::Usage(m)) if m.contains("dealer-id")));
    }

    #[test]
    fn oem_tokens_carry_no_tenant_even_when_a_dealer_is_around() {
        let dealer = aftersales_kernel::DealerId::new().to_string();
        let c = claims(Role::OemManager, Some(dealer), None, Some("o".into()), 10).unwrap();
        assert_eq!((c.dealer_id, c.supplier_id), (None, None));
        assert_eq!((c.iss.as_str(), c.aud.as_str()), (ISSUER, AUDIENCE));
    }

    #[test]
    fn a_minted_token_verifies_with_the_dev_key_as_the_services_do() {
        use aftersales_runtime::auth::keys::{KeySet, public_pem};
        use aftersales_runtime::auth::{Authenticator, Tenant};
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().to_string_lossy().to_string();
        let dealer = aftersales_kernel::DealerId::new();
        let c = claims(Role::Foreman, Some(dealer.to_string()), None, None, 10).unwrap();
        let token = sign(&data_dir, &c).unwrap();
        let key = load_or_create(&dev_user_key_path(&data_dir)).unwrap();
        let keys = KeySet { user_public: vec![public_pem(&key)], service_public: vec![], own_private: String::new() };
        let principal = Authenticator::new(&keys, ISSUER, AUDIENCE, 0).unwrap().authenticate(&token).unwrap();
        assert_eq!(principal.role, Role::Foreman);
        assert_eq!(principal.tenant, Tenant::Dealer(dealer));
    }
}
