//! Free-form JSON settings of organizations (branding, disabled functions) and connections
//! (function overrides from Link and magic links), written whole.

use crate::{Result, SqlStore};
use async_trait::async_trait;

/// Replaces settings documents. Callers read, merge and write back; settings change rarely
/// and only through the CLI or an install, so last-writer-wins is acceptable.
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// Replaces an organization's settings JSON; false when there is no such organization.
    async fn set_org_settings(&self, organization_id: &str, settings: &str) -> Result<bool>;
    /// Replaces a live connection's settings JSON; false when there is no such connection.
    async fn set_connection_settings(&self, connection_id: &str, settings: &str) -> Result<bool>;
}

#[async_trait]
impl SettingsStore for SqlStore {
    async fn set_org_settings(&self, organization_id: &str, settings: &str) -> Result<bool> {
        let r = sqlx::query("UPDATE organizations SET settings = $1 WHERE id = $2")
            .bind(settings)
            .bind(organization_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn set_connection_settings(&self, connection_id: &str, settings: &str) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE connections SET settings = $1 WHERE id = $2 AND deleted_at IS NULL",
        )
        .bind(settings)
        .bind(connection_id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }
}
