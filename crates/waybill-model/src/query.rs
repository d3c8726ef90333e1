//! The query string of list routes (SPEC §6): pagination, `field[op]=value` filters, the
//! `ids` shortcut and the `trackstar_tags` filters. Parsing is pure and total: any byte
//! sequence either becomes a validated [`ListQuery`] or a [`QueryError`] naming every bad
//! parameter, so routes can answer `422` without touching the store and the store only
//! ever sees values that fit the field they filter.

mod decode;
mod fingerprint;
#[cfg(test)]
mod tests;
mod values;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::resource::{FilterField, Op, Resource};
use values::{check_item, check_text, list_items, parse_limit, typed};

/// Page size when the client sends no `limit`; also the largest allowed, so a client that
/// never pages explicitly still gets bounded responses.
pub const DEFAULT_LIMIT: u32 = 1000;
/// Largest `limit` a client may ask for; bigger pages would make response time unbounded.
pub const MAX_LIMIT: u32 = 1000;
/// Most items a list value (`in`, `nin`, `ids`, tags) may hold, so one request cannot turn
/// into an arbitrarily large SQL `IN (...)`.
pub const MAX_LIST_ITEMS: usize = 100;
/// Longest single value in characters; keeps pathological values away from the database.
pub const MAX_VALUE_CHARS: usize = 1000;

const UNKNOWN_FIELD: &str = "Unknown field.";
const REPEATED: &str = "Parameter given more than once.";
const IDS_TWICE: &str = "Give only one of ids and ids[in].";

/// Base names the parser owns itself; any operator on them is unsupported rather than an
/// unknown field, which tells the client the name was right but the bracket was not.
const RESERVED_BASES: &[&str] = &["limit", "page_token", "ids", "trackstar_tags"];

/// A parsed and validated list query. Callers apply `ids` alone when it is present and
/// otherwise AND every condition and tag filter together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size, always within `1..=MAX_LIMIT`.
    pub limit: u32,
    /// The previous page's `next_token`; opaque here, decoded by whoever issued it. An empty
    /// value counts as absent, i.e. the first page.
    pub page_token: Option<String>,
    /// Ids from `ids` or `ids[in]`, sorted and de-duplicated. When present, callers ignore
    /// every other filter (SPEC §6.2), though those were still validated.
    pub ids: Option<Vec<String>>,
    /// Field conditions, AND-ed; sorted by field, operator and values so that the same
    /// filters in any order compare equal and fingerprint alike.
    pub conditions: Vec<Condition>,
    /// `trackstar_tags[contains]`: a record matches when it has every one of these tags.
    pub tags_all: Vec<TagFilter>,
    /// `trackstar_tags[not_contains]`: a record matches when it has none of these tags.
    pub tags_none: Vec<TagFilter>,
}

impl Default for ListQuery {
    /// The query of a bare list request: first page, default size, no filters.
    fn default() -> Self {
        ListQuery {
            limit: DEFAULT_LIMIT,
            page_token: None,
            ids: None,
            conditions: Vec::new(),
            tags_all: Vec::new(),
            tags_none: Vec::new(),
        }
    }
}

/// One `field[op]=values` filter, already checked against the field's kind and operators so
/// the store can translate it to SQL without further validation.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The registry entry of the filtered field, which carries its column and path.
    pub field: FilterField,
    /// The operator; a bare `field=v` is [`Op::Eq`].
    pub op: Op,
    /// Exactly one value for scalar operators; for list operators (see [`Op::takes_list`])
    /// one or more, sorted and de-duplicated.
    pub values: Vec<FilterValue>,
}

impl PartialEq for Condition {
    /// Structural equality; written by hand because the registry's `FilterField` does not
    /// derive `PartialEq`.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.field, &other.field);
        a.name == b.name
            && a.kind == b.kind
            && a.ops == b.ops
            && a.column == b.column
            && a.path == b.path
            && self.op == other.op
            && self.values == other.values
    }
}

impl Eq for Condition {}

