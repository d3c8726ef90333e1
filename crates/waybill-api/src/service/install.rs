//! Creating and reinstalling connections, and generating sandboxes.

use crate::error::ApiError;
use crate::service::orgs::disabled_functions;
use crate::state::AppState;
use anyhow::Context;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use waybill_connect::secrets::hash_secret;
use waybill_connect::Credentials;
use waybill_connectors::sandbox::data::SandboxSpec;
use waybill_connectors::sandbox::{SandboxConnector, DEFAULT_SPAN_DAYS};
use waybill_model::{time, IntegrationType, Resource};
use waybill_store::{
    ConnectionRow, ConnectionStore, OrgStore, Organization, RecordStore, SyncStateStore,
};
use waybill_sync::{schedule, EventContext};

/// Functions a connection of `integration_name` offers: what the integration implements,
/// less what the organization disabled.
pub fn available_actions(
    state: &AppState,
    org: &Organization,
    ty: IntegrationType,
    integration_name: &str,
) -> Vec<String> {
    let Some(c) = state.registry.get(ty, integration_name) else {
        return Vec::new();
    };
    let disabled = disabled_functions(org, ty);
    c.descriptor()
        .functions()
        .filter(|f| !disabled.iter().any(|d| d == f))
        .map(str::to_string)
        .collect()
}

/// The body `POST /link/exchange` and `POST /sandbox/generate-sandbox/{type}` return.
pub fn exchange_body(state: &AppState, org: &Organization, conn: &ConnectionRow) -> Value {
    let actions = crate::service::overrides::connection_actions(state, org, conn);
    json!({
        "access_token": state.secrets.access_token(&conn.id, conn.token_generation),
        "connection_id": conn.id,
        "integration_name": conn.integration_name,
        "customer_id": conn.customer_id,
        "available_actions": actions,
        "available_endpoints": actions,
    })
}

/// Loads the organization or fails with a 500 (an authenticated org always exists).
pub async fn org(state: &AppState, id: &str) -> Result<Organization, ApiError> {
    if let Some(o) = state.caches.orgs.get(&id.to_string()) {
        return Ok(o);
    }
    let o = state
        .store
        .get_org(id)
        .await?
        .with_context(|| format!("organization {id} vanished"))
        .map_err(ApiError::Internal)?;
    state.caches.orgs.put(id.to_string(), o.clone());
    Ok(o)
}

/// What a new connection needs.
pub struct NewConnection<'a> {
    /// Owning organization.
    pub org: &'a Organization,
    /// Vertical.
    pub ty: IntegrationType,
    /// Integration slug.
    pub integration_name: &'a str,
    /// Plain credentials; encrypted before they are stored.
    pub credentials: &'a Credentials,
    /// `me` from validation.
    pub me: Map<String, Value>,
    /// The organization's label.
    pub customer_id: Option<String>,
    /// Whether it is the org's sandbox of the vertical.
    pub is_sandbox: bool,
    /// Whether the worker should run its historical sync now; false when the caller runs it
    /// inline (the sandbox generator), so the two never race.
    pub due: bool,
}

/// Creates a connection and its schedules; the caller starts its historical sync.
pub async fn create_connection(
    state: &AppState,
    n: NewConnection<'_>,
) -> Result<ConnectionRow, ApiError> {
    let id = uuid::Uuid::new_v4().to_string();
    let token = state.secrets.access_token(&id, 0);
    let actions = available_actions(state, n.org, n.ty, n.integration_name);
    let scheduled: Vec<String> = actions
        .iter()
        .filter(|f| Resource::by_function(n.ty, f).is_some_and(|r| n.is_sandbox || r.on_by_default))
        .cloned()
        .collect();
    let row = ConnectionRow {
        seq: 0,
        id: id.clone(),
        organization_id: n.org.id.clone(),
        integration_type: n.ty.as_str().into(),
        integration_name: n.integration_name.into(),
        customer_id: n.customer_id,
        token_hash: hash_secret(&token),
        token_generation: 0,
        credentials: state.secrets.encrypt(n.credentials),
        me: Value::Object(n.me).to_string(),
        settings: "{}".into(),
        is_sandbox: n.is_sandbox,
        webhooks_disabled: false,
        historical_lookback_days: None,
        created_at: time::now_str(),
        last_used: None,
        times_used: 0,
    };
    let mut schedules = schedule::initial(&id, n.ty, &scheduled);
    if !n.due {
        schedules.iter_mut().for_each(|s| s.next_run_at = None);
    }
    state.store.create_connection(&row, &schedules).await?;
    state
        .store
        .get_connection(&id)
        .await?
        .context("connection vanished after insert")
        .map_err(ApiError::Internal)
}

