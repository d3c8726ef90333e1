//! Authentication: the organization's API key on every route, the connection's access
//! token on connection-scoped routes. Keys and tokens are looked up by hash only.

use crate::error::ApiError;
use crate::state::SharedState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use waybill_connect::secrets::hash_secret;
use waybill_model::IntegrationType;
use waybill_store::{ConnectionRow, ConnectionStore, OrgStore};

/// Header carrying the organization's API key.
pub const API_KEY_HEADER: &str = "x-trackstar-api-key";
/// Header carrying a connection's access token.
pub const ACCESS_TOKEN_HEADER: &str = "x-trackstar-access-token";
/// Prefix of every API key.
pub const API_KEY_PREFIX: &str = "wbk_";

/// Splits `wbk_<prefix>_<secret>` into its lookup prefix.
pub fn key_prefix(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(API_KEY_PREFIX)?;
    let (prefix, secret) = rest.split_once('_')?;
    (prefix.len() == 12 && prefix.bytes().all(|b| b.is_ascii_hexdigit()) && !secret.is_empty())
        .then_some(prefix)
}

/// A request authenticated by API key.
#[derive(Debug, Clone)]
pub struct OrgAuth {
    /// The key's organization.
    pub org_id: String,
    /// Whether the key may only read.
    pub read_only: bool,
}

fn header<'a>(parts: &'a Parts, name: &str) -> Result<Option<&'a str>, ApiError> {
    match parts.headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(|s| Some(s.trim()))
            .map_err(|_| ApiError::Unauthorized(format!("The {name} header is not valid text."))),
    }
}

impl FromRequestParts<SharedState> for OrgAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let key = header(parts, API_KEY_HEADER)?
            .filter(|k| !k.is_empty())
            .ok_or_else(|| ApiError::Unauthorized(format!("Missing {API_KEY_HEADER} header.")))?;
        let invalid = || ApiError::Unauthorized("Invalid API key.".into());
        let prefix = key_prefix(key).ok_or_else(invalid)?;
        let row = state
            .store
            .find_api_key(prefix)
            .await?
            .ok_or_else(invalid)?;
        if row.key_hash != hash_secret(key) {
            return Err(invalid());
        }
        if row.revoked_at.is_some() {
            return Err(ApiError::Unauthorized(
                "This API key has been revoked.".into(),
            ));
        }
        if row.read_only && parts.method != Method::GET && parts.method != Method::HEAD {
            return Err(ApiError::Forbidden(
                "This API key is read-only: it may only make GET requests.".into(),
            ));
        }
        Ok(OrgAuth {
            org_id: row.organization_id,
            read_only: row.read_only,
        })
    }
}

/// A request authenticated by API key and access token.
#[derive(Debug, Clone)]
pub struct ConnAuth {
    /// The organization.
    pub org: OrgAuth,
    /// The connection the token selects.
    pub conn: ConnectionRow,
    /// Its vertical.
    pub vertical: IntegrationType,
}

impl FromRequestParts<SharedState> for ConnAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let org = OrgAuth::from_request_parts(parts, state).await?;
        let token = header(parts, ACCESS_TOKEN_HEADER)?
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized(format!("Missing {ACCESS_TOKEN_HEADER} header."))
            })?;
        let hash = hash_secret(token);
        let conn = match state.caches.tokens.get(&hash) {
            Some(c) => c,
            None => {
                let c = state
                    .store
                    .connection_by_token(&hash)
                    .await?
                    .ok_or_else(|| ApiError::Unauthorized("Invalid access token.".into()))?;
                state.caches.tokens.put(hash, c.clone());
                c
            }
        };
        if conn.organization_id != org.org_id {
            return Err(ApiError::Unauthorized(
                "This access token does not belong to the API key's organization.".into(),
            ));
        }
        let vertical = conn
            .integration_type
            .parse()
            .map_err(|e: String| ApiError::Internal(anyhow::anyhow!(e)))?;
        state.usage.record(&conn.id);
        Ok(ConnAuth {
            org,
            conn,
            vertical,
        })
    }
}
