//! Writing attempt outcomes back, many per transaction: the attempt log rows, each
//! delivery's next state (only while its lease is still the one that made the attempt), and
//! each endpoint's failure streak (cleared by a success; a streak longer than the limit
//! disables the endpoint).

use super::{placeholders, status, AttemptOutcome};
use crate::{Result, SqlStore};
use std::collections::HashMap;

fn new_status(o: &AttemptOutcome) -> &'static str {
    if o.succeeded {
        status::SUCCEEDED
    } else if o.next_attempt_ms.is_some() {
        status::PENDING
    } else {
        status::FAILED
    }
}

pub(super) async fn complete(store: &SqlStore, outcomes: &[AttemptOutcome]) -> Result<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let _w = store.write_guard().await;
    let mut tx = store.begin_write().await?;
    for chunk in outcomes.chunks(100) {
        let values = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 8 + 1, 8)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO webhook_attempts (delivery_seq, attempt, started_at, status_code, latency_ms, response, error, succeeded) VALUES {values}");
        let sql = store.sql(&sql);
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q
                .bind(o.seq)
                .bind(o.attempt)
                .bind(&o.started_at)
                .bind(o.status_code)
                .bind(o.latency_ms)
                .bind(&o.response)
                .bind(&o.error)
                .bind(o.succeeded as i64);
        }
        q.execute(&mut *tx).await?;
    }
    // Successes, the common case, in one statement per claim (lease token).
    let mut succeeded: HashMap<&str, Vec<i64>> = HashMap::new();
    for o in outcomes.iter().filter(|o| o.succeeded) {
        succeeded
            .entry(o.lock_token.as_str())
            .or_default()
            .push(o.seq);
    }
    let now = &outcomes[outcomes.len() - 1].now;
    for (token, seqs) in &succeeded {
        for chunk in seqs.chunks(500) {
            let sql = format!(
                "UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, step = step + 1, next_attempt_ms = 0, locked_until_ms = 0, lock_token = NULL, updated_at = $1 WHERE lock_token = $2 AND seq IN ({})",
                placeholders(3, chunk.len())
            );
            let sql = store.sql(&sql);
            let mut q = sqlx::query(&sql).bind(now).bind(*token);
            for s in chunk {
                q = q.bind(*s);
            }
            q.execute(&mut *tx).await?;
        }
    }
    for o in outcomes.iter().filter(|o| !o.succeeded) {
        sqlx::query("UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, step = step + 1, next_attempt_ms = $2, locked_until_ms = 0, lock_token = NULL, updated_at = $3 WHERE seq = $4 AND lock_token = $5")
            .bind(new_status(o))
            .bind(o.next_attempt_ms.unwrap_or(0))
            .bind(&o.now)
            .bind(o.seq)
            .bind(&o.lock_token)
            .execute(&mut *tx)
            .await?;
    }
    // Each endpoint's streak follows its latest outcome in the batch.
    let mut last: HashMap<&str, &AttemptOutcome> = HashMap::new();
    for o in outcomes {
        last.insert(o.endpoint_id.as_str(), o);
    }
    let healthy: Vec<&str> = last
        .values()
        .filter(|o| o.succeeded)
        .map(|o| o.endpoint_id.as_str())
        .collect();
    for chunk in healthy.chunks(500) {
        let sql = format!(
            "UPDATE webhook_endpoints SET failing_since = NULL WHERE failing_since IS NOT NULL AND id IN ({})",
            placeholders(1, chunk.len())
        );
        let sql = store.sql(&sql);
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *tx).await?;
    }
    for o in last.values().filter(|o| !o.succeeded) {
        sqlx::query("UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL")
            .bind(&o.now)
            .bind(&o.endpoint_id)
            .execute(&mut *tx)
            .await?;
        let r = sqlx::query("UPDATE webhook_endpoints SET disabled = 1, disabled_reason = $1, updated_at = $2 WHERE id = $3 AND disabled = 0 AND deleted_at IS NULL AND failing_since <= $4")
            .bind(&o.disabled_reason)
            .bind(&o.now)
            .bind(&o.endpoint_id)
            .bind(&o.disable_if_failing_since)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 1 {
            tracing::warn!(endpoint_id = %o.endpoint_id, "webhook endpoint disabled after continuous failures");
        }
    }
    tx.commit().await?;
    Ok(())
}
