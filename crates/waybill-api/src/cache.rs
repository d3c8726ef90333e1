//! A small time-bounded cache for the hot read path: API keys, access tokens, organizations
//! and finished historical syncs are read on every request but change rarely. Entries live
//! for `TTL`, so a revoked key or deleted connection stops working within that time in every
//! process, and at once in the process that made the change (it invalidates its entry).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an entry is trusted.
pub const TTL: Duration = Duration::from_secs(2);
/// Entries kept before the cache is cleared wholesale (bounds memory under key scans).
const MAX_ENTRIES: usize = 100_000;

/// A map whose entries expire.
pub struct TtlCache<K, V> {
    map: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// The live value of `k`, if any.
    pub fn get(&self, k: &K) -> Option<V> {
        let map = self.map.lock().ok()?;
        map.get(k)
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, v)| v.clone())
    }

    /// Stores a value.
    pub fn put(&self, k: K, v: V) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(k, (Instant::now(), v));
        }
    }

    /// Forgets a value.
    pub fn remove(&self, k: &K) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(k);
        }
    }
}

/// The caches of the API.
#[derive(Default)]
pub struct Caches {
    /// API key prefix → (hash, organization, read-only, revoked).
    pub keys: TtlCache<String, waybill_store::ApiKeyRow>,
    /// Access token hash → connection.
    pub tokens: TtlCache<String, waybill_store::ConnectionRow>,
    /// Organization id → organization.
    pub orgs: TtlCache<String, waybill_store::Organization>,
    /// (connection, function) whose historical sync has finished; only `true` is cached.
    pub ready: TtlCache<(String, String), bool>,
}
