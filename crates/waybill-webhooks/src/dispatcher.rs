//! The dispatcher: fans the outbox out to deliveries, claims due deliveries under a lease and
//! attempts them concurrently, within a global limit and a per-endpoint limit so that one
//! slow endpoint never holds up another's deliveries.
//!
//! It wakes on the in-process `events_notify`, on PostgreSQL `NOTIFY waybill_events`, when
//! one of its attempts finishes, when a retry it scheduled falls due, and on a periodic poll
//! (which also picks up retries scheduled by other processes and expired leases).

use crate::config::{DispatcherConfig, MAX_PAYLOAD};
use crate::deliver::{attempt, AttemptResult};
use crate::guard::GuardedResolver;
use crate::{outcomes, payload, retry, signing};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use waybill_connect::Secrets;
use waybill_model::time;
use waybill_store::webhooks::{AttemptOutcome, ClaimRequest, ClaimedDelivery};
use waybill_store::{DeliveryQueue, SqlStore};

/// The current time in Unix milliseconds, the unit of the queue's scheduling columns.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

struct Inner {
    store: Arc<SqlStore>,
    secrets: Secrets,
    cfg: DispatcherConfig,
    client: reqwest::Client,
    /// Outside wake-ups: new events, resends, test events.
    wake: Arc<Notify>,
    /// An attempt finished or its outcome was written, so a slot is free or a row unlocked.
    done: Arc<Notify>,
    /// Deliveries in flight, by endpoint.
    in_flight: Mutex<HashMap<String, usize>>,
    /// Earliest retry this process scheduled (Unix ms), `i64::MAX` when none.
    next_retry_ms: Arc<AtomicI64>,
    /// Attempt outcomes on their way to the writer.
    outcomes: mpsc::Sender<AttemptOutcome>,
}

/// A running dispatcher; `shutdown` stops it gracefully.
pub struct DispatcherHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl DispatcherHandle {
    /// Stops claiming, waits for attempts in flight (see [`run`]), and returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "webhook dispatcher ended abnormally");
        }
    }
}

/// [`run`] on a task of its own, for callers without a stop channel of their own.
pub fn spawn(
    store: Arc<SqlStore>,
    secrets: Secrets,
    cfg: DispatcherConfig,
    events_notify: Arc<Notify>,
) -> anyhow::Result<DispatcherHandle> {
    cfg.validate()?;
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(async move {
        if let Err(e) = run(store, secrets, cfg, events_notify, stop_rx).await {
            tracing::error!(error = %e, "webhook dispatcher could not start");
        }
    });
    Ok(DispatcherHandle { stop, task })
}

