//! The write pipeline (SPEC §12): capability and policy, body checks, idempotency, the
//! vendor call, and storing and announcing what the vendor returned. Routes only extract.
//!
//! Order of checks: vertical (404), capability (501), policy (403), body (400/422), target
//! in Waybill's copy (404), idempotency (replay, 409, 400), then the vendor. Nothing reaches
//! the vendor unless every check passed.

use crate::auth::ConnAuth;
use crate::error::ApiError;
use crate::service::{idempotency, install, overrides};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use waybill_connect::{Connector, ConnectorError, FileUpload, WriteRequest};
use waybill_model::writes::validate::{CheckedBody, Checker, Problem};
use waybill_model::writes::{BodyKind, WriteAction};
use waybill_model::{time, IntegrationType, Resource};
use waybill_store::{RecordStore, WrittenStore};
use waybill_sync::EventContext;

/// How long a vendor write may take before Waybill answers 502.
pub const VENDOR_TIMEOUT: Duration = Duration::from_secs(60);

/// A write as the route received it.
pub struct Incoming {
    /// The target id from the path, for routes that name one.
    pub id: Option<String>,
    /// The JSON body (`{}` for body-less and multipart routes).
    pub body: Value,
    /// The file of a multipart upload.
    pub file: Option<FileUpload>,
    /// The request path, for the idempotency fingerprint.
    pub path: String,
}

/// Answers 404 when a connection of another vertical calls a route.
pub fn require_vertical(auth: &ConnAuth, vertical: IntegrationType) -> Result<(), ApiError> {
    if auth.vertical != vertical {
        return Err(ApiError::NotFound {
            error: format!("Connection is not a {vertical} connection"),
            id: None,
        });
    }
    Ok(())
}

/// The connection's connector and whether it may run `function`: 501 when the integration
/// lacks it, 403 when the organization or the connection turned it off.
pub async fn allowed(
    state: &AppState,
    auth: &ConnAuth,
    function: &str,
    implemented: impl Fn(&Arc<dyn Connector>) -> bool,
) -> Result<Arc<dyn Connector>, ApiError> {
    let c = state
        .registry
        .get(auth.vertical, &auth.conn.integration_name)
        .ok_or_else(|| {
            ApiError::NotImplemented(format!(
                "Endpoint {function} is not implemented for {}",
                auth.conn.integration_name
            ))
        })?;
    if !implemented(&c) {
        return Err(ApiError::NotImplemented(format!(
            "Endpoint {function} is not implemented for {}",
            c.descriptor().display_name
        )));
    }
    let org = install::org(state, &auth.org.org_id).await?;
    if !overrides::connection_actions(state, &org, &auth.conn)
        .iter()
        .any(|f| f == function)
    {
        return Err(ApiError::Forbidden(format!(
            "{function} is disabled for this connection"
        )));
    }
    Ok(c)
}

/// A 422 listing every problem under `detail.json`.
pub fn problems_error(problems: Vec<Problem>) -> ApiError {
    let mut fields = serde_json::Map::new();
    for p in &problems {
        let key = if p.path.is_empty() {
            "_schema".to_string()
        } else {
            p.path.clone()
        };
        match fields.get_mut(&key) {
            Some(Value::Array(a)) => a.push(json!(p.message)),
            _ => {
                fields.insert(key, json!([p.message]));
            }
        }
    }
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    ApiError::Validation {
        error: format!("Invalid request body: {}", names.join(", ")),
        detail: json!({"json": fields}),
    }
}

/// Maps a vendor failure onto the response (SPEC §4.2, §12.7): a refusal keeps the vendor's
/// words and 4xx status with `origin: integration`; vendor 5xx and timeouts are 502.
pub fn vendor_error(e: ConnectorError) -> ApiError {
    let integration = |status: StatusCode, error: String| ApiError::Integration { status, error };
    match e {
        ConnectorError::Permanent { message, status } => {
            match status.and_then(|s| StatusCode::from_u16(s).ok()) {
                Some(s) if s.is_client_error() => integration(s, message),
                _ => integration(StatusCode::BAD_GATEWAY, message),
            }
        }
        ConnectorError::Auth(m) => integration(StatusCode::UNAUTHORIZED, m),
        ConnectorError::MissingPermission { message, .. } => {
            integration(StatusCode::FORBIDDEN, message)
        }
        ConnectorError::RateLimited { .. } => integration(
            StatusCode::TOO_MANY_REQUESTS,
            "The integration is rate limiting this connection; retry later.".into(),
        ),
        ConnectorError::Transient(m) => integration(StatusCode::BAD_GATEWAY, m),
        ConnectorError::Unsupported(f) => ApiError::NotImplemented(format!(
            "Endpoint {f} is not implemented for this integration"
        )),
    }
}

