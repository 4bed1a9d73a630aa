//! Key material: dev keys generated once under `<data_dir>/keys`, and PEM files named in configuration.
//!
//! Dev keys are ES256 (P-256) private keys in PKCS#8 PEM; the public half is derived when needed, so a key is one
//! file and can be created race-free by several services starting at once (write a temporary file, then link it
//! into place only if nobody else did first).

use std::io::Write;
use std::path::{Path, PathBuf};

use p256::ecdsa::SigningKey;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};

use crate::settings::{SERVICES, Settings};

/// The dev user-token key: what the CLI signs tokens with in dev mode.
pub fn dev_user_key_path(data_dir: &str) -> PathBuf {
    Path::new(data_dir).join("keys").join("dev-user.pem")
}

/// A service's dev key.
pub fn dev_service_key_path(data_dir: &str, service: &str) -> PathBuf {
    Path::new(data_dir).join("keys").join(format!("service-{service}.pem"))
}

/// Reads the ES256 private key at `path`, generating it first if it does not exist.
pub fn load_or_create(path: &Path) -> std::io::Result<SigningKey> {
    if !path.exists() {
        create(path)?;
    }
    read_private(path)
}

/// Reads an ES256 private key (PKCS#8 PEM).
pub fn read_private(path: &Path) -> std::io::Result<SigningKey> {
    let pem = std::fs::read_to_string(path)?;
    SigningKey::from_pkcs8_pem(&pem)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display())))
}

/// The private key as PKCS#8 PEM (for signing with jsonwebtoken).
pub fn private_pem(key: &SigningKey) -> String {
    key.to_pkcs8_pem(LineEnding::LF).map(|pem| pem.to_string()).unwrap_or_default()
}

/// The public key as SPKI PEM (for verifying with jsonwebtoken).
pub fn public_pem(key: &SigningKey) -> String {
    key.verifying_key().to_public_key_pem(LineEnding::LF).unwrap_or_default()
}

fn create(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let key = SigningKey::random(&mut rand_core::OsRng);
    let temp = dir.join(format!(".{}.{}.tmp", std::process::id(), uuid::Uuid::now_v7()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(private_pem(&key).as_bytes())?;
        file.sync_all()?;
    }
    // A hard link fails if the target exists: whoever links first wins, the others read the winner's key.
    let linked = std::fs::hard_link(&temp, path);
    std::fs::remove_file(&temp)?;
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The public keys a service trusts and the private key it signs with, resolved from settings.
pub struct KeySet {
    /// Identity provider public keys (PEM).
    pub user_public: Vec<String>,
    /// Service name → public key (PEM).
    pub service_public: Vec<(String, String)>,
    /// This service's own private key (PKCS#8 PEM).
    pub own_private: String,
}

impl KeySet {
    /// Resolves keys for `settings.service.name`, generating dev keys when `auth.dev_keys` is on.
    pub fn resolve(settings: &Settings) -> std::io::Result<KeySet> {
        let auth = &settings.auth;
        let mut user_public =
            auth.user_public_keys.iter().map(std::fs::read_to_string).collect::<std::io::Result<Vec<_>>>()?;
        let mut service_public = auth
            .service_public_keys
            .iter()
            .map(|(name, path)| Ok((name.clone(), std::fs::read_to_string(path)?)))
            .collect::<std::io::Result<Vec<_>>>()?;
        let mut own_private = if auth.service_private_key.is_empty() {
            String::new()
        } else {
            std::fs::read_to_string(&auth.service_private_key)?
        };
        if auth.dev_keys {
            user_public.push(public_pem(&load_or_create(&dev_user_key_path(&settings.data_dir))?));
            for (name, _) in SERVICES {
                let key = load_or_create(&dev_service_key_path(&settings.data_dir, name))?;
                if name == settings.service.name && own_private.is_empty() {
                    own_private = private_pem(&key);
                }
                if !service_public.iter().any(|(known, _)| known == name) {
                    service_public.push((name.to_string(), public_pem(&key)));
                }
            }
        }
        Ok(KeySet { user_public, service_public, own_private })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/k.pem");
        let first = load_or_create(&path).unwrap();
        let second = load_or_create(&path).unwrap();
        assert_eq!(public_pem(&first), public_pem(&second));
    }

    #[test]
    fn concurrent_creators_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pem");
        let keys: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| public_pem(&load_or_create(&path).unwrap()))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(keys.windows(2).all(|w| w[0] == w[1]));
    }
}
