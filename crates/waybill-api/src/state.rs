//! Shared state of the HTTP API.

use crate::usage::Usage;
use std::sync::Arc;
use waybill_connect::{Registry, Secrets};
use waybill_store::SqlStore;
use waybill_sync::SyncEngine;

/// Settings of the API that are not secrets.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Base URL clients reach this server at, for links it hands out (magic links, data URLs).
    pub public_url: String,
    /// Link token lifetime in seconds.
    pub link_token_ttl: i64,
    /// Auth code lifetime in seconds.
    pub auth_code_ttl: i64,
    /// Webhook delivery settings; the API uses `allow_private` to check endpoint URLs, and
    /// the dispatcher of this process runs with them.
    pub webhooks: waybill_webhooks::DispatcherConfig,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            link_token_ttl: 30 * 60,
            auth_code_ttl: 10 * 60,
            webhooks: Default::default(),
        }
    }
}

/// Everything a handler needs.
pub struct AppState {
    /// The store.
    pub store: Arc<SqlStore>,
    /// Connectors.
    pub registry: Registry,
    /// Keys derived from the master key.
    pub secrets: Secrets,
    /// The sync engine.
    pub sync: SyncEngine,
    /// Settings.
    pub config: ApiConfig,
    /// Per-connection usage counted in memory and flushed in batches.
    pub usage: Usage,
    /// Rate limiters; `None` when limits are off.
    pub limiter: Option<crate::rate_limit::Limiter>,
    /// The sandbox connectors, for simulations (also registered in `registry`).
    pub sandboxes: Vec<Arc<waybill_connectors::sandbox::SandboxConnector>>,
    /// Short-lived caches of the hot read path.
    pub caches: crate::cache::Caches,
    /// Wakes the sync worker (new connections, force syncs, on-demand jobs).
    pub sync_wake: Arc<tokio::sync::Notify>,
    /// Wakes the webhook dispatcher after events are committed.
    pub events_notify: Arc<tokio::sync::Notify>,
}

/// The state as handlers receive it.
pub type SharedState = Arc<AppState>;
