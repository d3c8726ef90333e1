//! Secrets at rest and in flight. One 32-byte master key feeds every derived key:
//! AES-256-GCM for vendor credentials, HMAC keys for access-token derivation and page-token
//! signatures. API keys, access tokens, link tokens and auth codes are stored only as
//! SHA-256 hashes.
//!
//! Access tokens are derived, not stored: `HMAC(token_key, connection_id:generation)`. The
//! database holds only the hash, yet a reinstall or a repeated sandbox generation can hand
//! back the same token, as Trackstar's contract requires.

use crate::Credentials;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Prefix of every access token, so leaked tokens are recognizable.
pub const ACCESS_TOKEN_PREFIX: &str = "wbt_";

/// Keys derived from the master key.
#[derive(Clone)]
pub struct Secrets {
    enc_key: [u8; 32],
    token_key: [u8; 32],
    sign_key: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(<redacted>)")
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("hmac accepts any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Hex SHA-256, the only form in which bearer secrets are stored.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// `n` random bytes, URL-safe base64 encoded, for keys, tokens and codes.
pub fn random_token(n: usize) -> String {
    let mut b = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// Why a ciphertext could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("credentials could not be decrypted (wrong master key or corrupt data)")]
pub struct DecryptError;

impl Secrets {
    /// Derives every key from the master key.
    pub fn new(master: [u8; 32]) -> Self {
        Self {
            enc_key: derive(&master, "waybill/credentials/v1"),
            token_key: derive(&master, "waybill/access-token/v1"),
            sign_key: derive(&master, "waybill/signatures/v1"),
        }
    }

    /// Parses a master key given as 64 hex characters or base64 of 32 bytes.
    pub fn parse_master(s: &str) -> Option<[u8; 32]> {
        let s = s.trim();
        let bytes = hex::decode(s).ok().or_else(|| STANDARD.decode(s).ok())?;
        bytes.try_into().ok()
    }

    /// A fresh random master key.
    pub fn generate_master() -> [u8; 32] {
        let mut k = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut k);
        k
    }

    /// Encrypts credentials: base64(nonce || ciphertext).
    pub fn encrypt(&self, creds: &Credentials) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.enc_key).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let plain = serde_json::to_vec(&creds.0).expect("a JSON map serializes");
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_ref())
            .expect("AES-GCM encryption of a small buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend(ct);
        STANDARD.encode(out)
    }

    /// Decrypts what `encrypt` produced.
    pub fn decrypt(&self, stored: &str) -> Result<Credentials, DecryptError> {
        let raw = STANDARD.decode(stored).map_err(|_| DecryptError)?;
        if raw.len() < 12 {
            return Err(DecryptError);
        }
        let cipher = Aes256Gcm::new_from_slice(&self.enc_key).map_err(|_| DecryptError)?;
        let plain = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| DecryptError)?;
        serde_json::from_slice(&plain)
            .map(Credentials)
            .map_err(|_| DecryptError)
    }

    /// Encrypts a string secret that must be recoverable (webhook signing secrets):
    /// base64(nonce || ciphertext), like `encrypt`.
    pub fn encrypt_str(&self, plain: &str) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.enc_key).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encryption of a small buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend(ct);
        STANDARD.encode(out)
    }

    /// Decrypts what `encrypt_str` produced.
    pub fn decrypt_str(&self, stored: &str) -> Result<String, DecryptError> {
        let raw = STANDARD.decode(stored).map_err(|_| DecryptError)?;
        if raw.len() < 12 {
            return Err(DecryptError);
        }
        let cipher = Aes256Gcm::new_from_slice(&self.enc_key).map_err(|_| DecryptError)?;
        let plain = cipher
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .map_err(|_| DecryptError)?;
        String::from_utf8(plain).map_err(|_| DecryptError)
    }

    /// The access token of a connection at a token generation.
    pub fn access_token(&self, connection_id: &str, generation: i64) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.token_key).expect("hmac key");
        mac.update(format!("{connection_id}:{generation}").as_bytes());
        format!(
            "{ACCESS_TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    /// Signs a payload (page tokens, data URLs); URL-safe base64 of the MAC.
    pub fn sign(&self, payload: &[u8]) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("hmac key");
        mac.update(payload);
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Checks a signature made by `sign` in constant time.
    pub fn verify(&self, payload: &[u8], sig: &str) -> bool {
        let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
            return false;
        };
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("hmac key");
        mac.update(payload);
        mac.verify_slice(&sig).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_round_trip_and_tamper_fails() {
        let s = Secrets::new([7; 32]);
        let mut c = Credentials::default();
        c.0.insert("api_key".into(), json!("k"));
        let enc = s.encrypt(&c);
        assert!(!enc.contains("api_key"));
        assert_eq!(s.decrypt(&enc).unwrap().get_str("api_key"), Some("k"));
        assert!(Secrets::new([8; 32]).decrypt(&enc).is_err());
    }

    #[test]
    fn strings_round_trip() {
        let s = Secrets::new([7; 32]);
        let enc = s.encrypt_str("whsec_abc");
        assert!(!enc.contains("whsec"));
        assert_eq!(s.decrypt_str(&enc).unwrap(), "whsec_abc");
        assert!(Secrets::new([8; 32]).decrypt_str(&enc).is_err());
    }

    #[test]
    fn tokens_are_stable_per_generation() {
        let s = Secrets::new([1; 32]);
        assert_eq!(s.access_token("c", 0), s.access_token("c", 0));
        assert_ne!(s.access_token("c", 0), s.access_token("c", 1));
        let sig = s.sign(b"x");
        assert!(s.verify(b"x", &sig));
        assert!(!s.verify(b"y", &sig));
    }
}