/// The lookback of a connection's historical sync, in days.
pub fn lookback_days(org: &Organization, conn: &ConnectionRow) -> i64 {
    conn.historical_lookback_days
        .unwrap_or(org.historical_lookback_days)
        .clamp(1, 3 * 366)
}

/// Announces a new connection (`connection.created`, whose `data.access_token` is how a
/// magic-link install hands the token to the organization) and wakes the worker, which runs
/// its historical sync.
pub async fn announce_created(state: &AppState, conn: &ConnectionRow) -> Result<(), ApiError> {
    let token = state.secrets.access_token(&conn.id, conn.token_generation);
    let ev = EventContext::from(conn).event(
        "connection.created",
        json!({"created_date": conn.created_at, "access_token": token}),
        None,
    );
    state.store.append_events(&[ev]).await?;
    state.events_notify.notify_one();
    state.sync_wake.notify_one();
    Ok(())
}

/// Starts a new connection's life: announces it and lets the worker run its historical
/// sync (kept under this name for the install paths that call it).
pub fn spawn_historical(state: Arc<AppState>, _org: Organization, conn: ConnectionRow) {
    tokio::spawn(async move {
        if let Err(e) = announce_created(&state, &conn).await {
            tracing::warn!(connection_id = %conn.id, error = ?e, "could not announce the new connection");
        }
    });
}

/// Creates or regenerates the organization's sandbox of a vertical, syncs it, and returns
/// the exchange body. Idempotent per (organization, vertical): same connection id and
/// token every time, with the data wiped and regenerated.
pub async fn generate_sandbox(
    state: &AppState,
    org: &Organization,
    ty: IntegrationType,
    orders: u64,
    only: Option<&[String]>,
    progress: &(dyn Fn(&str, u64) + Send + Sync),
) -> Result<Value, ApiError> {
    let spec = SandboxSpec::new(
        rand::random(),
        orders,
        time::now().timestamp(),
        DEFAULT_SPAN_DAYS,
    );
    let creds = SandboxConnector::credentials(&spec);
    let me = json!({"account_id": "sandbox", "account_name": ty.sandbox_display_name()});
    let conn = match state.store.sandbox_connection(&org.id, ty.as_str()).await? {
        Some(conn) => {
            state.store.wipe_records(&conn.id).await?;
            state
                .store
                .replace_credentials(&conn.id, &state.secrets.encrypt(&creds), &me.to_string())
                .await?;
            let actions = available_actions(state, org, ty, "sandbox");
            let mut schedules = schedule::initial(&conn.id, ty, &actions);
            schedules.iter_mut().for_each(|s| s.next_run_at = None);
            state.store.reset_schedules(&conn.id, &schedules).await?;
            state
                .store
                .get_connection(&conn.id)
                .await?
                .context("sandbox vanished")
                .map_err(ApiError::Internal)?
        }
        None => {
            let conn = create_connection(
                state,
                NewConnection {
                    org,
                    ty,
                    integration_name: "sandbox",
                    credentials: &creds,
                    me: me.as_object().cloned().unwrap_or_default(),
                    customer_id: None,
                    is_sandbox: true,
                    due: false,
                },
            )
            .await?;
            // Its schedules are not due (the sync runs inline below), so waking the worker
            // inside announce_created finds nothing to do.
            announce_created(state, &conn).await?;
            conn
        }
    };
    if let Some(only) = only {
        // Bulk loads for benchmarks sync a subset; the rest stay paused until resumed.
        for s in state.store.schedules(&conn.id).await? {
            if !only.contains(&s.function_name) {
                state
                    .store
                    .set_paused(&conn.id, Some(&s.function_name), true)
                    .await?;
            }
        }
    }
    let days = lookback_days(org, &conn).max(DEFAULT_SPAN_DAYS as i64);
    state
        .sync
        .historical(&conn, days, progress)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?;
    Ok(exchange_body(state, org, &conn))
}
