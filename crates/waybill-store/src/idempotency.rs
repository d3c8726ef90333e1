//! Idempotency keys of writes (SPEC §12.6). A key is claimed with an insert that only one
//! request can win, so concurrent requests with the same key — in one process or across
//! several API processes on PostgreSQL — execute the write once.

use crate::db::{opt_str, str_col, SqlStore};
use crate::{IdempotencyStore, Result};
use async_trait::async_trait;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free: this request executes and must then complete or release it.
    New,
    /// The key finished with this status and body: answer with them.
    Replay {
        /// The stored status code.
        status: u16,
        /// The stored body, byte for byte.
        body: String,
    },
    /// Another request with the key is still executing.
    InFlight,
    /// The key was used for another route or body.
    Mismatch,
}

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn claim_key(
        &self,
        connection_id: &str,
        key: &str,
        fingerprint: &str,
        now: &str,
        expired_before: &str,
        stale_before: &str,
    ) -> Result<Claim> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        // Keys older than their lifetime are gone for everyone; a lock older than the stale
        // limit belongs to a request that died, so its key is free again.
        sqlx::query(&self.sql("DELETE FROM idempotency_keys WHERE created_at < $1"))
            .bind(expired_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&self.sql("DELETE FROM idempotency_keys WHERE connection_id = $1 AND key = $2 AND state = 'in_progress' AND locked_at < $3"))
            .bind(connection_id)
            .bind(key)
            .bind(stale_before)
            .execute(&mut *tx)
            .await?;
        let won = sqlx::query(&self.sql("INSERT INTO idempotency_keys (connection_id, key, fingerprint, state, created_at, locked_at) VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT (connection_id, key) DO NOTHING"))
            .bind(connection_id)
            .bind(key)
            .bind(fingerprint)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        let claim = if won {
            Claim::New
        } else {
            let row = sqlx::query(&self.sql("SELECT fingerprint, state, CAST(status AS TEXT) AS status, body FROM idempotency_keys WHERE connection_id = $1 AND key = $2"))
                .bind(connection_id)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                // Released between our insert and our read: treat as in flight, the client
                // retries.
                None => Claim::InFlight,
                Some(r) if str_col(&r, "fingerprint")? != fingerprint => Claim::Mismatch,
                Some(r) if str_col(&r, "state")? != "done" => Claim::InFlight,
                Some(r) => Claim::Replay {
                    status: opt_str(&r, "status")?
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(200),
                    body: opt_str(&r, "body")?.unwrap_or_default(),
                },
            }
        };
        tx.commit().await?;
        Ok(claim)
    }

    async fn complete_key(
        &self,
        connection_id: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        let _w = self.write_guard().await;
        sqlx::query(&self.sql("UPDATE idempotency_keys SET state = 'done', status = $1, body = $2 WHERE connection_id = $3 AND key = $4"))
            .bind(status as i32)
            .bind(body)
            .bind(connection_id)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn release_key(&self, connection_id: &str, key: &str) -> Result<()> {
        let _w = self.write_guard().await;
        sqlx::query(&self.sql("DELETE FROM idempotency_keys WHERE connection_id = $1 AND key = $2 AND state = 'in_progress'"))
            .bind(connection_id)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
