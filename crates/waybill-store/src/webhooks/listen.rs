//! PostgreSQL `LISTEN waybill_events`: wakes a dispatcher as soon as another process commits
//! events (see `SqlStore::notify_events`), instead of waiting for its next poll.

use crate::SqlStore;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The channel `notify_events` signals.
pub const EVENTS_CHANNEL: &str = "waybill_events";

impl SqlStore {
    /// On PostgreSQL, listens for `NOTIFY waybill_events` on a connection of its own and
    /// calls `notify.notify_one()` on every notification, and after every reconnect
    /// (notifications sent while disconnected are lost, so the dispatcher is woken to look
    /// for itself). Runs until the task is aborted; the dispatcher's periodic poll keeps
    /// delivering if the listener cannot connect. `None` on SQLite, where writers in this
    /// process poke `notify` directly and the poll finds other processes' events.
    pub fn spawn_event_listener(&self, notify: Arc<Notify>) -> Option<JoinHandle<()>> {
        let url = self.listen_url.clone()?;
        Some(listen(url, notify))
    }
}

fn listen(postgres_url: Arc<str>, notify: Arc<Notify>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(500);
        loop {
            match PgListener::connect(&postgres_url).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
                        tracing::warn!(error = %e, "cannot LISTEN for events; relying on polling");
                    } else {
                        backoff = Duration::from_millis(500);
                        notify.notify_one();
                        loop {
                            match listener.try_recv().await {
                                Ok(Some(_)) => notify.notify_one(),
                                // The connection dropped; recv reconnects on the next call.
                                Ok(None) => notify.notify_one(),
                                Err(e) => {
                                    tracing::warn!(error = %e, "event listener failed; reconnecting");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot connect the event listener; relying on polling")
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(30));
        }
    })
}
