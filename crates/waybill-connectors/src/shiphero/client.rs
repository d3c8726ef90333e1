//! ShipHero's transport: a refresh token exchanged for an access token at `POST /auth/refresh`
//! (cached per connection until shortly before it expires), GraphQL sent to `POST /graphql`
//! with that bearer token, and ShipHero's credit budget tracked per connection so a
//! connection that spent its credits is handed back as rate limited before ShipHero refuses.
//!
//! ShipHero answers GraphQL failures with HTTP 200 and an `errors` array; this module maps
//! them: "not enough credits" → `RateLimited` (the wait from `time_remaining`, or from the
//! credits missing and the restore rate), permission errors → `MissingPermission`, anything
//! else → `Permanent` with ShipHero's words.

use crate::http::{transport, vendor_message, VendorHttp};
use crate::values::{int, list, num, text};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use waybill_connect::{ConnectorError, Credentials};

/// ShipHero's public API host.
pub const BASE_URL: &str = "https://public-api.shiphero.com";
/// The credit bucket ShipHero gives an account.
pub const MAX_CREDITS: f64 = 4004.0;
/// Credits ShipHero restores per second.
pub const RESTORE_PER_SEC: f64 = 60.0;
/// An access token is renewed this long before ShipHero says it expires.
const RENEW_BEFORE: Duration = Duration::from_secs(300);
/// Status reported for a GraphQL refusal: ShipHero answers 200 with `errors`, and a refused
/// request is the client's to fix.
pub const REFUSAL_STATUS: u16 = 422;

/// The refresh token of a connection, or the blocking error saying it is missing.
pub fn refresh_token(creds: &Credentials) -> Result<&str, ConnectorError> {
    creds
        .get_str("refresh_token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ConnectorError::Auth("A ShipHero refresh token is required.".into()))
}

/// The key a connection's token and credits are kept under: a hash of its refresh token and
/// host, so nothing secret is held as a key and test hosts never share state.
fn key(creds: &Credentials) -> Result<String, ConnectorError> {
    let host = creds.get_str("base_url").unwrap_or(BASE_URL).trim();
    Ok(waybill_connect::secrets::hash_secret(&format!(
        "{}\n{host}",
        refresh_token(creds)?
    )))
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    available: f64,
    at: Instant,
}

impl Bucket {
    fn now(&self, now: Instant) -> f64 {
        (self.available + now.saturating_duration_since(self.at).as_secs_f64() * RESTORE_PER_SEC)
            .min(MAX_CREDITS)
    }
}

/// Per-connection ShipHero state: cached access tokens and the credit estimate.
#[derive(Debug, Default)]
pub struct GraphQl {
    tokens: Mutex<HashMap<String, (String, Instant)>>,
    buckets: Mutex<HashMap<String, Bucket>>,
    /// Credits an operation cost last time, by operation name: what it needs next time.
    costs: Mutex<HashMap<String, f64>>,
}

/// The wait ShipHero asks for in a "not enough credits" error: its `time_remaining`
/// ("9 seconds"), else the missing credits at the restore rate, else the message's
/// "Try again in N seconds".
pub fn credits_wait(e: &Value) -> Option<Duration> {
    let secs = text(e, "time_remaining")
        .and_then(|t| leading_number(&t))
        .or_else(|| {
            let need = num(e, "required_credits")?;
            let have = num(e, "remaining_credits").unwrap_or(0.0);
            Some(((need - have).max(0.0) / RESTORE_PER_SEC).ceil())
        })
        .or_else(|| {
            let m = text(e, "message")?;
            let (_, rest) = m.split_once("again in ")?;
            leading_number(rest)
        })?;
    Some(Duration::from_secs_f64(secs.clamp(0.0, 3600.0)))
}

fn leading_number(s: &str) -> Option<f64> {
    let n: String = s
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    n.parse().ok()
}

/// Whether a GraphQL error is ShipHero's credit refusal.
pub fn is_credits_error(e: &Value) -> bool {
    int(e, "code") == Some(30)
        || text(e, "message").is_some_and(|m| m.to_ascii_lowercase().contains("enough credits"))
}

fn is_permission_error(e: &Value) -> bool {
    text(e, "message").is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("permission") || m.contains("not authorized") || m.contains("not allowed")
    })
}

fn is_auth_error(e: &Value) -> bool {
    text(e, "message").is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("expired token") || m.contains("invalid token") || m.contains("unauthenticated")
    })
}

impl GraphQl {
    /// The connection's access token: cached, or exchanged for its refresh token.
    async fn access_token(&self, creds: &Credentials) -> Result<String, ConnectorError> {
        let k = key(creds)?;
        if let Some((t, until)) = self.lock_tokens().get(&k) {
            if Instant::now() < *until {
                return Ok(t.clone());
            }
        }
        let http = VendorHttp::new(creds, BASE_URL);
        let rb = http
            .request(Method::POST, "/auth/refresh")
            .json(&json!({"refresh_token": refresh_token(creds)?}));
        let resp = rb.send().await.map_err(transport)?;
        let status = resp.status();
        let body = resp.text().await.map_err(transport)?;
        if status.is_server_error() {
            return Err(ConnectorError::Transient(format!(
                "ShipHero's token exchange failed ({status})"
            )));
        }
        if status.as_u16() == 429 {
            return Err(ConnectorError::RateLimited { retry_after: None });
        }
        if !status.is_success() {
            // Any refusal of the exchange means the refresh token does not work.
            return Err(ConnectorError::Auth(vendor_message(&body, status)));
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        let token = text(&v, "access_token").ok_or_else(|| {
            ConnectorError::Auth(
                text(&v, "message")
                    .unwrap_or_else(|| "ShipHero issued no access token.".to_string()),
            )
        })?;
        let lives = Duration::from_secs(int(&v, "expires_in").unwrap_or(3600).max(0) as u64);
        let until = Instant::now() + lives.saturating_sub(RENEW_BEFORE);
        self.lock_tokens().insert(k, (token.clone(), until));
        Ok(token)
    }

    fn lock_tokens(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Instant)>> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Spends nothing but checks that the connection's estimated credits cover what
    /// `operation` cost last time; otherwise the wait until they do.
    fn check_credits(&self, k: &str, operation: &str) -> Result<(), ConnectorError> {
        let need = self
            .costs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(operation)
            .copied()
            .unwrap_or(1.0);
        let b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bucket) = b.get(k) {
            let have = bucket.now(Instant::now());
            if have < need {
                return Err(ConnectorError::RateLimited {
                    retry_after: Some(Duration::from_secs_f64(
                        ((need - have) / RESTORE_PER_SEC).min(3600.0),
                    )),
                });
            }
        }
        Ok(())
    }

