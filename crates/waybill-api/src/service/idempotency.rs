//! Idempotency keys (SPEC §12.6): the header, the request fingerprint, and the claim that
//! decides whether a write executes, replays, conflicts or is refused.

use crate::error::ApiError;
use crate::service::writes::json_response;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;
use sha2::{Digest, Sha256};
use waybill_model::time;
use waybill_store::{Claim, IdempotencyStore};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The response header of a replay.
pub const REPLAYED: &str = "idempotent-replayed";
/// Longest key accepted.
pub const MAX_LEN: usize = 255;
/// How long a key is remembered.
pub const LIFETIME_SECS: i64 = 24 * 3600;
/// How long a request may hold a key before its lock is considered dead.
pub const STALE_SECS: i64 = 15 * 60;

/// The `Idempotency-Key` of a request, when it sent one; too long or empty keys are a 422.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(HEADER) else {
        return Ok(None);
    };
    let k = v
        .to_str()
        .map_err(|_| ApiError::invalid("headers", "Idempotency-Key", "Must be printable ASCII."))?
        .trim();
    if k.is_empty() || k.len() > MAX_LEN {
        return Err(ApiError::invalid(
            "headers",
            "Idempotency-Key",
            format!("Must be 1 to {MAX_LEN} characters."),
        ));
    }
    Ok(Some(k.to_string()))
}

/// JSON with object keys sorted at every level, so key order and whitespace never change a
/// fingerprint while array order does.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// The fingerprint of a request: method, path and canonical body.
pub fn fingerprint(method: &str, path: &str, body: &Value) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(canonical(body).as_bytes());
    hex::encode(h.finalize())
}

/// What a keyed request must do.
enum Outcome {
    /// Execute, then complete or release the key.
    Execute,
    /// Answer with the stored response.
    Replay {
        /// Stored status.
        status: u16,
        /// Stored body.
        body: String,
    },
}

/// Claims the key for this request, or explains why it cannot run.
async fn claim(state: &AppState, conn: &str, key: &str, fp: &str) -> Result<Outcome, ApiError> {
    let now = time::now();
    let claim = state
        .store
        .claim_key(
            conn,
            key,
            fp,
            &time::fmt(now),
            &time::fmt(now - chrono::Duration::seconds(LIFETIME_SECS)),
            &time::fmt(now - chrono::Duration::seconds(STALE_SECS)),
        )
        .await?;
    match claim {
        Claim::New => Ok(Outcome::Execute),
        Claim::Replay { status, body } => Ok(Outcome::Replay { status, body }),
        Claim::InFlight => Err(ApiError::Conflict(
            "A request with this Idempotency-Key is still being processed. Retry when it has finished.".into(),
        )),
        Claim::Mismatch => Err(ApiError::BadRequest(
            "This Idempotency-Key was already used for a different request (another route or body). Use a new key.".into(),
        )),
    }
}

/// Runs `work` under the request's idempotency key, when it sent one: a stored success is
/// replayed without running it; otherwise it runs, and its answer is remembered on success
/// or the key released on failure. Without a key, `work` just runs.
pub async fn guarded(
    state: &AppState,
    conn: &str,
    key: Option<&str>,
    fingerprint: &str,
    work: impl std::future::Future<Output = Result<String, ApiError>>,
) -> Result<Response, ApiError> {
    let Some(k) = key else {
        return work.await.map(json_response);
    };
    if let Outcome::Replay { status, body } = claim(state, conn, k, fingerprint).await? {
        return Ok(replay(status, body));
    }
    match work.await {
        Ok(body) => {
            complete(state, conn, k, 200, &body).await?;
            Ok(json_response(body))
        }
        Err(e) => {
            release(state, conn, k).await;
            Err(e)
        }
    }
}

/// A stored answer, byte for byte, marked as a replay.
fn replay(status: u16, body: String) -> Response {
    let mut r = json_response(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    r
}

/// Remembers the successful answer.
async fn complete(
    state: &AppState,
    conn: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), ApiError> {
    state.store.complete_key(conn, key, status, body).await?;
    Ok(())
}

/// Frees the key after a failure so the client can retry with it.
async fn release(state: &AppState, conn: &str, key: &str) {
    if let Err(e) = state.store.release_key(conn, key).await {
        tracing::warn!(error = %e, "could not release an idempotency key; it frees itself after 15 minutes");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprint_ignores_key_order_not_array_order() {
        let a = fingerprint("POST", "/wms/orders", &json!({"a": 1, "b": [1, 2]}));
        let b = fingerprint("POST", "/wms/orders", &json!({"b": [1, 2], "a": 1}));
        let c = fingerprint("POST", "/wms/orders", &json!({"a": 1, "b": [2, 1]}));
        let d = fingerprint("PUT", "/wms/orders", &json!({"a": 1, "b": [1, 2]}));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }
}
