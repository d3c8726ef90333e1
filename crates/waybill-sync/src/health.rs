//! Connection health (SPEC §9.1): failed credentials are a blocking error on every endpoint
//! and stop the connection's syncs; missing permissions are a non-blocking error on exactly
//! the affected endpoints. Each change fires `connection-error.created|updated|deleted`.

use crate::engine::{SyncEngine, SyncError};
use crate::events::EventContext;
use serde_json::{json, Value};
use waybill_connect::ConnectorError;
use waybill_model::{time, IntegrationType, Resource};
use waybill_store::{
    ConnectionErrorRow, ConnectionRow, ConnectionStore, ErrorChange, SyncStateStore,
};

/// Class of credential errors.
pub const CREDENTIALS: &str = "credentials";
/// Class of permission errors.
pub const PERMISSION: &str = "permission";

fn endpoint(conn: &ConnectionRow, function: &str) -> Option<String> {
    let v: IntegrationType = conn.integration_type.parse().ok()?;
    Resource::by_function(v, function).map(|r| r.endpoint_label())
}

/// The webhook `data` of a connection error.
pub fn error_data(conn: &ConnectionRow, e: &ConnectionErrorRow) -> Value {
    json!({
        "failed_url": null,
        "affected_endpoints": serde_json::from_str::<Value>(&e.affected_endpoints).unwrap_or(json!([])),
        "integration_name": conn.integration_name,
        "error_message": e.error_message,
        "created_date": e.first_seen,
        "updated_date": e.last_seen,
        "last_seen": e.last_seen,
    })
}

async fn announce(
    engine: &SyncEngine,
    conn: &ConnectionRow,
    event: &str,
    e: &ConnectionErrorRow,
) -> Result<(), SyncError> {
    let ev = EventContext::from(conn).event(event, error_data(conn, e), None);
    engine.announce(&[ev]).await
}

/// Records a failed function run.
pub async fn function_failed(
    engine: &SyncEngine,
    conn: &ConnectionRow,
    function: &str,
    err: &ConnectorError,
) -> Result<(), SyncError> {
    let now = time::now_str();
    let (class, blocking, message, endpoints) = match err {
        ConnectorError::Auth(m) => {
            let all: Vec<Value> = engine
                .store
                .schedules(&conn.id)
                .await?
                .iter()
                .filter_map(|s| endpoint(conn, &s.function_name))
                .map(|e| json!({"endpoint": e, "preventing_sync": true}))
                .collect();
            (CREDENTIALS, true, m.clone(), all)
        }
        ConnectorError::MissingPermission { message, functions } => {
            let mut list: Vec<Value> = engine
                .store
                .connection_errors(&conn.id)
                .await?
                .into_iter()
                .find(|e| e.class == PERMISSION)
                .and_then(|e| serde_json::from_str(&e.affected_endpoints).ok())
                .unwrap_or_default();
            let mut fs = functions.clone();
            if fs.is_empty() {
                fs.push(function.to_string());
            }
            for f in fs {
                if let Some(ep) = endpoint(conn, &f) {
                    if !list.iter().any(|x| x["endpoint"] == ep.as_str()) {
                        list.push(json!({"endpoint": ep, "preventing_sync": false}));
                    }
                }
            }
            (PERMISSION, false, message.clone(), list)
        }
        _ => return Ok(()),
    };
    let row = ConnectionErrorRow {
        connection_id: conn.id.clone(),
        class: class.into(),
        blocking,
        error_message: message,
        affected_endpoints: Value::Array(endpoints).to_string(),
        first_seen: now.clone(),
        last_seen: now,
    };
    match engine.store.upsert_connection_error(&row).await? {
        ErrorChange::Created => announce(engine, conn, "connection-error.created", &row).await?,
        ErrorChange::Updated => announce(engine, conn, "connection-error.updated", &row).await?,
        ErrorChange::Unchanged => {}
    }
    Ok(())
}

/// Records a successful function run: the function's endpoint leaves the permission error.
pub async fn function_ok(
    engine: &SyncEngine,
    conn: &ConnectionRow,
    function: &str,
) -> Result<(), SyncError> {
    let Some(ep) = endpoint(conn, function) else {
        return Ok(());
    };
    let Some(mut e) = engine
        .store
        .connection_errors(&conn.id)
        .await?
        .into_iter()
        .find(|e| e.class == PERMISSION)
    else {
        return Ok(());
    };
    let mut list: Vec<Value> = serde_json::from_str(&e.affected_endpoints).unwrap_or_default();
    let before = list.len();
    list.retain(|x| x["endpoint"] != ep.as_str());
    if list.len() == before {
        return Ok(());
    }
    if list.is_empty() {
        if let Some(old) = engine
            .store
            .delete_connection_error(&conn.id, PERMISSION)
            .await?
        {
            announce(engine, conn, "connection-error.deleted", &old).await?;
        }
    } else {
        e.affected_endpoints = Value::Array(list).to_string();
        e.last_seen = time::now_str();
        engine.store.upsert_connection_error(&e).await?;
        announce(engine, conn, "connection-error.updated", &e).await?;
    }
    Ok(())
}

/// Clears credential errors after a reinstall and makes every function due again.
pub async fn credentials_replaced(
    engine: &SyncEngine,
    conn: &ConnectionRow,
) -> Result<(), SyncError> {
    if let Some(old) = engine
        .store
        .delete_connection_error(&conn.id, CREDENTIALS)
        .await?
    {
        announce(engine, conn, "connection-error.deleted", &old).await?;
    }
    engine
        .store
        .make_due(&conn.id, &[], &time::now_str())
        .await?;
    Ok(())
}
