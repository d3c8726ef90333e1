//! Waybill's storage: small capability traits, one SQL implementation that runs on SQLite
//! (embedded default, WAL) and PostgreSQL (scale-out), chosen by the database URL.
//!
//! Records are canonical JSON documents plus indexed columns, keyed by
//! (connection, resource, id) and ordered by an insertion sequence that never changes, so
//! keyset pages stay stable while syncs write.

mod connections;
mod db;
pub mod error;
pub mod events;
mod filter_sql;
pub mod idempotency;
mod links;
mod magic_links;
mod orgs;
mod records;
pub mod sandbox_records;
mod schedules;
mod settings;
pub mod sync_state;
pub mod types;
pub mod webhooks;
pub mod written;

pub use db::{Backend, SqlStore};
pub use error::StoreError;
pub use events::NewEvent;
pub use idempotency::Claim;
pub use magic_links::{MagicLinkRow, MagicLinkStore};
pub use records::{Change, ChangeKind, Doc, EventsOf, Keyset, ListPage, StoredRecord};
pub use settings::SettingsStore;
pub use sync_state::{ErrorChange, SyncStateStore};
pub use types::*;
pub use webhooks::{DeliveryQueue, WebhookStore};
pub use written::TagEventsOf;

use async_trait::async_trait;
use waybill_model::query::ListQuery;
use waybill_model::Resource;

/// Result of a store call.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Organizations and their API keys.
#[async_trait]
pub trait OrgStore: Send + Sync {
    /// Creates an organization.
    async fn create_org(&self, org: &Organization) -> Result<()>;
    /// Loads an organization.
    async fn get_org(&self, id: &str) -> Result<Option<Organization>>;
    /// How many organizations exist (zero means a first start).
    async fn count_orgs(&self) -> Result<i64>;
    /// Stores a new API key (its hash only).
    async fn create_api_key(&self, key: &ApiKeyRow) -> Result<()>;
    /// Finds a key by its lookup prefix.
    async fn find_api_key(&self, prefix: &str) -> Result<Option<ApiKeyRow>>;
    /// Revokes a key; false when no live key has that prefix.
    async fn revoke_api_key(&self, prefix: &str) -> Result<bool>;
}

/// Link tokens and auth codes of the install flow.
#[async_trait]
pub trait LinkStore: Send + Sync {
    /// Stores a link token (hash only).
    async fn create_link_token(&self, t: &LinkTokenRow) -> Result<()>;
    /// Loads a link token by hash.
    async fn get_link_token(&self, hash: &str) -> Result<Option<LinkTokenRow>>;
    /// Marks a link token used; false when it already was.
    async fn use_link_token(&self, hash: &str, at: &str) -> Result<bool>;
    /// Stores an auth code (hash only) with the pending install.
    async fn create_auth_code(&self, c: &AuthCodeRow) -> Result<()>;
    /// Atomically consumes an auth code that is unused and unexpired at `now`.
    async fn consume_auth_code(&self, hash: &str, now: &str) -> Result<Option<AuthCodeRow>>;
}

