//! Connections.

use crate::db::{bool_col, int_col, opt_str, str_col};
use crate::{ConnectionRow, ConnectionStore, Result, ScheduleRow, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;

const COLUMNS: &str = "seq, id, organization_id, integration_type, integration_name, customer_id, token_hash, token_generation, credentials, me, settings, is_sandbox, webhooks_disabled, historical_lookback_days, created_at, last_used, times_used";

fn connection(r: &AnyRow) -> Result<ConnectionRow> {
    Ok(ConnectionRow {
        seq: int_col(r, "seq")?,
        id: str_col(r, "id")?,
        organization_id: str_col(r, "organization_id")?,
        integration_type: str_col(r, "integration_type")?,
        integration_name: str_col(r, "integration_name")?,
        customer_id: opt_str(r, "customer_id")?,
        token_hash: str_col(r, "token_hash")?,
        token_generation: int_col(r, "token_generation")?,
        credentials: str_col(r, "credentials")?,
        me: str_col(r, "me")?,
        settings: str_col(r, "settings")?,
        is_sandbox: bool_col(r, "is_sandbox")?,
        webhooks_disabled: bool_col(r, "webhooks_disabled")?,
        historical_lookback_days: {
            use sqlx::Row;
            r.try_get::<Option<i64>, _>("historical_lookback_days")?
        },
        created_at: str_col(r, "created_at")?,
        last_used: opt_str(r, "last_used")?,
        times_used: int_col(r, "times_used")?,
    })
}

impl SqlStore {
    async fn one_connection(&self, filter: &str, value: &str) -> Result<Option<ConnectionRow>> {
        let sql =
            format!("SELECT {COLUMNS} FROM connections WHERE {filter} = $1 AND deleted_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(connection).transpose()
    }
}

#[async_trait]
impl ConnectionStore for SqlStore {
    async fn create_connection(&self, c: &ConnectionRow, schedules: &[ScheduleRow]) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO connections (id, organization_id, integration_type, integration_name, customer_id, token_hash, token_generation, credentials, me, settings, is_sandbox, webhooks_disabled, historical_lookback_days, created_at, times_used) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0)")
            .bind(&c.id)
            .bind(&c.organization_id)
            .bind(&c.integration_type)
            .bind(&c.integration_name)
            .bind(&c.customer_id)
            .bind(&c.token_hash)
            .bind(c.token_generation)
            .bind(&c.credentials)
            .bind(&c.me)
            .bind(&c.settings)
            .bind(c.is_sandbox as i64)
            .bind(c.webhooks_disabled as i64)
            .bind(c.historical_lookback_days)
            .bind(&c.created_at)
            .execute(&mut *tx)
            .await?;
        for s in schedules {
            insert_schedule(&mut tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_connection(&self, id: &str) -> Result<Option<ConnectionRow>> {
        self.one_connection("id", id).await
    }

    async fn connection_by_token(&self, token_hash: &str) -> Result<Option<ConnectionRow>> {
        self.one_connection("token_hash", token_hash).await
    }

    async fn sandbox_connections(&self) -> Result<Vec<ConnectionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM connections WHERE is_sandbox = 1 AND deleted_at IS NULL ORDER BY seq");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(connection).collect()
    }

    async fn sandbox_connection(&self, org: &str, ty: &str) -> Result<Option<ConnectionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM connections WHERE organization_id = $1 AND integration_type = $2 AND is_sandbox = 1 AND deleted_at IS NULL ORDER BY seq LIMIT 1");
        let row = sqlx::query(&sql)
            .bind(org)
            .bind(ty)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(connection).transpose()
    }

    async fn list_connections(
        &self,
        org: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<ConnectionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM connections WHERE organization_id = $1 AND seq > $2 AND deleted_at IS NULL ORDER BY seq LIMIT $3");
        let rows = sqlx::query(&sql)
            .bind(org)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(connection).collect()
    }

    async fn patch_connection(
        &self,
        id: &str,
        customer_id: Option<Option<String>>,
        webhooks_disabled: Option<bool>,
    ) -> Result<()> {
        if let Some(c) = customer_id {
            sqlx::query("UPDATE connections SET customer_id = $1 WHERE id = $2")
                .bind(c)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        if let Some(w) = webhooks_disabled {
            sqlx::query("UPDATE connections SET webhooks_disabled = $1 WHERE id = $2")
                .bind(w as i64)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn replace_credentials(&self, id: &str, credentials: &str, me: &str) -> Result<()> {
        sqlx::query("UPDATE connections SET credentials = $1, me = $2 WHERE id = $3")
            .bind(credentials)
            .bind(me)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_connection(&self, id: &str, at: &str) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // The token hash is replaced so the old token can never match again.
        sqlx::query(
            "UPDATE connections SET deleted_at = $1, token_hash = 'deleted:' || id WHERE id = $2",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sync_schedules WHERE connection_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM record_tags WHERE record_seq IN (SELECT seq FROM records WHERE connection_id = $1)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM records WHERE connection_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_usage(&self, id: &str, times: i64, last_used: &str) -> Result<()> {
        sqlx::query(
            "UPDATE connections SET times_used = times_used + $1, last_used = $2 WHERE id = $3",
        )
        .bind(times)
        .bind(last_used)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn schedules(&self, connection_id: &str) -> Result<Vec<ScheduleRow>> {
        crate::schedules::load(self, connection_id).await
    }

    async fn save_schedule(&self, s: &ScheduleRow) -> Result<()> {
        crate::schedules::save(self, s).await
    }

    async fn reset_schedules(&self, connection_id: &str, schedules: &[ScheduleRow]) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sync_schedules WHERE connection_id = $1")
            .bind(connection_id)
            .execute(&mut *tx)
            .await?;
        for s in schedules {
            insert_schedule(&mut tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn insert_schedule(tx: &mut sqlx::Transaction<'_, sqlx::Any>, s: &ScheduleRow) -> Result<()> {
    sqlx::query("INSERT INTO sync_schedules (connection_id, function_name, sync_frequency, sync_status, paused, last_crawl_start, last_crawl_end, latest_data, historical_completed, next_run_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (connection_id, function_name) DO NOTHING")
        .bind(&s.connection_id)
        .bind(&s.function_name)
        .bind(s.sync_frequency)
        .bind(&s.sync_status)
        .bind(s.paused as i64)
        .bind(&s.last_crawl_start)
        .bind(&s.last_crawl_end)
        .bind(&s.latest_data)
        .bind(s.historical_completed as i64)
        .bind(&s.next_run_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
