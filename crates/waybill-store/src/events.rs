//! The outbox. Events are appended in the same transaction as the change that caused them;
//! the webhook dispatcher fans them out to deliveries later, so an accepted change is never
//! announced without being stored, nor stored without being announced.

use crate::db::{Backend, SqlStore};
use crate::Result;

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Stable message id (`msg_…`), sent as `svix-id` on every attempt.
    pub id: String,
    /// Owning organization.
    pub organization_id: String,
    /// The connection it concerns, when any.
    pub connection_id: Option<String>,
    /// e.g. `order.updated`.
    pub event_type: String,
    /// The complete JSON envelope to deliver.
    pub payload: String,
    /// When it happened.
    pub created_at: String,
}

impl NewEvent {
    /// A fresh message id.
    pub fn new_id() -> String {
        format!("msg_{}", hex::encode(rand::random::<[u8; 16]>()))
    }
}

/// Appends events inside an open transaction.
pub(crate) async fn insert_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    store: &SqlStore,
    events: &[NewEvent],
) -> Result<()> {
    for chunk in events.chunks(200) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO events (id, organization_id, connection_id, event_type, payload, created_at) VALUES {values}");
        let sql = store.sql(&sql);
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(&e.id)
                .bind(&e.organization_id)
                .bind(&e.connection_id)
                .bind(&e.event_type)
                .bind(&e.payload)
                .bind(&e.created_at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl SqlStore {
    /// Appends events in their own transaction (admin events such as `connection.created`).
    pub async fn append_events(&self, events: &[NewEvent]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        insert_in(&mut tx, self, events).await?;
        tx.commit().await?;
        self.notify_events().await;
        Ok(())
    }

    /// Wakes dispatchers in other processes (PostgreSQL `NOTIFY`); in-process dispatchers
    /// are woken by the caller.
    pub async fn notify_events(&self) {
        if self.backend == Backend::Postgres {
            if let Err(e) = sqlx::query("SELECT pg_notify('waybill_events', '')")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "could not notify dispatchers");
            }
        }
    }
}
