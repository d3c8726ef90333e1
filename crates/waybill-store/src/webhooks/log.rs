//! The delivery log of an endpoint: its messages, newest first, each with its attempts.

use super::{placeholders, status, AttemptRow, MessageRow};
use crate::db::{bool_col, int_col, opt_str, str_col};
use crate::{Result, SqlStore};
use sqlx::Row;
use std::collections::HashMap;

pub(super) async fn list_messages(
    store: &SqlStore,
    endpoint_id: &str,
    before_seq: i64,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let before = if before_seq > 0 { before_seq } else { i64::MAX };
    let rows = sqlx::query("SELECT d.seq, d.event_id, d.status, d.attempts, d.next_attempt_ms, ev.event_type, ev.created_at FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id WHERE d.endpoint_id = $1 AND d.seq < $2 ORDER BY d.seq DESC LIMIT $3")
        .bind(endpoint_id)
        .bind(before)
        .bind(limit)
        .fetch_all(&store.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let status = str_col(r, "status")?;
        let next = int_col(r, "next_attempt_ms")?;
        out.push(MessageRow {
            seq: int_col(r, "seq")?,
            event_id: str_col(r, "event_id")?,
            event_type: str_col(r, "event_type")?,
            created_at: str_col(r, "created_at")?,
            next_attempt_ms: (status == status::PENDING).then_some(next),
            status,
            attempts_count: int_col(r, "attempts")?,
            attempts: Vec::new(),
        });
    }
    if out.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT delivery_seq, attempt, started_at, status_code, latency_ms, response, error, succeeded FROM webhook_attempts WHERE delivery_seq IN ({}) ORDER BY seq",
        placeholders(1, out.len())
    );
    let sql = store.sql(&sql);
    let mut q = sqlx::query(&sql);
    for m in &out {
        q = q.bind(m.seq);
    }
    let mut by_delivery: HashMap<i64, Vec<AttemptRow>> = HashMap::new();
    for r in q.fetch_all(&store.pool).await? {
        by_delivery
            .entry(int_col(&r, "delivery_seq")?)
            .or_default()
            .push(AttemptRow {
                attempt: int_col(&r, "attempt")?,
                started_at: str_col(&r, "started_at")?,
                status_code: r.try_get::<Option<i64>, _>("status_code")?,
                latency_ms: int_col(&r, "latency_ms")?,
                response: str_col(&r, "response")?,
                error: opt_str(&r, "error")?,
                succeeded: bool_col(&r, "succeeded")?,
            });
    }
    for m in &mut out {
        m.attempts = by_delivery.remove(&m.seq).unwrap_or_default();
    }
    Ok(out)
}
