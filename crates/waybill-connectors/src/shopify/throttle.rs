//! Shopify's leaky bucket, tracked per connection. Every REST answer carries
//! `X-Shopify-Shop-Api-Call-Limit: used/capacity`; the bucket drains at capacity/20 calls a
//! second (2/s on standard plans, 20/s on Plus). Before a call we estimate the level and
//! wait for room, so a busy connection slows itself down without a 429, and because each
//! connection has its own bucket (keyed by shop and token) one shop's throttling never
//! delays another's calls.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Calls kept free below the capacity, for the shop's other apps' bursts.
const HEADROOM: f64 = 2.0;
/// Longest wait taken inline; beyond it the call is handed back as rate limited.
pub const MAX_INLINE_WAIT: Duration = Duration::from_secs(5);
/// Shopify's default bucket when no header was seen yet.
const DEFAULT_CAPACITY: f64 = 40.0;

#[derive(Debug, Clone, Copy)]
struct Level {
    used: f64,
    capacity: f64,
    at: Instant,
}

impl Level {
    fn leak_per_sec(&self) -> f64 {
        (self.capacity / 20.0).max(1.0)
    }

    fn now_used(&self, now: Instant) -> f64 {
        let drained = now.saturating_duration_since(self.at).as_secs_f64() * self.leak_per_sec();
        (self.used - drained).max(0.0)
    }
}

/// The buckets of every Shopify connection this process talks to.
#[derive(Debug, Default)]
pub struct Throttle {
    buckets: Mutex<HashMap<String, Level>>,
}

impl Throttle {
    /// Reserves one call on `key`'s bucket and says how long to wait before sending it
    /// (zero when there is room).
    pub fn reserve(&self, key: &str) -> Duration {
        self.reserve_at(key, Instant::now())
    }

    fn reserve_at(&self, key: &str, now: Instant) -> Duration {
        let mut b = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let level = b.entry(key.to_string()).or_insert(Level {
            used: 0.0,
            capacity: DEFAULT_CAPACITY,
            at: now,
        });
        let used = level.now_used(now);
        let room = level.capacity - HEADROOM;
        let wait = if used + 1.0 > room {
            Duration::from_secs_f64((used + 1.0 - room) / level.leak_per_sec())
        } else {
            Duration::ZERO
        };
        // The reserved call counts from when it will be sent.
        *level = Level {
            used: used + 1.0,
            capacity: level.capacity,
            at: now,
        };
        wait
    }

    /// Records the level Shopify reported (`X-Shopify-Shop-Api-Call-Limit`).
    pub fn observe(&self, key: &str, header: &str) {
        let Some((used, cap)) = parse_limit(header) else {
            return;
        };
        let mut b = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        b.insert(
            key.to_string(),
            Level {
                used,
                capacity: cap,
                at: Instant::now(),
            },
        );
    }
}

/// `"32/40"` → `(32, 40)`.
pub fn parse_limit(header: &str) -> Option<(f64, f64)> {
    let (u, c) = header.trim().split_once('/')?;
    let used: f64 = u.trim().parse().ok()?;
    let cap: f64 = c.trim().parse().ok()?;
    (cap > 0.0 && used >= 0.0 && used.is_finite() && cap.is_finite()).then_some((used, cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_waits_and_other_connections_do_not() {
        let t = Throttle::default();
        t.observe("shop-a", "39/40");
        let wait = t.reserve("shop-a");
        assert!(wait >= Duration::from_millis(900), "{wait:?}");
        assert_eq!(t.reserve("shop-b"), Duration::ZERO);
        t.observe("shop-c", "10/40");
        assert_eq!(t.reserve("shop-c"), Duration::ZERO);
    }

    #[test]
    fn the_bucket_drains_over_time() {
        let t = Throttle::default();
        t.observe("a", "40/40");
        let later = Instant::now() + Duration::from_secs(10);
        assert_eq!(t.reserve_at("a", later), Duration::ZERO);
    }

    #[test]
    fn plus_shops_drain_faster() {
        let t = Throttle::default();
        t.observe("plus", "399/400");
        let w = t.reserve("plus");
        assert!(w < Duration::from_millis(300), "{w:?}");
        assert!(parse_limit("x/40").is_none());
        assert!(parse_limit("3/0").is_none());
    }
}
