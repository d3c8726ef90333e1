//! Store errors. Every database failure is a `StoreError::Db`; callers above turn it into a
//! logged 500 and never show its text to clients.

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored JSON column did not parse.
    #[error("corrupt stored json: {0}")]
    Json(#[from] serde_json::Error),
    /// The database URL is not one Waybill supports.
    #[error("{0}")]
    Config(String),
}
