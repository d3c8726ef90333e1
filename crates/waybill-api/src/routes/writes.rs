//! Every write route (SPEC §12), the Trackstar-tag routes (SPEC §13) and passthrough
//! (SPEC §14), generated from the write registry and the resource registry. The work is in
//! `service::writes`; these only extract.

use crate::auth::ConnAuth;
use crate::body::{parse, MAX_BODY};
use crate::error::ApiError;
use crate::service::tags;
use crate::service::writes::{self, Incoming};
use crate::state::SharedState;
use axum::extract::{Multipart, Path, Request, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::{on, post, put, MethodFilter};
use axum::Router;
use serde_json::Value;
use std::collections::HashMap;
use waybill_connect::FileUpload;
use waybill_model::writes::{BodyKind, WriteAction, WRITE_ACTIONS};
use waybill_model::{IntegrationType, ALL_RESOURCES};

/// The routes.
pub fn router() -> Router<SharedState> {
    let mut r = Router::new();
    for action in WRITE_ACTIONS {
        let filter = if action.method == "POST" {
            MethodFilter::POST
        } else {
            MethodFilter::PUT
        };
        let path = action.path();
        r = if action.body == BodyKind::Multipart {
            r.route(
                &path,
                on(
                    filter,
                    move |s: State<SharedState>,
                          a: ConnAuth,
                          p: Path<HashMap<String, String>>,
                          h: HeaderMap,
                          u: Uri,
                          m: Multipart| {
                        multipart_write(s, a, p, h, u, m, action)
                    },
                ),
            )
        } else {
            r.route(
                &path,
                on(
                    filter,
                    move |s: State<SharedState>,
                          a: ConnAuth,
                          p: Path<HashMap<String, String>>,
                          h: HeaderMap,
                          req: Request| { json_write(s, a, p, h, req, action) },
                ),
            )
        };
    }
    for res in ALL_RESOURCES.iter().filter(|r| r.taggable) {
        r = r.route(
            &format!("{}/{{{}}}/trackstar-tags", res.list_path(), res.id_param),
            put(
                move |s: State<SharedState>,
                      a: ConnAuth,
                      p: Path<HashMap<String, String>>,
                      h: HeaderMap,
                      req: Request| { tags::put(s, a, p, h, req, res) },
            ),
        );
    }
    r.route(
        "/wms/passthrough",
        post(|s: State<SharedState>, a: ConnAuth, req: Request| {
            crate::service::passthrough::run(s, a, req, IntegrationType::Wms)
        }),
    )
    .route(
        "/cart/passthrough",
        post(|s: State<SharedState>, a: ConnAuth, req: Request| {
            crate::service::passthrough::run(s, a, req, IntegrationType::Cart)
        }),
    )
}

/// The target id of a write route: its single path parameter.
fn target(params: &HashMap<String, String>) -> Option<String> {
    params.values().next().cloned()
}

/// Reads a JSON body (an empty body is `{}`) into a value.
pub async fn read_json(req: Request) -> Result<(String, Value), ApiError> {
    let path = req.uri().path().to_string();
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    Ok((path, parse::<Value>(&bytes)?))
}

async fn json_write(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    req: Request,
    action: &'static WriteAction,
) -> Result<Response, ApiError> {
    let (path, body) = read_json(req).await?;
    writes::run(
        &state,
        &auth,
        &headers,
        action,
        Incoming {
            id: target(&params),
            body,
            file: None,
            path,
        },
    )
    .await
}

async fn multipart_write(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    uri: Uri,
    mut form: Multipart,
    action: &'static WriteAction,
) -> Result<Response, ApiError> {
    let bad = |field: &str, m: String| ApiError::invalid("form", field, m);
    let mut file = FileUpload::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad("_schema", format!("Invalid multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                file.file_name = file
                    .file_name
                    .or_else(|| field.file_name().map(str::to_string));
                file.content_type = field.content_type().map(str::to_string);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad("file", format!("Could not read the file: {e}")))?;
                file.bytes = Some(bytes.to_vec());
            }
            "file_name" | "file_url" => {
                let text = field.text().await.map_err(|e| bad(&name, e.to_string()))?;
                let t = text.trim().to_string();
                if t.is_empty() || ["null", "none"].contains(&t.to_ascii_lowercase().as_str()) {
                    return Err(bad(&name, "Field may not be empty.".into()));
                }
                if name == "file_name" {
                    file.file_name = Some(t);
                } else {
                    if !(t.starts_with("https://") || t.starts_with("http://")) {
                        return Err(bad("file_url", "Must be an http(s) URL.".into()));
                    }
                    file.file_url = Some(t);
                }
            }
            other => return Err(bad(other, "Unknown field.".into())),
        }
    }
    if file.bytes.is_none() && file.file_url.is_none() {
        return Err(ApiError::invalid(
            "files",
            "file",
            "Send a file, or a file_url.",
        ));
    }
    let path = uri.path().to_string();
    writes::run(
        &state,
        &auth,
        &headers,
        action,
        Incoming {
            id: target(&params),
            body: Value::Object(Default::default()),
            file: Some(file),
            path,
        },
    )
    .await
}
