//! The simulated system's own memory. Generated data is a pure function of the spec; what
//! users change (simulations, writes) is kept here as whole records that override or extend
//! the generated ones. The sandbox is a stand-in for a vendor, so this is the vendor's
//! database, not Waybill's store of synced copies.

use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// A changed or created record of a sandbox.
#[derive(Debug, Clone)]
pub struct Override {
    /// The record id.
    pub id: String,
    /// Its `updated_date` as unix seconds.
    pub updated_at: i64,
    /// The whole record.
    pub doc: Value,
}

/// Where a sandbox keeps what changed. Keyed by the sandbox's instance id (from its spec).
#[async_trait]
pub trait SandboxState: Send + Sync {
    /// Every override of a function.
    async fn overrides(&self, sandbox: &str, function: &str) -> Result<Vec<Override>, String>;
    /// One override.
    async fn get(
        &self,
        sandbox: &str,
        function: &str,
        id: &str,
    ) -> Result<Option<Override>, String>;
    /// Stores or replaces an override.
    async fn put(&self, sandbox: &str, function: &str, o: &Override) -> Result<(), String>;
    /// Stores or replaces many overrides; states backed by a database do it in one
    /// transaction (the benchmark that changes 1 % of a million orders needs that).
    async fn put_many(&self, sandbox: &str, function: &str, os: &[Override]) -> Result<(), String> {
        for o in os {
            self.put(sandbox, function, o).await?;
        }
        Ok(())
    }
    /// Which of `ids` have an override. Every page of a pull asks this, so it must not read
    /// whole documents; the default does, states backed by a database answer from the key.
    async fn overridden_among(
        &self,
        sandbox: &str,
        function: &str,
        ids: &[String],
    ) -> Result<Vec<String>, String> {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        Ok(self
            .overrides(sandbox, function)
            .await?
            .into_iter()
            .filter(|o| wanted.contains(o.id.as_str()))
            .map(|o| o.id)
            .collect())
    }
    /// Adds one to a named counter (how often the simulated API was called for something),
    /// so tests can prove that work ran exactly once.
    async fn increment(&self, sandbox: &str, name: &str) -> Result<(), String>;
    /// The counters of a sandbox.
    async fn counters(&self, sandbox: &str) -> Result<Vec<(String, i64)>, String>;
}

/// In-memory state, for tests and throwaway setups.
#[derive(Default)]
pub struct MemoryState {
    map: Mutex<HashMap<(String, String), Vec<Override>>>,
    counters: Mutex<HashMap<(String, String), i64>>,
}

#[async_trait]
impl SandboxState for MemoryState {
    async fn overrides(&self, sandbox: &str, function: &str) -> Result<Vec<Override>, String> {
        let m = self.map.lock().map_err(|e| e.to_string())?;
        Ok(m.get(&(sandbox.into(), function.into()))
            .cloned()
            .unwrap_or_default())
    }

    async fn get(
        &self,
        sandbox: &str,
        function: &str,
        id: &str,
    ) -> Result<Option<Override>, String> {
        Ok(self
            .overrides(sandbox, function)
            .await?
            .into_iter()
            .find(|o| o.id == id))
    }

    async fn put(&self, sandbox: &str, function: &str, o: &Override) -> Result<(), String> {
        let mut m = self.map.lock().map_err(|e| e.to_string())?;
        let v = m.entry((sandbox.into(), function.into())).or_default();
        v.retain(|x| x.id != o.id);
        v.push(o.clone());
        Ok(())
    }

    async fn increment(&self, sandbox: &str, name: &str) -> Result<(), String> {
        let mut c = self.counters.lock().map_err(|e| e.to_string())?;
        *c.entry((sandbox.into(), name.into())).or_default() += 1;
        Ok(())
    }

    async fn counters(&self, sandbox: &str) -> Result<Vec<(String, i64)>, String> {
        let c = self.counters.lock().map_err(|e| e.to_string())?;
        let mut v: Vec<(String, i64)> = c
            .iter()
            .filter(|((s, _), _)| s == sandbox)
            .map(|((_, n), v)| (n.clone(), *v))
            .collect();
        v.sort();
        Ok(v)
    }
}