impl Condition {
    /// The canonical order of conditions: by field name, operator, then values.
    fn canonical_cmp(&self, other: &Self) -> Ordering {
        self.field
            .name
            .cmp(other.field.name)
            .then_with(|| self.op.as_str().cmp(other.op.as_str()))
            .then_with(|| self.values.cmp(&other.values))
    }
}

/// A validated filter value, typed by the field's kind so the store knows how to compare it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilterValue {
    /// Text (free text or an enum member), exactly as sent after percent-decoding.
    Text(String),
    /// A time in the wire shape `YYYY-MM-DDTHH:MM:SSZ`, which sorts as text in time order.
    Date(String),
    /// A boolean field's value.
    Bool(bool),
}

impl FilterValue {
    /// The textual value of text and date values (what the store binds); `None` for booleans.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FilterValue::Text(s) | FilterValue::Date(s) => Some(s),
            FilterValue::Bool(_) => None,
        }
    }
}

/// One item of a `trackstar_tags` filter; mirrors the two tag shapes of SPEC §13.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TagFilter {
    /// A string tag such as `rush`.
    Plain(String),
    /// A one-pair tag such as `tier:gold`, split on the first `:`.
    Pair(String, String),
}

impl TagFilter {
    /// Parses one list item: `key:value` with both sides non-empty is a pair, anything else
    /// is a plain tag, so a tag that merely contains a colon can still be matched.
    pub fn parse(item: &str) -> TagFilter {
        match item.split_once(':') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => {
                TagFilter::Pair(k.to_owned(), v.to_owned())
            }
            _ => TagFilter::Plain(item.to_owned()),
        }
    }

    /// The tag as it appears in a record's `trackstar_tags` array, for matching.
    pub fn to_json(&self) -> Value {
        match self {
            TagFilter::Plain(s) => Value::String(s.clone()),
            TagFilter::Pair(k, v) => {
                let mut m = serde_json::Map::new();
                m.insert(k.clone(), Value::String(v.clone()));
                Value::Object(m)
            }
        }
    }
}

/// Every problem found in a query string, keyed by the parameter name as the client sent it
/// (percent-decoded when that was possible). Routes render it as `422` with
/// `detail.query` = `fields`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryError {
    /// Parameter name -> messages, each message once, in the order found.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl QueryError {
    /// An error on one parameter, for callers that validate more after parsing (for example
    /// a page token whose filter fingerprint does not match).
    pub fn single(name: impl Into<String>, message: impl Into<String>) -> QueryError {
        let mut e = QueryError::default();
        e.add(&name.into(), &message.into());
        e
    }

    /// The `detail` member of the `422` body: `{"query": {"<param>": ["message", ...]}}`.
    pub fn detail(&self) -> Value {
        let fields: serde_json::Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
            .collect();
        let mut detail = serde_json::Map::new();
        detail.insert("query".to_owned(), Value::Object(fields));
        Value::Object(detail)
    }

    fn add(&mut self, name: &str, message: &str) {
        let list = self.fields.entry(name.to_owned()).or_default();
        if !list.iter().any(|m| m == message) {
            list.push(message.to_owned());
        }
    }
}

