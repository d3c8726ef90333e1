//! Webhook endpoints for the routes: input checks that answer 422 with the offending field,
//! the JSON views of endpoints and of the delivery log, and test events.

use crate::error::ApiError;
use crate::state::SharedState;
use serde_json::{json, Value};
use waybill_model::time;
use waybill_store::webhooks::{EndpointRow, MessageRow};
use waybill_store::{ConnectionStore, NewEvent, WebhookStore};
use waybill_webhooks::catalogue::{self, TEST_EVENT_TYPE};
use waybill_webhooks::dispatcher::now_ms;
use waybill_webhooks::guard;

/// Longest description accepted.
const MAX_DESCRIPTION: usize = 1000;
/// Most event types or connection ids in one filter.
const MAX_FILTER: usize = 100;

/// A new endpoint id.
pub fn new_endpoint_id() -> String {
    format!("ep_{}", uuid::Uuid::new_v4().simple())
}

/// Checks a URL against the scheme rule and the SSRF guard.
pub fn check_url(state: &SharedState, url: &str) -> Result<String, ApiError> {
    guard::validate_url(url, state.config.webhooks.allow_private)
        .map(|u| u.to_string())
        .map_err(|m| ApiError::invalid("json", "url", m))
}

/// Checks an event-type filter: known types, no duplicates.
pub fn check_event_types(types: Vec<String>) -> Result<Vec<String>, ApiError> {
    if types.len() > MAX_FILTER {
        return Err(ApiError::invalid(
            "json",
            "event_types",
            format!("At most {MAX_FILTER} event types."),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(types.len());
    for (i, t) in types.into_iter().enumerate() {
        if !catalogue::is_known(&t) {
            return Err(ApiError::invalid(
                "json",
                &format!("event_types.{i}"),
                format!("Unknown event type {t:?}."),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Checks a connection filter: every id is one of the organization's live connections.
pub async fn check_connection_ids(
    state: &SharedState,
    org: &str,
    ids: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    if ids.len() > MAX_FILTER {
        return Err(ApiError::invalid(
            "json",
            "connection_ids",
            format!("At most {MAX_FILTER} connection ids."),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let owned = !id.is_empty()
            && id.len() <= 200
            && state
                .store
                .get_connection(&id)
                .await?
                .is_some_and(|c| c.organization_id == org);
        if !owned {
            return Err(ApiError::invalid(
                "json",
                &format!("connection_ids.{i}"),
                "No such connection in this organization.",
            ));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Checks a description's length.
pub fn check_description(d: String) -> Result<String, ApiError> {
    if d.chars().count() > MAX_DESCRIPTION {
        return Err(ApiError::invalid(
            "json",
            "description",
            format!("At most {MAX_DESCRIPTION} characters."),
        ));
    }
    Ok(d)
}

/// The organization's live endpoint, or a 404 naming the id.
pub async fn owned_endpoint(
    state: &SharedState,
    org: &str,
    id: &str,
) -> Result<EndpointRow, ApiError> {
    state
        .store
        .get_endpoint(org, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook endpoint", id))
}

/// An endpoint as the API shows it. The signing secret is shown to full-access keys only.
pub fn endpoint_view(
    state: &SharedState,
    e: &EndpointRow,
    reveal_secret: bool,
) -> Result<Value, ApiError> {
    let mut v = json!({
        "id": e.id,
        "url": e.url,
        "description": e.description,
        "event_types": e.event_types,
        "connection_ids": e.connection_ids,
        "disabled": e.disabled,
        "disabled_reason": e.disabled_reason,
        "failing_since": e.failing_since,
        "previous_secret_expires_at": e.previous_secret_expires_at.as_ref().filter(|t| t.as_str() > time::now_str().as_str()),
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    });
    if reveal_secret {
        let secret = state.secrets.decrypt_str(&e.secret).map_err(|_| {
            ApiError::Internal(anyhow::anyhow!(
                "webhook secret of {} does not decrypt",
                e.id
            ))
        })?;
        v["secret"] = Value::String(secret);
    }
    Ok(v)
}

fn ms_to_wire(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(time::fmt)
}

/// One message of the delivery log.
pub fn message_view(m: &MessageRow) -> Value {
    let attempts: Vec<Value> = m
        .attempts
        .iter()
        .map(|a| {
            json!({
                "attempt": a.attempt,
                "started_at": a.started_at,
                "status_code": a.status_code,
                "latency_ms": a.latency_ms,
                "response": a.response,
                "error": a.error,
                "succeeded": a.succeeded,
            })
        })
        .collect();
    json!({
        "id": m.event_id,
        "event_type": m.event_type,
        "created_at": m.created_at,
        "status": m.status,
        "attempts_count": m.attempts_count,
        "next_attempt_at": m.next_attempt_ms.and_then(ms_to_wire),
        "attempts": attempts,
    })
}

/// Queues a `webhook.test` event for one endpoint only and wakes the dispatcher.
pub async fn send_test_event(
    state: &SharedState,
    e: &EndpointRow,
    data: Option<Value>,
) -> Result<String, ApiError> {
    let now = time::now_str();
    let data = data.unwrap_or_else(|| json!({"endpoint_id": e.id, "sent_at": now}));
    let envelope = json!({
        "event_type": TEST_EVENT_TYPE,
        "connection_id": null,
        "integration_name": null,
        "integration_type": null,
        "customer_id": null,
        "data": data,
    });
    let event = NewEvent {
        id: NewEvent::new_id(),
        organization_id: e.organization_id.clone(),
        connection_id: None,
        event_type: TEST_EVENT_TYPE.into(),
        payload: envelope.to_string(),
        created_at: now,
    };
    state
        .store
        .append_event_for(&event, &e.id, now_ms())
        .await?;
    state.store.notify_events().await;
    state.events_notify.notify_one();
    Ok(event.id)
}
