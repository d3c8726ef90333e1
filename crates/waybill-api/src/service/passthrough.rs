//! Passthrough (SPEC §14): a call to the integration's own API with the connection's stored
//! credentials, answered as `{status_code, headers, body}`. The path must stay under the
//! integration's base URL: absolute URLs, other hosts, scheme changes and `..` are refused
//! before anything is sent. Not stored, not announced, not idempotent; rate limited as a
//! write.

use crate::auth::ConnAuth;
use crate::error::ApiError;
use crate::routes::writes::read_json;
use crate::service::writes::{
    allowed, problems_error, require_vertical, vendor_error, VENDOR_TIMEOUT,
};
use crate::state::SharedState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};
use waybill_connect::write::{check_passthrough_path, forbidden_passthrough_header};
use waybill_connect::PassthroughRequest;
use waybill_model::writes::validate::Problem;
use waybill_model::IntegrationType;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

fn parse(body: &Value) -> Result<PassthroughRequest, ApiError> {
    let mut problems = Vec::new();
    let p = |path: &str, m: &str| Problem {
        path: path.into(),
        message: m.into(),
    };
    let Some(m) = body.as_object() else {
        return Err(problems_error(vec![p(
            "",
            "The body must be a JSON object.",
        )]));
    };
    for k in m.keys() {
        if !["method", "path", "params", "headers", "data"].contains(&k.as_str()) {
            problems.push(p(k, "Unknown field."));
        }
    }
    let method = match m.get("method").and_then(Value::as_str) {
        Some(x) if METHODS.contains(&x.to_ascii_uppercase().as_str()) => x.to_ascii_uppercase(),
        Some(_) => {
            problems.push(p("method", "Must be one of GET, POST, PUT, PATCH, DELETE."));
            String::new()
        }
        None => {
            problems.push(p("method", "Missing data for required field."));
            String::new()
        }
    };
    let path = match m.get("path").and_then(Value::as_str) {
        Some(x) => {
            if let Err(e) = check_passthrough_path(x) {
                problems.push(p("path", &e));
            }
            x.to_string()
        }
        None => {
            problems.push(p("path", "Missing data for required field."));
            String::new()
        }
    };
    let object = |k: &str, problems: &mut Vec<Problem>| -> Map<String, Value> {
        match m.get(k) {
            None => Map::new(),
            Some(Value::Object(o)) => o.clone(),
            Some(_) => {
                problems.push(p(k, "Must be an object."));
                Map::new()
            }
        }
    };
    let params = object("params", &mut problems);
    let headers = object("headers", &mut problems);
    for (k, v) in &headers {
        if forbidden_passthrough_header(k) {
            problems.push(p(
                &format!("headers.{k}"),
                "This header cannot be set on a passthrough call.",
            ));
        } else if !v.is_string() {
            problems.push(p(&format!("headers.{k}"), "Header values must be strings."));
        }
    }
    if !problems.is_empty() {
        return Err(problems_error(problems));
    }
    Ok(PassthroughRequest {
        method,
        path,
        params,
        headers,
        data: m.get("data").cloned(),
    })
}

/// `POST /{wms|cart}/passthrough`.
pub async fn run(
    State(state): State<SharedState>,
    auth: ConnAuth,
    req: Request,
    vertical: IntegrationType,
) -> Result<Json<Value>, ApiError> {
    require_vertical(&auth, vertical)?;
    let connector = allowed(&state, &auth, "passthrough", |c| c.descriptor().passthrough).await?;
    let (_, body) = read_json(req).await?;
    let call = parse(&body)?;
    let creds = state
        .secrets
        .decrypt(&auth.conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let answer = tokio::time::timeout(VENDOR_TIMEOUT, connector.passthrough(&creds, &call))
        .await
        .map_err(|_| ApiError::Integration {
            status: StatusCode::BAD_GATEWAY,
            error: "The integration did not answer in time.".into(),
        })?
        .map_err(vendor_error)?;
    Ok(Json(
        json!({"status_code": answer.status_code, "headers": answer.headers, "body": answer.body}),
    ))
}