impl fmt::Display for QueryError {
    /// One line naming every bad parameter, usable as the `error` member of the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Invalid query parameters")?;
        let mut sep = ": ";
        for (name, messages) in &self.fields {
            for m in messages {
                write!(f, "{sep}{name}: {m}")?;
                sep = "; ";
            }
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

impl ListQuery {
    /// Parses the raw (still percent-encoded) query string of a list request for `resource`.
    /// Names in `extra_allowed` are route-specific parameters (e.g. `start_time`) that the
    /// caller reads itself; they are skipped here, even when repeated. Returns every error
    /// found, not just the first, so a client can fix its request in one round trip.
    pub fn parse(
        resource: &Resource,
        raw_query: Option<&str>,
        extra_allowed: &[&str],
    ) -> Result<ListQuery, QueryError> {
        let mut q = ListQuery::default();
        let mut errors = QueryError::default();
        let mut seen = BTreeSet::new();
        for segment in raw_query.unwrap_or("").split('&') {
            if segment.is_empty() {
                continue;
            }
            let (raw_name, raw_value) = segment.split_once('=').unwrap_or((segment, ""));
            let name = match decode::component(raw_name) {
                Ok(name) => name,
                Err(message) => {
                    errors.add(raw_name, message);
                    continue;
                }
            };
            if extra_allowed.contains(&name.as_str()) {
                continue;
            }
            if !seen.insert(name.clone()) {
                errors.add(&name, REPEATED);
                continue;
            }
            match decode::component(raw_value) {
                Ok(value) => q.apply(resource, &name, &value, &mut errors),
                Err(message) => errors.add(&name, message),
            }
        }
        if !errors.fields.is_empty() {
            return Err(errors);
        }
        q.conditions.sort_by(Condition::canonical_cmp);
        q.conditions.dedup();
        for tags in [&mut q.tags_all, &mut q.tags_none] {
            tags.sort();
            tags.dedup();
        }
        Ok(q)
    }

    /// A stable fingerprint of the filter set (ids, conditions and tags, but not `limit` or
    /// `page_token`), so a page token can carry it and a client that changes its filters
    /// mid-pagination is told so instead of silently getting a mixed result. 16 hex digits
    /// of FNV-1a 64 over a length-prefixed canonical encoding; stable across builds.
    pub fn filter_fingerprint(&self) -> String {
        fingerprint::of(self)
    }

    /// Validates one decoded parameter and records it or its errors.
    fn apply(&mut self, resource: &Resource, name: &str, value: &str, errors: &mut QueryError) {
        match name {
            "limit" => match parse_limit(value) {
                Ok(limit) => self.limit = limit,
                Err(message) => errors.add(name, message),
            },
            "page_token" => {
                self.page_token = (!value.is_empty()).then(|| value.to_owned());
            }
            "ids" | "ids[in]" => {
                let items = list_items(value, name, errors, |item| check_text(item).err());
                if self.ids.is_some() {
                    errors.add(name, IDS_TWICE);
                } else if let Some(mut ids) = items {
                    ids.sort();
                    ids.dedup();
                    self.ids = Some(ids);
                }
            }
            "trackstar_tags[contains]" | "trackstar_tags[not_contains]" => {
                if let Some(items) = list_items(value, name, errors, |i| check_text(i).err()) {
                    let tags = items.iter().map(|i| TagFilter::parse(i));
                    if name.ends_with("[contains]") {
                        self.tags_all.extend(tags);
                    } else {
                        self.tags_none.extend(tags);
                    }
                }
            }
            _ => self.apply_filter(resource, name, value, errors),
        }
    }

    /// Handles `field` / `field[op]` against the resource's filters.
    fn apply_filter(
        &mut self,
        resource: &Resource,
        name: &str,
        value: &str,
        errors: &mut QueryError,
    ) {
        let Some((base, op_text)) = decode::split_name(name) else {
            return errors.add(name, UNKNOWN_FIELD);
        };
        let unsupported = || {
            format!(
                "Unsupported operator '{}' for {base}.",
                op_text.unwrap_or("eq")
            )
        };
        let Some(field) = resource.filter(base) else {
            let message = if RESERVED_BASES.contains(&base) {
                unsupported()
            } else {
                UNKNOWN_FIELD.to_owned()
            };
            return errors.add(name, &message);
        };
        let op = match op_text {
            None => Some(Op::Eq),
            Some(text) => Op::parse(text),
        };
        let Some(op) = op.filter(|op| field.ops.contains(op)) else {
            return errors.add(name, &unsupported());
        };
        let values = if op.takes_list() {
            list_items(value, name, errors, |item| {
                check_item(&field, op, item).err()
            })
        } else {
            match check_item(&field, op, value) {
                Ok(()) => Some(vec![value.to_owned()]),
                Err(message) => {
                    errors.add(name, &message);
                    None
                }
            }
        };
        if let Some(values) = values {
            let mut values: Vec<FilterValue> = values.iter().map(|v| typed(&field, v)).collect();
            values.sort();
            values.dedup();
            self.conditions.push(Condition { field, op, values });
        }
    }
}
