//! Pull, upsert, bookkeeping: the historical, incremental and windowed syncs of one function
//! of one connection, with retries that honour the vendor's Retry-After.

use crate::events::EventContext;
use crate::health;
use crate::schedule;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use waybill_connect::{ConnectorError, PullRequest, Registry, Secrets};
use waybill_model::{jsontext, time, IntegrationType, Resource};
use waybill_store::{
    ConnectionRow, ConnectionStore, Doc, OrgStore, RecordStore, ScheduleRow, SqlStore, StoreError,
    SyncStateStore,
};

/// Records requested per connector page.
pub const PAGE_SIZE: usize = 1000;
/// How far an incremental sync reaches back before the previous crawl's start, so records
/// the vendor stamped late are not missed.
const OVERLAP_SECS: i64 = 300;
/// Records stored before the first refresh of the planner's statistics during a bulk load;
/// later refreshes come each time the count doubles (see `statistics_due`).
const ANALYZE_FIRST: u64 = 10_000;
/// Attempts of one page before a run gives up.
const PAGE_ATTEMPTS: u32 = 5;
/// Records a bulk load (a sync that fires no events) gathers into one transaction.
const BULK_BATCH: usize = 10_000;
/// Pages being stored at once. While one page is in its write transaction the next is
/// hashed and checked against the stored hashes (SQLite), or written in a second transaction
/// (PostgreSQL), so the database and the CPU-bound work overlap instead of taking turns.
const STORES_IN_FLIGHT: usize = 2;

/// Builds the events of one stored change (shared by the page tasks of one run).
type EventsFn = dyn Fn(&waybill_store::Change) -> Vec<waybill_store::NewEvent> + Send + Sync;
/// One page's upsert, running on its own task: how many records it created and changed.
type StoreTask = tokio::task::JoinHandle<Result<(u64, u64), StoreError>>;

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
    /// The run was cancelled (an on-demand job).
    #[error("cancelled")]
    Cancelled,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct SyncStats {
    /// Records the connector returned.
    pub pulled: u64,
    /// Records stored for the first time.
    pub created: u64,
    /// Records whose document changed.
    pub updated: u64,
    /// Oldest source `updated_date` seen.
    pub oldest: Option<String>,
    /// Newest source `updated_date` seen.
    pub newest: Option<String>,
}

impl SyncStats {
    fn absorb(&mut self, o: SyncStats) {
        self.pulled += o.pulled;
        self.created += o.created;
        self.updated += o.updated;
        if o.oldest.is_some() && (self.oldest.is_none() || o.oldest < self.oldest) {
            self.oldest = o.oldest;
        }
        if o.newest > self.newest {
            self.newest = o.newest;
        }
    }
}

/// Progress callback: (function, records in the page just stored).
pub type Progress<'a> = &'a (dyn Fn(&str, u64) + Send + Sync);

/// The sync engine. Cheap to clone.
#[derive(Clone)]
pub struct SyncEngine {
    pub(crate) store: Arc<SqlStore>,
    registry: Registry,
    secrets: Secrets,
    /// Woken after events are committed, so the webhook dispatcher runs at once.
    pub(crate) on_events: Arc<dyn Fn() + Send + Sync>,
}

impl SyncEngine {
    /// Builds an engine over a store and a connector registry.
    pub fn new(store: Arc<SqlStore>, registry: Registry, secrets: Secrets) -> Self {
        Self {
            store,
            registry,
            secrets,
            on_events: Arc::new(|| {}),
        }
    }

    /// Sets the hook called after events are committed.
    pub fn with_event_hook(mut self, hook: Arc<dyn Fn() + Send + Sync>) -> Self {
        self.on_events = hook;
        self
    }

    /// Appends events and wakes the dispatcher: the one way the engine announces things.
    pub async fn announce(&self, events: &[waybill_store::NewEvent]) -> Result<(), SyncError> {
        self.store.append_events(events).await?;
        (self.on_events)();
        Ok(())
    }

