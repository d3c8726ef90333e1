//! The integration catalogue: `GET /integrations/{type}[/{name}]` and the legacy
//! `GET /{type}/integrations[/{name}]`.

use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::service::install;
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use waybill_connect::Connector;
use waybill_model::{IntegrationType, Resource};
use waybill_store::Organization;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/integrations/{integration_type}", get(list))
        .route(
            "/integrations/{integration_type}/{integration_name}",
            get(one),
        )
        .route("/{integration_type}/integrations", get(list))
        .route(
            "/{integration_type}/integrations/{integration_name}",
            get(one),
        )
}

/// Parses an `integration_type` path parameter.
pub fn parse_type(s: &str) -> Result<IntegrationType, ApiError> {
    s.parse()
        .map_err(|m: String| ApiError::invalid("path", "integration_type", m))
}

fn info(state: &SharedState, org: &Organization, c: &Arc<dyn Connector>) -> Value {
    let d = c.descriptor();
    let list_operations: Vec<Value> = d
        .read_functions
        .iter()
        .filter_map(|f| Resource::by_function(d.integration_type, f))
        .map(|r| json!({"action": r.function, "url": r.endpoint_label(), "implemented_fields": c.implemented_fields(r.function)}))
        .collect();
    json!({
        "integration_name": d.integration_name,
        "display_name": d.display_name,
        "integration_type": d.integration_type,
        "install_method": d.install_method,
        "description": d.description,
        "logo_url": d.logo_url.map(str::to_string).unwrap_or_else(|| format!("{}/link/logos/{}/{}.svg", state.config.public_url, d.integration_type, d.integration_name)),
        "auth_fields": d.auth_fields,
        "write_operations": crate::service::write_info::operations(c),
        "list_operations": list_operations,
        "available_actions": install::available_actions(state, org, d.integration_type, d.integration_name),
    })
}

async fn list(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(ty): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ty = parse_type(&ty)?;
    let org = install::org(&state, &auth.org_id).await?;
    let data: Vec<Value> = state
        .registry
        .of_type(ty)
        .iter()
        .map(|c| info(&state, &org, c))
        .collect();
    Ok(Json(json!({"data": data})))
}

async fn one(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path((ty, name)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let ty = parse_type(&ty)?;
    let org = install::org(&state, &auth.org_id).await?;
    let c = state
        .registry
        .get(ty, &name)
        .ok_or_else(|| ApiError::not_found("Integration", &name))?;
    Ok(Json(json!({"data": [info(&state, &org, &c)]})))
}
