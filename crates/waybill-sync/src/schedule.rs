//! Schedules of a new connection, one per read function it will sync.

use waybill_model::{time, IntegrationType, Resource};
use waybill_store::ScheduleRow;

/// Sync status while the historical sync of a function runs.
pub const FIRST_SYNC: &str = "first_sync_in_progress";
/// Sync status of a scheduled function between runs.
pub const ENABLED: &str = "enabled";
/// Sync status of a running incremental sync.
pub const IN_PROGRESS: &str = "sync_in_progress";
/// Sync status of a paused function.
pub const DISABLED: &str = "disabled";
/// Sync status after a failed run.
pub const ERROR: &str = "error";

/// The initial schedules of a connection for `functions` (its available read functions).
pub fn initial(
    connection_id: &str,
    vertical: IntegrationType,
    functions: &[String],
) -> Vec<ScheduleRow> {
    Resource::of(vertical)
        .filter(|r| functions.iter().any(|f| f == r.function))
        .map(|r| ScheduleRow {
            connection_id: connection_id.to_string(),
            function_name: r.function.to_string(),
            sync_frequency: r.frequency as i64,
            sync_status: FIRST_SYNC.to_string(),
            paused: false,
            last_crawl_start: None,
            last_crawl_end: None,
            latest_data: None,
            historical_completed: false,
            next_run_at: Some(time::now_str()),
            failures: 0,
        })
        .collect()
}
