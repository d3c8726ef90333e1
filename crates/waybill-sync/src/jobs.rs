//! On-demand sync jobs (SPEC §10.4): a custom-window backfill of one function. While a job
//! is open its connection's scheduled syncs pause; records it fetches fire the normal
//! created/updated webhooks. A job that makes no progress for too long becomes `stuck`.

use crate::engine::{SyncEngine, SyncError};
use crate::events::EventContext;
use chrono::Duration;
use serde_json::json;
use waybill_model::time;
use waybill_store::{ConnectionStore, SyncJobRow, SyncStateStore};

/// How long a claimed job may run before another worker may take it over.
pub const JOB_LEASE_SECS: i64 = 300;

/// The webhook `data` of a job event.
pub fn job_data(j: &SyncJobRow) -> serde_json::Value {
    serde_json::to_value(j).unwrap_or(json!({}))
}

/// Claims and runs one open job, if any; returns whether one ran.
pub async fn run_one(engine: &SyncEngine) -> Result<bool, SyncError> {
    let now = time::now();
    let Some(job) = engine
        .store
        .claim_job(
            &time::fmt(now),
            &time::fmt(now + Duration::seconds(JOB_LEASE_SECS)),
        )
        .await?
    else {
        return Ok(false);
    };
    let Some(conn) = engine.store.get_connection(&job.connection_id).await? else {
        engine
            .store
            .finish_job(&job.id, "cancelled", &time::now_str())
            .await?;
        return Ok(true);
    };
    let (Some(since), Some(until)) = (
        time::parse_lenient(&job.requested_start_time),
        time::parse_lenient(&job.requested_end_time),
    ) else {
        engine
            .store
            .finish_job(&job.id, "cancelled", &time::now_str())
            .await?;
        return Ok(true);
    };
    let ctx = EventContext::from(&conn);
    match engine
        .pull_window(
            &conn,
            &job.function_name,
            since,
            until,
            true,
            &|_, _| {},
            Some(&job.id),
        )
        .await
    {
        Ok(_) => {
            finish(
                engine,
                &ctx,
                &job,
                "completed",
                "connection.sync-job-completed",
            )
            .await?
        }
        Err(SyncError::Cancelled) => {}
        Err(e) => {
            tracing::warn!(job = %job.id, error = %e, "on-demand sync job failed");
            finish(engine, &ctx, &job, "stuck", "connection.sync-job-stuck").await?;
        }
    }
    Ok(true)
}

/// Moves an open job to `status` and announces it; a job another worker or a cancel already
/// finished is left alone.
async fn finish(
    engine: &SyncEngine,
    ctx: &EventContext,
    job: &SyncJobRow,
    status: &str,
    event: &str,
) -> Result<(), SyncError> {
    if engine
        .store
        .finish_job(&job.id, status, &time::now_str())
        .await?
    {
        let mut j = job.clone();
        j.status = status.into();
        engine
            .announce(&[ctx.event(event, job_data(&j), None)])
            .await?;
    }
    Ok(())
}
