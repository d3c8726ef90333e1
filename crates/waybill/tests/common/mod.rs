//! Test harness: runs the real `waybill` binary on port 0 against a fresh database of each
//! backend, and talks to it over HTTP and through the CLI.
//!
//! SQLite always runs. PostgreSQL runs when `WAYBILL_TEST_POSTGRES_URL` is set (CI always
//! sets it); if it is set and unreachable the test fails rather than skipping.

#![allow(dead_code)]

use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The fixed master key of test servers.
pub const MASTER_KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101";

/// Which store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database plus its data dir.
pub struct Db {
    pub backend: Backend,
    pub url: String,
    pub dir: tempfile::TempDir,
    pg_admin: Option<(String, String)>,
}

impl Db {
    /// Creates an empty database; `None` when PostgreSQL is not configured.
    pub async fn new(backend: Backend) -> Option<Db> {
        let dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => Some(Db {
                backend,
                url: format!("sqlite://{}", dir.path().join("waybill.db").display()),
                dir,
                pg_admin: None,
            }),
            Backend::Postgres => {
                let Ok(admin) = std::env::var("WAYBILL_TEST_POSTGRES_URL") else {
                    eprintln!("skipping the PostgreSQL half: WAYBILL_TEST_POSTGRES_URL is not set");
                    return None;
                };
                let name = format!("wbtest_{}", uuid::Uuid::new_v4().simple());
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "WAYBILL_TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {e}"
                        )
                    });
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(admin.clone());
                Some(Db {
                    backend,
                    url: format!("{base}/{name}"),
                    dir,
                    pg_admin: Some((admin, name)),
                })
            }
        }
    }

    /// Runs a CLI command against this database and returns its stdout; panics on failure.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = self.cli_raw(args);
        assert!(
            out.status.success(),
            "waybill {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf8 stdout")
    }

    /// Runs a CLI command and returns its whole output.
    pub fn cli_raw(&self, args: &[&str]) -> std::process::Output {
        self.command().args(args).output().expect("run waybill")
    }

    /// A `waybill` command with this database's environment.
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_waybill"));
        c.env("WAYBILL_DATABASE_URL", &self.url)
            .env("WAYBILL_DATA_DIR", self.dir.path())
            .env("WAYBILL_MASTER_KEY", MASTER_KEY)
            .env("WAYBILL_LOG", "info,sqlx=warn")
            // Tests make many quick calls; the rate-limit test lowers these again.
            .env("WAYBILL_RATE_LIMIT_GET", "100000")
            .env("WAYBILL_RATE_LIMIT_WRITE", "100000")
            // Webhook tests deliver to receivers on 127.0.0.1.
            .env("WAYBILL_WEBHOOKS_ALLOW_PRIVATE", "true")
            // Connector tests point vendors at mocks on 127.0.0.1.
            .env("WAYBILL_CONNECTORS_ALLOW_PRIVATE", "true")
            .env_remove("WAYBILL_ADDR");
        c
    }

    /// Sets the organization's historical lookback through the CLI.
    pub fn set_lookback(&self, org: &str, days: u32) {
        self.cli(&[
            "org",
            "set-lookback",
            "--organization",
            org,
            "--days",
            &days.to_string(),
        ]);
    }

    /// Creates an organization through the CLI: (organization_id, api_key).
    pub fn org(&self, name: &str) -> (String, String) {
        let v: Value =
            serde_json::from_str(&self.cli(&["org", "create", "--name", name, "--json"]))
                .expect("json");
        (
            v["organization_id"].as_str().unwrap().into(),
            v["api_key"].as_str().unwrap().into(),
        )
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_admin.take() {
            // Best effort; a leftover test database does no harm.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ = sqlx::Executor::execute(
                            &mut c,
                            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                        )
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running server.
pub struct Server {
    pub base: String,
    pub child: Child,
    pub stdout_lines: Vec<String>,
    pub stderr_path: PathBuf,
    pub http: reqwest::Client,
}

impl Server {
    /// Starts `waybill serve` on port 0 and waits for it to announce its address.
    pub fn start(db: &Db) -> Server {
        Self::start_with(db, &[])
    }

    /// Starts the server with extra environment variables.
    pub fn start_with(db: &Db, env: &[(&str, &str)]) -> Server {
        let stderr_path = db
            .dir
            .path()
            .join(format!("server-{}.log", uuid::Uuid::new_v4().simple()));
        let stderr = std::fs::File::create(&stderr_path).expect("log file");
        let mut cmd = db.command();
        cmd.args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn waybill serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = Vec::new();
        let mut reader = BufReader::new(stdout);
        let base = loop {
            let mut line = String::new();
            let n = reader.read_line(&mut line).expect("read stdout");
            if n == 0 {
                let log = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                panic!("server exited before listening:\n{log}");
            }
            let line = line.trim_end().to_string();
            if let Some(addr) = line.strip_prefix("Waybill listening on ") {
                break addr.to_string();
            }
            lines.push(line);
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in reader.lines() {});
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Server {
            base,
            child,
            stdout_lines: lines,
            stderr_path,
            http,
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends a request; `key` and `token` go into Trackstar's headers when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(k) = key {
            req = req.header("x-trackstar-api-key", k);
        }
        if let Some(t) = token {
            req = req.header("x-trackstar-access-token", t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::from(req.send().await.expect("request")).await
    }

    /// Sends a raw body with a content type.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        token: Option<&str>,
        body: &str,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = key {
            req = req.header("x-trackstar-api-key", k);
        }
        if let Some(t) = token {
            req = req.header("x-trackstar-access-token", t);
        }
        Resp::from(req.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, key: &str, token: Option<&str>) -> Resp {
        self.call(Method::GET, path, Some(key), token, None).await
    }

    pub async fn post(&self, path: &str, key: &str, token: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, Some(key), token, Some(body))
            .await
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        self.child.wait().expect("wait")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    async fn from(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        Resp {
            status,
            headers,
            text,
        }
    }

    /// The body as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts the status and Trackstar's error shape.
    pub fn assert_error(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        let v = self.json();
        assert!(v["error"].is_string(), "no error message: {v}");
        assert!(
            v["origin"] == "trackstar" || v["origin"] == "integration",
            "no origin: {v}"
        );
        assert!(self.headers.contains_key("x-request-id"));
        v
    }

    /// Asserts 200 and returns the JSON body.
    pub fn ok(&self) -> Value {
        assert_eq!(self.status.as_u16(), 200, "body: {}", self.text);
        self.json()
    }
}

impl Server {
    /// Waits for an on-demand sync job to leave `open` and returns its final status.
    pub async fn wait_job(&self, key: &str, token: &str, job_id: &str) -> String {
        for _ in 0..1200 {
            let j = self
                .get(
                    &format!("/connections/on-demand-syncs/{job_id}"),
                    key,
                    Some(token),
                )
                .await
                .ok();
            let status = j["status"].as_str().unwrap_or_default().to_string();
            if status != "open" {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("job {job_id} stayed open; server log:\n{}", self.log());
    }

    /// Installs a WMS sandbox connection through the Link flow (link token, the modal's
    /// connect route, exchange) with this API key and sandbox credentials; returns the
    /// exchange body.
    pub async fn link_install(&self, key: &str, credentials: Value) -> Value {
        let lt = self
            .post("/link/token", key, None, serde_json::json!({}))
            .await
            .ok()["link_token"]
            .as_str()
            .unwrap()
            .to_string();
        let body = serde_json::json!({"integration_name": "sandbox", "integration_type": "wms", "credentials": credentials});
        let code = self
            .call(
                Method::POST,
                &format!("/link/sessions/{lt}/connect"),
                None,
                None,
                Some(body),
            )
            .await
            .ok()["auth_code"]
            .as_str()
            .unwrap()
            .to_string();
        self.post(
            "/link/exchange",
            key,
            None,
            serde_json::json!({"auth_code": code}),
        )
        .await
        .ok()
    }
}

/// A server with one organization and a WMS sandbox: everything most tests need.
pub struct Fixture {
    pub server: Server,
    pub db: Db,
    pub org_id: String,
    pub key: String,
}

impl Fixture {
    pub async fn new(backend: Backend) -> Option<Fixture> {
        let db = Db::new(backend).await?;
        let (org_id, key) = db.org("Acme Logistics");
        let server = Server::start(&db);
        Some(Fixture {
            server,
            db,
            org_id,
            key,
        })
    }

    /// Generates a sandbox of a vertical and returns its exchange body.
    pub async fn sandbox(&self, ty: &str) -> Value {
        self.server
            .post(
                &format!("/sandbox/generate-sandbox/{ty}"),
                &self.key,
                None,
                Value::Null,
            )
            .await
            .ok()
    }
}

/// Declares a test that runs once per backend: `both!(name, |b| async move { ... })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)(common::Backend::Postgres).await
            }
        }
    };
}
