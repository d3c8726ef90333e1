//! The walk an incremental WooCommerce list (orders, products) takes through a sync window,
//! built so that a record changed while the walk is under way cannot make it skip another.
//!
//! Offset paging over a modified-date window skips: a record on an earlier page that is
//! modified leaves its place, every later record moves up by one, and the next offset steps
//! over one of them. This walk pages by **keyset** instead: the list is ordered by
//! `modified` ascending and each request starts at the last modified second reached
//! (`modified_after` one second earlier, since WooCommerce's bound is exclusive and its
//! times are whole seconds). The ids already returned on that second travel in the cursor
//! and are left out of the next page, so that second is re-read without duplicates. A
//! record modified mid-walk moves to a later second, which the walk has not reached yet,
//! so it is read again there and nothing after it moves.
//!
//! WooCommerce orders records of one second arbitrarily, so when a whole page shares the
//! second being read there may be more of them than a page, and a keyset request cannot
//! reach past them. That second is then read on its own ([`Walk::Second`]): only that
//! second (`modified_after`/`modified_before` around it), ordered by id, paged by offset.
//! Within one second records can only leave (a change moves them later), which shifts the
//! rest towards the start; each request therefore starts [`STEP_BACK`] records before the
//! position reached and checks that its first record is one already read. If it is not,
//! more records left than the step covers, and the second is read again from its start
//! (the ids already read are left out), so that nothing is skipped.
//!
//! WooCommerce's `exclude` parameter is not used to leave out the ids already returned:
//! PHP reads a repeated `exclude=1&exclude=2` (how the spec's array parameter serializes)
//! as its last value only, and the comma form the store accepts is refused by the spec.
//! The ids are left out client-side; the overlap is at most what one second holds.

use crate::values::{text, time};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use waybill_connect::PullRequest;

/// How many records a request within one second starts before the position reached: up to
/// this many records may leave the second between two requests without a re-read.
pub const STEP_BACK: usize = 10;

/// The connector's opaque cursor, serialized as JSON: where the walk is, and how much of a
/// product too large for one page was handed out already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Where the walk is.
    pub walk: Walk,
    /// A product begun on the last page and to be finished on the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

/// A product with more variations than a page holds, handed out over several pages. Its
/// variations go out in id order, so ones added meanwhile (higher ids) are not missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The product's id.
    pub id: String,
    /// The last variation id handed out; `None` when only the product itself was.
    pub after: Option<u64>,
}

/// Where a walk is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Walk {
    /// Records modified at second `at` (Unix seconds) or later, oldest first; `seen` are the
    /// ids already returned that were modified at `at`.
    Keyset {
        /// The modified second the next request starts at.
        at: i64,
        /// Ids returned with modified time `at`, left out when they come again.
        seen: Vec<String>,
    },
    /// More than a page was modified at second `at`: that second alone, ordered by id.
    Second {
        /// The modified second being read.
        at: i64,
        /// Ids of that second returned before it was read on its own.
        seen: Vec<String>,
        /// Records of that second read so far by id (the offset reached).
        pos: usize,
        /// The largest id read in that second by id; ids up to it are done.
        last: Option<u64>,
    },
}

/// WooCommerce's `_gmt` date filters take a zone-less time with `dates_are_gmt=true`.
pub fn gmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
        .trim_end_matches('Z')
        .to_string()
}

