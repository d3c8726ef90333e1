//! The generator's input and the pure functions of it that every family shares: how many
//! records a function has and when each record was created and last updated.

use chrono::{TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::rng::{hash, mix};

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// How far before its update a record may have been created.
pub const MAX_AGE: i64 = 5 * DAY;

/// Everything the generated data depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxSpec {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of orders (WMS, cart) and freight shipments; other counts scale from it.
    pub orders: u64,
    /// Unix seconds of "now" at generation; every `updated_date` lies in
    /// `[anchor - span_days * 86400, anchor]`.
    pub anchor: i64,
    /// Days of history the data spans.
    pub span_days: u32,
}

impl SandboxSpec {
    /// A spec from its four parts.
    pub fn new(seed: u64, orders: u64, anchor: i64, span_days: u32) -> Self {
        Self {
            seed,
            orders,
            anchor,
            span_days,
        }
    }

    /// Length of the history in seconds.
    pub fn span_secs(&self) -> i64 {
        self.span_days as i64 * DAY
    }

    /// The oldest `updated_date` any record can have.
    pub fn start(&self) -> i64 {
        self.anchor - self.span_secs()
    }

    /// `orders / div` kept within `[lo, hi]`: how the secondary resources scale.
    pub fn scaled(&self, div: u64, lo: u64, hi: u64) -> u64 {
        (self.orders / div).clamp(lo, hi)
    }
}

/// `updated_date` of record `index` of `n`, in unix seconds. Records are spread evenly over
/// the span with a jitter smaller than one step, so the value is strictly increasing in
/// `index` whenever the span has at least one second per record, and never decreasing.
pub fn updated(spec: &SandboxSpec, salt: u64, n: u64, index: u64) -> i64 {
    let span = spec.span_secs().max(0);
    if n == 0 {
        return spec.start();
    }
    let base = (index as u128 * span as u128 / n as u128) as i64;
    let step = span / n as i64;
    let jitter = if step > 1 {
        (hash(spec.seed, salt ^ 0x71_3e, index) % step as u64) as i64
    } else {
        0
    };
    spec.start() + base + jitter
}

/// `created_date` of a record updated at `updated_at`: up to five days earlier, never before
/// five days ahead of the span.
pub fn created(spec: &SandboxSpec, salt: u64, index: u64, updated_at: i64) -> i64 {
    let back = (mix(hash(spec.seed, salt ^ 0x0c2e_a7ed, index)) % (MAX_AGE as u64 + 1)) as i64;
    (updated_at - back)
        .max(spec.start() - MAX_AGE)
        .min(updated_at)
}

/// The wire shape `YYYY-MM-DDTHH:MM:SSZ` of unix seconds.
pub fn ts(secs: i64) -> String {
    let t = Utc
        .timestamp_opt(secs, 0)
        .single()
        .unwrap_or_else(|| Utc.timestamp_opt(0, 0).single().expect("epoch is valid"));
    waybill_model::time::fmt(t)
}

/// A time uniformly between `lo` and `hi` (inclusive; `lo` when `hi < lo`).
pub fn between(rng: &mut rand::rngs::SmallRng, lo: i64, hi: i64) -> i64 {
    use rand::Rng;
    if hi <= lo {
        lo
    } else {
        rng.gen_range(lo..=hi)
    }
}
