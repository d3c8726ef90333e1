//! One delivery attempt: sign the body, POST it with the Svix and Standard Webhooks
//! headers, and report what happened without ever failing the caller.

use crate::guard;
use crate::signing::signature_header;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Client, Url};
use std::time::{Duration, Instant};

/// Bytes of the receiver's answer kept in the log.
pub const RESPONSE_EXCERPT: usize = 1024;

/// What one attempt produced.
#[derive(Debug, Clone)]
pub struct AttemptResult {
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Time to the answer or the failure.
    pub latency: Duration,
    /// First KiB of the answer's body.
    pub response: String,
    /// Transport failure, when no answer came.
    pub error: Option<String>,
    /// The receiver's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
}

impl AttemptResult {
    /// A failure before anything was sent.
    pub fn refused(error: impl Into<String>) -> Self {
        Self {
            status: None,
            latency: Duration::ZERO,
            response: String::new(),
            error: Some(error.into()),
            retry_after: None,
        }
    }

    /// Whether the receiver accepted the message (any 2xx).
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The headers of a message: `svix-*` and their `webhook-*` twins.
pub fn headers(msg_id: &str, timestamp: i64, signature: &str) -> Result<HeaderMap, String> {
    let mut h = HeaderMap::new();
    let value = |v: &str| {
        HeaderValue::from_str(v)
            .map_err(|_| "the message id cannot be sent in a header".to_string())
    };
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, v) in [
        ("id", msg_id.to_string()),
        ("timestamp", timestamp.to_string()),
        ("signature", signature.to_string()),
    ] {
        let v = value(&v)?;
        h.insert(
            reqwest::header::HeaderName::from_bytes(format!("svix-{name}").as_bytes())
                .expect("valid name"),
            v.clone(),
        );
        h.insert(
            reqwest::header::HeaderName::from_bytes(format!("webhook-{name}").as_bytes())
                .expect("valid name"),
            v,
        );
    }
    Ok(h)
}

/// Sends `body` for message `msg_id` to `url`, signed with every key in `keys`.
pub async fn attempt(
    client: &Client,
    url: &str,
    msg_id: &str,
    body: String,
    keys: &[Vec<u8>],
    allow_private: bool,
) -> AttemptResult {
    let url = match Url::parse(url) {
        Ok(u) => u,
        Err(_) => return AttemptResult::refused("the endpoint URL does not parse"),
    };
    if let Err(e) = guard::check_before_send(&url, allow_private) {
        return AttemptResult::refused(e);
    }
    let ts = chrono::Utc::now().timestamp();
    let sig = signature_header(keys, msg_id, ts, body.as_bytes());
    let headers = match headers(msg_id, ts, &sig) {
        Ok(h) => h,
        Err(e) => return AttemptResult::refused(e),
    };
    let start = Instant::now();
    let sent = client.post(url).headers(headers).body(body).send().await;
    let mut resp = match sent {
        Ok(r) => r,
        Err(e) => {
            return AttemptResult {
                latency: start.elapsed(),
                ..AttemptResult::refused(describe(e))
            };
        }
    };
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::retry::parse_retry_after(v, chrono::Utc::now()));
    let mut excerpt: Vec<u8> = Vec::new();
    let mut error = None;
    while excerpt.len() < RESPONSE_EXCERPT {
        match resp.chunk().await {
            Ok(Some(c)) => {
                excerpt.extend_from_slice(&c[..c.len().min(RESPONSE_EXCERPT - excerpt.len())])
            }
            Ok(None) => break,
            Err(e) => {
                // The status arrived; a body cut short does not change the verdict.
                error = Some(format!("reading the answer failed: {}", describe(e)));
                break;
            }
        }
    }
    AttemptResult {
        status: Some(status),
        latency: start.elapsed(),
        response: String::from_utf8_lossy(&excerpt).into_owned(),
        error,
        retry_after,
    }
}

/// A transport error in words, without the URL (it may carry a receiver's token).
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let e = e.without_url();
    let mut msg = format!("{kind}: {e}");
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        let part = s.to_string();
        if !msg.contains(&part) {
            msg.push_str(": ");
            msg.push_str(&part);
        }
        src = s.source();
    }
    msg.chars().take(500).collect()
}
