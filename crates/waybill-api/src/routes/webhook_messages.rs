//! Webhook messages: an endpoint's delivery log (`GET /webhooks/endpoints/{id}/messages`),
//! resends (`POST /webhooks/messages/{msg_id}/resend`), and the full event behind a truncated
//! delivery (`GET /webhooks/messages/{msg_id}/data`, API key) with its presigned download.

use crate::auth::OrgAuth;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::page_token::{self, Scope};
use crate::service::webhooks::{message_view, owned_endpoint};
use crate::state::SharedState;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use waybill_model::time;
use waybill_store::webhooks::EventRow;
use waybill_store::WebhookStore;
use waybill_webhooks::dispatcher::now_ms;

/// Default and largest page of the delivery log.
const PAGE: i64 = 50;
const MAX_PAGE: i64 = 250;
/// Lifetime of a presigned download URL.
const DOWNLOAD_TTL_SECS: i64 = 20 * 60;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/webhooks/endpoints/{endpoint_id}/messages", get(messages))
        .route("/webhooks/messages/{msg_id}/resend", post(resend))
        .route("/webhooks/messages/{msg_id}/data", get(data))
        .route("/webhooks/messages/{msg_id}/download", get(download))
}

/// Parses a query string of known, single-valued parameters; anything else is a 422.
fn query_params(raw: Option<&str>, allowed: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if !allowed.contains(&k) {
            return Err(ApiError::invalid("query", k, "Unknown field."));
        }
        if out.insert(k.to_string(), v.to_string()).is_some() {
            return Err(ApiError::invalid(
                "query",
                k,
                "Parameter given more than once.",
            ));
        }
    }
    Ok(out)
}

async fn messages(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = query_params(q.as_deref(), &["limit", "page_token"])?;
    let limit = match params.get("limit") {
        None => PAGE,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "query",
                    "limit",
                    format!("Must be an integer from 1 to {MAX_PAGE}."),
                )
            })?,
    };
    let e = owned_endpoint(&state, &auth.org_id, &id).await?;
    let scope = Scope {
        o: auth.org_id.clone(),
        c: String::new(),
        e: format!("webhook_messages:{}", e.id),
        f: String::new(),
    };
    let before = page_token::open(
        &state.secrets,
        &scope,
        params.get("page_token").map(String::as_str),
    )?;
    let mut rows = state
        .store
        .list_messages(&e.id, before.seq, limit + 1)
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = match (more, rows.last()) {
        (true, Some(last)) => Some(page_token::issue(
            &state.secrets,
            &scope,
            &waybill_store::Keyset {
                seq: last.seq,
                key: None,
            },
        )),
        _ => None,
    };
    let data: Vec<Value> = rows.iter().map(message_view).collect();
    Ok(Json(json!({"data": data, "next_token": next})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResendBody {
    /// Resend to this endpoint only; by default to every enabled endpoint the message matches.
    #[serde(default)]
    endpoint_id: Option<String>,
}

async fn owned_event(state: &SharedState, org: &str, msg_id: &str) -> Result<EventRow, ApiError> {
    state
        .store
        .get_event(org, msg_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook message", msg_id))
}

async fn resend(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(msg_id): Path<String>,
    JsonBody(b): JsonBody<ResendBody>,
) -> Result<Json<Value>, ApiError> {
    let ev = owned_event(&state, &auth.org_id, &msg_id).await?;
    let targets: Vec<String> = match b.endpoint_id {
        Some(ep) => {
            let e = state
                .store
                .get_endpoint(&auth.org_id, &ep)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid(
                        "json",
                        "endpoint_id",
                        "No such webhook endpoint in this organization.",
                    )
                })?;
            vec![e.id]
        }
        None => state
            .store
            .list_endpoints(&auth.org_id)
            .await?
            .into_iter()
            .filter(|e| !e.disabled && e.matches(&ev.event_type, ev.connection_id.as_deref()))
            .map(|e| e.id)
            .collect(),
    };
    state
        .store
        .requeue_message(&ev.id, &targets, now_ms(), &time::now_str())
        .await?;
    state.store.notify_events().await;
    state.events_notify.notify_one();
    Ok(Json(
        json!({"data": {"id": ev.id, "event_type": ev.event_type, "endpoint_ids": targets}}),
    ))
}

fn download_payload(org: &str, msg_id: &str, expires: i64) -> Vec<u8> {
    format!("webhook-data\n{org}\n{msg_id}\n{expires}").into_bytes()
}

async fn data(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(msg_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ev = owned_event(&state, &auth.org_id, &msg_id).await?;
    let expires = time::now().timestamp() + DOWNLOAD_TTL_SECS;
    let sig = state
        .secrets
        .sign(&download_payload(&ev.organization_id, &ev.id, expires));
    let download_url = format!(
        "{}/webhooks/messages/{}/download?organization_id={}&expires={expires}&signature={sig}",
        state.config.public_url, ev.id, ev.organization_id
    );
    let event: Value =
        serde_json::from_str(&ev.payload).map_err(|e| ApiError::Internal(e.into()))?;
    let expires_at = chrono::DateTime::from_timestamp(expires, 0).map(time::fmt);
    Ok(Json(json!({
        "id": ev.id,
        "event_type": ev.event_type,
        "created_at": ev.created_at,
        "download_url": download_url,
        "expires_at": expires_at,
        "event": event,
    })))
}

async fn download(
    State(state): State<SharedState>,
    Path(msg_id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = query_params(q.as_deref(), &["organization_id", "expires", "signature"])?;
    let denied = || {
        ApiError::Forbidden("This download link is invalid or has expired; ask GET /webhooks/messages/{msg_id}/data for a new one.".into())
    };
    let org = params.get("organization_id").ok_or_else(denied)?;
    let expires = params
        .get("expires")
        .and_then(|e| e.parse::<i64>().ok())
        .ok_or_else(denied)?;
    let sig = params.get("signature").ok_or_else(denied)?;
    if !state
        .secrets
        .verify(&download_payload(org, &msg_id, expires), sig)
        || expires < time::now().timestamp()
    {
        return Err(denied());
    }
    let ev = owned_event(&state, org, &msg_id).await?;
    let event: Value =
        serde_json::from_str(&ev.payload).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Json(event))
}
