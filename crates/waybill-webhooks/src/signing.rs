//! Standard Webhooks signatures (the scheme Svix uses): `v1,<base64 HMAC-SHA256>` of
//! `{msg_id}.{timestamp}.{body}` under the base64-decoded secret, with one signature per
//! active secret, space-separated, while a rotation's grace period lasts.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Prefix of every signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a new secret (Svix uses 24).
const SECRET_BYTES: usize = 24;

/// A fresh `whsec_…` secret.
pub fn generate_secret() -> String {
    let mut b = [0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut b);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(b))
}

/// The HMAC key of a `whsec_…` secret; `None` when it is not one.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let b64 = secret.strip_prefix(SECRET_PREFIX)?;
    STANDARD.decode(b64).ok().filter(|k| !k.is_empty())
}

/// One `v1,<sig>` signature.
pub fn sign(key: &[u8], msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac accepts any key length");
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The `svix-signature` / `webhook-signature` value: one signature per key.
pub fn signature_header(keys: &[Vec<u8>], msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|k| sign(k, msg_id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(id: &str, ts: i64, sig: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert("webhook-id", id.parse().unwrap());
        h.insert("webhook-timestamp", ts.to_string().parse().unwrap());
        h.insert("webhook-signature", sig.parse().unwrap());
        h
    }

    #[test]
    fn an_independent_verifier_accepts_every_active_secret() {
        let (old, new) = (generate_secret(), generate_secret());
        assert!(new.starts_with(SECRET_PREFIX) && new.len() == SECRET_PREFIX.len() + 32);
        let keys = vec![secret_key(&new).unwrap(), secret_key(&old).unwrap()];
        let ts = chrono::Utc::now().timestamp();
        let body = br#"{"event_type":"order.created"}"#;
        let sig = signature_header(&keys, "msg_1", ts, body);
        assert_eq!(sig.split(' ').count(), 2);
        for s in [&old, &new] {
            standardwebhooks::Webhook::new(s)
                .unwrap()
                .verify(body, &headers("msg_1", ts, &sig))
                .unwrap();
        }
        let other = generate_secret();
        assert!(standardwebhooks::Webhook::new(&other)
            .unwrap()
            .verify(body, &headers("msg_1", ts, &sig))
            .is_err());
        assert!(standardwebhooks::Webhook::new(&new)
            .unwrap()
            .verify(b"{}", &headers("msg_1", ts, &sig))
            .is_err());
    }

    #[test]
    fn rejects_non_secrets() {
        assert!(secret_key("abc").is_none());
        assert!(secret_key("whsec_").is_none());
        assert!(secret_key("whsec_!!").is_none());
    }
}