    /// The store.
    pub fn store(&self) -> &Arc<SqlStore> {
        &self.store
    }

    /// The historical sync of every scheduled function of a connection, inline (the sandbox
    /// and the CLI's bulk path use this; new connections go through the scheduler).
    pub async fn historical(
        &self,
        conn: &ConnectionRow,
        lookback_days: i64,
        progress: Progress<'_>,
    ) -> Result<SyncStats, SyncError> {
        let mut total = SyncStats::default();
        for s in self.store.schedules(&conn.id).await? {
            if s.paused {
                continue;
            }
            total.absorb(
                self.historical_function(conn, s, lookback_days, progress)
                    .await?,
            );
        }
        Ok(total)
    }

    async fn historical_function(
        &self,
        conn: &ConnectionRow,
        mut s: ScheduleRow,
        lookback_days: i64,
        progress: Progress<'_>,
    ) -> Result<SyncStats, SyncError> {
        let started = time::now();
        s.sync_status = schedule::FIRST_SYNC.into();
        s.last_crawl_start = Some(time::fmt(started));
        self.store.save_schedule(&s).await?;
        let since = started - Duration::days(lookback_days);
        let stats = self
            .pull_window(
                conn,
                &s.function_name,
                since,
                started + Duration::seconds(1),
                false,
                progress,
                None,
            )
            .await?;
        s.historical_completed = true;
        self.finish(&mut s, started, stats.newest.clone()).await?;
        // A bulk load changes the data's shape; refresh the planner's statistics.
        if stats.created > 10_000 {
            self.store.optimize().await?;
        }
        if let Some(r) = self.resource(conn, &s.function_name) {
            let ev = EventContext::from(conn).event(
                "connection.historical-sync-completed",
                json!({"resource": r.plural, "oldest_data_date": stats.oldest, "newest_data_date": stats.newest}),
                None,
            );
            self.announce(&[ev]).await?;
        }
        Ok(stats)
    }

