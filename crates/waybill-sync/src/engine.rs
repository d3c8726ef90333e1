//! Pull, upsert, bookkeeping.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;
use waybill_connect::{ConnectorError, PullRequest, Registry, Secrets};
use waybill_model::{time, IntegrationType, Resource};
use waybill_store::{ConnectionRow, ConnectionStore, RecordStore, ScheduleRow, SqlStore, StoreError};

use crate::schedule;

/// Records requested per connector page.
pub const PAGE_SIZE: usize = 1000;

/// Why a sync run failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The connector failed.
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    /// The connection is misconfigured (unknown integration, unreadable credentials).
    #[error("{0}")]
    Config(String),
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncStats {
    /// Records the connector returned.
    pub pulled: u64,
    /// Records stored for the first time.
    pub created: u64,
    /// Records whose document changed.
    pub updated: u64,
}

/// The sync engine. Cheap to clone.
#[derive(Clone)]
pub struct SyncEngine {
    store: Arc<SqlStore>,
    registry: Registry,
    secrets: Secrets,
}

impl SyncEngine {
    /// Builds an engine over a store and a connector registry.
    pub fn new(store: Arc<SqlStore>, registry: Registry, secrets: Secrets) -> Self {
        Self { store, registry, secrets }
    }

    /// The historical sync of every scheduled function of a connection: each pulls
    /// `lookback_days` of history, then is marked complete. `progress` is told how many
    /// records each page stored, for CLI progress bars.
    pub async fn historical(
        &self,
        conn: &ConnectionRow,
        lookback_days: i64,
        progress: &(dyn Fn(&str, u64) + Send + Sync),
    ) -> Result<SyncStats, SyncError> {
        let mut total = SyncStats::default();
        for mut s in self.store.schedules(&conn.id).await? {
            if s.paused {
                continue;
            }
            let started = time::now();
            s.sync_status = schedule::FIRST_SYNC.into();
            s.last_crawl_start = Some(time::fmt(started));
            self.store.save_schedule(&s).await?;
            let since = started - Duration::days(lookback_days);
            match self.pull_window(conn, &s.function_name, since, started + Duration::seconds(1), progress).await {
                Ok((stats, newest)) => {
                    total.pulled += stats.pulled;
                    total.created += stats.created;
                    total.updated += stats.updated;
                    self.finish(&mut s, started, newest, true).await?;
                }
                Err(e) => {
                    s.sync_status = schedule::ERROR.into();
                    self.store.save_schedule(&s).await?;
                    return Err(e);
                }
            }
        }
        Ok(total)
    }

    async fn finish(&self, s: &mut ScheduleRow, started: DateTime<Utc>, newest: Option<String>, historical: bool) -> Result<(), SyncError> {
        s.sync_status = schedule::ENABLED.into();
        s.last_crawl_end = Some(time::now_str());
        if newest.is_some() {
            s.latest_data = newest.max(s.latest_data.take());
        }
        if historical {
            s.historical_completed = true;
        }
        s.next_run_at = Some(time::fmt(started + Duration::seconds(s.sync_frequency)));
        self.store.save_schedule(s).await?;
        Ok(())
    }

    /// Pulls one function over `[since, until)` and upserts every page; returns the stats
    /// and the newest source `updated_date` seen.
    pub async fn pull_window(
        &self,
        conn: &ConnectionRow,
        function: &str,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        progress: &(dyn Fn(&str, u64) + Send + Sync),
    ) -> Result<(SyncStats, Option<String>), SyncError> {
        let vertical: IntegrationType = conn.integration_type.parse().map_err(SyncError::Config)?;
        let resource = Resource::by_function(vertical, function)
            .ok_or_else(|| SyncError::Config(format!("unknown function {function}")))?;
        let connector = self
            .registry
            .get(vertical, &conn.integration_name)
            .ok_or_else(|| SyncError::Config(format!("unknown integration {}", conn.integration_name)))?;
        let creds = self
            .secrets
            .decrypt(&conn.credentials)
            .map_err(|e| SyncError::Config(e.to_string()))?;
        // Snapshot functions (inventory) have no updated-since filter: take everything.
        let since = if resource.snapshot { Utc.timestamp_opt(0, 0).unwrap() } else { since };
        let mut req = PullRequest { function: function.to_string(), since, until, cursor: None, page_size: PAGE_SIZE };
        let mut stats = SyncStats::default();
        let mut newest: Option<String> = None;
        loop {
            let page = connector.pull(&creds, &req).await?;
            stats.pulled += page.records.len() as u64;
            for r in &page.records {
                if let Some(u) = r.get("updated_date").and_then(|v| v.as_str()) {
                    if newest.as_deref().is_none_or(|n| u > n) {
                        newest = Some(u.to_string());
                    }
                }
            }
            let n = page.records.len() as u64;
            let changes = self.store.upsert_records(&conn.id, resource, page.records, &time::now_str()).await?;
            for c in &changes {
                match c.kind {
                    waybill_store::ChangeKind::Created => stats.created += 1,
                    waybill_store::ChangeKind::Updated => stats.updated += 1,
                }
            }
            progress(function, n);
            match page.next_cursor {
                Some(c) => req.cursor = Some(c),
                None => break,
            }
        }
        Ok((stats, newest))
    }
}