/// Runs a dispatcher until `stop` turns true. `events_notify` is the wake-up the code that
/// commits events pokes; on PostgreSQL a `LISTEN` also wakes it for events committed by
/// other processes. `waybill serve` runs one, and so can any number of worker processes on
/// the same PostgreSQL database.
///
/// On stop it claims nothing more and waits for attempts in flight up to the request
/// timeout; attempts still running after that are abandoned, their leases expire and they
/// are retried (by this process after a restart, or by another worker).
pub async fn run(
    store: Arc<SqlStore>,
    secrets: Secrets,
    cfg: DispatcherConfig,
    events_notify: Arc<Notify>,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    cfg.validate()?;
    let client = reqwest::Client::builder()
        .timeout(cfg.timeout)
        .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::none())
        // An HTTP(S)_PROXY from the environment would resolve targets itself, around the guard.
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver {
            allow_private: cfg.allow_private,
        }))
        .user_agent(concat!("Waybill-Webhooks/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(cfg.endpoint_concurrency)
        .build()?;
    let listener = store.spawn_event_listener(events_notify.clone());
    let done = Arc::new(Notify::new());
    let next_retry_ms = Arc::new(AtomicI64::new(i64::MAX));
    let (tx, rx) = mpsc::channel(outcomes::QUEUE);
    let writer = outcomes::spawn_writer(store.clone(), rx, next_retry_ms.clone(), done.clone());
    let inner = Arc::new(Inner {
        store,
        secrets,
        cfg,
        client,
        wake: events_notify,
        done,
        in_flight: Mutex::new(HashMap::new()),
        next_retry_ms,
        outcomes: tx,
    });
    work(inner, stop).await;
    // `work` dropped the last sender: the writer drains what is queued and ends.
    if tokio::time::timeout(Duration::from_secs(10), writer)
        .await
        .is_err()
    {
        tracing::warn!(
            "webhook outcomes still unwritten at shutdown; those deliveries will be retried"
        );
    }
    if let Some(l) = listener {
        l.abort();
    }
    Ok(())
}

async fn work(inner: Arc<Inner>, mut stop: watch::Receiver<bool>) {
    tracing::info!(
        concurrency = inner.cfg.global_concurrency,
        per_endpoint = inner.cfg.endpoint_concurrency,
        attempts = inner.cfg.retry_schedule.len(),
        "webhook dispatcher started"
    );
    let mut tasks: JoinSet<()> = JoinSet::new();
    loop {
        if *stop.borrow() {
            break;
        }
        while tasks.try_join_next().is_some() {}
        let now = now_ms();
        let due = inner.next_retry_ms.load(Ordering::Acquire);
        if due <= now {
            let _ = inner.next_retry_ms.compare_exchange(
                due,
                i64::MAX,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
        fan_out(&inner).await;
        claim_and_spawn(&inner, &mut tasks).await;
        let until_retry = inner
            .next_retry_ms
            .load(Ordering::Acquire)
            .saturating_sub(now_ms())
            .max(0) as u64;
        let sleep = inner
            .cfg
            .poll_interval
            .min(Duration::from_millis(until_retry));
        tokio::select! {
            _ = inner.wake.notified() => {}
            _ = inner.done.notified() => {}
            _ = tokio::time::sleep(sleep) => {}
            // A dropped sender means nobody can stop us any more: stop now.
            changed = stop.changed() => if changed.is_err() { break },
        }
    }
    let grace = inner.cfg.timeout + Duration::from_secs(1);
    if tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} })
        .await
        .is_err()
    {
        tracing::warn!(abandoned = tasks.len(), "webhook attempts still running at shutdown; their leases will expire and they will be retried");
        tasks.abort_all();
    }
    tracing::info!("webhook dispatcher stopped");
}

/// Fans out every pending event, batch by batch.
async fn fan_out(inner: &Inner) {
    loop {
        match inner
            .store
            .fan_out_events(inner.cfg.fan_out_batch, now_ms(), &time::now_str())
            .await
        {
            Ok(f) if f.events as i64 >= inner.cfg.fan_out_batch => continue,
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, "webhook fan-out failed; will retry");
                return;
            }
        }
    }
}

/// Claims due deliveries while slots are free and spawns an attempt for each.
async fn claim_and_spawn(inner: &Arc<Inner>, tasks: &mut JoinSet<()>) {
    loop {
        let free = inner.cfg.global_concurrency.saturating_sub(tasks.len());
        if free == 0 {
            return;
        }
        let in_flight = inner.in_flight.lock().expect("in-flight map").clone();
        let req = ClaimRequest {
            now_ms: now_ms(),
            lease_ms: inner.cfg.lease.as_millis() as i64,
            limit: free,
            per_endpoint: inner.cfg.endpoint_concurrency,
            in_flight: &in_flight,
        };
        let claimed = match inner.store.claim_deliveries(&req).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "claiming webhook deliveries failed; will retry");
                return;
            }
        };
        if claimed.is_empty() {
            return;
        }
        for d in claimed {
            *inner
                .in_flight
                .lock()
                .expect("in-flight map")
                .entry(d.endpoint_id.clone())
                .or_insert(0) += 1;
            let slot = Slot {
                inner: inner.clone(),
                endpoint_id: d.endpoint_id.clone(),
            };
            tasks.spawn(async move {
                deliver(&slot.inner, d).await;
                drop(slot);
            });
        }
    }
}

