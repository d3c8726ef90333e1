//! A webhook receiver for tests: a small axum server on 127.0.0.1:0 that records every
//! request (headers, body, arrival time) and answers as its plan says.

#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Hit {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Hit {
    /// A header as text.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("json body")
    }

    /// The `svix-id` (equal to `webhook-id`).
    pub fn id(&self) -> String {
        self.header("svix-id")
    }
}

/// How to answer a request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub delay: Duration,
    pub body: String,
}

impl Reply {
    pub fn ok() -> Reply {
        Reply {
            status: 200,
            retry_after: None,
            delay: Duration::ZERO,
            body: "ok".into(),
        }
    }

    pub fn status(status: u16, body: &str) -> Reply {
        Reply {
            status,
            retry_after: None,
            delay: Duration::ZERO,
            body: body.into(),
        }
    }
}

/// Decides the answer to the `n`th request (0-based).
pub type Plan = Arc<dyn Fn(usize) -> Reply + Send + Sync>;

#[derive(Clone)]
struct St {
    hits: Arc<Mutex<Vec<Hit>>>,
    plan: Plan,
}

/// A running receiver; stops when dropped.
pub struct Receiver {
    pub url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    task: tokio::task::JoinHandle<()>,
}

async fn handle(State(st): State<St>, headers: HeaderMap, body: Bytes) -> Response {
    let n = {
        let mut hits = st.hits.lock().unwrap();
        hits.push(Hit {
            headers,
            body,
            at: Instant::now(),
        });
        hits.len() - 1
    };
    let reply = (st.plan)(n);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut resp = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    if let Some(ra) = reply.retry_after {
        resp.headers_mut()
            .insert("retry-after", ra.parse().unwrap());
    }
    resp
}

impl Receiver {
    /// Starts a receiver that answers every request with `plan`.
    pub async fn start(plan: Plan) -> Receiver {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let st = St {
            hits: hits.clone(),
            plan,
        };
        let app = axum::Router::new().fallback(handle).with_state(st);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, hits, task }
    }

    /// A receiver that always answers 200.
    pub async fn ok() -> Receiver {
        Self::start(Arc::new(|_| Reply::ok())).await
    }

    /// Everything received so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Hit> {
        let start = Instant::now();
        loop {
            let hits = self.hits();
            if hits.len() >= n {
                return hits;
            }
            assert!(
                start.elapsed() < timeout,
                "expected {n} webhook requests within {timeout:?}, got {}",
                hits.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Verifies a request with the independent `standardwebhooks` library, once with the
/// `webhook-*` headers and once with the `svix-*` headers renamed.
pub fn verify(secret: &str, hit: &Hit) -> bool {
    let wh = standardwebhooks::Webhook::new(secret).expect("secret");
    let standard = wh.verify(&hit.body, &hit.headers).is_ok();
    let mut svix = http::HeaderMap::new();
    for n in ["id", "timestamp", "signature"] {
        if let Some(v) = hit.headers.get(format!("svix-{n}")) {
            svix.insert(
                http::HeaderName::from_bytes(format!("webhook-{n}").as_bytes()).unwrap(),
                v.clone(),
            );
        }
    }
    standard && wh.verify(&hit.body, &svix).is_ok()
}