    fn resource(&self, conn: &ConnectionRow, function: &str) -> Option<&'static Resource> {
        let vertical: IntegrationType = conn.integration_type.parse().ok()?;
        Resource::by_function(vertical, function)
    }

    async fn finish(
        &self,
        s: &mut ScheduleRow,
        started: DateTime<Utc>,
        newest: Option<String>,
    ) -> Result<(), SyncError> {
        s.sync_status = schedule::ENABLED.into();
        s.last_crawl_end = Some(time::now_str());
        s.failures = 0;
        if newest > s.latest_data {
            s.latest_data = newest;
        }
        s.next_run_at = Some(time::fmt(started + Duration::seconds(s.sync_frequency)));
        self.store.save_schedule(s).await?;
        Ok(())
    }

    /// Runs one claimed schedule: its historical sync if that has not finished, otherwise an
    /// incremental sync since the previous crawl. Failures feed connection health and back
    /// off; the lease is released either way.
    pub async fn run_schedule(&self, mut s: ScheduleRow) -> Result<(), SyncError> {
        let Some(conn) = self.store.get_connection(&s.connection_id).await? else {
            return Ok(());
        };
        let result = if !s.historical_completed {
            let org = self.store.get_org(&conn.organization_id).await?;
            let days = conn
                .historical_lookback_days
                .or(org.map(|o| o.historical_lookback_days))
                .unwrap_or(30)
                .clamp(1, 3 * 366);
            self.historical_function(&conn, s.clone(), days, &|_, _| {})
                .await
                .map(|_| ())
        } else {
            let started = time::now();
            let since = s
                .last_crawl_start
                .as_deref()
                .and_then(time::parse_lenient)
                .map(|t| t - Duration::seconds(OVERLAP_SECS))
                .unwrap_or(started - Duration::days(30));
            s.sync_status = schedule::IN_PROGRESS.into();
            self.store.save_schedule(&s).await?;
            match self
                .pull_window(
                    &conn,
                    &s.function_name,
                    since,
                    started + Duration::seconds(1),
                    true,
                    &|_, _| {},
                    None,
                )
                .await
            {
                Ok(stats) => {
                    s.last_crawl_start = Some(time::fmt(started));
                    self.finish(&mut s, started, stats.newest).await
                }
                Err(e) => Err(e),
            }
        };
        match &result {
            Ok(()) => health::function_ok(self, &conn, &s.function_name).await?,
            Err(SyncError::Connector(e)) => {
                health::function_failed(self, &conn, &s.function_name, e).await?;
                let mut s = self
                    .store
                    .schedules(&conn.id)
                    .await?
                    .into_iter()
                    .find(|x| x.function_name == s.function_name)
                    .unwrap_or_else(|| s.clone());
                s.failures += 1;
                s.sync_status = schedule::ERROR.into();
                let backoff = Duration::seconds((5i64 << s.failures.min(10)).min(3600));
                let wait = match e {
                    ConnectorError::RateLimited {
                        retry_after: Some(d),
                    } => Duration::from_std(*d).unwrap_or(backoff).max(backoff),
                    _ => backoff,
                };
                s.next_run_at = Some(time::fmt(time::now() + wait));
                self.store.save_schedule(&s).await?;
            }
            Err(_) => {}
        }
        self.store
            .release_schedule(&conn.id, &s.function_name)
            .await?;
        crate::force::check_completed(self, &conn).await?;
        result
    }

    /// Pulls one function over `[since, until)` and upserts every page. With `emit`, changes
    /// fire resource webhooks in the same transaction as the writes. With a job id, the job's
    /// cancellation is checked between pages.
    #[allow(clippy::too_many_arguments)]
    pub async fn pull_window(
        &self,
        conn: &ConnectionRow,
        function: &str,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        emit: bool,
        progress: Progress<'_>,
        job: Option<&str>,
    ) -> Result<SyncStats, SyncError> {
        let vertical: IntegrationType = conn.integration_type.parse().map_err(SyncError::Config)?;
        let resource = Resource::by_function(vertical, function)
            .ok_or_else(|| SyncError::Config(format!("unknown function {function}")))?;
        let connector = self
            .registry
            .get(vertical, &conn.integration_name)
            .ok_or_else(|| {
                SyncError::Config(format!("unknown integration {}", conn.integration_name))
            })?;
        let creds = self
            .secrets
            .decrypt(&conn.credentials)
            .map_err(|e| SyncError::Config(e.to_string()))?;
        // Snapshot functions (inventory) have no updated-since filter: take everything.
        let since = if resource.snapshot {
            Utc.timestamp_opt(0, 0).single().unwrap_or(since)
        } else {
            since
        };
        let ctx = EventContext::from(conn);
        let events_of: Arc<EventsFn> = Arc::new(move |c: &waybill_store::Change| {
            if emit {
                ctx.resource_events(resource, c)
            } else {
                Vec::new()
            }
        });
        let req = PullRequest {
            function: function.to_string(),
            since,
            until,
            cursor: None,
            page_size: PAGE_SIZE,
        };
        let mut stats = SyncStats::default();
        // The next page is fetched while the current one is stored, so a CPU-bound connector
        // (the sandbox) and the database work on different cores.
        let fetch = |req: PullRequest| {
            let connector = connector.clone();
            let creds = creds.clone();
            tokio::spawn(async move {
                let page = pull_with_retry(connector.as_ref(), &creds, &req).await;
                (req, page)
            })
        };
        let mut pending = Some(fetch(req));
        let mut inflight: VecDeque<(HashSet<String>, StoreTask)> = VecDeque::new();
        let mut batch: Vec<Doc> = Vec::new();
        let mut batch_ids: HashSet<String> = HashSet::new();
        let outcome: Result<(), SyncError> = async {
            while let Some(task) = pending.take() {
                if let Some(id) = job {
                    if self
                        .store
                        .get_job(id)
                        .await?
                        .is_some_and(|j| j.status != "open")
                    {
                        return Err(SyncError::Cancelled);
                    }
                }
                let (mut req, page) = task
                    .await
                    .map_err(|e| SyncError::Config(format!("pull task failed: {e}")))?;
                let page = page?;
                if let Some(c) = page.next_cursor.clone() {
                    req.cursor = Some(c);
                    pending = Some(fetch(req));
                }
                let n = page.len() as u64;
                stats.pulled += n;
                batch_ids.extend(scan_page(&page, &mut stats));
                batch.extend(
                    page.records
                        .into_iter()
                        .map(Doc::Value)
                        .chain(page.json.into_iter().map(Doc::Json)),
                );
                progress(function, n);
                // A bulk load (no events) gathers pages into larger transactions: each commit
                // rewrites every index page it touched, so fewer, larger commits write far less.
                if !emit && batch.len() < BULK_BATCH && pending.is_some() {
                    continue;
                }
                let docs = std::mem::take(&mut batch);
                let ids = std::mem::take(&mut batch_ids);
                // A batch that shares a record with one still being stored waits for it, so the
                // newer copy is always the one written last.
                if inflight
                    .iter()
                    .any(|(prev, _): &(HashSet<String>, _)| !prev.is_disjoint(&ids))
                {
                    while let Some((_, task)) = inflight.pop_front() {
                        self.absorb_stored(task, &mut stats, emit).await?;
                    }
                }
                inflight.push_back((
                    ids,
                    self.store_batch(&conn.id, resource, docs, emit, &events_of),
                ));
                while inflight.len() >= STORES_IN_FLIGHT {
                    if let Some((_, task)) = inflight.pop_front() {
                        self.absorb_stored(task, &mut stats, emit).await?;
                    }
                }
            }
            Ok(())
        }
        .await;
        // Pages already handed to the store are written before the run reports, whether it
        // finished, failed or was cancelled.
        let mut failure = outcome.err();
        while let Some((_, task)) = inflight.pop_front() {
            if let Err(e) = self.absorb_stored(task, &mut stats, emit).await {
                failure.get_or_insert(e);
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(stats),
        }
    }

    /// Starts storing one batch on its own task. A run that fires events upserts with change
    /// records; a bulk load, which fires none, stores without reading first.
    fn store_batch(
        &self,
        connection_id: &str,
        resource: &'static Resource,
        docs: Vec<Doc>,
        emit: bool,
        events_of: &Arc<EventsFn>,
    ) -> StoreTask {
        let store = self.store.clone();
        let conn_id = connection_id.to_string();
        let events_of = events_of.clone();
        tokio::spawn(async move {
            let now = time::now_str();
            if !emit {
                // What a bulk load wrote counts as created.
                let written = store
                    .bulk_upsert_records(&conn_id, resource, docs, &now)
                    .await?;
                return Ok((written, 0));
            }
            let changes = store
                .upsert_records(&conn_id, resource, docs, &now, &*events_of)
                .await?;
            let created = changes
                .iter()
                .filter(|c| c.kind == waybill_store::ChangeKind::Created)
                .count() as u64;
            Ok((created, changes.len() as u64 - created))
        })
    }

    /// Waits for one page's upsert and counts what it changed. During a bulk load the
    /// planner's statistics go stale fast (PostgreSQL would otherwise check new ids with a
    /// scan of the whole table), so they are refreshed as the table grows.
    async fn absorb_stored(
        &self,
        task: StoreTask,
        stats: &mut SyncStats,
        emit: bool,
    ) -> Result<(), SyncError> {
        let (created, updated) = task
            .await
            .map_err(|e| SyncError::Config(format!("store task failed: {e}")))??;
        let created_before = stats.created;
        stats.created += created;
        stats.updated += updated;
        if statistics_due(created_before, stats.created) {
            self.store.optimize().await?;
        }
        if emit && created + updated > 0 {
            (self.on_events)();
        }
        Ok(())
    }
}

