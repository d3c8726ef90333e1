//! Endpoint rows, events by id, resends and directly addressed (test) events.

use super::{placeholders, EndpointRow, EventRow, MessageRow, WebhookStore};
use crate::db::{bool_col, opt_str, str_col};
use crate::{NewEvent, Result, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;

pub(super) const ENDPOINT_COLUMNS: &str = "id, organization_id, url, description, event_types, connection_ids, disabled, disabled_reason, failing_since, secret, previous_secret, previous_secret_expires_at, created_at, updated_at";

fn list_col(r: &AnyRow, col: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_str(&str_col(r, col)?)?)
}

fn list_text(v: &[String]) -> String {
    serde_json::Value::from(v.to_vec()).to_string()
}

pub(super) fn endpoint(r: &AnyRow) -> Result<EndpointRow> {
    Ok(EndpointRow {
        id: str_col(r, "id")?,
        organization_id: str_col(r, "organization_id")?,
        url: str_col(r, "url")?,
        description: str_col(r, "description")?,
        event_types: list_col(r, "event_types")?,
        connection_ids: list_col(r, "connection_ids")?,
        disabled: bool_col(r, "disabled")?,
        disabled_reason: opt_str(r, "disabled_reason")?,
        failing_since: opt_str(r, "failing_since")?,
        secret: str_col(r, "secret")?,
        previous_secret: opt_str(r, "previous_secret")?,
        previous_secret_expires_at: opt_str(r, "previous_secret_expires_at")?,
        created_at: str_col(r, "created_at")?,
        updated_at: str_col(r, "updated_at")?,
    })
}

fn event(r: &AnyRow) -> Result<EventRow> {
    Ok(EventRow {
        id: str_col(r, "id")?,
        organization_id: str_col(r, "organization_id")?,
        connection_id: opt_str(r, "connection_id")?,
        event_type: str_col(r, "event_type")?,
        payload: str_col(r, "payload")?,
        created_at: str_col(r, "created_at")?,
    })
}

#[async_trait]
impl WebhookStore for SqlStore {
    async fn create_endpoint(&self, e: &EndpointRow) -> Result<()> {
        sqlx::query(&format!("INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
            .bind(&e.id)
            .bind(&e.organization_id)
            .bind(&e.url)
            .bind(&e.description)
            .bind(list_text(&e.event_types))
            .bind(list_text(&e.connection_ids))
            .bind(e.disabled as i64)
            .bind(&e.disabled_reason)
            .bind(&e.failing_since)
            .bind(&e.secret)
            .bind(&e.previous_secret)
            .bind(&e.previous_secret_expires_at)
            .bind(&e.created_at)
            .bind(&e.updated_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_endpoint(&self, organization_id: &str, id: &str) -> Result<Option<EndpointRow>> {
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND organization_id = $2 AND deleted_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(endpoint).transpose()
    }

    async fn list_endpoints(&self, organization_id: &str) -> Result<Vec<EndpointRow>> {
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY seq");
        let rows = sqlx::query(&sql)
            .bind(organization_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(endpoint).collect()
    }

    async fn update_endpoint(&self, e: &EndpointRow) -> Result<bool> {
        let r = sqlx::query("UPDATE webhook_endpoints SET url = $1, description = $2, event_types = $3, connection_ids = $4, disabled = $5, disabled_reason = $6, failing_since = $7, secret = $8, previous_secret = $9, previous_secret_expires_at = $10, updated_at = $11 WHERE id = $12 AND organization_id = $13 AND deleted_at IS NULL")
            .bind(&e.url)
            .bind(&e.description)
            .bind(list_text(&e.event_types))
            .bind(list_text(&e.connection_ids))
            .bind(e.disabled as i64)
            .bind(&e.disabled_reason)
            .bind(&e.failing_since)
            .bind(&e.secret)
            .bind(&e.previous_secret)
            .bind(&e.previous_secret_expires_at)
            .bind(&e.updated_at)
            .bind(&e.id)
            .bind(&e.organization_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn delete_endpoint(&self, organization_id: &str, id: &str, at: &str) -> Result<bool> {
        let r = sqlx::query("UPDATE webhook_endpoints SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND organization_id = $3 AND deleted_at IS NULL")
            .bind(at)
            .bind(id)
            .bind(organization_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn get_event(&self, organization_id: &str, id: &str) -> Result<Option<EventRow>> {
        let row = sqlx::query("SELECT id, organization_id, connection_id, event_type, payload, created_at FROM events WHERE id = $1 AND organization_id = $2")
            .bind(id)
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(event).transpose()
    }

    async fn list_messages(
        &self,
        endpoint_id: &str,
        before_seq: i64,
        limit: i64,
    ) -> Result<Vec<MessageRow>> {
        super::log::list_messages(self, endpoint_id, before_seq, limit).await
    }

    async fn requeue_message(
        &self,
        event_id: &str,
        endpoint_ids: &[String],
        now_ms: i64,
        now: &str,
    ) -> Result<()> {
        if endpoint_ids.is_empty() {
            return Ok(());
        }
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        for ep in endpoint_ids {
            // A resend starts the schedule over; clearing the lease token makes an attempt
            // still in flight record its outcome without overwriting the new state.
            sqlx::query("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_ms, created_at, updated_at) VALUES ($1, $2, 'pending', $3, $4, $4) ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', step = 0, next_attempt_ms = $3, locked_until_ms = 0, lock_token = NULL, updated_at = $4")
                .bind(event_id)
                .bind(ep)
                .bind(now_ms)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn append_event_for(&self, e: &NewEvent, endpoint_id: &str, now_ms: i64) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO events (id, organization_id, connection_id, event_type, payload, created_at, fanned_out) VALUES ($1, $2, $3, $4, $5, $6, 1)")
            .bind(&e.id)
            .bind(&e.organization_id)
            .bind(&e.connection_id)
            .bind(&e.event_type)
            .bind(&e.payload)
            .bind(&e.created_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_ms, created_at, updated_at) VALUES ($1, $2, 'pending', $3, $4, $4)")
            .bind(&e.id)
            .bind(endpoint_id)
            .bind(now_ms)
            .bind(&e.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Live, enabled endpoints of these organizations (fan-out reads them inside its transaction).
pub(super) async fn enabled_endpoints_of(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    store: &SqlStore,
    orgs: &[String],
) -> Result<Vec<EndpointRow>> {
    let mut out = Vec::new();
    for chunk in orgs.chunks(500) {
        let sql = format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE disabled = 0 AND deleted_at IS NULL AND organization_id IN ({}) ORDER BY seq",
            placeholders(1, chunk.len())
        );
        let sql = store.sql(&sql);
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q.bind(o);
        }
        for r in q.fetch_all(&mut **tx).await? {
            out.push(endpoint(&r)?);
        }
    }
    Ok(out)
}