/// Releases an in-flight slot however the attempt ends, even by panic.
struct Slot {
    inner: Arc<Inner>,
    endpoint_id: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut m) = self.inner.in_flight.lock() {
            if let Some(n) = m.get_mut(&self.endpoint_id) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    m.remove(&self.endpoint_id);
                }
            }
        }
        self.inner.done.notify_one();
    }
}

/// The HMAC keys of an endpoint: the current secret, plus the previous one during rotation.
fn signing_keys(inner: &Inner, d: &ClaimedDelivery, now: &str) -> Result<Vec<Vec<u8>>, String> {
    let open = |enc: &str| {
        inner
            .secrets
            .decrypt_str(enc)
            .ok()
            .and_then(|s| signing::secret_key(&s))
            .ok_or_else(|| {
                "the endpoint's signing secret cannot be decrypted (was the master key changed?)"
                    .to_string()
            })
    };
    let mut keys = vec![open(&d.secret)?];
    if let (Some(prev), Some(until)) = (&d.previous_secret, &d.previous_secret_expires_at) {
        if until.as_str() > now {
            keys.push(open(prev)?);
        }
    }
    Ok(keys)
}

async fn deliver(inner: &Inner, d: ClaimedDelivery) {
    let started_at = time::now_str();
    let result = match signing_keys(inner, &d, &started_at) {
        Ok(keys) => {
            let body =
                payload::body_for(&d.payload, &d.event_id, &inner.cfg.public_url, MAX_PAYLOAD);
            attempt(
                &inner.client,
                &d.url,
                &d.event_id,
                body,
                &keys,
                inner.cfg.allow_private,
            )
            .await
        }
        Err(e) => AttemptResult::refused(e),
    };
    let succeeded = result.succeeded();
    let next = if succeeded {
        None
    } else {
        retry::next_delay(
            &inner.cfg.retry_schedule,
            d.step.max(0) as usize,
            result.retry_after,
        )
        .map(|delay| now_ms() + delay.as_millis() as i64)
    };
    tracing::debug!(
        event_id = %d.event_id,
        endpoint_id = %d.endpoint_id,
        attempt = d.attempt,
        status = result.status,
        succeeded,
        retry = next.is_some(),
        "webhook attempt"
    );
    let now = time::now();
    let disable_since =
        chrono::Duration::from_std(inner.cfg.disable_after).unwrap_or(chrono::Duration::days(5));
    let outcome = AttemptOutcome {
        seq: d.seq,
        lock_token: d.lock_token.clone(),
        attempt: d.attempt,
        endpoint_id: d.endpoint_id.clone(),
        started_at,
        status_code: result.status.map(i64::from),
        latency_ms: result.latency.as_millis() as i64,
        response: result.response,
        error: result.error,
        succeeded,
        next_attempt_ms: next,
        now: time::fmt(now),
        disable_if_failing_since: time::fmt(now - disable_since),
        disabled_reason: format!(
            "Every delivery attempt failed for {}. Fix the endpoint, then re-enable it with PATCH and {{\"disabled\": false}}.",
            human(inner.cfg.disable_after)
        ),
    };
    if inner.outcomes.send(outcome).await.is_err() {
        tracing::warn!(event_id = %d.event_id, "the outcome writer has stopped; this delivery will be retried after its lease");
    }
}

/// `5 days`, `2 hours`, `30 seconds`: for the disabled reason.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s >= 86400 && s % 86400 == 0 => plural(s / 86400, "day"),
        s if s >= 3600 && s % 3600 == 0 => plural(s / 3600, "hour"),
        s => plural(s, "second"),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}