/// Whether a bulk load that grew from `before` to `after` records has just passed 10,000,
/// 20,000, 40,000… records. Statistics within a factor of two of the table are enough for the
/// planner, and each refresh costs more as the table grows (about 0.5 s on PostgreSQL at a
/// million orders), so refreshing at every doubling keeps a load of a million to seven.
fn statistics_due(before: u64, after: u64) -> bool {
    let (b, a) = (before / ANALYZE_FIRST, after / ANALYZE_FIRST);
    a >= 1 && (b == 0 || a.ilog2() > b.ilog2())
}

/// Reads each document's source `updated_date` into the run's oldest/newest and returns the
/// page's record ids, in one scan per document.
fn scan_page(page: &waybill_connect::PullPage, stats: &mut SyncStats) -> HashSet<String> {
    let mut see = |u: &str| {
        if stats.newest.as_deref().is_none_or(|n| u > n) {
            stats.newest = Some(u.to_string());
        }
        if stats.oldest.as_deref().is_none_or(|n| u < n) {
            stats.oldest = Some(u.to_string());
        }
    };
    let mut ids = HashSet::with_capacity(page.records.len() + page.json.len());
    for r in &page.records {
        if let Some(u) = r.get("updated_date").and_then(|v| v.as_str()) {
            see(u);
        }
        if let Some(id) = r.get("id") {
            ids.insert(id_text(id));
        }
    }
    for t in &page.json {
        match jsontext::members(t, ["updated_date", "id"]) {
            Some([raw, id]) => {
                if let Some(u) = raw.and_then(jsontext::as_str) {
                    see(&u);
                }
                if let Some(id) = id {
                    ids.insert(
                        jsontext::as_str(id).map_or_else(|| id.to_string(), |s| s.into_owned()),
                    );
                }
            }
            // Not text the scanner reads; the store parses it properly too.
            None => {
                let v = serde_json::from_str::<serde_json::Value>(t).ok();
                if let Some(u) = v.as_ref().and_then(|v| v.get("updated_date")?.as_str()) {
                    see(u);
                }
                if let Some(id) = v.as_ref().and_then(|v| v.get("id")) {
                    ids.insert(id_text(id));
                }
            }
        }
    }
    ids
}

