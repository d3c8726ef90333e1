//! Waybill's HTTP API: Trackstar's routes on axum, with authentication, the error policy,
//! the query grammar and page tokens. Reads come from the store only; installs and writes
//! go through connectors.

pub mod app;
pub mod auth;
pub mod body;
pub mod cache;
pub mod error;
pub mod openapi;
pub mod page_token;
pub mod rate_limit;
pub mod routes;
pub mod service;
pub mod state;
pub mod usage;

pub use app::build;
pub use state::{ApiConfig, AppState, SharedState};
