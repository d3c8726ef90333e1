//! Magic links, by API key: `POST /magic-links`, `GET /magic-links`,
//! `GET /magic-links/{magic_link_id}` and `DELETE /magic-links/{magic_link_id}`.
//! The hosted page they point to is in `magic_link_page`.

use crate::auth::OrgAuth;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::magic_links::{is_id, new_id, view};
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_model::{time, IntegrationType};
use waybill_store::{ConnectionStore, MagicLinkRow, MagicLinkStore};

/// Default `link_duration`, in days.
const DEFAULT_DAYS: i64 = 7;
/// Longest `link_duration` accepted, in days.
const MAX_DAYS: i64 = 365;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/magic-links", get(list).post(create))
        .route("/magic-links/{magic_link_id}", get(one).delete(delete))
}

/// `MagicLinkInputSchema` plus the function overrides; closed, like the reference schema.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateBody {
    #[serde(default)]
    connection_id: Option<String>,
    #[serde(default)]
    integration_type: Option<String>,
    #[serde(default)]
    link_duration: Option<i64>,
    #[serde(default)]
    customer_id: Option<String>,
    #[serde(default)]
    integration_allow_list: Option<Vec<String>>,
    #[serde(default)]
    integration_block_list: Option<Vec<String>>,
    #[serde(default)]
    integrations_with_endpoints: Option<Vec<String>>,
    #[serde(default)]
    disabled_functions: Option<Vec<String>>,
    #[serde(default)]
    enabled_functions: Option<Vec<String>>,
}

/// Checks a list of names: no empty entries, each at most 100 characters, at most 500 entries.
fn names(field: &str, v: Option<Vec<String>>) -> Result<Vec<String>, ApiError> {
    let v = v.unwrap_or_default();
    if v.len() > 500 {
        return Err(ApiError::invalid("json", field, "At most 500 entries."));
    }
    for (i, s) in v.iter().enumerate() {
        if s.trim().is_empty() || s.len() > 100 {
            return Err(ApiError::invalid(
                "json",
                &format!("{field}.{i}"),
                "Must be a name of 1 to 100 characters.",
            ));
        }
    }
    Ok(v)
}

async fn create(
    State(state): State<SharedState>,
    auth: OrgAuth,
    JsonBody(b): JsonBody<CreateBody>,
) -> Result<Json<Value>, ApiError> {
    let allow = names("integration_allow_list", b.integration_allow_list)?;
    let block = names("integration_block_list", b.integration_block_list)?;
    let endpoints = names("integrations_with_endpoints", b.integrations_with_endpoints)?;
    let disabled = names("disabled_functions", b.disabled_functions)?;
    let enabled = names("enabled_functions", b.enabled_functions)?;
    if !allow.is_empty() && (!block.is_empty() || !endpoints.is_empty()) {
        return Err(ApiError::invalid(
            "json",
            "integration_allow_list",
            "integration_allow_list is mutually exclusive with integration_block_list and integrations_with_endpoints.",
        ));
    }
    let days = b.link_duration.unwrap_or(DEFAULT_DAYS);
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(ApiError::invalid(
            "json",
            "link_duration",
            format!("Must be a number of days from 0 to {MAX_DAYS} (0 expires at once)."),
        ));
    }
    let requested: Option<IntegrationType> = match b.integration_type.as_deref() {
        None => None,
        Some(t) => Some(
            t.parse()
                .map_err(|m: String| ApiError::invalid("json", "integration_type", m))?,
        ),
    };
    let ty = match &b.connection_id {
        Some(id) => {
            let c = state
                .store
                .get_connection(id)
                .await?
                .filter(|c| c.organization_id == auth.org_id)
                .ok_or_else(|| ApiError::not_found("Connection", id))?;
            if requested.is_some_and(|t| t.as_str() != c.integration_type) {
                return Err(ApiError::invalid(
                    "json",
                    "integration_type",
                    format!("Connection {id} is a {} connection.", c.integration_type),
                ));
            }
            c.integration_type
        }
        None => requested
            .unwrap_or(IntegrationType::Wms)
            .as_str()
            .to_string(),
    };
    let now = time::now();
    let row = MagicLinkRow {
        id: new_id(),
        organization_id: auth.org_id,
        connection_id: b.connection_id,
        customer_id: b.customer_id,
        integration_type: ty,
        integration_allow_list: allow,
        integration_block_list: block,
        integrations_with_endpoints: endpoints,
        disabled_functions: disabled,
        enabled_functions: enabled,
        created_at: time::fmt(now),
        expires_at: time::fmt(now + Duration::days(days)),
        deleted_at: None,
    };
    state.store.create_magic_link(&row).await?;
    Ok(Json(json!({"magic_link": view(&state, &row)})))
}

async fn list(State(state): State<SharedState>, auth: OrgAuth) -> Result<Json<Value>, ApiError> {
    let rows = state.store.list_magic_links(&auth.org_id).await?;
    let links: Vec<Value> = rows.iter().map(|m| view(&state, m)).collect();
    Ok(Json(json!({"magic_links": links})))
}

/// The organization's magic link, not deleted; other organizations' links are unknown ids.
async fn owned(state: &SharedState, auth: &OrgAuth, id: &str) -> Result<MagicLinkRow, ApiError> {
    let found = if is_id(id) {
        state.store.get_magic_link(id).await?
    } else {
        None
    };
    found
        .filter(|m| m.organization_id == auth.org_id && m.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("Magic link", id))
}

async fn one(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let m = owned(&state, &auth, &id).await?;
    Ok(Json(json!({"magic_link": view(&state, &m)})))
}

async fn delete(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let m = owned(&state, &auth, &id).await?;
    if !state
        .store
        .delete_magic_link(&auth.org_id, &m.id, &time::now_str())
        .await?
    {
        return Err(ApiError::not_found("Magic link", &id));
    }
    Ok(Json(
        json!({"id": m.id, "object": "magic_link", "deleted": true}),
    ))
}
