//! The hosted magic-link page, `GET /magic-link/{id}`: the Link modal standalone, with the
//! two routes it needs because no client backend is involved. `POST
//! /magic-link/{id}/session` mints a link token bound to the magic link, and `POST
//! /magic-link/{id}/complete` exchanges the auth code server-side, creating the connection.
//! The magic link id in the path is the bearer secret, as for Trackstar's hosted links.

use crate::body::JsonBody;
use crate::error::ApiError;
use crate::routes::link_ui::html;
use crate::service::complete::install_from_code;
use crate::service::install;
use crate::service::magic_links::{live, modal_config};
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_connect::secrets::{hash_secret, random_token};
use waybill_link::PageMode;
use waybill_model::time;
use waybill_store::{LinkStore, LinkTokenRow};

/// The routes; merged with the modal's routes, outside the rate-limited group.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/magic-link/{magic_link_id}", get(page))
        .route("/magic-link/{magic_link_id}/session", post(session))
        .route("/magic-link/{magic_link_id}/complete", post(complete))
}

async fn page(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // The page is a top-level document: it may not be framed by anyone.
    Ok(match live(&state, &id).await? {
        Ok(_) => html(
            StatusCode::OK,
            "'none'",
            waybill_link::modal_page(PageMode::MagicLink),
        ),
        Err(r) => {
            let status = if matches!(r, crate::service::magic_links::Refusal::Unknown) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::GONE
            };
            html(
                status,
                "'none'",
                waybill_link::refusal_page(r.title(), &r.message()),
            )
        }
    })
}

async fn session(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let m = live(&state, &id).await??;
    let token = format!("wbl_{}", random_token(32));
    let now = time::now();
    state
        .store
        .create_link_token(&LinkTokenRow {
            token_hash: hash_secret(&token),
            organization_id: m.organization_id.clone(),
            connection_id: m.connection_id.clone(),
            customer_id: m.customer_id.clone(),
            created_at: time::fmt(now),
            expires_at: time::fmt(now + Duration::seconds(state.config.link_token_ttl)),
            used_at: None,
            magic_link_id: Some(m.id.clone()),
        })
        .await?;
    Ok(Json(
        json!({"link_token": token, "config": modal_config(&m)}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompleteBody {
    auth_code: String,
}

async fn complete(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<CompleteBody>,
) -> Result<Json<Value>, ApiError> {
    let m = live(&state, &id).await??;
    let invalid = || ApiError::BadRequest("Invalid, expired or already used auth code.".into());
    let now = time::now_str();
    let code = state
        .store
        .consume_auth_code(&hash_secret(&b.auth_code), &now)
        .await?
        .ok_or_else(invalid)?;
    let token = state
        .store
        .get_link_token(&code.link_token_hash)
        .await?
        .ok_or_else(invalid)?;
    if token.magic_link_id.as_deref() != Some(m.id.as_str())
        || code.organization_id != m.organization_id
    {
        return Err(invalid());
    }
    if !state
        .store
        .use_link_token(&code.link_token_hash, &now)
        .await?
    {
        return Err(ApiError::BadRequest(
            "This install was already completed.".into(),
        ));
    }
    let org = install::org(&state, &m.organization_id).await?;
    let conn = install_from_code(&state, &org, &code, None).await?;
    // The customer never sees the access token; the organization gets it from the API.
    Ok(Json(
        json!({"connected": true, "integration_name": conn.integration_name}),
    ))
}
