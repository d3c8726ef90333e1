//! Organizations and API keys.

use crate::db::{bool_col, int_col, opt_str, str_col};
use crate::{ApiKeyRow, OrgStore, Organization, Result, SqlStore};
use async_trait::async_trait;

#[async_trait]
impl OrgStore for SqlStore {
    async fn create_org(&self, org: &Organization) -> Result<()> {
        sqlx::query("INSERT INTO organizations (id, name, created_at, historical_lookback_days, settings) VALUES ($1, $2, $3, $4, $5)")
            .bind(&org.id)
            .bind(&org.name)
            .bind(&org.created_at)
            .bind(org.historical_lookback_days)
            .bind(&org.settings)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_org(&self, id: &str) -> Result<Option<Organization>> {
        let row = sqlx::query("SELECT id, name, created_at, historical_lookback_days, settings FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Organization {
                id: str_col(&r, "id")?,
                name: str_col(&r, "name")?,
                created_at: str_col(&r, "created_at")?,
                historical_lookback_days: int_col(&r, "historical_lookback_days")?,
                settings: str_col(&r, "settings")?,
            })
        })
        .transpose()
    }

    async fn count_orgs(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM organizations")
            .fetch_one(&self.pool)
            .await?;
        int_col(&r, "n")
    }

    async fn create_api_key(&self, key: &ApiKeyRow) -> Result<()> {
        sqlx::query("INSERT INTO api_keys (prefix, organization_id, key_hash, read_only, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&key.prefix)
            .bind(&key.organization_id)
            .bind(&key.key_hash)
            .bind(key.read_only as i64)
            .bind(&key.created_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn find_api_key(&self, prefix: &str) -> Result<Option<ApiKeyRow>> {
        let row = sqlx::query("SELECT prefix, organization_id, key_hash, read_only, created_at, revoked_at FROM api_keys WHERE prefix = $1")
            .bind(prefix)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(ApiKeyRow {
                prefix: str_col(&r, "prefix")?,
                organization_id: str_col(&r, "organization_id")?,
                key_hash: str_col(&r, "key_hash")?,
                read_only: bool_col(&r, "read_only")?,
                created_at: str_col(&r, "created_at")?,
                revoked_at: opt_str(&r, "revoked_at")?,
            })
        })
        .transpose()
    }

    async fn revoke_api_key(&self, prefix: &str) -> Result<bool> {
        let now = waybill_model::time::now_str();
        let r = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE prefix = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(prefix)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }
}

impl SqlStore {
    /// Sets how many days of history new connections of the organization pull.
    pub async fn set_org_lookback(&self, org: &str, days: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE organizations SET historical_lookback_days = $1 WHERE id = $2")
            .bind(days)
            .bind(org)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Sets a connection's own lookback (`None` falls back to the organization's).
    pub async fn set_connection_lookback(
        &self,
        connection_id: &str,
        days: Option<i64>,
    ) -> Result<()> {
        sqlx::query("UPDATE connections SET historical_lookback_days = $1 WHERE id = $2")
            .bind(days)
            .bind(connection_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
