//! Link tokens and auth codes.

use crate::db::{opt_str, str_col};
use crate::{AuthCodeRow, LinkStore, LinkTokenRow, Result, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;

fn auth_code(r: &AnyRow) -> Result<AuthCodeRow> {
    Ok(AuthCodeRow {
        code_hash: str_col(r, "code_hash")?,
        organization_id: str_col(r, "organization_id")?,
        link_token_hash: str_col(r, "link_token_hash")?,
        integration_type: str_col(r, "integration_type")?,
        integration_name: str_col(r, "integration_name")?,
        connection_id: opt_str(r, "connection_id")?,
        customer_id: opt_str(r, "customer_id")?,
        credentials: str_col(r, "credentials")?,
        me: str_col(r, "me")?,
        missing: str_col(r, "missing")?,
        created_at: str_col(r, "created_at")?,
        expires_at: str_col(r, "expires_at")?,
        used_at: opt_str(r, "used_at")?,
        settings: str_col(r, "settings")?,
    })
}

#[async_trait]
impl LinkStore for SqlStore {
    async fn create_link_token(&self, t: &LinkTokenRow) -> Result<()> {
        sqlx::query("INSERT INTO link_tokens (token_hash, organization_id, connection_id, customer_id, created_at, expires_at, magic_link_id) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&t.token_hash)
            .bind(&t.organization_id)
            .bind(&t.connection_id)
            .bind(&t.customer_id)
            .bind(&t.created_at)
            .bind(&t.expires_at)
            .bind(&t.magic_link_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_link_token(&self, hash: &str) -> Result<Option<LinkTokenRow>> {
        let row = sqlx::query("SELECT token_hash, organization_id, connection_id, customer_id, created_at, expires_at, used_at, magic_link_id FROM link_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(LinkTokenRow {
                token_hash: str_col(&r, "token_hash")?,
                organization_id: str_col(&r, "organization_id")?,
                connection_id: opt_str(&r, "connection_id")?,
                customer_id: opt_str(&r, "customer_id")?,
                created_at: str_col(&r, "created_at")?,
                expires_at: str_col(&r, "expires_at")?,
                used_at: opt_str(&r, "used_at")?,
                magic_link_id: opt_str(&r, "magic_link_id")?,
            })
        })
        .transpose()
    }

    async fn use_link_token(&self, hash: &str, at: &str) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE link_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
        )
        .bind(at)
        .bind(hash)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn create_auth_code(&self, c: &AuthCodeRow) -> Result<()> {
        sqlx::query("INSERT INTO auth_codes (code_hash, organization_id, link_token_hash, integration_type, integration_name, connection_id, customer_id, credentials, me, missing, created_at, expires_at, settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .bind(&c.code_hash)
            .bind(&c.organization_id)
            .bind(&c.link_token_hash)
            .bind(&c.integration_type)
            .bind(&c.integration_name)
            .bind(&c.connection_id)
            .bind(&c.customer_id)
            .bind(&c.credentials)
            .bind(&c.me)
            .bind(&c.missing)
            .bind(&c.created_at)
            .bind(&c.expires_at)
            .bind(&c.settings)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn consume_auth_code(&self, hash: &str, now: &str) -> Result<Option<AuthCodeRow>> {
        // The conditional UPDATE is the single point of truth: of two concurrent exchanges
        // only one sees a row affected.
        let r = sqlx::query("UPDATE auth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        if r.rows_affected() != 1 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM auth_codes WHERE code_hash = $1")
            .bind(hash)
            .fetch_one(&self.pool)
            .await?;
        auth_code(&row).map(Some)
    }
}
