//! The Link flow: `POST /link/token` and `POST /link/exchange` (API key), and the modal's
//! private routes keyed by the link token: `GET /link/sessions/{link_token}` describes the
//! session and `POST /link/sessions/{link_token}/connect` validates credentials through the
//! connector and returns an auth code. A link token minted for a magic link follows that
//! link's rules (integrations offered, function overrides), enforced here on the server.

use crate::auth::OrgAuth;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::routes::integrations::parse_type;
use crate::routes::link_ui::logo_url;
use crate::service::complete::install_from_code;
use crate::service::install;
use crate::service::magic_links::{self as magic, live as live_magic_link};
use crate::service::overrides::{self, FunctionOverrides};
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use waybill_connect::secrets::{hash_secret, random_token};
use waybill_connect::{ConnectorError, Credentials};
use waybill_connectors::sandbox::SandboxConnector;
use waybill_model::{time, IntegrationType};
use waybill_store::{AuthCodeRow, ConnectionStore, LinkStore, LinkTokenRow, MagicLinkRow};

/// The API-key routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/link/token", post(create_token))
        .route("/link/exchange", post(exchange))
}

/// The modal's private routes, keyed by the link token in the path.
pub fn modal_router() -> Router<SharedState> {
    Router::new()
        .route("/link/sessions/{link_token}", get(session))
        .route("/link/sessions/{link_token}/connect", post(connect))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    connection_id: Option<String>,
    customer_id: Option<String>,
}

async fn create_token(
    State(state): State<SharedState>,
    auth: OrgAuth,
    JsonBody(b): JsonBody<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    if let Some(id) = &b.connection_id {
        state
            .store
            .get_connection(id)
            .await?
            .filter(|c| c.organization_id == auth.org_id)
            .ok_or_else(|| ApiError::not_found("Connection", id))?;
    }
    let token = format!("wbl_{}", random_token(32));
    let now = time::now();
    state
        .store
        .create_link_token(&LinkTokenRow {
            token_hash: hash_secret(&token),
            organization_id: auth.org_id,
            connection_id: b.connection_id,
            customer_id: b.customer_id,
            created_at: time::fmt(now),
            expires_at: time::fmt(now + Duration::seconds(state.config.link_token_ttl)),
            used_at: None,
            magic_link_id: None,
        })
        .await?;
    Ok(Json(json!({"link_token": token})))
}

/// Loads a link token that can still start an install.
async fn live_token(state: &SharedState, token: &str) -> Result<LinkTokenRow, ApiError> {
    let row = state
        .store
        .get_link_token(&hash_secret(token))
        .await?
        .ok_or_else(|| ApiError::NotFound {
            error: "This link is not valid. Ask for a new link.".into(),
            id: None,
        })?;
    if row.used_at.is_some() {
        return Err(ApiError::BadRequest(
            "This link has already been used. Ask for a new link.".into(),
        ));
    }
    if row.expires_at <= time::now_str() {
        return Err(ApiError::BadRequest(
            "This link has expired. Ask for a new link.".into(),
        ));
    }
    Ok(row)
}

/// The magic link a link token was minted for, when it still may be used.
async fn token_magic_link(
    state: &SharedState,
    row: &LinkTokenRow,
) -> Result<Option<MagicLinkRow>, ApiError> {
    match &row.magic_link_id {
        None => Ok(None),
        Some(id) => Ok(Some(live_magic_link(state, id).await??)),
    }
}

