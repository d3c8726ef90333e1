//! Webhook storage: the endpoints organizations register, the delivery queue the dispatcher
//! fans out of the events outbox, and the attempt log.
//!
//! The queue is built for several dispatcher processes on one PostgreSQL database: fan-out
//! and claims lock rows with `FOR UPDATE SKIP LOCKED`, so no two workers take the same event
//! or delivery, and a claimed delivery carries a lease (`locked_until_ms`) so that one a
//! crashed worker held is retried once the lease expires. On SQLite the write transaction
//! (`begin_write`) serializes workers instead.

mod complete;
mod endpoints;
mod listen;
mod log;
mod queue;

pub use listen::EVENTS_CHANNEL;

use crate::Result;
use async_trait::async_trait;
use std::collections::HashMap;

/// Delivery states as stored.
pub mod status {
    /// Waiting for its next attempt (or being attempted under a lease).
    pub const PENDING: &str = "pending";
    /// A 2xx answer was received.
    pub const SUCCEEDED: &str = "succeeded";
    /// The retry schedule ran out without a 2xx answer.
    pub const FAILED: &str = "failed";
}

/// A webhook endpoint as stored. `secret` and `previous_secret` are ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRow {
    /// `ep_…` id.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// Where deliveries are POSTed (http or https).
    pub url: String,
    /// Free text for the organization's own bookkeeping.
    pub description: String,
    /// Event types it receives; empty means all.
    pub event_types: Vec<String>,
    /// Connections whose events it receives; empty means all.
    pub connection_ids: Vec<String>,
    /// Disabled endpoints get no new deliveries and their pending ones wait.
    pub disabled: bool,
    /// Why Waybill disabled it (continuous failure); `None` when enabled or disabled by hand.
    pub disabled_reason: Option<String>,
    /// Start of the current run of failed attempts; cleared by a success.
    pub failing_since: Option<String>,
    /// Encrypted `whsec_…` signing secret.
    pub secret: String,
    /// Encrypted secret replaced by the last rotation; still signs until it expires.
    pub previous_secret: Option<String>,
    /// When `previous_secret` stops signing.
    pub previous_secret_expires_at: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Last change by the API or the dispatcher.
    pub updated_at: String,
}

impl EndpointRow {
    /// Whether an event of this type and connection is meant for the endpoint (ignores
    /// `disabled`, which the caller checks).
    pub fn matches(&self, event_type: &str, connection_id: Option<&str>) -> bool {
        let type_ok =
            self.event_types.is_empty() || self.event_types.iter().any(|t| t == event_type);
        let conn_ok = self.connection_ids.is_empty()
            || connection_id.is_some_and(|c| self.connection_ids.iter().any(|x| x == c));
        type_ok && conn_ok
    }
}

/// An event of the outbox, as the message log and the data URL read it.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// `msg_…` id, stable across retries.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// The connection it concerns, when any.
    pub connection_id: Option<String>,
    /// e.g. `order.updated`.
    pub event_type: String,
    /// The complete JSON envelope.
    pub payload: String,
    /// When it happened.
    pub created_at: String,
}

/// What a fan-out pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FanOut {
    /// Events marked fanned out.
    pub events: usize,
    /// Deliveries created.
    pub deliveries: usize,
}

/// What a dispatcher asks of the queue in one claim.
#[derive(Debug, Clone)]
pub struct ClaimRequest<'a> {
    /// Current time, Unix milliseconds.
    pub now_ms: i64,
    /// Lease length: an unfinished claim becomes claimable again after it.
    pub lease_ms: i64,
    /// Most deliveries to take (free global slots).
    pub limit: usize,
    /// Most deliveries in flight per endpoint in this process.
    pub per_endpoint: usize,
    /// Deliveries this process has in flight, by endpoint id.
    pub in_flight: &'a HashMap<String, usize>,
}

/// A delivery claimed under a lease, with everything needed to attempt it.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    /// Queue row.
    pub seq: i64,
    /// Proves the lease when the outcome is written.
    pub lock_token: String,
    /// Number of this attempt (1 for the first ever).
    pub attempt: i64,
    /// Position in the retry schedule (0 for the first attempt after (re)queueing).
    pub step: i64,
    /// The message id (`svix-id`).
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// The JSON envelope.
    pub payload: String,
    /// The endpoint.
    pub endpoint_id: String,
    /// Where to POST.
    pub url: String,
    /// Encrypted current secret.
    pub secret: String,
    /// Encrypted previous secret while a rotation's grace period lasts.
    pub previous_secret: Option<String>,
    /// When the previous secret stops signing.
    pub previous_secret_expires_at: Option<String>,
}

