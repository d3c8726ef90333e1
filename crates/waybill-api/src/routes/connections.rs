//! `GET /connections[/{id}]`, `PATCH /connections`, `DELETE /connections`.

use crate::auth::{ConnAuth, OrgAuth};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::page_token::{self, Scope};
use crate::service::{install, views};
use crate::state::SharedState;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_store::ConnectionStore;

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/connections", get(list).patch(patch).delete(delete))
        .route("/connections/{connection_id}", get(one))
}

/// The longest historical lookback: three years.
pub const MAX_LOOKBACK_DAYS: i64 = 1098;

/// Page size of `GET /connections`.
const PAGE: i64 = 100;

fn page_token_param(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let mut token = None;
    for pair in raw.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "page_token" if token.is_none() => token = Some(v.to_string()),
            "page_token" => {
                return Err(ApiError::invalid(
                    "query",
                    "page_token",
                    "Parameter given more than once.",
                ))
            }
            other => return Err(ApiError::invalid("query", other, "Unknown field.")),
        }
    }
    Ok(token)
}

async fn list(
    State(state): State<SharedState>,
    auth: OrgAuth,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let scope = Scope {
        o: auth.org_id.clone(),
        c: String::new(),
        e: "connections".into(),
        f: String::new(),
    };
    let after = page_token::open(
        &state.secrets,
        &scope,
        page_token_param(q.as_deref())?.as_deref(),
    )?;
    let org = install::org(&state, &auth.org_id).await?;
    let mut rows = state
        .store
        .list_connections(&auth.org_id, after.seq, PAGE + 1)
        .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let mut data = Vec::with_capacity(rows.len());
    for c in &rows {
        data.push(views::connection(&state, &org, c).await?);
    }
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
    Ok(Json(
        json!({"data": data, "next_token": next, "total_count": data.len()}),
    ))
}

async fn one(
    State(state): State<SharedState>,
    auth: OrgAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let conn = state
        .store
        .get_connection(&id)
        .await?
        .filter(|c| c.organization_id == auth.org_id)
        .ok_or_else(|| ApiError::not_found("Connection", &id))?;
    let org = install::org(&state, &auth.org_id).await?;
    Ok(Json(
        json!({"data": views::connection(&state, &org, &conn).await?}),
    ))
}

/// `customer_id` distinguishes absent (leave) from null (clear).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchBody {
    #[serde(default, deserialize_with = "present")]
    customer_id: Option<Option<String>>,
    #[serde(default)]
    webhooks_disabled: Option<bool>,
    /// Waybill's extension: days of history the connection's historical syncs pull (1 to
    /// 1,098; null to use the organization's setting). Applies to functions whose historical
    /// sync has not run yet, such as ones enabled later.
    #[serde(default, deserialize_with = "present_days")]
    historical_lookback_days: Option<Option<i64>>,
}

fn present_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

async fn patch(
    State(state): State<SharedState>,
    auth: ConnAuth,
    JsonBody(b): JsonBody<PatchBody>,
) -> Result<Json<Value>, ApiError> {
    if let Some(days) = b.historical_lookback_days {
        if days.is_some_and(|d| !(1..=MAX_LOOKBACK_DAYS).contains(&d)) {
            return Err(ApiError::invalid(
                "json",
                "historical_lookback_days",
                format!("Must be between 1 and {MAX_LOOKBACK_DAYS} days."),
            ));
        }
        state
            .store
            .set_connection_lookback(&auth.conn.id, days)
            .await?;
    }
    state
        .store
        .patch_connection(&auth.conn.id, b.customer_id, b.webhooks_disabled)
        .await?;
    Ok(Json(
        json!({"id": auth.conn.id, "object": "connection", "updated": true}),
    ))
}

async fn delete(State(state): State<SharedState>, auth: ConnAuth) -> Result<Json<Value>, ApiError> {
    let now = waybill_model::time::now_str();
    state.store.delete_connection(&auth.conn.id, &now).await?;
    state.caches.tokens.remove(&auth.conn.token_hash);
    let ev = waybill_sync::EventContext::from(&auth.conn).event(
        "connection.deleted",
        json!({"deleted_date": now}),
        None,
    );
    state.store.append_events(&[ev]).await?;
    state.events_notify.notify_one();
    Ok(Json(
        json!({"id": auth.conn.id, "object": "connection", "deleted": true}),
    ))
}
