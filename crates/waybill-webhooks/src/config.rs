//! Dispatcher settings, with the defaults of a production deployment and an environment
//! parser so tests can shorten the retry schedule, leases and timeouts.

use anyhow::{bail, Context, Result};
use std::time::Duration;

/// The delay before each attempt, starting with the first: at once, 5 s, 5 min, 30 min,
/// 2 h, 5 h, 10 h, 10 h (Svix's published schedule). After the last one a delivery fails.
pub const DEFAULT_SCHEDULE: &[u64] = &[0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/// Largest body sent whole; larger events go out truncated with a `data_url`.
pub const MAX_PAYLOAD: usize = 256 * 1024;

/// How the dispatcher behaves.
#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    /// Delay before attempt 1, 2, …; its length is the number of attempts.
    pub retry_schedule: Vec<Duration>,
    /// Request timeout; a timeout counts as a failure.
    pub timeout: Duration,
    /// How long a claim holds a delivery; after it a crashed worker's delivery is retried.
    pub lease: Duration,
    /// Fallback poll for events and due retries when no wake-up arrives.
    pub poll_interval: Duration,
    /// Deliveries in flight per process.
    pub global_concurrency: usize,
    /// Deliveries in flight per endpoint per process, so a slow endpoint cannot take every slot.
    pub endpoint_concurrency: usize,
    /// An endpoint failing continuously for this long is disabled.
    pub disable_after: Duration,
    /// Allow private, loopback and link-local targets (tests, trusted networks).
    pub allow_private: bool,
    /// Base URL of this server, for the `data_url` of truncated events.
    pub public_url: String,
    /// Events claimed per fan-out transaction.
    pub fan_out_batch: i64,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        Self {
            retry_schedule: DEFAULT_SCHEDULE
                .iter()
                .map(|s| Duration::from_secs(*s))
                .collect(),
            timeout: Duration::from_secs(15),
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(1),
            global_concurrency: 64,
            endpoint_concurrency: 8,
            disable_after: Duration::from_secs(5 * 24 * 3600),
            allow_private: false,
            public_url: "http://127.0.0.1:8080".into(),
            fan_out_batch: 500,
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn secs(name: &str) -> Result<Option<Duration>> {
    var(name)
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64)
                .with_context(|| format!("{name} must be a number of seconds"))
        })
        .transpose()
}

fn count(name: &str) -> Result<Option<usize>> {
    var(name)
        .map(|v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .with_context(|| format!("{name} must be a positive integer"))
        })
        .transpose()
}

/// Parses a truthy environment value (`true`, `1`, `yes`, `on`).
pub fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}

/// Parses `0,5,300` (seconds) into a schedule.
pub fn parse_schedule(s: &str) -> Result<Vec<Duration>> {
    let out = s
        .split(',')
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(Duration::from_secs_f64)
        })
        .collect::<Option<Vec<_>>>()
        .context("the retry schedule must be comma-separated seconds, e.g. 0,5,300")?;
    if out.is_empty() {
        bail!("the retry schedule needs at least one attempt");
    }
    Ok(out)
}

impl DispatcherConfig {
    /// Defaults overridden by `WAYBILL_WEBHOOK_RETRY_SCHEDULE` (seconds, comma-separated),
    /// `WAYBILL_WEBHOOK_TIMEOUT`, `WAYBILL_WEBHOOK_LEASE`, `WAYBILL_WEBHOOK_POLL_INTERVAL`,
    /// `WAYBILL_WEBHOOK_DISABLE_AFTER` (seconds), `WAYBILL_WEBHOOK_CONCURRENCY`,
    /// `WAYBILL_WEBHOOK_ENDPOINT_CONCURRENCY` and `WAYBILL_WEBHOOKS_ALLOW_PRIVATE`.
    pub fn from_env(public_url: &str) -> Result<Self> {
        let mut c = Self {
            public_url: public_url.trim_end_matches('/').to_string(),
            ..Self::default()
        };
        if let Some(s) = var("WAYBILL_WEBHOOK_RETRY_SCHEDULE") {
            c.retry_schedule = parse_schedule(&s).context("WAYBILL_WEBHOOK_RETRY_SCHEDULE")?;
        }
        if let Some(d) = secs("WAYBILL_WEBHOOK_TIMEOUT")? {
            c.timeout = d;
        }
        if let Some(d) = secs("WAYBILL_WEBHOOK_LEASE")? {
            c.lease = d;
        }
        if let Some(d) = secs("WAYBILL_WEBHOOK_POLL_INTERVAL")? {
            c.poll_interval = d.max(Duration::from_millis(5));
        }
        if let Some(d) = secs("WAYBILL_WEBHOOK_DISABLE_AFTER")? {
            c.disable_after = d;
        }
        if let Some(n) = count("WAYBILL_WEBHOOK_CONCURRENCY")? {
            c.global_concurrency = n;
        }
        if let Some(n) = count("WAYBILL_WEBHOOK_ENDPOINT_CONCURRENCY")? {
            c.endpoint_concurrency = n;
        }
        c.allow_private = var("WAYBILL_WEBHOOKS_ALLOW_PRIVATE").is_some_and(|v| truthy(&v));
        c.validate()?;
        Ok(c)
    }

    /// Rejects settings that would deliver twice while an attempt is still running.
    pub fn validate(&self) -> Result<()> {
        if self.timeout.is_zero() {
            bail!("the webhook timeout must be positive");
        }
        if self.lease <= self.timeout + Duration::from_secs(1) {
            bail!("the webhook lease ({:?}) must exceed the request timeout ({:?}) by more than a second", self.lease, self.timeout);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_parses_and_rejects_garbage() {
        assert_eq!(
            parse_schedule("0, 1,2.5").unwrap(),
            vec![
                Duration::ZERO,
                Duration::from_secs(1),
                Duration::from_millis(2500)
            ]
        );
        assert!(parse_schedule("1,x").is_err());
        assert!(parse_schedule("-1").is_err());
        assert_eq!(DispatcherConfig::default().retry_schedule.len(), 8);
        assert!(DispatcherConfig::default().validate().is_ok());
        let bad = DispatcherConfig {
            lease: Duration::from_secs(10),
            ..DispatcherConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}
