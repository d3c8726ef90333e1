//! The drifting sandbox: when enabled (`WAYBILL_SANDBOX_DRIFT_SECS`), every sandbox changes on
//! its own, like a live warehouse or shop: an open order ships, a return is received, a
//! shopper places an order or a product is added. Scheduled syncs then have real work to do,
//! and subscribers see a steady trickle of webhooks.

use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use waybill_connect::Connector;
use waybill_connectors::sandbox::data;
use waybill_model::{time, IntegrationType};
use waybill_store::{ConnectionRow, ConnectionStore, SyncStateStore};

/// Runs until `stop`, applying one change to every sandbox each `every`.
pub async fn run(state: Arc<AppState>, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
        match state.store.sandbox_connections().await {
            Ok(conns) => {
                for c in conns {
                    if let Err(e) = drift_one(&state, &c).await {
                        tracing::debug!(connection_id = %c.id, error = %e, "sandbox drift skipped");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not list sandboxes"),
        }
    }
}

async fn drift_one(state: &AppState, conn: &ConnectionRow) -> Result<(), String> {
    let ty: IntegrationType = conn.integration_type.parse()?;
    let sandbox = state
        .sandboxes
        .iter()
        .find(|s| s.descriptor().integration_type == ty)
        .ok_or("no sandbox")?;
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| e.to_string())?;
    let spec: data::SandboxSpec = creds
        .0
        .get("spec")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or("no spec")?;
    let function = match ty {
        IntegrationType::Wms => {
            // Ship an open order: try a few random ones.
            let n = data::count(&spec, ty, "get_orders");
            let mut shipped = false;
            for _ in 0..8 {
                let i = rand::random::<u64>() % n.max(1);
                let Some(id) = data::record_id(&spec, ty, "get_orders", i) else {
                    continue;
                };
                if sandbox.fulfill_order(&creds, &id, false).await.is_ok() {
                    shipped = true;
                    break;
                }
            }
            if !shipped {
                return Err("no open order found".into());
            }
            "get_orders"
        }
        IntegrationType::Cart => {
            if rand::random::<bool>() {
                sandbox
                    .create_like(&creds, "get_orders", "ord")
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                "get_orders"
            } else {
                sandbox
                    .create_like(&creds, "get_products", "prod")
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                "get_products"
            }
        }
        _ => return Ok(()),
    };
    state
        .store
        .make_due(&conn.id, &[function.to_string()], &time::now_str())
        .await
        .map_err(|e| e.to_string())?;
    state.sync_wake.notify_one();
    Ok(())
}
