//! A tiny vendor stand-in on loopback serving fixture answers by method, path and query
//! substring (and body substring, for GraphQL vendors whose every call is `POST /graphql`),
//! for exact normalization and compliance tests (Prism's examples cannot honour a pull
//! window). It records every request so tests can assert what was sent, and can check each
//! request with a test-supplied validator (a GraphQL schema) that fails the test on any
//! invalid one.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One canned answer.
#[derive(Clone)]
pub struct Route {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path, without query.
    pub path: String,
    /// Every one of these must occur in the query.
    pub query_has: Vec<String>,
    /// Status to answer.
    pub status: u16,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
    /// JSON body.
    pub body: String,
    /// Every one of these must occur in the request body.
    pub body_has: Vec<String>,
    /// Served without the auth header (token endpoints).
    pub open: bool,
    /// Computes the answer from the request body instead of `body` (random answers).
    pub respond: Option<Responder>,
}

/// An answer computed from the request body.
pub type Responder = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// Checks a request (method, path, body); an `Err` is answered with a 400 and recorded as a
/// violation.
pub type Validator = Arc<dyn Fn(&str, &str, &str) -> Result<(), String> + Send + Sync>;

impl Route {
    /// `200` with `body` for `method path`.
    pub fn ok(method: &'static str, path: &str, body: impl Into<String>) -> Self {
        Route {
            method,
            path: path.into(),
            query_has: vec![],
            status: 200,
            headers: vec![],
            body: body.into(),
            body_has: vec![],
            open: false,
            respond: None,
        }
    }

    /// Only when the request body contains `s`.
    pub fn body_has(mut self, s: &str) -> Self {
        self.body_has.push(s.into());
        self
    }

    /// Served without checking the auth header.
    pub fn open(mut self) -> Self {
        self.open = true;
        self
    }

    /// Answers with `f(request body)`.
    pub fn respond(mut self, f: impl Fn(&str) -> String + Send + Sync + 'static) -> Self {
        self.respond = Some(Arc::new(f));
        self
    }

    /// Only when the query contains `s`.
    pub fn when(mut self, s: &str) -> Self {
        self.query_has.push(s.into());
        self
    }

    /// Answers with `status`.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// A request the mock saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Method.
    pub method: String,
    /// Path with query.
    pub target: String,
    /// Lower-cased header lines.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

/// The running mock.
pub struct Mock {
    /// Base URL.
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    violations: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Mock {
    /// Serves `routes`; a request whose `auth_header` differs from `auth_value` gets a 401
    /// with `unauthorized_body`; an unmatched request gets a 404.
    pub async fn start(routes: Vec<Route>, auth: (&str, &str), unauthorized_body: &str) -> Mock {
        Self::start_checked(routes, auth, unauthorized_body, None).await
    }

    /// Like [`Mock::start`], and every request is first checked by `validator`.
    pub async fn start_checked(
        routes: Vec<Route>,
        auth: (&str, &str),
        unauthorized_body: &str,
        validator: Option<Validator>,
    ) -> Mock {
        let violations: Arc<Mutex<Vec<String>>> = Arc::default();
        let v2 = violations.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (ah, av) = (auth.0.to_ascii_lowercase(), auth.1.to_string());
        let unauth = unauthorized_body.to_string();
        let s2 = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let routes = routes.clone();
                let seen = s2.clone();
                let (validator, violations) = (validator.clone(), v2.clone());
                let (ah, av, unauth) = (ah.clone(), av.clone(), unauth.clone());
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    let head_end = loop {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let mut lines = head.split("\r\n");
                    let mut first = lines.next().unwrap_or_default().split(' ');
                    let method = first.next().unwrap_or_default().to_string();
                    let target = first.next().unwrap_or_default().to_string();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let len: usize = headers
                        .iter()
                        .find(|(k, _)| k == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + len {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
                    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                    let authed = headers.iter().any(|(k, v)| *k == ah && *v == av);
                    let route = routes.iter().find(|r| {
                        r.method == method
                            && r.path == path
                            && r.query_has.iter().all(|q| query.contains(q.as_str()))
                            && r.body_has.iter().all(|b| body.contains(b.as_str()))
                    });
                    let invalid = validator
                        .as_ref()
                        .and_then(|v| v(&method, path, &body).err());
                    let (status, extra, text) = if let Some(why) = invalid {
                        violations
                            .lock()
                            .expect("violations")
                            .push(format!("{method} {target}: {why}"));
                        (
                            400,
                            vec![],
                            serde_json::json!({"errors": [{"message": why}]}).to_string(),
                        )
                    } else if !authed && !route.is_some_and(|r| r.open) {
                        (401, vec![], unauth)
                    } else if let Some(r) = route {
                        let text = match &r.respond {
                            Some(f) => f(&body),
                            None => r.body.clone(),
                        };
                        (r.status, r.headers.clone(), text)
                    } else {
                        (404, vec![], r#"{"message":"no such fixture"}"#.to_string())
                    };
                    seen.lock().expect("seen").push(Seen {
                        method,
                        target: target.clone(),
                        headers,
                        body,
                    });
                    let mut resp = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
                        text.len()
                    );
                    for (k, v) in extra {
                        resp.push_str(&format!("{k}: {v}\r\n"));
                    }
                    resp.push_str("\r\n");
                    resp.push_str(&text);
                    let _ = sock.write_all(resp.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Mock {
            url,
            seen,
            violations,
            task,
        }
    }

    /// Requests the validator refused so far.
    pub fn violations(&self) -> Vec<String> {
        self.violations.lock().expect("violations").clone()
    }

    /// Requests seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("seen").clone()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A fixture file of `vendor` as text.
pub fn fixture(vendor: &str, name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(vendor)
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Compares `actual` with the checked-in expected JSON `vendor/expected/name`; with
/// `UPDATE_SNAPSHOTS=1` it writes the file instead (review the diff before committing).
pub fn assert_snapshot(vendor: &str, name: &str, actual: &serde_json::Value) {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(vendor)
        .join("expected")
        .join(name);
    let pretty = serde_json::to_string_pretty(actual).expect("json") + "\n";
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(p.parent().expect("dir")).expect("mkdir");
        std::fs::write(&p, pretty).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{} missing ({e}); run with UPDATE_SNAPSHOTS=1", p.display()));
    let expected: serde_json::Value = serde_json::from_str(&expected).expect("snapshot is JSON");
    assert_eq!(
        &expected, actual,
        "{vendor}/{name} differs from the snapshot:\n{pretty}"
    );
}
