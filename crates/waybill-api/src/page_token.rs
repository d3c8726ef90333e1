//! Opaque, tamper-evident page tokens. A token names the last row of the page it ends and
//! is bound to the organization, connection, endpoint and filter set it was issued for;
//! presenting it anywhere else is a 422.

use crate::error::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use waybill_connect::Secrets;
use waybill_store::Keyset;

/// What a page token binds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scope {
    /// Organization id.
    pub o: String,
    /// Connection id (empty for org-level lists).
    pub c: String,
    /// Endpoint key, including any parent id.
    pub e: String,
    /// Filter fingerprint.
    pub f: String,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    #[serde(flatten)]
    scope: Scope,
    /// Sequence of the last row returned.
    s: i64,
    /// Sort key of the last row, for pages ordered by a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    k: Option<String>,
}

/// Issues a token continuing after `after`.
pub fn issue(secrets: &Secrets, scope: &Scope, after: &Keyset) -> String {
    let payload = serde_json::to_vec(&Payload {
        scope: scope.clone(),
        s: after.seq,
        k: after.key.clone(),
    })
    .expect("payload serializes");
    let sig = secrets.sign(&payload);
    format!("{}.{sig}", URL_SAFE_NO_PAD.encode(payload))
}

/// Reads a token presented for `scope`; returns the sequence to continue after.
pub fn open(secrets: &Secrets, scope: &Scope, token: Option<&str>) -> Result<Keyset, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(Keyset::default());
    };
    let bad = |m: &str| ApiError::invalid("query", "page_token", m);
    let (body, sig) = token
        .split_once('.')
        .ok_or_else(|| bad("Invalid page token."))?;
    let payload = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| bad("Invalid page token."))?;
    if !secrets.verify(&payload, sig) {
        return Err(bad("Invalid page token."));
    }
    let p: Payload = serde_json::from_slice(&payload).map_err(|_| bad("Invalid page token."))?;
    if p.scope != *scope {
        return Err(bad("This page token was issued for another endpoint, connection or filter set. Send the same filters as the first page."));
    }
    Ok(Keyset { seq: p.s, key: p.k })
}
