//! The axum stand-in both cart fixture tests (Shopify, WooCommerce) run: a handler of
//! theirs behind a loopback listener, a log of what it received, and their snapshots.

#![allow(dead_code)]

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde_json::Value;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Every request the stand-in received: method, path (with or without query, as the
/// handler logs it) and JSON body, so tests can assert what a write sent.
pub type Log = Arc<Mutex<Vec<(String, String, Value)>>>;

/// The fixtures of `vendor`, checked in under `tests/fixtures`.
pub fn fixtures(vendor: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(vendor)
}

/// Serves `handle` on a loopback port for the rest of the test; the base URL and the log
/// the handler appends to.
pub async fn serve<F, Fut>(handle: F) -> (String, Log)
where
    F: Fn(Log, Method, Uri, HeaderMap, Bytes) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    let log: Log = Arc::default();
    let l = log.clone();
    let app = axum::Router::new()
        .fallback(move |m: Method, u: Uri, h: HeaderMap, b: Bytes| handle(l.clone(), m, u, h, b));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, log)
}

/// Compares with the checked-in snapshot `expected_{name}.json` of `vendor`;
/// `WAYBILL_UPDATE_SNAPSHOTS=1` rewrites it.
pub fn snapshot(vendor: &str, name: &str, got: &Value) {
    let p = fixtures(vendor).join(format!("expected_{name}.json"));
    if std::env::var_os("WAYBILL_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&p, serde_json::to_string_pretty(got).unwrap() + "\n").unwrap();
    }
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(&p).expect("snapshot exists")).unwrap();
    assert_eq!(&want, got, "{name} differs from {p:?}");
}
