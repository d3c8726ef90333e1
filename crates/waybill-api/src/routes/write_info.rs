//! `GET /integrations/{type}/{name}/write-info` and the `meta` routes (SPEC §12.4).

use crate::auth::{ConnAuth, OrgAuth, ACCESS_TOKEN_HEADER};
use crate::error::ApiError;
use crate::routes::integrations::parse_type;
use crate::service::write_info;
use crate::state::SharedState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use waybill_connect::secrets::hash_secret;
use waybill_model::IntegrationType;
use waybill_store::ConnectionStore;

/// Resources with meta routes, and their create/update functions.
const META: [(&str, &str, &str); 5] = [
    ("orders", "create_order", "update_order"),
    ("products", "create_product", "update_product"),
    ("kits", "create_kit", "update_kit"),
    ("returns", "create_return", "update_return"),
    (
        "inbound-shipments",
        "create_inbound_shipment",
        "update_inbound_shipment",
    ),
];

/// The routes.
pub fn router() -> Router<SharedState> {
    let mut r = Router::new().route(
        "/integrations/{integration_type}/{integration_name}/write-info",
        get(write_info_doc),
    );
    for (res, create, update) in META {
        r = r
            .route(
                &format!("/wms/{res}/meta"),
                get(
                    move |s: State<SharedState>, a: ConnAuth, q: Query<HashMap<String, String>>| {
                        conn_meta(s, a, q, create, update)
                    },
                ),
            )
            .route(
                &format!("/wms/{res}/meta/{{integration_name}}"),
                get(
                    move |s: State<SharedState>,
                          a: OrgAuth,
                          p: Path<String>,
                          q: Query<HashMap<String, String>>| {
                        named_meta(s, a, p, q, create, update)
                    },
                ),
            );
    }
    r
}

fn function_of(
    q: &HashMap<String, String>,
    create: &'static str,
    update: &'static str,
) -> Result<&'static str, ApiError> {
    match q.get("method").map(|m| m.to_ascii_uppercase()).as_deref() {
        Some("POST") => Ok(create),
        Some("PUT") => Ok(update),
        Some(_) => Err(ApiError::invalid("query", "method", "Must be POST or PUT.")),
        None => Err(ApiError::invalid(
            "query",
            "method",
            "Missing data for required field.",
        )),
    }
}

fn not_implemented(function: &str, display: &str) -> ApiError {
    ApiError::NotImplemented(format!(
        "Endpoint {function} is not implemented for {display}"
    ))
}

async fn write_info_doc(
    State(state): State<SharedState>,
    auth: OrgAuth,
    headers: HeaderMap,
    Path((ty, name)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let ty = parse_type(&ty)?;
    let c = state
        .registry
        .get(ty, &name)
        .ok_or_else(|| ApiError::NotFound {
            error: format!("Integration {name} not found"),
            id: Some(name.clone()),
        })?;
    let token = headers
        .get(ACCESS_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty());
    let values = match token {
        Some(t) => {
            let conn = state
                .store
                .connection_by_token(&hash_secret(t))
                .await?
                .filter(|c| c.organization_id == auth.org_id)
                .ok_or_else(|| ApiError::Unauthorized("Invalid access token.".into()))?;
            if conn.integration_name != name || conn.integration_type != ty.as_str() {
                return Err(ApiError::BadRequest(format!(
                    "The access token's connection is a {} {} connection, not {ty} {name}.",
                    conn.integration_type, conn.integration_name
                )));
            }
            Some(write_info::connection_values(&state, &c, &conn).await?)
        }
        None => None,
    };
    Ok(Json(write_info::openapi(&c, values.as_ref())))
}

async fn conn_meta(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Query(q): Query<HashMap<String, String>>,
    create: &'static str,
    update: &'static str,
) -> Result<Json<Value>, ApiError> {
    crate::service::writes::require_vertical(&auth, IntegrationType::Wms)?;
    let function = function_of(&q, create, update)?;
    let c = state
        .registry
        .get(IntegrationType::Wms, &auth.conn.integration_name)
        .ok_or_else(|| not_implemented(function, &auth.conn.integration_name))?;
    let values = write_info::connection_values(&state, &c, &auth.conn).await?;
    write_info::meta(&c, function, Some(&values))
        .map(Json)
        .ok_or_else(|| not_implemented(function, c.descriptor().display_name))
}

async fn named_meta(
    State(state): State<SharedState>,
    _auth: OrgAuth,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    create: &'static str,
    update: &'static str,
) -> Result<Json<Value>, ApiError> {
    let function = function_of(&q, create, update)?;
    let c = state
        .registry
        .get(IntegrationType::Wms, &name)
        .ok_or_else(|| ApiError::NotFound {
            error: format!("Integration {name} not found"),
            id: Some(name.clone()),
        })?;
    let mut doc = write_info::meta(&c, function, None)
        .ok_or_else(|| not_implemented(function, c.descriptor().display_name))?;
    let specific = c
        .descriptor()
        .write(function)
        .is_some_and(|w| write_info::has_connection_specific(&w.schema, &Default::default()));
    doc["has_connection_specific_fields"] = json!(specific);
    Ok(Json(doc))
}
