//! Paging a connector's pull to the end, the loop every connector test repeats: the
//! records of all pages in order, following `next_cursor` until it runs out.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use waybill_connect::{Connector, ConnectorError, Credentials, PullRequest};

/// Every record of `f` in the window `since..until`, asking `page_size` at a time and
/// stopping after `max_pages` pages, so a cursor that never ends fails a test, not hangs it.
pub async fn pages(
    c: &dyn Connector,
    creds: &Credentials,
    f: &str,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
    page_size: usize,
    max_pages: usize,
) -> Result<Vec<Value>, ConnectorError> {
    let mut req = PullRequest {
        function: f.into(),
        since,
        until,
        cursor: None,
        page_size,
    };
    let mut out = Vec::new();
    for _ in 0..max_pages {
        let page = c.pull(creds, &req).await?;
        out.extend(page.records);
        match page.next_cursor {
            Some(n) => req.cursor = Some(n),
            None => break,
        }
    }
    Ok(out)
}

/// The window `from..to` of whole UTC days, given as `(year, month, day)`.
pub fn window(from: (i32, u32, u32), to: (i32, u32, u32)) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = |(y, m, d): (i32, u32, u32)| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap();
    (day(from), day(to))
}
