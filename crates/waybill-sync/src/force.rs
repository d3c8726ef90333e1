//! Force syncs (SPEC §10.3): make the requested functions due now, and fire
//! `connection.force-sync-completed` once each has finished a crawl that started after the
//! request.

use crate::engine::{SyncEngine, SyncError};
use crate::events::EventContext;
use serde_json::json;
use waybill_model::time;
use waybill_store::{ConnectionRow, ConnectionStore, ForceSyncRow, SyncStateStore};

/// Records a force-sync request and makes its functions due.
pub async fn request(
    engine: &SyncEngine,
    conn: &ConnectionRow,
    functions: &[String],
) -> Result<String, SyncError> {
    let now = time::now_str();
    let id = format!("fs_{}", hex_id());
    engine
        .store
        .create_force_sync(&ForceSyncRow {
            id: id.clone(),
            connection_id: conn.id.clone(),
            functions: json!(functions).to_string(),
            requested_at: now.clone(),
        })
        .await?;
    engine.store.make_due(&conn.id, functions, &now).await?;
    Ok(id)
}

fn hex_id() -> String {
    waybill_store::NewEvent::new_id()
        .trim_start_matches("msg_")
        .to_string()
}

/// Completes the connection's force syncs whose functions have all crawled since.
pub async fn check_completed(engine: &SyncEngine, conn: &ConnectionRow) -> Result<(), SyncError> {
    let open = engine.store.open_force_syncs(&conn.id).await?;
    if open.is_empty() {
        return Ok(());
    }
    let schedules = engine.store.schedules(&conn.id).await?;
    for f in open {
        let wanted: Vec<String> = serde_json::from_str(&f.functions).unwrap_or_default();
        let done = schedules
            .iter()
            .filter(|s| !s.paused && (wanted.is_empty() || wanted.contains(&s.function_name)))
            .all(|s| {
                s.last_crawl_end
                    .as_deref()
                    .is_some_and(|e| e >= f.requested_at.as_str())
                    && s.sync_status != crate::schedule::IN_PROGRESS
            });
        if done
            && engine
                .store
                .complete_force_sync(&f.id, &time::now_str())
                .await?
        {
            let ev = EventContext::from(conn).event(
                "connection.force-sync-completed",
                json!({"functions_to_sync": wanted, "requested_at": f.requested_at}),
                None,
            );
            engine.announce(&[ev]).await?;
        }
    }
    Ok(())
}