fn at_second(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

/// The record's modified second (GMT); `None` when it carries no readable time.
pub fn modified(r: &Value) -> Option<i64> {
    time(r, "date_modified_gmt")
        .and_then(|t| waybill_model::time::parse_lenient(&t))
        .map(|t| t.timestamp())
}

fn id_number(r: &Value) -> Option<u64> {
    text(r, "id").and_then(|i| i.parse().ok())
}

/// One request of a walk: its query and the offset it asked for.
pub struct Ask {
    /// The query parameters.
    pub query: Vec<(&'static str, String)>,
    /// Records asked for.
    pub per_page: usize,
    /// The offset asked for (0 in keyset mode).
    pub offset: usize,
}

impl Cursor {
    /// The cursor a pull continues from: the start of the window when there is none. A
    /// cursor this walk did not write (one from the offset paging of earlier versions)
    /// also restarts at the window's start, which re-reads records rather than skip any.
    pub fn resume(req: &PullRequest) -> Cursor {
        req.cursor
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or(Cursor {
                walk: Walk::Keyset {
                    at: req.since.timestamp(),
                    seen: Vec::new(),
                },
                part: None,
            })
    }

    /// The cursor as the opaque text a page hands back.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Walk {
    /// The request for the next page of at most `page` records (`max`: the most WooCommerce
    /// serves). Within one second it asks for [`STEP_BACK`] more, the records it re-reads.
    pub fn ask(&self, req: &PullRequest, page: usize, max: usize) -> Ask {
        match self {
            Walk::Keyset { at, .. } => Ask {
                query: vec![
                    ("per_page", page.to_string()),
                    ("orderby", "modified".into()),
                    ("order", "asc".into()),
                    ("modified_after", gmt(at_second(*at - 1))),
                    ("modified_before", gmt(req.until)),
                    ("dates_are_gmt", "true".into()),
                ],
                per_page: page,
                offset: 0,
            },
            Walk::Second { at, pos, last, .. } => {
                // Room for the step back and at least one record past it.
                let per_page = (page + STEP_BACK).min(max).max(STEP_BACK + 1);
                let offset = if last.is_some() {
                    pos.saturating_sub(STEP_BACK)
                } else {
                    *pos
                };
                let before = at_second(*at + 1).min(req.until);
                Ask {
                    query: vec![
                        ("per_page", per_page.to_string()),
                        ("offset", offset.to_string()),
                        ("orderby", "id".into()),
                        ("order", "asc".into()),
                        ("modified_after", gmt(at_second(*at - 1))),
                        ("modified_before", gmt(before)),
                        ("dates_are_gmt", "true".into()),
                    ],
                    per_page,
                    offset,
                }
            }
        }
    }

    /// Whether an answer to `ask` can be trusted not to have stepped over a record: within
    /// one second, an answer that starts past the offset reached must begin with a record
    /// already read. When it does not, [`Walk::restarted`] reads the second again.
    pub fn answer_is_whole(&self, ask: &Ask, list: &[Value]) -> bool {
        match self {
            Walk::Keyset { .. } => true,
            Walk::Second { last, .. } => {
                if ask.offset == 0 {
                    return true;
                }
                let first = list.first().and_then(id_number);
                matches!((first, last), (Some(f), Some(l)) if f <= *l)
            }
        }
    }

    /// The same second read again from its start, keeping what was read (which is left out).
    pub fn restarted(&self) -> Walk {
        match self {
            Walk::Second { at, seen, last, .. } => Walk::Second {
                at: *at,
                seen: seen.clone(),
                pos: 0,
                last: *last,
            },
            other => other.clone(),
        }
    }

    /// The modified second a record counts at in this walk: never before the second being
    /// read (a record without a readable time counts at it too).
    fn second_of(&self, r: &Value) -> i64 {
        let at = self.at();
        modified(r).unwrap_or(at).max(at)
    }

    fn at(&self) -> i64 {
        match self {
            Walk::Keyset { at, .. } | Walk::Second { at, .. } => *at,
        }
    }

    /// Whether a record of the answer is new to this pull: not an id already returned at
    /// the same modified second (a record returned before and modified since is new again,
    /// at its new second).
    pub fn is_new(&self, r: &Value) -> bool {
        let id = text(r, "id");
        let seen = |s: &[String]| id.as_ref().is_some_and(|i| s.contains(i));
        match self {
            Walk::Keyset { at, seen: s } => !(self.second_of(r) == *at && seen(s)),
            Walk::Second { seen: s, last, .. } => {
                let done = matches!((id_number(r), last), (Some(n), Some(l)) if n <= *l);
                !done && !seen(s)
            }
        }
    }

    /// The cursor after the first `consumed` records of `list` (the answer to `ask`) were
    /// handed out or left out; `None` when the window is done.
    pub fn advance(&self, ask: &Ask, list: &[Value], consumed: usize) -> Option<Walk> {
        let taken = &list[..consumed.min(list.len())];
        let short = consumed >= list.len() && list.len() < ask.per_page;
        match self {
            Walk::Keyset { at, seen } => {
                if short {
                    return None;
                }
                let top = taken.iter().map(|r| self.second_of(r)).max().unwrap_or(*at);
                if top > *at {
                    let seen = taken
                        .iter()
                        .filter(|r| self.second_of(r) == top)
                        .filter_map(|r| text(r, "id"))
                        .collect();
                    return Some(Walk::Keyset { at: top, seen });
                }
                let mut seen = seen.clone();
                for id in taken.iter().filter_map(|r| text(r, "id")) {
                    if !seen.contains(&id) {
                        seen.push(id);
                    }
                }
                // A full answer all of one second may hide more of that second behind it,
                // in an order WooCommerce does not fix: read that second on its own.
                let one_second =
                    list.len() >= ask.per_page && list.iter().all(|r| self.second_of(r) == *at);
                Some(if one_second {
                    Walk::Second {
                        at: *at,
                        seen,
                        pos: 0,
                        last: None,
                    }
                } else {
                    Walk::Keyset { at: *at, seen }
                })
            }
            Walk::Second { at, seen, last, .. } => {
                if short {
                    // That second is done: on to the next one.
                    return Some(Walk::Keyset {
                        at: *at + 1,
                        seen: Vec::new(),
                    });
                }
                let last = taken.iter().filter_map(id_number).chain(*last).max();
                Some(Walk::Second {
                    at: *at,
                    seen: seen.clone(),
                    pos: ask.offset + taken.len(),
                    last,
                })
            }
        }
    }
}