/// A record id as text, as the store keys it.
fn id_text(id: &serde_json::Value) -> String {
    match id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One page, retried on throttling (waiting out Retry-After) and on transient failures.
async fn pull_with_retry(
    connector: &dyn waybill_connect::Connector,
    creds: &waybill_connect::Credentials,
    req: &PullRequest,
) -> Result<waybill_connect::PullPage, ConnectorError> {
    let mut attempt = 0;
    loop {
        match connector.pull(creds, req).await {
            Ok(p) => return Ok(p),
            Err(e) if e.is_retryable() && attempt + 1 < PAGE_ATTEMPTS => {
                attempt += 1;
                let backoff = std::time::Duration::from_millis(250 << attempt.min(6));
                let wait = match &e {
                    ConnectorError::RateLimited {
                        retry_after: Some(d),
                    } => (*d).max(std::time::Duration::from_millis(1)),
                    _ => backoff,
                };
                tracing::info!(function = %req.function, attempt, wait_ms = wait.as_millis() as u64, error = %e, "pull throttled or failed; retrying");
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::statistics_due;

    #[test]
    fn statistics_are_refreshed_at_each_doubling() {
        let mut at = Vec::new();
        let mut n = 0;
        while n < 1_000_000 {
            let next = n + 10_000;
            if statistics_due(n, next) {
                at.push(next);
            }
            n = next;
        }
        assert_eq!(
            at,
            [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000]
        );
        // A batch that jumps past several thresholds refreshes once.
        assert!(statistics_due(5_000, 100_000));
        assert!(!statistics_due(0, 9_999));
        assert!(!statistics_due(41_000, 79_999));
    }
}
