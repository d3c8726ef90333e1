//! Opaque, tamper-evident page tokens. A token names the last row of the page it ends and
//! is bound to the organization, connection, endpoint and filter set it was issued for;
//! presenting it anywhere else is a 422.

use crate::error::ApiError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use waybill_connect::Secrets;

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
}

/// Issues a token continuing after `seq`.
pub fn issue(secrets: &Secrets, scope: &Scope, seq: i64) -> String {
    let payload = serde_json::to_vec(&Payload {
        scope: scope.clone(),
        s: seq,
    })
    .expect("payload serializes");
    let sig = secrets.sign(&payload);
    format!("{}.{sig}", URL_SAFE_NO_PAD.encode(payload))
}

/// Reads a token presented for `scope`; returns the sequence to continue after.
pub fn open(secrets: &Secrets, scope: &Scope, token: Option<&str>) -> Result<i64, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(0);
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
    Ok(p.s)
}