async fn session(
    State(state): State<SharedState>,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = live_token(&state, &token).await?;
    let magic = token_magic_link(&state, &row).await?;
    let org = install::org(&state, &row.organization_id).await?;
    let fo = magic.as_ref().map(magic::overrides).unwrap_or_default();
    let reinstall = match &row.connection_id {
        Some(id) => state.store.get_connection(id).await?.map(|c| json!({"connection_id": c.id, "integration_type": c.integration_type, "integration_name": c.integration_name})),
        None => None,
    };
    let mut integrations = Vec::new();
    for ty in IntegrationType::ALL {
        for c in state.registry.of_type(ty) {
            let d = c.descriptor();
            let actions = overrides::actions(&state, &org, ty, d.integration_name, &fo);
            let reinstalling = reinstall.as_ref().is_some_and(|r| {
                r["integration_type"] == ty.as_str() && r["integration_name"] == d.integration_name
            });
            if magic.as_ref().is_some_and(|m| {
                !reinstalling && !magic::offers(m, ty.as_str(), d.integration_name, &actions)
            }) {
                continue;
            }
            integrations.push(json!({
                "integration_name": d.integration_name,
                "integration_type": d.integration_type,
                "display_name": d.display_name,
                "logo_url": logo_url(&state, d),
                "auth_fields": d.auth_fields,
                "available_actions": actions,
            }));
        }
    }
    let branding: Value = serde_json::from_str::<Value>(&org.settings)
        .ok()
        .and_then(|s| s.get("branding").cloned())
        .unwrap_or(json!({}));
    Ok(Json(json!({
        "organization": {"name": org.name, "branding": branding},
        "expires_at": row.expires_at,
        "reinstall": reinstall,
        "integrations": integrations,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectBody {
    integration_name: String,
    #[serde(default)]
    integration_type: Option<String>,
    #[serde(default)]
    credentials: Map<String, Value>,
    /// Link's `disabledFunctions`: turned off on the connection this install creates.
    #[serde(default)]
    disabled_functions: Vec<String>,
}

async fn connect(
    State(state): State<SharedState>,
    Path(token): Path<String>,
    JsonBody(b): JsonBody<ConnectBody>,
) -> Result<Json<Value>, ApiError> {
    let row = live_token(&state, &token).await?;
    let magic = token_magic_link(&state, &row).await?;
    let (ty, connection_id) = match &row.connection_id {
        Some(id) => {
            let c = state
                .store
                .get_connection(id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection", id))?;
            if c.integration_name != b.integration_name {
                return Err(ApiError::invalid(
                    "json",
                    "integration_name",
                    format!("This link reinstalls a {} connection.", c.integration_name),
                ));
            }
            (
                c.integration_type.parse().unwrap_or(IntegrationType::Wms),
                Some(c.id),
            )
        }
        None => (
            parse_type(b.integration_type.as_deref().unwrap_or("wms")).map_err(|_| {
                ApiError::invalid(
                    "json",
                    "integration_type",
                    "Must be one of: wms, cart, carrier, freight.",
                )
            })?,
            None,
        ),
    };
    let connector = state
        .registry
        .get(ty, &b.integration_name)
        .ok_or_else(|| ApiError::not_found("Integration", &b.integration_name))?;
    let org = install::org(&state, &row.organization_id).await?;
    let mut fo = FunctionOverrides {
        disabled: b.disabled_functions.clone(),
        enabled: Vec::new(),
    };
    if let Some(m) = &magic {
        fo = fo.union(&magic::overrides(m));
        let actions = overrides::actions(&state, &org, ty, &b.integration_name, &fo);
        if connection_id.is_none() && !magic::offers(m, ty.as_str(), &b.integration_name, &actions)
        {
            return Err(ApiError::invalid(
                "json",
                "integration_name",
                "This link does not offer this integration.",
            ));
        }
    }
    for f in &connector.descriptor().auth_fields {
        let v = b
            .credentials
            .get(f.name)
            .and_then(Value::as_str)
            .unwrap_or_default();
        if f.required && v.trim().is_empty() {
            return Err(ApiError::invalid(
                "json",
                &format!("credentials.{}", f.name),
                format!("{} is required.", f.label),
            ));
        }
    }
    check_vendor_urls(&b.credentials)?;
    let mut creds = Credentials(b.credentials);
    if b.integration_name == "sandbox" {
        creds = SandboxConnector::complete_credentials(creds, rand::random());
    }
    let validation = connector.validate(&creds).await.map_err(|e| match e {
        ConnectorError::Auth(m) | ConnectorError::Permanent { message: m, .. } => {
            ApiError::Integration {
                status: axum::http::StatusCode::BAD_REQUEST,
                error: m,
            }
        }
        ConnectorError::MissingPermission { message, .. } => ApiError::Integration {
            status: axum::http::StatusCode::FORBIDDEN,
            error: message,
        },
        other => ApiError::Integration {
            status: axum::http::StatusCode::BAD_GATEWAY,
            error: other.to_string(),
        },
    })?;
    let code = format!("wba_{}", random_token(32));
    let now = time::now();
    let missing: Vec<Value> = validation
        .missing
        .iter()
        .map(|(f, m)| json!({"function": f, "message": m}))
        .collect();
    state
        .store
        .create_auth_code(&AuthCodeRow {
            code_hash: hash_secret(&code),
            organization_id: row.organization_id.clone(),
            link_token_hash: row.token_hash.clone(),
            integration_type: ty.as_str().into(),
            integration_name: b.integration_name.clone(),
            connection_id,
            customer_id: row.customer_id.clone(),
            credentials: state.secrets.encrypt(&creds),
            me: Value::Object(validation.me).to_string(),
            missing: Value::Array(missing.clone()).to_string(),
            created_at: time::fmt(now),
            expires_at: time::fmt(now + Duration::seconds(state.config.auth_code_ttl)),
            used_at: None,
            settings: fo.write_into("{}"),
        })
        .await?;
    Ok(Json(
        json!({"auth_code": code, "integration_name": b.integration_name, "missing_permissions": missing}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExchangeBody {
    auth_code: String,
    customer_id: Option<String>,
}

async fn exchange(
    State(state): State<SharedState>,
    auth: OrgAuth,
    JsonBody(b): JsonBody<ExchangeBody>,
) -> Result<Json<Value>, ApiError> {
    let invalid = || ApiError::BadRequest("Invalid, expired or already used auth code.".into());
    let now = time::now_str();
    let code = state
        .store
        .consume_auth_code(&hash_secret(&b.auth_code), &now)
        .await?
        .ok_or_else(invalid)?;
    if code.organization_id != auth.org_id {
        return Err(invalid());
    }
    if !state
        .store
        .use_link_token(&code.link_token_hash, &now)
        .await?
    {
        return Err(ApiError::BadRequest(
            "The link session of this auth code was already completed.".into(),
        ));
    }
    let org = install::org(&state, &auth.org_id).await?;
    let conn = install_from_code(&state, &org, &code, b.customer_id).await?;
    Ok(Json(install::exchange_body(&state, &org, &conn)))
}

/// Credentials that name where the vendor lives (`base_url`, a store URL, or any value given
/// as an http(s) URL) must not point at private, loopback or link-local addresses unless
/// the operator allows it (`WAYBILL_CONNECTORS_ALLOW_PRIVATE`): whoever fills the Link form
/// would otherwise make Waybill call into its own network. Host names are checked again when
/// resolved, on every call.
fn check_vendor_urls(credentials: &serde_json::Map<String, Value>) -> Result<(), ApiError> {
    let allow = waybill_connectors::http::allow_private();
    for (k, v) in credentials {
        let Some(text) = v.as_str().map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        let is_url = text.starts_with("http://") || text.starts_with("https://");
        if !(is_url || k == "base_url" || k.ends_with("_url")) {
            continue;
        }
        let url = if is_url {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        waybill_connect::outbound::validate_url(&url, allow)
            .map_err(|m| ApiError::invalid("json", &format!("credentials.{k}"), m))?;
    }
    Ok(())
}
