//! Rows the store reads and writes. Secrets appear only as hashes or ciphertext.

use serde::{Deserialize, Serialize};

/// A tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organization {
    /// `org_…` id.
    pub id: String,
    /// Display name, shown in the Link modal.
    pub name: String,
    /// Creation time.
    pub created_at: String,
    /// Historical sync lookback for new connections, in days.
    pub historical_lookback_days: i64,
    /// Free-form settings (branding, disabled functions), JSON text.
    pub settings: String,
}

/// An API key as stored: a lookup prefix and a hash of the whole key.
#[derive(Debug, Clone)]
pub struct ApiKeyRow {
    /// The key's public prefix, unique; used to find the row.
    pub prefix: String,
    /// Owning organization.
    pub organization_id: String,
    /// Hex SHA-256 of the whole key.
    pub key_hash: String,
    /// Read-only keys may only GET.
    pub read_only: bool,
    /// Creation time.
    pub created_at: String,
    /// Set when revoked.
    pub revoked_at: Option<String>,
}

/// A connection as stored.
#[derive(Debug, Clone)]
pub struct ConnectionRow {
    /// Insertion order, the pagination key of `GET /connections`.
    pub seq: i64,
    /// `connection_id`.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// `wms`, `cart`, `carrier` or `freight`.
    pub integration_type: String,
    /// Integration slug.
    pub integration_name: String,
    /// The organization's label for its customer.
    pub customer_id: Option<String>,
    /// Hex SHA-256 of the access token.
    pub token_hash: String,
    /// Bumped when the token is rotated; part of its derivation.
    pub token_generation: i64,
    /// AES-256-GCM ciphertext of the vendor credentials (base64).
    pub credentials: String,
    /// `me`, JSON text.
    pub me: String,
    /// Per-connection settings (disabled functions…), JSON text.
    pub settings: String,
    /// Whether this is the organization's sandbox of its vertical.
    pub is_sandbox: bool,
    /// Suppresses resource webhooks.
    pub webhooks_disabled: bool,
    /// Lookback override in days.
    pub historical_lookback_days: Option<i64>,
    /// Creation time.
    pub created_at: String,
    /// Last API call with the token.
    pub last_used: Option<String>,
    /// Count of API calls with the token.
    pub times_used: i64,
}

/// One function's schedule on a connection.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    /// Owning connection.
    pub connection_id: String,
    /// e.g. `get_orders`.
    pub function_name: String,
    /// Seconds between runs.
    pub sync_frequency: i64,
    /// `enabled`, `disabled`, `sync_in_progress`, `first_sync_in_progress` or `error`.
    pub sync_status: String,
    /// Paused by the user.
    pub paused: bool,
    /// When the last crawl started.
    pub last_crawl_start: Option<String>,
    /// When the last crawl ended.
    pub last_crawl_end: Option<String>,
    /// Newest source timestamp seen.
    pub latest_data: Option<String>,
    /// Whether the historical sync of this function finished.
    pub historical_completed: bool,
    /// When the scheduler should run it next.
    pub next_run_at: Option<String>,
    /// Consecutive failed runs, for backoff.
    pub failures: i64,
}

/// A connection health problem.
#[derive(Debug, Clone)]
pub struct ConnectionErrorRow {
    /// The connection.
    pub connection_id: String,
    /// What kind of problem: `credentials` or `permission`.
    pub class: String,
    /// Whether it stops every sync.
    pub blocking: bool,
    /// The vendor's words.
    pub error_message: String,
    /// `[{endpoint, preventing_sync}]`, JSON text.
    pub affected_endpoints: String,
    /// First time seen.
    pub first_seen: String,
    /// Last time seen.
    pub last_seen: String,
}

/// A force-sync request waiting for its functions to finish.
#[derive(Debug, Clone)]
pub struct ForceSyncRow {
    /// Request id.
    pub id: String,
    /// The connection.
    pub connection_id: String,
    /// Functions requested, JSON text.
    pub functions: String,
    /// When requested.
    pub requested_at: String,
}

/// An on-demand sync job.
#[derive(Debug, Clone, Serialize)]
pub struct SyncJobRow {
    /// Job id.
    pub id: String,
    /// The connection.
    pub connection_id: String,
    /// The function to backfill.
    pub function_name: String,
    /// `open`, `completed`, `cancelled` or `stuck`.
    pub status: String,
    /// Window start.
    pub requested_start_time: String,
    /// Window end.
    pub requested_end_time: String,
    /// Creation time.
    pub created_at: String,
    /// Last progress.
    pub updated_at: String,
}

/// A link token as stored (hash only).
#[derive(Debug, Clone)]
pub struct LinkTokenRow {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// Owning organization.
    pub organization_id: String,
    /// Set for a reinstall.
    pub connection_id: Option<String>,
    /// The organization's label for its customer.
    pub customer_id: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Expiry (30 minutes).
    pub expires_at: String,
    /// Set once exchanged.
    pub used_at: Option<String>,
    /// The magic link it was minted for; such a session installs without a client backend.
    pub magic_link_id: Option<String>,
}

/// An auth code and the install waiting for its exchange.
#[derive(Debug, Clone)]
pub struct AuthCodeRow {
    /// Hex SHA-256 of the code.
    pub code_hash: String,
    /// Owning organization.
    pub organization_id: String,
    /// The link token it completed.
    pub link_token_hash: String,
    /// Vertical.
    pub integration_type: String,
    /// Integration slug.
    pub integration_name: String,
    /// Set for a reinstall.
    pub connection_id: Option<String>,
    /// The organization's label for its customer.
    pub customer_id: Option<String>,
    /// Encrypted credentials.
    pub credentials: String,
    /// `me`, JSON text.
    pub me: String,
    /// Functions the credentials lack, JSON text.
    pub missing: String,
    /// Creation time.
    pub created_at: String,
    /// Expiry (10 minutes).
    pub expires_at: String,
    /// Set once exchanged.
    pub used_at: Option<String>,
    /// Settings JSON the created connection starts with (function overrides).
    pub settings: String,
}
