//! The HTTP client every REST connector shares: a base URL (overridable per connection with
//! a `base_url` credential), vendor auth headers, timeouts, and one mapping of vendor
//! answers onto [`ConnectorError`], so every connector fails the same way for the same cause.

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Map, Value};
use std::time::Duration;
use waybill_connect::{ConnectorError, Credentials, PassthroughRequest, PassthroughResponse};

/// How long one vendor call may take before it counts as a transient failure.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Longest vendor message passed through to clients.
const MAX_MESSAGE: usize = 2_000;

/// A vendor API client for one call's credentials.
#[derive(Clone)]
pub struct VendorHttp {
    client: reqwest::Client,
    base: String,
    headers: Vec<(String, String)>,
}

/// Environment switch that lets connectors reach private and loopback addresses (tests,
/// vendors' on-premises sandboxes on a trusted network). Off by default: a customer enters
/// vendor URLs (`base_url`, a store URL), so they must not become a way into the network
/// Waybill runs in.
pub const ALLOW_PRIVATE_ENV: &str = "WAYBILL_CONNECTORS_ALLOW_PRIVATE";

/// Whether connectors may reach internal addresses (see [`ALLOW_PRIVATE_ENV`]).
pub fn allow_private() -> bool {
    std::env::var(ALLOW_PRIVATE_ENV).is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// The process-wide connection pool; building a client per call would redo TLS setup. Host
/// names resolve through the SSRF guard, so a vendor URL whose name points inside the
/// network is refused when the call is made (literal addresses are refused when the
/// credentials are entered).
fn shared_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .timeout(TIMEOUT)
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("waybill/", env!("CARGO_PKG_VERSION")))
                .dns_resolver(std::sync::Arc::new(
                    waybill_connect::outbound::GuardedResolver {
                        allow_private: allow_private(),
                    },
                ))
                .build()
                .expect("the HTTP client builds")
        })
        .clone()
}

impl VendorHttp {
    /// A client for `default_base`, or the connection's `base_url` credential when set.
    pub fn new(creds: &Credentials, default_base: &str) -> Self {
        let base = creds
            .get_str("base_url")
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(default_base)
            .trim_end_matches('/')
            .to_string();
        Self {
            client: shared_client(),
            base,
            headers: Vec::new(),
        }
    }

    /// Adds a header to every request (the vendor's auth).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The base URL calls go to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A request to `path` (which starts with `/`) under the base URL.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        for (k, v) in &self.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        rb
    }

    /// Sends a request and decodes a JSON answer, mapping failures onto connector errors.
    pub async fn json(
        &self,
        rb: RequestBuilder,
    ) -> Result<(Value, reqwest::header::HeaderMap), ConnectorError> {
        let resp = rb.send().await.map_err(transport)?;
        let resp = check(resp).await?;
        let headers = resp.headers().clone();
        let text = resp.text().await.map_err(transport)?;
        if text.trim().is_empty() {
            return Ok((Value::Null, headers));
        }
        let v = serde_json::from_str(&text).map_err(|e| {
            ConnectorError::Transient(format!("the integration answered with invalid JSON: {e}"))
        })?;
        Ok((v, headers))
    }

    /// Forwards a passthrough call and wraps whatever the vendor answers (SPEC §14): any
    /// status is a result, only transport failures are errors.
    pub async fn passthrough(
        &self,
        req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        let method =
            Method::from_bytes(req.method.to_ascii_uppercase().as_bytes()).map_err(|_| {
                ConnectorError::Permanent {
                    message: format!("unsupported method {}", req.method),
                    status: Some(422),
                }
            })?;
        let mut rb = self.request(method.clone(), &req.path);
        let params: Vec<(String, String)> = req
            .params
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                )
            })
            .collect();
        if !params.is_empty() {
            rb = rb.query(&params);
        }
        for (k, v) in &req.headers {
            if let Some(s) = v.as_str() {
                rb = rb.header(k.as_str(), s);
            }
        }
        if let (Some(d), true) = (
            &req.data,
            matches!(method, Method::POST | Method::PUT | Method::PATCH),
        ) {
            rb = rb.json(d);
        }
        let resp = rb.send().await.map_err(transport)?;
        let status_code = resp.status().as_u16();
        let headers: Map<String, Value> = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.as_str().to_string(),
                    Value::String(v.to_str().ok()?.to_string()),
                ))
            })
            .collect();
        let text = resp.text().await.map_err(transport)?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(PassthroughResponse {
            status_code,
            headers,
            body,
        })
    }
}

/// A transport failure: retry later.
pub fn transport(e: reqwest::Error) -> ConnectorError {
    if e.is_timeout() {
        ConnectorError::Transient("the integration did not answer in time".into())
    } else {
        ConnectorError::Transient(format!("could not reach the integration: {e}"))
    }
}

/// The wait a `Retry-After` header asks for: delta-seconds, or an HTTP date (RFC 9110 allows
/// both; ShipMonk sends the date form), counted from now and capped at an hour.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let secs = match v.parse::<f64>() {
        Ok(s) => s,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            (at.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0) as f64 / 1000.0
        }
    };
    Some(secs)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)))
}

