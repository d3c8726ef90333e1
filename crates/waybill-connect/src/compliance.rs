//! The connector compliance kit: checks any connector against the contract the sync engine
//! relies on. A connector's own tests call [`check`] with a working and a refused credential;
//! every connector, the sandbox first, must pass it.
//!
//! The contract: descriptor functions are known read functions of its vertical; a refused
//! credential is an `Auth` error; every pull of every read function terminates, pages never
//! exceed the requested size (beyond records changed inside the window), no id repeats
//! within a pull, every record carries a string `id`, and source `updated_date`s lie inside
//! the window (snapshot functions excepted); a function the connector lacks is `Unsupported`.

use crate::{Connector, ConnectorError, Credentials, PullRequest};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use waybill_model::Resource;

/// What a passing run saw.
#[derive(Debug, Default)]
pub struct Report {
    /// Read functions checked.
    pub functions: usize,
    /// Records pulled across all functions.
    pub records: usize,
    /// Pages pulled across all functions.
    pub pages: usize,
}

/// Pages a single pull may take before the kit calls it non-terminating.
const MAX_PAGES: usize = 100_000;

/// Runs the kit. `since..until` should cover the connector's test data.
pub async fn check(
    c: &dyn Connector,
    good: &Credentials,
    bad: &Credentials,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    page_size: usize,
) -> Result<Report, String> {
    let d = c.descriptor();
    if d.integration_name.is_empty() || d.display_name.is_empty() {
        return Err("descriptor names must not be empty".into());
    }
    if d.auth_fields.iter().all(|f| !f.required) && d.install_method == crate::InstallMethod::Input
    {
        return Err("an input-installed integration must require at least one credential".into());
    }
    match c.validate(bad).await {
        Err(ConnectorError::Auth(m)) if !m.is_empty() => {}
        other => {
            return Err(format!(
                "a refused credential must be an Auth error with a message, got {other:?}"
            ))
        }
    }
    c.validate(good)
        .await
        .map_err(|e| format!("the working credential was refused: {e}"))?;
    let mut report = Report::default();
    for f in &d.read_functions {
        let r = Resource::by_function(d.integration_type, f)
            .ok_or_else(|| format!("{f} is not a {} read function", d.integration_type))?;
        let mut seen = HashSet::new();
        let mut req = PullRequest {
            function: f.to_string(),
            since,
            until,
            cursor: None,
            page_size,
        };
        let mut pages = 0;
        loop {
            let page = c
                .pull(good, &req)
                .await
                .map_err(|e| format!("{f}: pull failed: {e}"))?;
            pages += 1;
            if pages > MAX_PAGES {
                return Err(format!("{f}: pull did not terminate"));
            }
            // Text documents must be JSON objects, and are checked like the others.
            let mut parsed = Vec::with_capacity(page.json.len());
            for t in &page.json {
                let v: serde_json::Value = serde_json::from_str(t)
                    .map_err(|e| format!("{f}: a JSON text record does not parse: {e}"))?;
                if !v.is_object() {
                    return Err(format!("{f}: a JSON text record is not an object"));
                }
                parsed.push(v);
            }
            for rec in page.records.iter().chain(parsed.iter()) {
                let id = rec
                    .get("id")
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| format!("{f}: a record has no string id"))?;
                if !seen.insert(id.to_string()) {
                    return Err(format!("{f}: id {id} returned twice in one pull"));
                }
                if !r.snapshot {
                    if let Some(u) = rec.get("updated_date").and_then(|v| v.as_str()) {
                        let t = waybill_model::time::parse_lenient(u)
                            .ok_or_else(|| format!("{f}: updated_date {u:?} is not a time"))?;
                        if t < since || t >= until {
                            return Err(format!(
                                "{f}: record {id} updated at {u} lies outside the window"
                            ));
                        }
                    }
                }
            }
            if req.cursor.is_some() && page.len() > page_size {
                return Err(format!(
                    "{f}: a page of {} exceeds the requested {page_size}",
                    page.len()
                ));
            }
            match page.next_cursor {
                Some(next) if Some(&next) == req.cursor.as_ref() => {
                    return Err(format!("{f}: the cursor did not advance"))
                }
                Some(next) => req.cursor = Some(next),
                None => break,
            }
        }
        report.functions += 1;
        report.records += seen.len();
        report.pages += pages;
    }
    let missing = PullRequest {
        function: "get_nothing_of_the_sort".into(),
        since,
        until,
        cursor: None,
        page_size,
    };
    match c.pull(good, &missing).await {
        Err(ConnectorError::Unsupported(_)) => {}
        other => {
            return Err(format!(
                "an unknown function must be Unsupported, got {:?}",
                other.map(|p| p.len())
            ))
        }
    }
    Ok(report)
}
