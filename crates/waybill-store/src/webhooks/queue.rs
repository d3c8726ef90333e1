//! The delivery queue: fan-out of the outbox, leased claims, and attempt outcomes.

use super::endpoints::enabled_endpoints_of;
use super::{placeholders, AttemptOutcome, ClaimRequest, ClaimedDelivery, DeliveryQueue, FanOut};
use crate::db::{int_col, opt_str, str_col, Backend};
use crate::{Result, SqlStore};
use async_trait::async_trait;
use std::collections::HashMap;

/// Row locks PostgreSQL takes so concurrent workers skip each other's rows; SQLite's write
/// transaction already excludes other writers.
fn skip_locked(store: &SqlStore, of: &str) -> String {
    match store.backend {
        Backend::Postgres if of.is_empty() => " FOR UPDATE SKIP LOCKED".into(),
        Backend::Postgres => format!(" FOR UPDATE OF {of} SKIP LOCKED"),
        Backend::Sqlite => String::new(),
    }
}

#[async_trait]
impl DeliveryQueue for SqlStore {
    async fn fan_out_events(&self, limit: i64, now_ms: i64, now: &str) -> Result<FanOut> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE events SET fanned_out = 1 WHERE seq IN (SELECT seq FROM events WHERE fanned_out = 0 ORDER BY seq LIMIT $1{}) RETURNING seq, id, organization_id, connection_id, event_type",
            skip_locked(self, "")
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(FanOut::default());
        }
        struct Ev {
            seq: i64,
            id: String,
            org: String,
            conn: Option<String>,
            ty: String,
        }
        let mut events = Vec::with_capacity(rows.len());
        for r in &rows {
            events.push(Ev {
                seq: int_col(r, "seq")?,
                id: str_col(r, "id")?,
                org: str_col(r, "organization_id")?,
                conn: opt_str(r, "connection_id")?,
                ty: str_col(r, "event_type")?,
            });
        }
        // RETURNING gives no order guarantee; deliveries are created in event order.
        events.sort_by_key(|e| e.seq);
        let mut orgs: Vec<String> = events.iter().map(|e| e.org.clone()).collect();
        orgs.sort();
        orgs.dedup();
        let endpoints = enabled_endpoints_of(&mut tx, self, &orgs).await?;
        let mut by_org: HashMap<&str, Vec<&super::EndpointRow>> = HashMap::new();
        for ep in &endpoints {
            by_org
                .entry(ep.organization_id.as_str())
                .or_default()
                .push(ep);
        }
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for e in &events {
            for ep in by_org
                .get(e.org.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if ep.matches(&e.ty, e.conn.as_deref()) {
                    pairs.push((&e.id, &ep.id));
                }
            }
        }
        for chunk in pairs.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, 'pending', ${}, ${}, ${})",
                        i * 5 + 1,
                        i * 5 + 2,
                        i * 5 + 3,
                        i * 5 + 4,
                        i * 5 + 5
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, next_attempt_ms, created_at, updated_at) VALUES {values} ON CONFLICT (event_id, endpoint_id) DO NOTHING");
            let sql = self.sql(&sql);
            let mut q = sqlx::query(&sql);
            for (ev, ep) in chunk {
                q = q.bind(*ev).bind(*ep).bind(now_ms).bind(now).bind(now);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(FanOut {
            events: events.len(),
            deliveries: pairs.len(),
        })
    }

    async fn claim_deliveries(&self, req: &ClaimRequest<'_>) -> Result<Vec<ClaimedDelivery>> {
        if req.limit == 0 {
            return Ok(Vec::new());
        }
        let saturated: Vec<&String> = req
            .in_flight
            .iter()
            .filter(|(_, n)| **n >= req.per_endpoint)
            .map(|(k, _)| k)
            .collect();
        let exclude = if saturated.is_empty() {
            String::new()
        } else {
            format!(
                " AND d.endpoint_id NOT IN ({})",
                placeholders(3, saturated.len())
            )
        };
        // Look past the first rows so one busy endpoint cannot hide the others.
        let candidates = (req.limit * 4).max(64) as i64;
        let sql = format!(
            "SELECT d.seq, d.endpoint_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.status = 'pending' AND d.next_attempt_ms <= $1 AND d.locked_until_ms <= $1 AND e.disabled = 0 AND e.deleted_at IS NULL{exclude} ORDER BY d.next_attempt_ms, d.seq LIMIT $2{}",
            skip_locked(self, "d")
        );
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::query(&sql).bind(req.now_ms).bind(candidates);
        for s in &saturated {
            q = q.bind(s.as_str());
        }
        let rows = q.fetch_all(&mut *tx).await?;
        let mut taken: HashMap<String, usize> = HashMap::new();
        let mut chosen: Vec<i64> = Vec::new();
        for r in &rows {
            if chosen.len() >= req.limit {
                break;
            }
            let ep = str_col(r, "endpoint_id")?;
            let busy = req.in_flight.get(&ep).copied().unwrap_or(0);
            let n = taken.entry(ep).or_insert(0);
            if busy + *n < req.per_endpoint {
                *n += 1;
                chosen.push(int_col(r, "seq")?);
            }
        }
        if chosen.is_empty() {
            tx.rollback().await?;
            return Ok(Vec::new());
        }
        let token = hex::encode(rand::random::<[u8; 12]>());
        let lease_end = req.now_ms + req.lease_ms;
        let mut out = Vec::with_capacity(chosen.len());
        for chunk in chosen.chunks(500) {
            let list = placeholders(3, chunk.len());
            let update = format!("UPDATE webhook_deliveries SET locked_until_ms = $1, lock_token = $2 WHERE seq IN ({list})");
            let mut q = sqlx::query(&update).bind(lease_end).bind(&token);
            for s in chunk {
                q = q.bind(*s);
            }
            q.execute(&mut *tx).await?;
            let list = placeholders(1, chunk.len());
            let sql = format!("SELECT d.seq, d.attempts, d.step, d.event_id, d.endpoint_id, ev.event_type, ev.payload, e.url, e.secret, e.previous_secret, e.previous_secret_expires_at FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.seq IN ({list})");
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q.bind(*s);
            }
            for r in q.fetch_all(&mut *tx).await? {
                out.push(ClaimedDelivery {
                    seq: int_col(&r, "seq")?,
                    lock_token: token.clone(),
                    attempt: int_col(&r, "attempts")? + 1,
                    step: int_col(&r, "step")?,
                    event_id: str_col(&r, "event_id")?,
                    event_type: str_col(&r, "event_type")?,
                    payload: str_col(&r, "payload")?,
                    endpoint_id: str_col(&r, "endpoint_id")?,
                    url: str_col(&r, "url")?,
                    secret: str_col(&r, "secret")?,
                    previous_secret: opt_str(&r, "previous_secret")?,
                    previous_secret_expires_at: opt_str(&r, "previous_secret_expires_at")?,
                });
            }
        }
        // A delivery whose event is no longer stored can never be sent.
        if out.len() < chosen.len() {
            let found: std::collections::HashSet<i64> = out.iter().map(|d| d.seq).collect();
            for seq in chosen.iter().filter(|s| !found.contains(s)) {
                sqlx::query("UPDATE webhook_deliveries SET status = 'failed', lock_token = NULL WHERE seq = $1")
                    .bind(*seq)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn complete_deliveries(&self, outcomes: &[AttemptOutcome]) -> Result<()> {
        super::complete::complete(self, outcomes).await
    }
}