    fn spend(&self, k: &str, operation: &str, cost: f64) {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = b.entry(k.to_string()).or_insert(Bucket {
            available: MAX_CREDITS,
            at: now,
        });
        *bucket = Bucket {
            available: (bucket.now(now) - cost).max(0.0),
            at: now,
        };
        self.costs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(operation.to_string(), cost.max(1.0));
    }

    /// After a credit refusal: ShipHero's own figures replace the estimate.
    fn refused(&self, k: &str, operation: &str, e: &Value) {
        let now = Instant::now();
        let have = num(e, "remaining_credits").unwrap_or(0.0);
        self.buckets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                k.to_string(),
                Bucket {
                    available: have,
                    at: now,
                },
            );
        if let Some(need) = num(e, "required_credits") {
            self.costs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(operation.to_string(), need);
        }
    }

    /// Runs one GraphQL operation and answers its `data`. `root` names the operation's top
    /// field, whose `complexity` ShipHero reports as the credits it cost.
    pub async fn run(
        &self,
        creds: &Credentials,
        operation: &str,
        root: &str,
        query: &str,
        variables: Value,
    ) -> Result<Value, ConnectorError> {
        let k = key(creds)?;
        self.check_credits(&k, operation)?;
        let body = json!({"query": query, "variables": variables, "operationName": operation});
        let mut retried = false;
        let v = loop {
            let token = self.access_token(creds).await?;
            let http =
                VendorHttp::new(creds, BASE_URL).header("Authorization", format!("Bearer {token}"));
            match http.send(Method::POST, "/graphql", Some(&body)).await {
                // A cached token ShipHero no longer accepts: exchange once more.
                Err(ConnectorError::Auth(_)) if !retried => {
                    self.lock_tokens().remove(&k);
                    retried = true;
                }
                Err(e) => return Err(e),
                Ok(v) => break v,
            }
        };
        let errors = list(&v, "errors");
        if let Some(e) = errors.iter().find(|e| is_credits_error(e)) {
            self.refused(&k, operation, e);
            return Err(ConnectorError::RateLimited {
                retry_after: credits_wait(e),
            });
        }
        let cost = num(&v, &format!("data/{root}/complexity")).unwrap_or(1.0);
        self.spend(&k, operation, cost);
        if let Some(e) = errors.first() {
            let message = text(e, "message").unwrap_or_else(|| e.to_string());
            return Err(if errors.iter().any(is_auth_error) {
                self.lock_tokens().remove(&k);
                ConnectorError::Auth(message)
            } else if errors.iter().any(is_permission_error) {
                ConnectorError::MissingPermission {
                    message,
                    functions: vec![],
                }
            } else {
                ConnectorError::Permanent {
                    message,
                    status: Some(REFUSAL_STATUS),
                }
            });
        }
        Ok(v.get("data").cloned().unwrap_or(Value::Null))
    }

    /// The HTTP client with the connection's bearer token, for passthrough.
    pub async fn authed(&self, creds: &Credentials) -> Result<VendorHttp, ConnectorError> {
        let token = self.access_token(creds).await?;
        Ok(VendorHttp::new(creds, BASE_URL).header("Authorization", format!("Bearer {token}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_waits_come_from_shiphero_figures() {
        let e = json!({"code": 30, "message": "There are not enough credits to perform the requested operation, which requires 1001 credits. Try again in 9 seconds, or adjust your query.", "required_credits": 1001, "remaining_credits": 441, "time_remaining": "9 seconds"});
        assert!(is_credits_error(&e));
        assert_eq!(credits_wait(&e), Some(Duration::from_secs(9)));
        let e = json!({"message": "There are not enough credits", "required_credits": 700, "remaining_credits": 100});
        assert_eq!(credits_wait(&e), Some(Duration::from_secs(10)));
        let e = json!({"message": "There are not enough credits. Try again in 4 seconds."});
        assert_eq!(credits_wait(&e), Some(Duration::from_secs(4)));
    }

    #[test]
    fn a_connection_short_of_credits_waits_and_others_do_not() {
        let g = GraphQl::default();
        g.spend("a", "Orders", 4000.0);
        g.spend("a", "Orders", 2000.0);
        match g.check_credits("a", "Orders") {
            Err(ConnectorError::RateLimited {
                retry_after: Some(d),
            }) => assert!(
                d > Duration::from_secs(25) && d <= Duration::from_secs(34),
                "{d:?}"
            ),
            other => panic!("{other:?}"),
        }
        assert!(g.check_credits("b", "Orders").is_ok());
    }
}
