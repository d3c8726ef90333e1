//! Sync schedules: one row per (connection, function).

use crate::db::{bool_col, int_col, opt_str, str_col};
use crate::{Result, ScheduleRow, SqlStore};

pub(crate) async fn load(store: &SqlStore, connection_id: &str) -> Result<Vec<ScheduleRow>> {
    let rows =
        sqlx::query("SELECT * FROM sync_schedules WHERE connection_id = $1 ORDER BY function_name")
            .bind(connection_id)
            .fetch_all(&store.pool)
            .await?;
    rows.iter().map(row).collect()
}

/// Reads a schedule row.
pub(crate) fn row(r: &sqlx::any::AnyRow) -> Result<ScheduleRow> {
    Ok(ScheduleRow {
        connection_id: str_col(r, "connection_id")?,
        function_name: str_col(r, "function_name")?,
        sync_frequency: int_col(r, "sync_frequency")?,
        sync_status: str_col(r, "sync_status")?,
        paused: bool_col(r, "paused")?,
        last_crawl_start: opt_str(r, "last_crawl_start")?,
        last_crawl_end: opt_str(r, "last_crawl_end")?,
        latest_data: opt_str(r, "latest_data")?,
        historical_completed: bool_col(r, "historical_completed")?,
        next_run_at: opt_str(r, "next_run_at")?,
        failures: int_col(r, "failures")?,
    })
}

pub(crate) async fn save(store: &SqlStore, s: &ScheduleRow) -> Result<()> {
    sqlx::query("UPDATE sync_schedules SET sync_frequency = $1, sync_status = $2, paused = $3, last_crawl_start = $4, last_crawl_end = $5, latest_data = $6, historical_completed = $7, next_run_at = $8, failures = $9 WHERE connection_id = $10 AND function_name = $11")
        .bind(s.sync_frequency)
        .bind(&s.sync_status)
        .bind(s.paused as i64)
        .bind(&s.last_crawl_start)
        .bind(&s.last_crawl_end)
        .bind(&s.latest_data)
        .bind(s.historical_completed as i64)
        .bind(&s.next_run_at)
        .bind(s.failures)
        .bind(&s.connection_id)
        .bind(&s.function_name)
        .execute(&store.pool)
        .await?;
    Ok(())
}
