//! Shared pieces of the webhook tests: a local receiver, and helpers that set up a server,
//! create endpoints, fire test events, append outbox events from another process and read
//! the delivery log.

#![allow(dead_code)]

pub mod receiver;

use crate::common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

/// A server with extra environment and one organization.
pub struct Setup {
    pub server: Server,
    pub db: Db,
    pub org_id: String,
    pub key: String,
}

/// Starts a server with extra environment on a fresh database with one organization.
pub async fn setup(b: Backend, env: &[(&str, &str)]) -> Option<Setup> {
    let db = Db::new(b).await?;
    let (org_id, key) = db.org("Acme Logistics");
    let server = Server::start_with(&db, env);
    Some(Setup {
        server,
        db,
        org_id,
        key,
    })
}

/// Creates an endpoint and returns it.
pub async fn endpoint(s: &Server, key: &str, body: Value) -> Value {
    s.post("/webhooks/endpoints", key, None, body).await.ok()["data"].clone()
}

/// Appends synthetic events through another process (`waybill bench emit-events`) without
/// blocking the runtime the receivers run on.
pub async fn emit(db: &Db, org: &str, rate: u32, seconds: u32) -> String {
    let mut cmd = db.command();
    cmd.args([
        "bench",
        "emit-events",
        "--organization",
        org,
        "--rate",
        &rate.to_string(),
        "--seconds",
        &seconds.to_string(),
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("run waybill");
    assert!(
        out.status.success(),
        "emit-events failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Fires a `webhook.test` event at one endpoint; returns the message id.
pub async fn fire(s: &Server, key: &str, ep: &str, body: Value) -> String {
    let r = s
        .post(&format!("/webhooks/endpoints/{ep}/test"), key, None, body)
        .await
        .ok();
    r["data"]["id"].as_str().unwrap().to_string()
}

/// Every message of an endpoint's log, following page tokens.
pub async fn all_messages(s: &Server, key: &str, ep: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = format!("/webhooks/endpoints/{ep}/messages?limit=250");
    loop {
        let page = s.get(&path, key, None).await.ok();
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_token"].as_str() {
            Some(t) => path = format!("/webhooks/endpoints/{ep}/messages?limit=250&page_token={t}"),
            None => return out,
        }
    }
}

/// Polls `f` until it returns `Some`, for at most `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
