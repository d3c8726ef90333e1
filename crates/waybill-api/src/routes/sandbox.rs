//! `POST /sandbox/generate-sandbox/{integration_type}`.

use crate::auth::OrgAuth;
use crate::error::ApiError;
use crate::routes::integrations::parse_type;
use crate::service::install;
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use waybill_connectors::sandbox::DEFAULT_ORDERS;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new().route(
        "/sandbox/generate-sandbox/{integration_type}",
        post(generate),
    )
}

async fn generate(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(ty): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ty = parse_type(&ty)?;
    let org = install::org(&state, &auth.org_id).await?;
    let body =
        install::generate_sandbox(&state, &org, ty, DEFAULT_ORDERS, None, &|_, _| {}).await?;
    Ok(Json(body))
}
