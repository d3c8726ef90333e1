//! Runs the webhook dispatcher next to the other background workers of `serve` and `worker`.

use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use waybill_api::AppState;

/// Starts this process's webhook dispatcher with the settings parsed into the state (see
/// `waybill_webhooks::DispatcherConfig::from_env`); it stops when `stop` turns true, after
/// letting attempts in flight finish.
pub fn spawn_dispatcher(state: &Arc<AppState>, stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let store = state.store.clone();
    let secrets = state.secrets.clone();
    let cfg = state.config.webhooks.clone();
    let notify = state.events_notify.clone();
    tokio::spawn(async move {
        if let Err(e) = waybill_webhooks::run(store, secrets, cfg, notify, stop).await {
            tracing::error!(
                error = format!("{e:#}"),
                "the webhook dispatcher could not start"
            );
        }
    })
}