/// The result of one attempt, written back in one transaction.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    /// Queue row.
    pub seq: i64,
    /// The lease's token; a stale lease records the attempt but leaves the row alone.
    pub lock_token: String,
    /// Attempt number.
    pub attempt: i64,
    /// The endpoint, whose failure streak is updated.
    pub endpoint_id: String,
    /// When the request started.
    pub started_at: String,
    /// HTTP status, when an answer came.
    pub status_code: Option<i64>,
    /// Time to the answer (or the failure).
    pub latency_ms: i64,
    /// First KiB of the answer's body.
    pub response: String,
    /// Transport failure (timeout, refused address…), when no answer came.
    pub error: Option<String>,
    /// Whether the answer was 2xx.
    pub succeeded: bool,
    /// When to try again; `None` makes a failure final.
    pub next_attempt_ms: Option<i64>,
    /// Current time in the wire shape.
    pub now: String,
    /// An endpoint failing since this time or earlier gets disabled.
    pub disable_if_failing_since: String,
    /// The reason recorded when it does.
    pub disabled_reason: String,
}

/// One attempt in the message log.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// Attempt number.
    pub attempt: i64,
    /// When it started.
    pub started_at: String,
    /// HTTP status, when an answer came.
    pub status_code: Option<i64>,
    /// Time to the answer.
    pub latency_ms: i64,
    /// First KiB of the answer's body.
    pub response: String,
    /// Transport failure, when no answer came.
    pub error: Option<String>,
    /// Whether it was 2xx.
    pub succeeded: bool,
}

/// One message of an endpoint's delivery log.
#[derive(Debug, Clone)]
pub struct MessageRow {
    /// Queue row; the log's paging key.
    pub seq: i64,
    /// The message id.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// When the event happened.
    pub created_at: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    /// Attempts made so far.
    pub attempts_count: i64,
    /// Next attempt (Unix ms) while pending.
    pub next_attempt_ms: Option<i64>,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptRow>,
}

/// Endpoints, the message log and the operations the API triggers.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Stores a new endpoint.
    async fn create_endpoint(&self, e: &EndpointRow) -> Result<()>;
    /// Loads an organization's live endpoint.
    async fn get_endpoint(&self, organization_id: &str, id: &str) -> Result<Option<EndpointRow>>;
    /// An organization's live endpoints, oldest first.
    async fn list_endpoints(&self, organization_id: &str) -> Result<Vec<EndpointRow>>;
    /// Writes every mutable column of a live endpoint; false when it is gone.
    async fn update_endpoint(&self, e: &EndpointRow) -> Result<bool>;
    /// Soft-deletes an endpoint; false when the organization has no such live endpoint.
    async fn delete_endpoint(&self, organization_id: &str, id: &str, at: &str) -> Result<bool>;
    /// Loads an organization's event by message id.
    async fn get_event(&self, organization_id: &str, id: &str) -> Result<Option<EventRow>>;
    /// One page of an endpoint's messages, newest first, with their attempts; `before_seq`
    /// 0 means from the newest.
    async fn list_messages(
        &self,
        endpoint_id: &str,
        before_seq: i64,
        limit: i64,
    ) -> Result<Vec<MessageRow>>;
    /// Queues a message again for these endpoints, from the start of the retry schedule.
    async fn requeue_message(
        &self,
        event_id: &str,
        endpoint_ids: &[String],
        now_ms: i64,
        now: &str,
    ) -> Result<()>;
    /// Appends an event already fanned out to exactly one endpoint (test events).
    async fn append_event_for(
        &self,
        event: &crate::NewEvent,
        endpoint_id: &str,
        now_ms: i64,
    ) -> Result<()>;
}

/// The delivery queue the dispatcher works.
#[async_trait]
pub trait DeliveryQueue: Send + Sync {
    /// Claims up to `limit` unfanned events, creates one delivery per matching endpoint and
    /// marks the events fanned out, all in one transaction.
    async fn fan_out_events(&self, limit: i64, now_ms: i64, now: &str) -> Result<FanOut>;
    /// Claims due deliveries under a lease, respecting the per-endpoint limit.
    async fn claim_deliveries(&self, req: &ClaimRequest<'_>) -> Result<Vec<ClaimedDelivery>>;
    /// Records attempts and moves their deliveries and endpoints on, in one transaction
    /// (the dispatcher batches outcomes so that one commit covers many deliveries).
    async fn complete_deliveries(&self, outcomes: &[AttemptOutcome]) -> Result<()>;
}

/// `$a, $b, …` placeholders starting at `$from`, for `IN (…)` lists.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
