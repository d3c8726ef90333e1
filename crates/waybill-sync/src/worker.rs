//! The background worker: claims due schedules and open jobs and runs them, a few at a time.
//! Several worker processes may share one PostgreSQL database: every claim is a lease.

use crate::engine::SyncEngine;
use crate::jobs;
use chrono::Duration;
use std::sync::Arc;
use tokio::sync::{watch, Notify, Semaphore};
use waybill_model::time;
use waybill_store::SyncStateStore;

/// How long a claimed schedule may run before another worker may take it over.
pub const SCHEDULE_LEASE_SECS: i64 = 600;
/// Functions synced at once per process.
const CONCURRENCY: usize = 4;

/// Runs until `shutdown` turns true. `wake` makes it look for work at once (new
/// connections, force syncs); otherwise it polls every second.
pub async fn run(engine: SyncEngine, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    // How long a crashed worker's claims block others; short in tests.
    let lease = std::env::var("WAYBILL_SYNC_LEASE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SCHEDULE_LEASE_SECS);
    loop {
        if *shutdown.borrow() {
            break;
        }
        let free = slots.available_permits();
        if free > 0 {
            let now = time::now();
            match engine
                .store
                .claim_due_schedules(
                    &time::fmt(now),
                    &time::fmt(now + Duration::seconds(lease)),
                    free as i64,
                )
                .await
            {
                Ok(due) => {
                    for s in due {
                        let Ok(permit) = slots.clone().acquire_owned().await else {
                            break;
                        };
                        let engine = engine.clone();
                        tokio::spawn(async move {
                            let f = s.function_name.clone();
                            let c = s.connection_id.clone();
                            let run = engine.run_schedule(s);
                            if let Err(e) = with_lease(&engine, &c, &f, lease, run).await {
                                tracing::warn!(connection_id = %c, function = %f, error = %e, "sync run failed");
                            }
                            drop(permit);
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not claim schedules"),
            }
        }
        if slots.available_permits() > 0 {
            if let Ok(permit) = slots.clone().try_acquire_owned() {
                let engine = engine.clone();
                let wake = wake.clone();
                tokio::spawn(async move {
                    match jobs::run_one(&engine).await {
                        Ok(true) => wake.notify_one(),
                        Ok(false) => {}
                        Err(e) => tracing::warn!(error = %e, "on-demand job failed"),
                    }
                    drop(permit);
                });
            }
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            _ = shutdown.changed() => {}
        }
    }
    // Let running syncs finish their current page and release their leases.
    let _ = slots.acquire_many(CONCURRENCY as u32).await;
}

/// Drives a schedule's run while renewing its lease every third of the lease, so a run that
/// outlasts the lease (a long historical sync) is not claimed and started a second time
/// beside itself. A worker that dies stops renewing, and its claim expires as before.
async fn with_lease<F: std::future::Future>(
    engine: &SyncEngine,
    connection_id: &str,
    function: &str,
    lease: i64,
    run: F,
) -> F::Output {
    tokio::pin!(run);
    let every = std::time::Duration::from_millis((lease.max(1) as u64) * 1000 / 3);
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            out = &mut run => return out,
            _ = beat.tick() => {
                let until = time::fmt(time::now() + Duration::seconds(lease));
                if let Err(e) = engine.store.renew_schedule_lease(connection_id, function, &until).await {
                    tracing::warn!(connection_id, function, error = %e, "could not renew a sync lease");
                }
            }
        }
    }
}