/// Connections, their tokens, credentials and schedules.
#[async_trait]
pub trait ConnectionStore: Send + Sync {
    /// Creates a connection with its schedules.
    async fn create_connection(&self, c: &ConnectionRow, schedules: &[ScheduleRow]) -> Result<()>;
    /// Loads a live connection by id.
    async fn get_connection(&self, id: &str) -> Result<Option<ConnectionRow>>;
    /// Loads a live connection by its access token hash.
    async fn connection_by_token(&self, token_hash: &str) -> Result<Option<ConnectionRow>>;
    /// Every live sandbox connection, of every organization (for the drifting sandbox).
    async fn sandbox_connections(&self) -> Result<Vec<ConnectionRow>>;
    /// The organization's sandbox connection of a vertical.
    async fn sandbox_connection(&self, org: &str, ty: &str) -> Result<Option<ConnectionRow>>;
    /// One page of an organization's connections after `after_seq`.
    async fn list_connections(
        &self,
        org: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<ConnectionRow>>;
    /// Updates `customer_id` and/or `webhooks_disabled`.
    async fn patch_connection(
        &self,
        id: &str,
        customer_id: Option<Option<String>>,
        webhooks_disabled: Option<bool>,
    ) -> Result<()>;
    /// Replaces credentials and `me` in place (a reinstall).
    async fn replace_credentials(&self, id: &str, credentials: &str, me: &str) -> Result<()>;
    /// Soft-deletes a connection, revokes its token and purges its records.
    async fn delete_connection(&self, id: &str, at: &str) -> Result<()>;
    /// Adds usage counted in memory since the last flush.
    async fn add_usage(&self, id: &str, times: i64, last_used: &str) -> Result<()>;
    /// The schedules of a connection.
    async fn schedules(&self, connection_id: &str) -> Result<Vec<ScheduleRow>>;
    /// Writes a schedule's crawl bookkeeping.
    async fn save_schedule(&self, s: &ScheduleRow) -> Result<()>;
    /// Replaces all schedules of a connection (sandbox regeneration).
    async fn reset_schedules(&self, connection_id: &str, schedules: &[ScheduleRow]) -> Result<()>;
}

/// Normalized records.
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// Inserts new and changed records in one transaction, skipping unchanged ones by hash,
    /// appends the events `events_of` makes of each change in that same transaction, and
    /// reports what changed.
    async fn upsert_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<Doc>,
        now: &str,
        events_of: records::EventsOf<'_>,
    ) -> Result<Vec<Change>>;
    /// Stores a bulk load's records (a historical sync, which fires no events) without reading
    /// anything first: one `INSERT … ON CONFLICT DO UPDATE` per chunk whose update applies only
    /// where the stored hash differs, so an unchanged record is still not rewritten. Skips the
    /// two hash lookups per record `upsert_records` makes to build its changes. Returns how many
    /// records were inserted or changed.
    async fn bulk_upsert_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<Doc>,
        now: &str,
    ) -> Result<u64>;
    /// One record by id, with Waybill's fields spliced in.
    async fn get_record(
        &self,
        connection_id: &str,
        resource: &Resource,
        id: &str,
        parent: Option<&str>,
    ) -> Result<Option<StoredRecord>>;
    /// One keyset page of a filtered list.
    async fn list_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        q: &ListQuery,
        parent: Option<&str>,
        after: &records::Keyset,
    ) -> Result<ListPage>;
    /// Deletes every record of a connection (sandbox regeneration, connection purge).
    async fn wipe_records(&self, connection_id: &str) -> Result<()>;
    /// How many records a connection holds for a resource.
    async fn count_records(&self, connection_id: &str, resource: &Resource) -> Result<i64>;
}

/// Records produced by writes, and Trackstar tags.
#[async_trait]
pub trait WrittenStore: Send + Sync {
    /// Stores the records a write returned (the first with `first_tags`, JSON text, when
    /// given) and the events `events_of` makes of each change, in one transaction.
    async fn store_written(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<serde_json::Value>,
        first_tags: Option<String>,
        now: &str,
        events_of: records::EventsOf<'_>,
    ) -> Result<Vec<Change>>;
    /// Replaces a record's tags (JSON text) and, when they changed, bumps its
    /// `trackstar_updated_date` and appends the events `events_of` makes of the change and
    /// the old tags. `None` when the record is unknown.
    async fn set_tags(
        &self,
        connection_id: &str,
        resource: &Resource,
        id: &str,
        tags: &str,
        now: &str,
        events_of: written::TagEventsOf<'_>,
    ) -> Result<Option<Change>>;
}

/// Idempotency keys of writes (SPEC §12.6).
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for a request with `fingerprint`, first dropping keys created before
    /// `expired_before` and in-flight locks taken before `stale_before`.
    async fn claim_key(
        &self,
        connection_id: &str,
        key: &str,
        fingerprint: &str,
        now: &str,
        expired_before: &str,
        stale_before: &str,
    ) -> Result<Claim>;
    /// Records the successful answer of a claimed key, for replays.
    async fn complete_key(
        &self,
        connection_id: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()>;
    /// Frees a claimed key after a failed attempt, so the client can retry.
    async fn release_key(&self, connection_id: &str, key: &str) -> Result<()>;
}

/// Everything Waybill stores.
pub trait Store:
    OrgStore
    + LinkStore
    + ConnectionStore
    + RecordStore
    + MagicLinkStore
    + SettingsStore
    + SyncStateStore
    + WebhookStore
    + DeliveryQueue
    + WrittenStore
    + IdempotencyStore
{
}
impl<
        T: OrgStore
            + LinkStore
            + ConnectionStore
            + RecordStore
            + MagicLinkStore
            + SettingsStore
            + SyncStateStore
            + WebhookStore
            + DeliveryQueue
            + WrittenStore
            + IdempotencyStore,
    > Store for T
{
}
