//! The outcome writer: attempts hand their results to one task that records them in batches,
//! so that a single commit covers every delivery that finished meanwhile. Per-delivery
//! commits would cap a single endpoint at its concurrency divided by the commit latency.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinHandle;
use waybill_store::webhooks::AttemptOutcome;
use waybill_store::{DeliveryQueue, SqlStore};

/// Most outcomes written in one transaction.
const BATCH: usize = 500;
/// Outcomes waiting to be written before attempts wait for the writer.
pub(crate) const QUEUE: usize = 4096;

/// Starts the writer. It ends when every sender is dropped and the queue is drained. After
/// each batch it lowers `next_retry_ms` to the earliest retry it scheduled and pokes `done`,
/// because the rows it wrote have left their lease and may be claimable at once.
pub(crate) fn spawn_writer(
    store: Arc<SqlStore>,
    mut rx: mpsc::Receiver<AttemptOutcome>,
    next_retry_ms: Arc<AtomicI64>,
    done: Arc<Notify>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
            // An attempt happened either way; losing its record only means the delivery is
            // retried once its lease expires.
            for wait in [0u64, 200, 1000, 3000] {
                tokio::time::sleep(Duration::from_millis(wait)).await;
                match store.complete_deliveries(&batch).await {
                    Ok(()) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, outcomes = batch.len(), "recording webhook attempts failed")
                    }
                }
            }
            if let Some(t) = batch.iter().filter_map(|o| o.next_attempt_ms).min() {
                next_retry_ms.fetch_min(t, Ordering::AcqRel);
            }
            batch.clear();
            done.notify_one();
        }
    })
}
