//! A JSON body extractor whose failures speak Trackstar's error shape: a body that is not
//! JSON is a 400, an unknown member or a wrong type is a 422 naming the dotted path, and an
//! oversized body is a 413. Axum's own `Json` answers in plain text, so routes use this.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// Largest JSON body accepted.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// A parsed JSON body. An absent or empty body parses as `{}` so optional bodies work.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        parse(&body).map(JsonBody)
    }
}

/// Parses a body, mapping serde's failures onto the error policy.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    // First make sure it is JSON at all, so syntax errors are told apart from shape errors.
    let value: serde_json::Value = serde_json::from_slice(text)
        .map_err(|e| ApiError::BadRequest(format!("The request body is not valid JSON: {e}")))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // Unknown members are reported at the member's own path.
        let (field, message) = match inner.strip_prefix("unknown field `") {
            Some(rest) => {
                let name = rest.split('`').next().unwrap_or_default();
                // The path already ends at the unknown member.
                let field = if path == "." || path.is_empty() {
                    name.to_string()
                } else {
                    path
                };
                (field, "Unknown field.".to_string())
            }
            None => {
                let field = if path == "." || path.is_empty() {
                    "_schema".to_string()
                } else {
                    path
                };
                (field, inner)
            }
        };
        ApiError::invalid("json", &field, message)
    })
}
