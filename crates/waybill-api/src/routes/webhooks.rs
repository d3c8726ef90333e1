//! Webhook endpoints: `GET/POST /webhooks/endpoints`, `GET/PATCH/DELETE
//! /webhooks/endpoints/{id}`, `POST …/{id}/rotate-secret` and `POST …/{id}/test`.
//! The delivery log and message routes live in `webhook_messages`.

use crate::auth::OrgAuth;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::webhooks::{
    check_connection_ids, check_description, check_event_types, check_url, endpoint_view,
    new_endpoint_id, owned_endpoint, send_test_event,
};
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_model::time;
use waybill_store::webhooks::EndpointRow;
use waybill_store::WebhookStore;
use waybill_webhooks::signing::generate_secret;

/// How long the old secret keeps signing after a rotation.
const ROTATION_GRACE_HOURS: i64 = 24;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/webhooks/endpoints", get(list).post(create))
        .route(
            "/webhooks/endpoints/{endpoint_id}",
            get(one).patch(patch).delete(delete),
        )
        .route(
            "/webhooks/endpoints/{endpoint_id}/rotate-secret",
            post(rotate),
        )
        .route("/webhooks/endpoints/{endpoint_id}/test", post(test))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    event_types: Option<Vec<String>>,
    #[serde(default)]
    connection_ids: Option<Vec<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
}

async fn create(
    State(state): State<SharedState>,
    auth: OrgAuth,
    JsonBody(b): JsonBody<CreateBody>,
) -> Result<Json<Value>, ApiError> {
    let url = b
        .url
        .ok_or_else(|| ApiError::invalid("json", "url", "Missing data for required field."))?;
    let url = check_url(&state, &url)?;
    let event_types = check_event_types(b.event_types.unwrap_or_default())?;
    let connection_ids =
        check_connection_ids(&state, &auth.org_id, b.connection_ids.unwrap_or_default()).await?;
    let description = check_description(b.description.unwrap_or_default())?;
    let now = time::now_str();
    let row = EndpointRow {
        id: new_endpoint_id(),
        organization_id: auth.org_id.clone(),
        url,
        description,
        event_types,
        connection_ids,
        disabled: b.disabled.unwrap_or(false),
        disabled_reason: None,
        failing_since: None,
        secret: state.secrets.encrypt_str(&generate_secret()),
        previous_secret: None,
        previous_secret_expires_at: None,
        created_at: now.clone(),
        updated_at: now,
    };
    state.store.create_endpoint(&row).await?;
    Ok(Json(json!({"data": endpoint_view(&state, &row, true)?})))
}

async fn list(State(state): State<SharedState>, auth: OrgAuth) -> Result<Json<Value>, ApiError> {
    let rows = state.store.list_endpoints(&auth.org_id).await?;
    let data = rows
        .iter()
        .map(|e| endpoint_view(&state, e, !auth.read_only))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(json!({"data": data})))
}

async fn one(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let e = owned_endpoint(&state, &auth.org_id, &id).await?;
    Ok(Json(
        json!({"data": endpoint_view(&state, &e, !auth.read_only)?}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    event_types: Option<Vec<String>>,
    #[serde(default)]
    connection_ids: Option<Vec<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    disabled: Option<bool>,
}

async fn patch(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PatchBody>,
) -> Result<Json<Value>, ApiError> {
    let mut e = owned_endpoint(&state, &auth.org_id, &id).await?;
    if let Some(u) = b.url {
        e.url = check_url(&state, &u)?;
    }
    if let Some(t) = b.event_types {
        e.event_types = check_event_types(t)?;
    }
    if let Some(c) = b.connection_ids {
        e.connection_ids = check_connection_ids(&state, &auth.org_id, c).await?;
    }
    if let Some(d) = b.description {
        e.description = check_description(d)?;
    }
    if let Some(disabled) = b.disabled {
        if !disabled {
            // Re-enabling starts a fresh failure streak.
            e.disabled_reason = None;
            e.failing_since = None;
        }
        e.disabled = disabled;
    }
    e.updated_at = time::now_str();
    if !state.store.update_endpoint(&e).await? {
        return Err(ApiError::not_found("Webhook endpoint", &id));
    }
    if !e.disabled {
        // Deliveries that waited while it was disabled may go now.
        state.events_notify.notify_one();
    }
    Ok(Json(json!({"data": endpoint_view(&state, &e, true)?})))
}

async fn delete(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if !state
        .store
        .delete_endpoint(&auth.org_id, &id, &time::now_str())
        .await?
    {
        return Err(ApiError::not_found("Webhook endpoint", &id));
    }
    Ok(Json(json!({"data": {"id": id, "deleted": true}})))
}

async fn rotate(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut e = owned_endpoint(&state, &auth.org_id, &id).await?;
    let now = time::now();
    e.previous_secret = Some(std::mem::replace(
        &mut e.secret,
        state.secrets.encrypt_str(&generate_secret()),
    ));
    e.previous_secret_expires_at = Some(time::fmt(
        now + chrono::Duration::hours(ROTATION_GRACE_HOURS),
    ));
    e.updated_at = time::fmt(now);
    if !state.store.update_endpoint(&e).await? {
        return Err(ApiError::not_found("Webhook endpoint", &id));
    }
    Ok(Json(json!({"data": endpoint_view(&state, &e, true)?})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestBody {
    /// Replaces the default `data` of the test event.
    #[serde(default)]
    data: Option<Value>,
}

async fn test(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<TestBody>,
) -> Result<Json<Value>, ApiError> {
    let e = owned_endpoint(&state, &auth.org_id, &id).await?;
    if b.data.as_ref().is_some_and(|d| !d.is_object()) {
        return Err(ApiError::invalid("json", "data", "Must be an object."));
    }
    let msg_id = send_test_event(&state, &e, b.data).await?;
    Ok(Json(
        json!({"data": {"id": msg_id, "event_type": waybill_webhooks::catalogue::TEST_EVENT_TYPE, "endpoint_id": e.id}}),
    ))
}
