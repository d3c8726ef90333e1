//! Sandbox simulations (SPEC §8.4): change the simulated system, then sync the affected
//! function at once so the webhook follows within seconds.

use crate::auth::{OrgAuth, ACCESS_TOKEN_HEADER};
use crate::error::ApiError;
use crate::state::SharedState;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use waybill_connect::secrets::hash_secret;
use waybill_connectors::sandbox::simulate::SimError;
use waybill_connectors::sandbox::SandboxConnector;
use waybill_model::{time, IntegrationType};
use waybill_store::{ConnectionRow, ConnectionStore, SyncStateStore};

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/sandbox/simulate/orders/{order_id}/fulfill", put(fulfill))
        .route(
            "/sandbox/simulate/returns/{return_id}/receive",
            put(receive),
        )
        .route("/sandbox/simulate/cart/orders", post(cart_order))
        .route("/sandbox/simulate/cart/products", post(cart_product))
        .route("/sandbox/counters/{integration_type}", get(counters))
}

/// `GET /sandbox/counters/{integration_type}`: what the simulated system counted (first
/// pages of pulls per function), to check that work ran once.
async fn counters(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
    Path(ty): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ty = crate::routes::integrations::parse_type(&ty)?;
    let (conn, sandbox) = target(&state, &auth, &headers, ty).await?;
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let list = sandbox
        .counters(&creds)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!(e.to_string())))?;
    let map: serde_json::Map<String, Value> =
        list.into_iter().map(|(k, v)| (k, json!(v))).collect();
    Ok(Json(json!({"data": map})))
}

/// The sandbox connection a simulation acts on: the token's, if one is sent, else the
/// organization's sandbox of the vertical.
async fn target(
    state: &SharedState,
    auth: &OrgAuth,
    headers: &HeaderMap,
    ty: IntegrationType,
) -> Result<(ConnectionRow, std::sync::Arc<SandboxConnector>), ApiError> {
    let conn = match headers.get(ACCESS_TOKEN_HEADER).and_then(|v| v.to_str().ok()).filter(|t| !t.is_empty()) {
        Some(token) => state
            .store
            .connection_by_token(&hash_secret(token))
            .await?
            .filter(|c| c.organization_id == auth.org_id)
            .ok_or_else(|| ApiError::Unauthorized("Invalid access token.".into()))?,
        None => state
            .store
            .sandbox_connection(&auth.org_id, ty.as_str())
            .await?
            .ok_or_else(|| ApiError::NotFound { error: format!("This organization has no {ty} sandbox. Create one with POST /sandbox/generate-sandbox/{ty}."), id: None })?,
    };
    if !conn.is_sandbox || conn.integration_type != ty.as_str() {
        return Err(ApiError::NotFound {
            error: format!("Connection is not a {ty} sandbox connection"),
            id: None,
        });
    }
    let sandbox = state
        .sandboxes
        .iter()
        .find(|s| waybill_connect::Connector::descriptor(s.as_ref()).integration_type == ty)
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no {ty} sandbox connector")))?;
    Ok((conn, sandbox))
}

fn sim_error(e: SimError) -> ApiError {
    match e {
        SimError::NotFound(id) => ApiError::not_found("Record", &id),
        SimError::Invalid(m) => ApiError::Integration {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            error: m,
        },
        SimError::State(m) => ApiError::Internal(anyhow::anyhow!(m)),
    }
}

/// Makes the function due at once and wakes the worker.
async fn resync(state: &SharedState, conn: &ConnectionRow, function: &str) -> Result<(), ApiError> {
    state
        .store
        .make_due(&conn.id, &[function.to_string()], &time::now_str())
        .await?;
    state.sync_wake.notify_one();
    Ok(())
}

async fn fulfill(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let partial = match q
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|p| p.strip_prefix("partial="))
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "query",
                "partial",
                "Must be true or false.",
            ))
        }
    };
    let (conn, sandbox) = target(&state, &auth, &headers, IntegrationType::Wms).await?;
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let order = sandbox
        .fulfill_order(&creds, &id, partial)
        .await
        .map_err(sim_error)?;
    resync(&state, &conn, "get_orders").await?;
    resync(&state, &conn, "get_order_packs").await?;
    Ok(Json(json!({"data": order})))
}

async fn receive(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (conn, sandbox) = target(&state, &auth, &headers, IntegrationType::Wms).await?;
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let ret = sandbox
        .receive_return(&creds, &id)
        .await
        .map_err(sim_error)?;
    resync(&state, &conn, "get_returns").await?;
    Ok(Json(json!({"data": ret})))
}

async fn create(
    state: SharedState,
    auth: OrgAuth,
    headers: HeaderMap,
    function: &str,
    prefix: &str,
) -> Result<Json<Value>, ApiError> {
    let (conn, sandbox) = target(&state, &auth, &headers, IntegrationType::Cart).await?;
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let doc = sandbox
        .create_like(&creds, function, prefix)
        .await
        .map_err(sim_error)?;
    resync(&state, &conn, function).await?;
    Ok(Json(json!({"data": doc})))
}

async fn cart_order(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    create(state, auth, headers, "get_orders", "ord").await
}

async fn cart_product(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    create(state, auth, headers, "get_products", "prod").await
}
