//! What the Prism contract tests of every connector check in Prism's log: which requests it
//! refused and which it received, plus paging a pull across all of time.

#![allow(dead_code)]

use super::prism::Prism;
use super::pull;
use serde_json::Value;
use waybill_connect::{Connector, Credentials};

/// Prism's own report lines of refused requests. Prism 5 prints `Violation: request.…`
/// and `Request terminated with error`, which `Prism::violations` does not match, so the
/// contract check reads the log itself.
pub fn refused_requests(p: &Prism) -> Vec<String> {
    p.log()
        .into_iter()
        .filter(|l| {
            l.contains("Violation")
                || l.contains("violation")
                || l.contains("Request terminated with error")
        })
        .collect()
}

/// Whether Prism received `method path` (lower-case method, as Prism logs it).
pub fn received(p: &Prism, call: &str) -> bool {
    p.log()
        .iter()
        .any(|l| l.contains(&format!("] {call} ")) && l.contains("Request received"))
}

/// Every record of `f` from 2000 to 2100 in pages of 50 (at most 20 pages): Prism's
/// examples carry arbitrary dates, so the window must hold them all. Panics on an error.
pub async fn pull_all(c: &dyn Connector, creds: &Credentials, f: &str) -> Vec<Value> {
    let all_time = pull::window((2000, 1, 1), (2100, 1, 1));
    pull::pages(c, creds, f, all_time, 50, 20)
        .await
        .unwrap_or_else(|e| panic!("{f}: {e:?}"))
}
