//! `times_used` and `last_used` of connections, counted in memory and flushed to the store
//! every few seconds, so the hot read path never writes.

use std::collections::HashMap;
use std::sync::Mutex;
use waybill_store::{ConnectionStore, SqlStore};

/// Usage not yet flushed, per connection: (count, last use).
#[derive(Default)]
pub struct Usage {
    pending: Mutex<HashMap<String, (i64, String)>>,
}

impl Usage {
    /// Counts one call with a connection's token.
    pub fn record(&self, connection_id: &str) {
        let now = waybill_model::time::now_str();
        let mut p = self.pending.lock().expect("usage lock");
        let e = p
            .entry(connection_id.to_string())
            .or_insert((0, now.clone()));
        e.0 += 1;
        e.1 = now;
    }

    /// Writes pending usage to the store.
    pub async fn flush(&self, store: &SqlStore) {
        let batch: Vec<(String, (i64, String))> = {
            let mut p = self.pending.lock().expect("usage lock");
            p.drain().collect()
        };
        for (id, (n, last)) in batch {
            if let Err(e) = store.add_usage(&id, n, &last).await {
                tracing::warn!(error = %e, "could not flush connection usage");
            }
        }
    }
}
