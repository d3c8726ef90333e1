//! The connector error taxonomy. The sync engine decides retries and connection health from
//! the variant alone, so every connector maps its vendor's failures onto these.

use std::time::Duration;

/// Why a connector call failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ConnectorError {
    /// The credentials are invalid, revoked or expired: a blocking connection error.
    #[error("{0}")]
    Auth(String),
    /// The credentials work but lack access to these functions: a non-blocking error.
    #[error("{message}")]
    MissingPermission {
        /// The vendor's words.
        message: String,
        /// Functions the credentials cannot serve.
        functions: Vec<String>,
    },
    /// The vendor throttled us; wait before trying again.
    #[error("rate limited by the integration")]
    RateLimited {
        /// The vendor's Retry-After, when it sent one.
        retry_after: Option<Duration>,
    },
    /// A failure worth retrying with backoff (timeouts, 5xx, connection resets).
    #[error("{0}")]
    Transient(String),
    /// The vendor refused the request itself; retrying will not help.
    #[error("{message}")]
    Permanent {
        /// The vendor's message, passed through verbatim.
        message: String,
        /// The vendor's HTTP status when it had one.
        status: Option<u16>,
    },
    /// The integration does not implement this function.
    #[error("{0} is not implemented")]
    Unsupported(String),
}

impl ConnectorError {
    /// Whether the sync engine should retry the same call later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Transient(_))
    }
}
