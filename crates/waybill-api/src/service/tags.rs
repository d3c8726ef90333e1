//! Trackstar tags (SPEC §13): `PUT …/{id}/trackstar-tags` replaces a record's tags, which
//! live only in Waybill, bumps its `trackstar_updated_date`, and announces the change as an
//! `*.updated` event whose `previous_attributes` hold the old tags.

use crate::auth::ConnAuth;
use crate::error::ApiError;
use crate::routes::writes::read_json;
use crate::service::idempotency;
use crate::service::writes::{problems_error, require_vertical};
use crate::state::SharedState;
use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use waybill_model::writes::validate::{null_like, tags, Problem};
use waybill_model::{time, Resource};
use waybill_store::{RecordStore, WrittenStore};
use waybill_sync::EventContext;

/// `PUT /{prefix}/{resource}/{id}/trackstar-tags`.
pub async fn put(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    req: Request,
    res: &'static Resource,
) -> Result<Response, ApiError> {
    require_vertical(&auth, res.vertical)?;
    let (path, body) = read_json(req).await?;
    let key = idempotency::key(&headers)?;
    let list = validate(&body)?;
    let id = params.get(res.id_param).cloned().unwrap_or_default();
    let fp = idempotency::fingerprint("PUT", &path, &body);
    idempotency::guarded(
        &state,
        &auth.conn.id,
        key.as_deref(),
        &fp,
        apply(&state, &auth, res, &id, list),
    )
    .await
}

fn validate(body: &Value) -> Result<Vec<Value>, ApiError> {
    let Some(m) = body.as_object() else {
        return Err(problems_error(vec![Problem {
            path: String::new(),
            message: "The body must be a JSON object.".into(),
        }]));
    };
    let mut problems: Vec<Problem> = m
        .keys()
        .filter(|k| *k != "trackstar_tags")
        .map(|k| Problem {
            path: k.clone(),
            message: "Unknown field.".into(),
        })
        .collect();
    match m.get("trackstar_tags") {
        None => problems.push(Problem {
            path: "trackstar_tags".into(),
            message: "Missing data for required field.".into(),
        }),
        Some(t) => {
            // An empty list clears the tags; anything inside follows the non-null rule.
            problems.extend(null_like(t).into_iter().map(|p| {
                Problem {
                    path: format!("trackstar_tags.{}", p.path)
                        .trim_end_matches('.')
                        .to_string(),
                    ..p
                }
            }));
            if problems.is_empty() {
                problems.extend(tags(t, "trackstar_tags"));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems_error(problems));
    }
    Ok(m["trackstar_tags"].as_array().cloned().unwrap_or_default())
}

async fn apply(
    state: &SharedState,
    auth: &ConnAuth,
    res: &'static Resource,
    id: &str,
    list: Vec<Value>,
) -> Result<String, ApiError> {
    let ctx = EventContext::from(&auth.conn);
    let text = Value::Array(list).to_string();
    let events_of = |c: &waybill_store::Change, old: &str| {
        let Some(prefix) = res.event else {
            return Vec::new();
        };
        if ctx.webhooks_disabled {
            return Vec::new();
        }
        let mut prev = Map::new();
        prev.insert(
            "trackstar_tags".into(),
            serde_json::from_str(old).unwrap_or(json!([])),
        );
        vec![ctx.event(&format!("{prefix}.updated"), c.full_record(res), Some(prev))]
    };
    state
        .store
        .set_tags(&auth.conn.id, res, id, &text, &time::now_str(), &events_of)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("{} record", res.plural), id))?;
    state.events_notify.notify_one();
    let rec = state
        .store
        .get_record(&auth.conn.id, res, id, None)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("{} record", res.plural), id))?;
    Ok(format!(
        "{{\"data\":{},\"id\":{},\"unused_fields\":[]}}",
        rec.json,
        Value::String(id.to_string())
    ))
}
