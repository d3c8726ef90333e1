//! JSON renderings of management objects.

use crate::state::AppState;
use serde_json::{json, Map, Value};
use waybill_model::IntegrationType;
use waybill_store::{ConnectionRow, ConnectionStore, Organization, StoreError, SyncStateStore};
use waybill_sync::schedule;

/// The Connection object of `GET /connections[/{id}]`.
pub async fn connection(
    state: &AppState,
    org: &Organization,
    c: &ConnectionRow,
) -> Result<Value, StoreError> {
    let ty: IntegrationType = c.integration_type.parse().unwrap_or(IntegrationType::Wms);
    let schedules = state.store.schedules(&c.id).await?;
    let errors: Vec<Value> = state
        .store
        .connection_errors(&c.id)
        .await?
        .iter()
        .map(|e| {
            json!({
                "error_message": e.error_message,
                "affected_endpoints": serde_json::from_str::<Value>(&e.affected_endpoints).unwrap_or(json!([])),
                "first_seen": e.first_seen,
                "last_seen": e.last_seen,
            })
        })
        .collect();
    let mut historical = Map::new();
    let mut latest: Option<String> = None;
    let sync_schedules: Vec<Value> = schedules
        .iter()
        .map(|s| {
            historical.insert(s.function_name.clone(), json!(s.historical_completed));
            if s.last_crawl_end > latest {
                latest = s.last_crawl_end.clone();
            }
            let status = if s.paused {
                schedule::DISABLED
            } else {
                s.sync_status.as_str()
            };
            json!({
                "function_name": s.function_name,
                "latest_sync": s.last_crawl_end,
                "last_crawl_start": s.last_crawl_start,
                "last_crawl_end": s.last_crawl_end,
                "latest_data": s.latest_data,
                "sync_frequency": s.sync_frequency,
                "in_progress": status == schedule::IN_PROGRESS || status == schedule::FIRST_SYNC,
                "sync_status": status,
            })
        })
        .collect();
    let actions = crate::service::overrides::connection_actions(state, org, c);
    let display = state
        .registry
        .get(ty, &c.integration_name)
        .map(|x| x.descriptor().display_name)
        .unwrap_or(c.integration_name.as_str());
    let me: Value = serde_json::from_str(&c.me).unwrap_or_else(|_| json!({}));
    Ok(json!({
        "connection_id": c.id,
        "integration_name": c.integration_name,
        "integration_display_name": display,
        "integration_type": c.integration_type,
        "customer_id": c.customer_id,
        "created_at": c.created_at,
        "last_used": c.last_used,
        "times_used": c.times_used,
        "latest_sync": latest,
        "sync_schedules": sync_schedules,
        "historical_sync_completed": historical,
        "errors": errors,
        "available_actions": actions,
        "available_endpoints": actions,
        "webhooks_disabled": c.webhooks_disabled,
        "me": me,
    }))
}