/// The vendor's own words from an error body: a `message`/`error`/`errors` member when the
/// body is JSON, else the text, cut to a readable length.
pub fn vendor_message(text: &str, status: StatusCode) -> String {
    let from_json = serde_json::from_str::<Value>(text).ok().and_then(|v| {
        for k in ["message", "error", "errors", "detail", "title"] {
            match v.get(k) {
                Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
                Some(other @ (Value::Object(_) | Value::Array(_))) => {
                    return Some(other.to_string())
                }
                _ => {}
            }
        }
        None
    });
    let m = from_json.unwrap_or_else(|| text.trim().to_string());
    let m = if m.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        m
    };
    m.chars().take(MAX_MESSAGE).collect()
}

/// Passes a success through and maps a failure: 401 → auth, 403 → missing permission
/// (the caller names the functions), 429 → rate limited, 5xx → transient, other 4xx →
/// the vendor's refusal with its status.
pub async fn check(resp: Response) -> Result<Response, ConnectorError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let message = vendor_message(&text, status);
    Err(match status.as_u16() {
        401 => ConnectorError::Auth(message),
        403 => ConnectorError::MissingPermission {
            message,
            functions: vec![],
        },
        429 => ConnectorError::RateLimited {
            retry_after: retry_after(&headers),
        },
        s if s >= 500 => {
            ConnectorError::Transient(format!("the integration failed ({s}): {message}"))
        }
        s => ConnectorError::Permanent {
            message,
            status: Some(s),
        },
    })
}

impl VendorHttp {
    /// `GET path?query` decoded as JSON: the read every REST pull makes.
    pub async fn get(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, ConnectorError> {
        let mut rb = self.request(Method::GET, path);
        if !query.is_empty() {
            rb = rb.query(query);
        }
        self.json(rb).await.map(|(v, _)| v)
    }

    /// A JSON body sent with `method`: the call every REST write makes.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ConnectorError> {
        let mut rb = self.request(method, path);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        self.json(rb).await.map(|(v, _)| v)
    }
}

/// Names the functions a 403 blocks: the shared client cannot know which functions a vendor
/// endpoint serves, the connector does. Every connector's pull and write use it so a
/// missing permission always names what it blocks; other errors pass through unchanged.
pub fn for_functions(e: ConnectorError, functions: &[&str]) -> ConnectorError {
    match e {
        ConnectorError::MissingPermission { message, .. } => ConnectorError::MissingPermission {
            message,
            functions: functions.iter().map(|f| f.to_string()).collect(),
        },
        other => other,
    }
}

/// What a validation probe's 403 means: each function the probed endpoint serves paired with
/// the vendor's message, for `Validation::missing`. Any other error is handed back, since
/// only a refused permission narrows the functions rather than failing validation.
pub fn missing_for(
    e: ConnectorError,
    functions: &[&str],
) -> Result<Vec<(String, String)>, ConnectorError> {
    match e {
        ConnectorError::MissingPermission { message, .. } => Ok(functions
            .iter()
            .map(|f| (f.to_string(), message.clone()))
            .collect()),
        other => Err(other),
    }
}

/// A token bucket per connection (keyed by a hash of its credential), so a vendor's
/// documented request budget is respected before the vendor has to refuse, and one
/// connection spending its budget never delays another: an empty bucket answers
/// `RateLimited` with the wait instead of sleeping inside the call.
pub struct RateBudget {
    per_second: f64,
    burst: f64,
    buckets: std::sync::Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>,
}

impl RateBudget {
    /// A budget of `per_minute` requests per connection, with bursts up to `burst`.
    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Default::default(),
        }
    }

    /// Spends one request of the connection whose credential is `secret`.
    pub fn take(&self, secret: &str) -> Result<(), ConnectorError> {
        let key = waybill_connect::secrets::hash_secret(secret);
        let now = std::time::Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 10_000 {
            b.retain(|_, (_, t)| now.duration_since(*t) < Duration::from_secs(3600));
        }
        let (tokens, last) = b.entry(key).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.per_second).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(ConnectorError::RateLimited {
                retry_after: Some(Duration::from_secs_f64((1.0 - *tokens) / self.per_second)),
            })
        }
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn one_connection_spending_its_budget_leaves_another_untouched() {
        let b = RateBudget::per_minute(60, 2);
        assert!(b.take("a").is_ok());
        assert!(b.take("a").is_ok());
        match b.take("a") {
            Err(ConnectorError::RateLimited {
                retry_after: Some(d),
            }) => {
                assert!(d <= Duration::from_secs(1))
            }
            other => panic!("{other:?}"),
        }
        assert!(b.take("b").is_ok());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let at = chrono::Utc::now() + chrono::Duration::seconds(90);
        let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        h.insert(reqwest::header::RETRY_AFTER, date.parse().unwrap());
        let d = retry_after(&h).expect("a date parses");
        assert!(
            d > Duration::from_secs(80) && d <= Duration::from_secs(90),
            "{d:?}"
        );
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Mon, 01 Jan 2024 12:00:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }
}