/// The compiled check of a write, made once per integration and function: the schemas are
/// static, and compiling them on every request would put that work on the hot path.
fn checker(connector: &Arc<dyn Connector>, action: &WriteAction) -> Result<Arc<Checker>, ApiError> {
    type Key = (IntegrationType, &'static str, &'static str);
    static CHECKERS: OnceLock<Mutex<HashMap<Key, Arc<Checker>>>> = OnceLock::new();
    let d = connector.descriptor();
    let key = (d.integration_type, d.integration_name, action.function);
    let cache = CHECKERS.get_or_init(Default::default);
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(c);
    }
    let variant = d
        .write(action.function)
        .map(|v| v.schema.clone())
        .unwrap_or_default();
    let c = Arc::new(
        Checker::new(&variant, &(action.base)())
            .map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?,
    );
    if let Ok(mut m) = cache.lock() {
        m.insert(key, c.clone());
    }
    Ok(c)
}

/// Runs a write end to end and renders the write envelope.
pub async fn run(
    state: &Arc<AppState>,
    auth: &ConnAuth,
    headers: &HeaderMap,
    action: &'static WriteAction,
    incoming: Incoming,
) -> Result<Response, ApiError> {
    require_vertical(auth, action.vertical)?;
    let connector = allowed(state, auth, action.function, |c| {
        c.descriptor().write(action.function).is_some()
    })
    .await?;
    let key = idempotency::key(headers)?;
    let body = checker(&connector, action)?
        .check(&incoming.body)
        .map_err(problems_error)?;
    let resource = Resource::by_key(action.resource).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("unknown resource {}", action.resource))
    })?;
    let current = match &incoming.id {
        Some(id) => Some(
            state
                .store
                .get_record(&auth.conn.id, resource, id, None)
                .await?
                .ok_or_else(|| ApiError::not_found(&format!("{} record", resource.plural), id))?,
        ),
        None => None,
    };
    let mut fbody = incoming.body.clone();
    if let Some(f) = &incoming.file {
        fbody = json!({"body": fbody, "file_name": f.file_name, "file_url": f.file_url, "file": f.bytes.as_ref().map(|b| hex::encode(sha2::Sha256::digest(b)))});
    }
    let fp = idempotency::fingerprint(action.method, &incoming.path, &fbody);
    let conn = auth.conn.id.clone();
    idempotency::guarded(
        state,
        &conn,
        key.as_deref(),
        &fp,
        execute(
            state,
            auth,
            action,
            resource,
            connector,
            body,
            incoming,
            current.map(|r| r.json),
        ),
    )
    .await
}

/// A JSON body that is already text.
pub fn json_response(body: String) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[allow(clippy::too_many_arguments)]
async fn execute(
    state: &Arc<AppState>,
    auth: &ConnAuth,
    action: &'static WriteAction,
    resource: &'static Resource,
    connector: Arc<dyn Connector>,
    body: CheckedBody,
    incoming: Incoming,
    current: Option<String>,
) -> Result<String, ApiError> {
    let creds = state
        .secrets
        .decrypt(&auth.conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let req = WriteRequest {
        function: action.function.to_string(),
        id: incoming.id.clone(),
        body: body.forward,
        current: current.and_then(|c| serde_json::from_str(&c).ok()),
        file: incoming.file,
    };
    let outcome = tokio::time::timeout(VENDOR_TIMEOUT, connector.write(&creds, &req))
        .await
        .map_err(|_| ApiError::Integration {
            status: StatusCode::BAD_GATEWAY,
            error: "The integration did not answer in time.".into(),
        })?
        .map_err(vendor_error)?;
    let ids: Vec<String> = outcome
        .records
        .iter()
        .filter_map(|r| match r.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        return Err(ApiError::Integration {
            status: StatusCode::BAD_GATEWAY,
            error: "The integration accepted the write but returned no record.".into(),
        });
    }
    let ctx = EventContext::from(&auth.conn);
    let tags = body.tags.map(|t| Value::Array(t).to_string());
    state
        .store
        .store_written(
            &auth.conn.id,
            resource,
            outcome.records,
            tags,
            &time::now_str(),
            &|c| ctx.resource_events(resource, c),
        )
        .await?;
    state.events_notify.notify_one();
    let mut records = Vec::new();
    for id in &ids {
        if let Some(r) = state
            .store
            .get_record(&auth.conn.id, resource, id, None)
            .await?
        {
            records.push(r.json);
        }
    }
    let unused = serde_json::to_string(&body.unused_fields).unwrap_or_else(|_| "[]".into());
    let text = if action.body == BodyKind::Multipart {
        format!(
            "{{\"data\":\"success\",\"id\":{},\"unused_fields\":[]}}",
            Value::String(ids[0].clone())
        )
    } else if action.function == "batch_adjust_inventory" {
        format!(
            "{{\"data\":[{}],\"id\":null,\"unused_fields\":{unused}}}",
            records.join(",")
        )
    } else {
        let data = records.first().cloned().unwrap_or_else(|| "null".into());
        format!(
            "{{\"data\":{data},\"id\":{},\"unused_fields\":{unused}}}",
            Value::String(ids[0].clone())
        )
    };
    Ok(text)
}
