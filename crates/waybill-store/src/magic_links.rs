//! Magic links: hosted Link pages an organization creates and shares, live until they expire
//! or are deleted (soft delete, so the page can still tell a deleted link from a typo).

use crate::db::{opt_str, str_col};
use crate::{Result, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;

/// A magic link as stored. Lists are kept as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MagicLinkRow {
    /// 32 lowercase hex characters; also the secret part of the shareable URL.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// Set when the link reinstalls an existing connection.
    pub connection_id: Option<String>,
    /// The organization's label for its customer, copied to the connection.
    pub customer_id: Option<String>,
    /// `wms`, `cart`, `carrier` or `freight`.
    pub integration_type: String,
    /// Only these integrations may be installed (exclusive with the next two).
    pub integration_allow_list: Vec<String>,
    /// These integrations may not be installed.
    pub integration_block_list: Vec<String>,
    /// Integrations must offer all of these functions.
    pub integrations_with_endpoints: Vec<String>,
    /// Functions turned off on the resulting connection, on top of the organization's.
    pub disabled_functions: Vec<String>,
    /// Organization-disabled functions turned back on for the resulting connection.
    pub enabled_functions: Vec<String>,
    /// Creation time.
    pub created_at: String,
    /// When the page stops accepting installs.
    pub expires_at: String,
    /// Set when deleted.
    pub deleted_at: Option<String>,
}

impl MagicLinkRow {
    /// Whether the link can still start an install at `now` (wire-format time).
    pub fn is_live(&self, now: &str) -> bool {
        self.deleted_at.is_none() && self.expires_at.as_str() > now
    }
}

/// Magic links of organizations.
#[async_trait]
pub trait MagicLinkStore: Send + Sync {
    /// Stores a new magic link.
    async fn create_magic_link(&self, m: &MagicLinkRow) -> Result<()>;
    /// Loads a magic link by id, deleted or not (callers decide what a deleted link means).
    async fn get_magic_link(&self, id: &str) -> Result<Option<MagicLinkRow>>;
    /// The organization's links that are not deleted, oldest first.
    async fn list_magic_links(&self, organization_id: &str) -> Result<Vec<MagicLinkRow>>;
    /// Soft-deletes a link of the organization; false when it has no such live row.
    async fn delete_magic_link(&self, organization_id: &str, id: &str, at: &str) -> Result<bool>;
}

const COLUMNS: &str = "id, organization_id, connection_id, customer_id, integration_type, integration_allow_list, integration_block_list, integrations_with_endpoints, disabled_functions, enabled_functions, created_at, expires_at, deleted_at";

fn list_col(r: &AnyRow, col: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_str(&str_col(r, col)?)?)
}

fn list_text(v: &[String]) -> String {
    serde_json::Value::from(v.to_vec()).to_string()
}

fn magic_link(r: &AnyRow) -> Result<MagicLinkRow> {
    Ok(MagicLinkRow {
        id: str_col(r, "id")?,
        organization_id: str_col(r, "organization_id")?,
        connection_id: opt_str(r, "connection_id")?,
        customer_id: opt_str(r, "customer_id")?,
        integration_type: str_col(r, "integration_type")?,
        integration_allow_list: list_col(r, "integration_allow_list")?,
        integration_block_list: list_col(r, "integration_block_list")?,
        integrations_with_endpoints: list_col(r, "integrations_with_endpoints")?,
        disabled_functions: list_col(r, "disabled_functions")?,
        enabled_functions: list_col(r, "enabled_functions")?,
        created_at: str_col(r, "created_at")?,
        expires_at: str_col(r, "expires_at")?,
        deleted_at: opt_str(r, "deleted_at")?,
    })
}

#[async_trait]
impl MagicLinkStore for SqlStore {
    async fn create_magic_link(&self, m: &MagicLinkRow) -> Result<()> {
        sqlx::query("INSERT INTO magic_links (id, organization_id, connection_id, customer_id, integration_type, integration_allow_list, integration_block_list, integrations_with_endpoints, disabled_functions, enabled_functions, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(&m.id)
            .bind(&m.organization_id)
            .bind(&m.connection_id)
            .bind(&m.customer_id)
            .bind(&m.integration_type)
            .bind(list_text(&m.integration_allow_list))
            .bind(list_text(&m.integration_block_list))
            .bind(list_text(&m.integrations_with_endpoints))
            .bind(list_text(&m.disabled_functions))
            .bind(list_text(&m.enabled_functions))
            .bind(&m.created_at)
            .bind(&m.expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_magic_link(&self, id: &str) -> Result<Option<MagicLinkRow>> {
        let sql = format!("SELECT {COLUMNS} FROM magic_links WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(magic_link).transpose()
    }

    async fn list_magic_links(&self, organization_id: &str) -> Result<Vec<MagicLinkRow>> {
        let sql = format!("SELECT {COLUMNS} FROM magic_links WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at, id");
        let rows = sqlx::query(&sql)
            .bind(organization_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(magic_link).collect()
    }

    async fn delete_magic_link(&self, organization_id: &str, id: &str, at: &str) -> Result<bool> {
        let r = sqlx::query("UPDATE magic_links SET deleted_at = $1 WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL")
            .bind(at)
            .bind(id)
            .bind(organization_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
