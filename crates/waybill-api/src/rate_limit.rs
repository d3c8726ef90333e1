//! Per-token rate limits (SPEC §7): GCRA budgets from `governor`, keyed by the access token
//! (or the API key on organization routes) and the method class, so tokens never share a
//! budget and reads never starve writes. Every response of a limited route carries the
//! `x-ratelimit-*` headers; a refusal is a 429 in the error shape with `retry-after`.

use crate::auth::{ACCESS_TOKEN_HEADER, API_KEY_HEADER};
use crate::error::ApiError;
use crate::state::SharedState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use waybill_connect::secrets::hash_secret;

type Keyed =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// Budgets per second; `None` turns limiting off (benchmarks).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// GET requests per second per token.
    pub read: u32,
    /// POST/PUT/PATCH/DELETE requests per second per token.
    pub write: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            read: 10,
            write: 50,
        }
    }
}

/// The limiters of both method classes.
pub struct Limiter {
    read: Keyed,
    write: Keyed,
    limits: Limits,
    clock: DefaultClock,
}

fn keyed(per_second: u32) -> Keyed {
    let n = NonZeroU32::new(per_second.max(1)).expect("nonzero");
    RateLimiter::keyed(Quota::per_second(n)).with_middleware::<StateInformationMiddleware>()
}

impl Limiter {
    /// Limiters with these budgets.
    pub fn new(limits: Limits) -> Self {
        Self {
            read: keyed(limits.read),
            write: keyed(limits.write),
            limits,
            clock: DefaultClock::default(),
        }
    }

    /// Drops the state of keys that have been idle, bounding memory.
    pub fn forget_idle(&self) {
        self.read.retain_recent();
        self.write.retain_recent();
    }

    /// Charges one request; returns the headers to add, or the 429 response.
    fn charge(&self, key: String, is_read: bool) -> Result<HeaderMap, Box<Response>> {
        let (limiter, limit) = if is_read {
            (&self.read, self.limits.read)
        } else {
            (&self.write, self.limits.write)
        };
        let now_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        match limiter.check_key(&key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                // The budget refills one unit every 1/limit seconds.
                let refill =
                    Duration::from_secs_f64((limit - remaining.min(limit)) as f64 / limit as f64);
                h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
                h.insert(
                    "x-ratelimit-reset",
                    HeaderValue::from((now_epoch + refill).as_secs_f64().ceil() as u64),
                );
                h.insert("retry-after", HeaderValue::from(0u32));
                Ok(h)
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
                h.insert(
                    "x-ratelimit-reset",
                    HeaderValue::from((now_epoch + wait).as_secs_f64().ceil() as u64),
                );
                h.insert("retry-after", HeaderValue::from(secs));
                let mut resp = ApiError::TooManyRequests.into_response();
                resp.headers_mut().extend(h);
                Err(Box::new(resp))
            }
        }
    }
}

/// Middleware for data routes.
pub async fn limit(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let Some(limiter) = &state.limiter else {
        return next.run(req).await;
    };
    let secret = req
        .headers()
        .get(ACCESS_TOKEN_HEADER)
        .or_else(|| req.headers().get(API_KEY_HEADER))
        .map(|v| hash_secret(&String::from_utf8_lossy(v.as_bytes())))
        .unwrap_or_default();
    let is_read = req.method() == Method::GET || req.method() == Method::HEAD;
    match limiter.charge(secret, is_read) {
        Ok(headers) => {
            let mut resp = next.run(req).await;
            resp.headers_mut().extend(headers);
            resp
        }
        Err(resp) => *resp,
    }
}
