//! The sync engine: pulls pages through a connector, upserts them with change detection,
//! and keeps each function's schedule bookkeeping. Connectors never see the store; this
//! crate is the only bridge between them.

pub mod engine;
pub mod events;
pub mod force;
pub mod health;
pub mod jobs;
pub mod schedule;
pub mod worker;

pub use engine::{SyncEngine, SyncError, SyncStats};
pub use events::EventContext;
