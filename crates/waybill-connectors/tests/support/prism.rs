//! Stoplight Prism serving a vendor's published spec on loopback, for contract tests.
//!
//! Specs come from `WAYBILL_VENDOR_SPECS_DIR` (default `../shared/vendor-specs` beside the
//! repository). When that folder is absent, [`Prism::start`] prints why and returns `None`,
//! and the test skips. Prism itself comes from `tests/vendor-mocks` (`npm ci --prefix
//! tests/vendor-mocks`, which `.ci/run` does); when the specs exist but Prism does not, the
//! test fails rather than skip.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A running Prism mock.
pub struct Prism {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    log: Arc<Mutex<Vec<String>>>,
}

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Examples from the spec; any request that violates the spec is an error response.
    Strict,
    /// Random responses valid by the spec's schemas (`--dynamic`), requests still checked.
    Dynamic,
    /// Random responses (`--dynamic`) served even when Prism's own generated body breaks
    /// the spec (some vendor specs contradict themselves); requests are still validated and
    /// reported through [`Prism::violations`], but not turned into error responses.
    DynamicTolerant,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder of vendor specs, when present.
pub fn specs_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("WAYBILL_VENDOR_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/vendor-specs"));
    dir.is_dir().then_some(dir)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Prism {
    /// Serves `vendor/file` from the specs folder; `None` (with the reason printed) when the
    /// specs are absent.
    pub fn start(spec: &str, mode: Mode) -> Option<Prism> {
        let Some(dir) = specs_dir() else {
            eprintln!(
                "skipping: vendor specs not found (set WAYBILL_VENDOR_SPECS_DIR or provide ../shared/vendor-specs)"
            );
            return None;
        };
        let spec_path = dir.join(spec);
        assert!(
            spec_path.is_file(),
            "missing vendor spec {}",
            spec_path.display()
        );
        let bin = repo_root().join("tests/vendor-mocks/node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed: run `npm ci --prefix tests/vendor-mocks` ({})",
            bin.display()
        );
        let port = free_port();
        let mut cmd = Command::new(bin);
        cmd.arg("mock")
            .arg("-h")
            .arg("127.0.0.1")
            .arg("-p")
            .arg(port.to_string());
        if mode != Mode::DynamicTolerant {
            cmd.arg("--errors");
        }
        if mode != Mode::Strict {
            cmd.arg("--dynamic");
        }
        cmd.arg(&spec_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("Prism starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<bool>();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let log = log.clone();
            let tx = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if line.contains("Prism is listening") {
                        let _ = tx.send(true);
                    }
                    if line.contains("fatal") || line.contains("Error:") {
                        let _ = tx.send(false);
                    }
                    log.lock().expect("log lock").push(line);
                }
            });
        }
        drop(ready_tx);
        let ok = ready_rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or(false);
        let p = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        assert!(ok, "Prism did not start:\n{}", p.log().join("\n"));
        Some(p)
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// Lines where Prism reported a request that violates the spec.
    pub fn violations(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|l| {
                l.contains("Request violation")
                    || l.contains("request violation")
                    || l.contains("Violation: request")
                    || l.contains("Request did not pass the validation rules")
            })
            .collect()
    }

    /// Whether a connector error is Prism refusing to serve its own example because the
    /// example breaks the vendor's spec (a response violation, not the request's fault).
    /// Contract tests tolerate these only while [`Prism::violations`] stays empty.
    pub fn is_spec_example_error(message: &str) -> bool {
        message.contains("Request/Response not valid")
            || message.contains("Your request/response is not valid")
    }

    /// Lines where Prism reported that its own answer broke the spec.
    pub fn response_violations(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|l| l.contains("Violation: response"))
            .collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
