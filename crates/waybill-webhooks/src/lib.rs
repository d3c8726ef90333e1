//! Webhook delivery for Waybill: Standard Webhooks signatures (`svix-*` and `webhook-*`
//! headers), the dispatcher that turns the events outbox into deliveries and attempts them
//! with retries, the SSRF guard, and the helpers the API uses to manage endpoints.
//!
//! The store owns the queue (see `waybill_store::webhooks`); this crate owns the policy:
//! when to retry, how to sign, where a request may go, and how much to send.

pub mod catalogue;
pub mod config;
pub mod deliver;
pub mod dispatcher;
/// The SSRF guard, shared with the connectors.
pub use waybill_connect::outbound as guard;
mod outcomes;
pub mod payload;
pub mod retry;
pub mod signing;

pub use config::DispatcherConfig;
pub use dispatcher::{run, spawn, DispatcherHandle};
