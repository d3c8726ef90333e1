//! The API's error policy, in one place:
//!
//! * Handlers return `Result<_, ApiError>`. Every variant renders Trackstar's body
//!   `{"error", "origin"}`, plus `detail` on 422 and `id` on 404.
//! * Anything the client did wrong is a typed 4xx variant with a message that says how to fix
//!   it. Nothing a client sends may produce a 500, a panic or a hang.
//! * Unexpected failures (database, bugs) convert into `Internal` through `From`; they are
//!   logged with their cause, and the client sees only a generic message and the request id.
//! * `origin` is `trackstar` for errors Waybill raises and `integration` for a vendor's
//!   refusal, whose message is passed through verbatim.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use waybill_model::query::QueryError;

/// An error response.
#[derive(Debug)]
pub enum ApiError {
    /// 400: a request that cannot be acted on (malformed JSON, used auth code).
    BadRequest(String),
    /// 401: missing or invalid credentials.
    Unauthorized(String),
    /// 403: authenticated but not allowed.
    Forbidden(String),
    /// 404: an unknown id; `id` echoes what was asked for.
    NotFound {
        /// The message.
        error: String,
        /// The id asked for, when there was one.
        id: Option<String>,
    },
    /// 409: a conflicting request is in flight.
    Conflict(String),
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 422: validation failed; `detail` is keyed by location then field.
    Validation {
        /// Summary message.
        error: String,
        /// `{location: {field: [messages]}}`.
        detail: Value,
    },
    /// 429: rate limited; the limiter adds its headers.
    TooManyRequests,
    /// 501: the integration does not implement the function.
    NotImplemented(String),
    /// The vendor refused; mirrors its status.
    Integration {
        /// HTTP status to send.
        status: StatusCode,
        /// The vendor's message, verbatim.
        error: String,
    },
    /// 500: something broke on our side; the cause is logged, not shown.
    Internal(anyhow::Error),
}

impl ApiError {
    /// A 404 for an id.
    pub fn not_found(what: &str, id: &str) -> Self {
        ApiError::NotFound {
            error: format!("{what} not found"),
            id: Some(id.to_string()),
        }
    }

    /// A 422 with a single field error.
    pub fn invalid(location: &str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut fields = Map::new();
        fields.insert(field.to_string(), json!([message.clone()]));
        let mut detail = Map::new();
        detail.insert(location.to_string(), Value::Object(fields));
        ApiError::Validation {
            error: format!("Validation error: {field}: {message}"),
            detail: Value::Object(detail),
        }
    }

    /// The status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Integration { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        let names: Vec<&str> = e.fields.keys().map(String::as_str).collect();
        ApiError::Validation {
            error: format!("Invalid query parameters: {}", names.join(", ")),
            detail: e.detail(),
        }
    }
}

impl From<waybill_store::StoreError> for ApiError {
    fn from(e: waybill_store::StoreError) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

/// The JSON body of an error with origin `trackstar`.
pub fn error_body(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": message, "origin": "trackstar"})),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            ApiError::BadRequest(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::Conflict(m)
            | ApiError::NotImplemented(m) => json!({"error": m, "origin": "trackstar"}),
            ApiError::PayloadTooLarge => {
                json!({"error": "Request body too large.", "origin": "trackstar"})
            }
            ApiError::TooManyRequests => {
                json!({"error": "Rate limit exceeded. Retry after the time in the retry-after header.", "origin": "trackstar"})
            }
            ApiError::NotFound { error, id } => match id {
                Some(id) => json!({"error": error, "id": id, "origin": "trackstar"}),
                None => json!({"error": error, "origin": "trackstar"}),
            },
            ApiError::Validation { error, detail } => {
                json!({"error": error, "detail": detail, "origin": "trackstar"})
            }
            ApiError::Integration { error, .. } => json!({"error": error, "origin": "integration"}),
            ApiError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                json!({"error": "Internal server error. The request id in the X-Request-Id header identifies it in the server's logs.", "origin": "trackstar"})
            }
        };
        (status, Json(body)).into_response()
    }
}
