//! Normalized records: upsert with change detection, single reads and keyset pages.
//!
//! A record's row holds the connector's document as JSON text, a hash of that text, the
//! indexed filter columns, and Waybill's own dates and tags. Reads splice Waybill's fields
//! into the stored text without parsing it, which keeps the hot path free of JSON work.

use crate::db::{int_col, str_col, SqlStore};
use crate::filter_sql::column_name;
use crate::{NewEvent, RecordStore, Result};
use async_trait::async_trait;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use std::collections::HashMap;
use waybill_model::query::ListQuery;
use waybill_model::{Column, FieldKind, Op, Resource};

/// Rows per statement; 18 columns each stays far below both engines' parameter limits.
const CHUNK: usize = 400;
/// Ids per hash lookup: a whole connector page in one query.
const LOOKUP_CHUNK: usize = 1000;

/// Whether an upserted record was new or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// First sight of the record.
    Created,
    /// The record's document changed.
    Updated,
}

/// A document handed to the store: a `Value`, or a JSON object already serialized as compact
/// text. Text is hashed and stored as is, so a connector that produces text saves a `Value`
/// round trip per record (see `PullPage::json`).
#[derive(Debug, Clone)]
pub enum Doc {
    /// A document tree.
    Value(Value),
    /// Compact JSON text of an object.
    Json(String),
}

impl From<Value> for Doc {
    fn from(v: Value) -> Self {
        Doc::Value(v)
    }
}

impl From<String> for Doc {
    fn from(s: String) -> Self {
        Doc::Json(s)
    }
}

/// One record that an upsert created or changed; unchanged records produce none.
#[derive(Debug, Clone)]
pub struct Change {
    /// New or changed.
    pub kind: ChangeKind,
    /// The record id.
    pub id: String,
    /// The new document as stored, JSON text: kept as text so a bulk load, which fires no
    /// events, never parses it.
    pub doc: String,
    /// The document before the change as stored, JSON text (`Updated` only).
    pub previous: Option<String>,
    /// When Waybill first stored the record.
    pub trackstar_created_date: String,
    /// When this change was stored.
    pub trackstar_updated_date: String,
    /// The record's tags, JSON text.
    pub tags: String,
}

impl Change {
    /// The new document, parsed (for diffs and payloads).
    pub fn doc_value(&self) -> Value {
        serde_json::from_str(&self.doc).unwrap_or(Value::Null)
    }

    /// The previous document, parsed (`Updated` only).
    pub fn previous_value(&self) -> Option<Value> {
        self.previous
            .as_deref()
            .map(|p| serde_json::from_str(p).unwrap_or(Value::Null))
    }

    /// The record as reads return it: the document plus Waybill's fields, spliced the same
    /// way reads splice them.
    pub fn full_record(&self, resource: &Resource) -> Value {
        let tags = resource.taggable.then_some(self.tags.as_str());
        serde_json::from_str(&splice(
            &self.doc,
            &self.trackstar_created_date,
            &self.trackstar_updated_date,
            tags,
        ))
        .unwrap_or(Value::Null)
    }
}

/// Builds the events of one change; called inside the upsert's transaction.
pub type EventsOf<'a> = &'a (dyn Fn(&Change) -> Vec<NewEvent> + Send + Sync);

/// Where a page ends: the last row's sequence and, when the page is ordered by a date, that
/// row's date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyset {
    /// Insertion sequence of the last row (0 before the first page).
    pub seq: i64,
    /// `created_date` of the last row, for pages ordered by it.
    pub key: Option<String>,
}

/// A record as read back: its position and its JSON text with Waybill's fields.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// Insertion sequence, the keyset of pages.
    pub seq: i64,
    /// The record's `created_date`, the keyset of pages filtered by a created-date range.
    pub created_date: Option<String>,
    /// The full JSON object.
    pub json: String,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The records, in sequence order.
    pub records: Vec<StoredRecord>,
    /// Whether more records follow.
    pub has_more: bool,
}

struct Existing {
    hash: String,
    doc: String,
    tags: String,
    created: String,
}

struct Prepared {
    id: String,
    text: String,
    hash: String,
    /// The indexed columns; computed only once a record is known to be new or changed.
    cols: Option<[Option<String>; 11]>,
}

/// The indexed columns, in the order of `Prepared::cols` and of the INSERT.
pub(crate) const INDEXED: [&str; 11] = [
    "created_date",
    "updated_date",
    "warehouse_customer_id",
    "status",
    "t0",
    "t1",
    "t2",
    "t3",
    "t4",
    "d0",
    "d1",
];

fn lookup<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(doc, |v, k| v.get(k))
}

fn scalar_text(v: &Value, kind: FieldKind) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    };
    if kind == FieldKind::Date {
        return waybill_model::time::normalize(&s).or(Some(s));
    }
    Some(s)
}

pub(crate) fn hash_of(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

pub(crate) fn id_of(doc: &Value) -> Option<String> {
    match doc.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The indexed columns of a document (or of any object holding at least the top-level
/// members that `wanted_members` names).
pub(crate) fn columns(resource: &Resource, doc: &Value) -> [Option<String>; 11] {
    let mut cols: [Option<String>; 11] = Default::default();
    let date = |p: &str| lookup(doc, p).and_then(|v| scalar_text(v, FieldKind::Date));
    cols[0] = date("created_date");
    cols[1] = date("updated_date");
    cols[2] = lookup(doc, "warehouse_customer_id").and_then(|v| scalar_text(v, FieldKind::Text));
    cols[3] = lookup(doc, "status").and_then(|v| scalar_text(v, FieldKind::Text));
    for f in resource.filters.iter().chain(resource.parent.iter()) {
        let pos = match f.column {
            Column::Text(i) => 4 + i as usize,
            Column::Date(i) => 9 + i as usize,
            _ => continue,
        };
        cols[pos] = lookup(doc, f.path).and_then(|v| scalar_text(v, f.kind));
    }
    cols
}

/// The top-level members `columns` reads.
fn wanted_members(resource: &Resource) -> Vec<&'static str> {
    let mut w = vec![
        "created_date",
        "updated_date",
        "warehouse_customer_id",
        "status",
    ];
    for f in resource.filters.iter().chain(resource.parent.iter()) {
        let top = f.path.split('.').next().unwrap_or(f.path);
        if !w.contains(&top) {
            w.push(top);
        }
    }
    w
}

/// A typed partial parse of a document's text: validates all of it, but builds `Value`s
/// only for the wanted top-level members (duplicates: the last wins, as in a full parse).
struct Slim<'w>(&'w [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for Slim<'_> {
    type Value = serde_json::Map<String, Value>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Slim<'_> {
    type Value = serde_json::Map<String, Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut m: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = m.next_key_seed(Wanted(self.0))? {
            match k {
                Some(k) => {
                    out.insert(k, m.next_value::<Value>()?);
                }
                None => {
                    m.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// A key, kept only when wanted (no allocation for the others).
struct Wanted<'w>(&'w [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for Wanted<'_> {
    type Value = Option<String>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Wanted<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, k: &str) -> std::result::Result<Self::Value, E> {
        Ok(self.0.contains(&k).then(|| k.to_string()))
    }
}

/// Columns of a document given as text; `None` when the text is not a JSON object.
fn text_columns(
    resource: &Resource,
    wanted: &[&'static str],
    text: &str,
) -> Option<[Option<String>; 11]> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let slim = Slim(wanted).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(columns(resource, &Value::Object(slim)))
}

/// Id, text and hash of a document. Text documents are read with the top-level scanner only:
/// their columns wait until the record is known to be new or changed.
fn prepare(resource: &Resource, doc: Doc) -> Option<Prepared> {
    let doc = match doc {
        Doc::Json(text) => {
            let id = match waybill_model::jsontext::members(&text, ["id"]) {
                Some([Some(raw)]) => match waybill_model::jsontext::as_str(raw) {
                    Some(s) => Some(s.into_owned()),
                    None => match serde_json::from_str::<Value>(raw).ok()? {
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    },
                },
                Some([None]) => None,
                // Not something the scanner reads: parse it properly.
                None => return prepare(resource, Doc::Value(serde_json::from_str(&text).ok()?)),
            }?;
            let hash = hash_of(&text);
            return Some(Prepared {
                id,
                text,
                hash,
                cols: None,
            });
        }
        Doc::Value(v) => v,
    };
    let id = id_of(&doc)?;
    let text = serde_json::to_string(&doc).ok()?;
    let hash = hash_of(&text);
    Some(Prepared {
        id,
        text,
        hash,
        cols: Some(columns(resource, &doc)),
    })
}

/// A page's documents prepared, without the ones that have no id, and with one entry per id:
/// the last copy wins inside one page, as it would across two pages.
fn unique(resource: &Resource, docs: Vec<Doc>) -> Vec<Prepared> {
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(docs.len());
    let mut prepared: Vec<Prepared> = Vec::with_capacity(docs.len());
    let mut skipped = 0usize;
    for p in docs.into_iter().map(|d| prepare(resource, d)) {
        let Some(p) = p else {
            skipped += 1;
            continue;
        };
        match by_id.get(&p.id) {
            Some(&i) => prepared[i] = p,
            None => {
                by_id.insert(p.id.clone(), prepared.len());
                prepared.push(p);
            }
        }
    }
    if skipped > 0 {
        tracing::warn!(
            resource = resource.key,
            skipped,
            "connector returned records without an id; skipped"
        );
    }
    prepared
}

/// Fills in the indexed columns of text documents, validating them; the ones that are not JSON
/// objects are dropped with a warning.
fn with_columns(resource: &Resource, mut docs: Vec<Prepared>) -> Vec<Prepared> {
    let wanted = wanted_members(resource);
    for p in docs.iter_mut().filter(|p| p.cols.is_none()) {
        p.cols = text_columns(resource, &wanted, &p.text);
    }
    let before = docs.len();
    docs.retain(|p| p.cols.is_some());
    if docs.len() < before {
        tracing::warn!(
            resource = resource.key,
            invalid = before - docs.len(),
            "connector returned records that are not JSON objects; skipped"
        );
    }
    docs
}

/// Splices Waybill's fields into a stored document's text.
fn splice(doc: &str, tcd: &str, tud: &str, tags: Option<&str>) -> String {
    let body = doc.trim_end();
    let body = body.strip_suffix('}').unwrap_or(body);
    let sep = if body.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    let mut out = String::with_capacity(doc.len() + 96);
    out.push_str(body);
    out.push_str(sep);
    out.push_str("\"trackstar_created_date\":\"");
    out.push_str(tcd);
    out.push_str("\",\"trackstar_updated_date\":\"");
    out.push_str(tud);
    out.push('"');
    if let Some(t) = tags {
        out.push_str(",\"trackstar_tags\":");
        out.push_str(t);
    }
    out.push('}');
    out
}

fn stored(r: &AnyRow, resource: &Resource) -> Result<StoredRecord> {
    let tags = if resource.taggable {
        Some(str_col(r, "tags")?)
    } else {
        None
    };
    Ok(StoredRecord {
        seq: int_col(r, "seq")?,
        created_date: crate::db::opt_str(r, "created_date")?,
        json: splice(
            &str_col(r, "doc")?,
            &str_col(r, "trackstar_created_date")?,
            &str_col(r, "trackstar_updated_date")?,
            tags.as_deref(),
        ),
    })
}

const READ_COLUMNS: &str =
    "seq, created_date, doc, tags, trackstar_created_date, trackstar_updated_date";

fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlStore {
    /// The stored hashes of a chunk's ids.
    async fn stored_hashes(
        &self,
        connection_id: &str,
        resource: &Resource,
        chunk: &[Prepared],
    ) -> Result<HashMap<String, String>> {
        let sql = format!(
            "SELECT id, hash FROM records WHERE connection_id = $1 AND resource = $2 AND id IN ({})",
            placeholders(3, chunk.len())
        );
        let sql = self.sql(&sql);
        let mut q = sqlx::query(&sql).bind(connection_id).bind(resource.key);
        for p in chunk {
            q = q.bind(&p.id);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((str_col(r, "id")?, str_col(r, "hash")?)))
            .collect()
    }

    /// Inserts or replaces rows whose columns are known.
    async fn insert_rows(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        connection_id: &str,
        resource: &Resource,
        dirty: &[Prepared],
        now: &str,
    ) -> Result<u64> {
        let cols = "connection_id, resource, id, doc, hash, trackstar_created_date, trackstar_updated_date, created_date, updated_date, warehouse_customer_id, status, t0, t1, t2, t3, t4, d0, d1";
        let per_row = 18;
        let values = (0..dirty.len())
            .map(|i| format!("({})", placeholders(1 + i * per_row, per_row)))
            .collect::<Vec<_>>()
            .join(", ");
        let updates = ["doc", "hash", "trackstar_updated_date"]
            .iter()
            .chain(INDEXED.iter())
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        // A row whose stored hash already matches is left alone (a bulk load's rows were not
        // looked up first; an upsert's were, but another writer may have stored the same copy).
        let sql = format!("INSERT INTO records ({cols}) VALUES {values} ON CONFLICT (connection_id, resource, id) DO UPDATE SET {updates} WHERE records.hash <> excluded.hash");
        let sql = self.sql(&sql);
        let mut q = sqlx::query(&sql);
        let none: [Option<String>; 11] = Default::default();
        for p in dirty {
            q = q
                .bind(connection_id)
                .bind(resource.key)
                .bind(&p.id)
                .bind(&p.text)
                .bind(&p.hash)
                .bind(now)
                .bind(now);
            for c in p.cols.as_ref().unwrap_or(&none) {
                q = q.bind(c.as_deref());
            }
        }
        Ok(q.execute(&mut **tx).await?.rows_affected())
    }
}

#[async_trait]
impl RecordStore for SqlStore {
    async fn upsert_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<Doc>,
        now: &str,
        events_of: EventsOf<'_>,
    ) -> Result<Vec<Change>> {
        let prepared = unique(resource, docs);
        // Change detection first, outside the write transaction: one read of the stored
        // hashes per page. A page of unchanged records ends here, with no write at all.
        let mut candidates = Vec::with_capacity(prepared.len());
        let mut rest = prepared;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(LOOKUP_CHUNK));
            let chunk = std::mem::replace(&mut rest, tail);
            let stored = self.stored_hashes(connection_id, resource, &chunk).await?;
            candidates.extend(
                chunk
                    .into_iter()
                    .filter(|p| stored.get(&p.id) != Some(&p.hash)),
            );
        }
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        // Text documents are validated and their columns read only now.
        let candidates = with_columns(resource, candidates);
        let mut changes = Vec::new();
        let mut emitted = 0usize;
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let mut rest = candidates;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(CHUNK));
            let chunk = std::mem::replace(&mut rest, tail);
            // Read again inside the transaction: another writer may have stored some of these
            // since the check above.
            let sql = format!(
                "SELECT id, hash, doc, tags, trackstar_created_date FROM records WHERE connection_id = $1 AND resource = $2 AND id IN ({})",
                placeholders(3, chunk.len())
            );
            let sql = self.sql(&sql);
            let mut q = sqlx::query(&sql).bind(connection_id).bind(resource.key);
            for p in &chunk {
                q = q.bind(&p.id);
            }
            let mut existing: HashMap<String, Existing> = q
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        str_col(r, "id")?,
                        Existing {
                            hash: str_col(r, "hash")?,
                            doc: str_col(r, "doc")?,
                            tags: str_col(r, "tags")?,
                            created: str_col(r, "trackstar_created_date")?,
                        },
                    ))
                })
                .collect::<Result<_>>()?;
            let dirty: Vec<Prepared> = chunk
                .into_iter()
                .filter(|p| existing.get(&p.id).is_none_or(|e| e.hash != p.hash))
                .collect();
            if dirty.is_empty() {
                continue;
            }
            self.insert_rows(&mut tx, connection_id, resource, &dirty, now)
                .await?;
            let mut events = Vec::new();
            for p in dirty {
                let change = match existing.remove(&p.id) {
                    Some(e) => Change {
                        kind: ChangeKind::Updated,
                        id: p.id,
                        doc: p.text,
                        previous: Some(e.doc),
                        trackstar_created_date: e.created,
                        trackstar_updated_date: now.to_string(),
                        tags: e.tags,
                    },
                    None => Change {
                        kind: ChangeKind::Created,
                        id: p.id,
                        doc: p.text,
                        previous: None,
                        trackstar_created_date: now.to_string(),
                        trackstar_updated_date: now.to_string(),
                        tags: "[]".into(),
                    },
                };
                events.extend(events_of(&change));
                changes.push(change);
            }
            crate::events::insert_in(&mut tx, self, &events).await?;
            emitted += events.len();
        }
        tx.commit().await?;
        if emitted > 0 {
            self.notify_events().await;
        }
        Ok(changes)
    }

    async fn bulk_upsert_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        docs: Vec<Doc>,
        now: &str,
    ) -> Result<u64> {
        let rows = with_columns(resource, unique(resource, docs));
        if rows.is_empty() {
            return Ok(0);
        }
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let mut written = 0;
        for chunk in rows.chunks(CHUNK) {
            written += self
                .insert_rows(&mut tx, connection_id, resource, chunk, now)
                .await?;
        }
        tx.commit().await?;
        Ok(written)
    }

    async fn get_record(
        &self,
        connection_id: &str,
        resource: &Resource,
        id: &str,
        parent: Option<&str>,
    ) -> Result<Option<StoredRecord>> {
        let mut sql = format!("SELECT {READ_COLUMNS} FROM records WHERE connection_id = $1 AND resource = $2 AND id = $3");
        if let (Some(_), Some(pf)) = (parent, resource.parent) {
            sql.push_str(&format!(" AND {} = $4", column_name(pf.column)));
        }
        let mut q = sqlx::query(&sql)
            .bind(connection_id)
            .bind(resource.key)
            .bind(id);
        if let (Some(p), Some(_)) = (parent, resource.parent) {
            q = q.bind(p);
        }
        let row = q.fetch_optional(&self.pool).await?;
        row.as_ref().map(|r| stored(r, resource)).transpose()
    }

    async fn list_records(
        &self,
        connection_id: &str,
        resource: &Resource,
        lq: &ListQuery,
        parent: Option<&str>,
        after: &Keyset,
    ) -> Result<ListPage> {
        // The page's sequence numbers come from an index-only subquery, then only those rows'
        // documents are read: filters never touch the wide rows they reject.
        let mut inner =
            String::from("SELECT seq FROM records WHERE connection_id = $1 AND resource = $2");
        let mut next = 3;
        let parent_bind = match (parent, resource.parent) {
            (Some(p), Some(pf)) => {
                inner.push_str(&format!(" AND {} = ${next}", column_name(pf.column)));
                next += 1;
                Some(p)
            }
            _ => None,
        };
        let filter = self.filter_sql(lq, next);
        next += filter.binds.len();
        inner.push_str(&filter.sql);
        let range = |c: &&waybill_model::query::Condition| {
            matches!(c.op, Op::Gt | Op::Gte | Op::Lt | Op::Lte)
        };
        let ranged = lq.ids.is_none() && lq.conditions.iter().any(|c| range(&c));
        // A created-date range is paged in created-date order: its index then yields the page
        // already in order, and a source's creation time does not change, so the keyset stays
        // stable. Other ranges keep sequence order; there the keyset bound is not indexed
        // (`+seq`) and the order is an expression (`seq + 0`), so the planner drives the query
        // from the filter's index and sorts only the matches instead of walking the resource.
        let by_created = ranged
            && lq
                .conditions
                .iter()
                .filter(range)
                .any(|c| c.field.column == Column::CreatedDate);
        let limit = lq.limit as i64;
        // The first page has no keyset bound: PostgreSQL would otherwise start its index scan
        // at the (empty) row-value bound instead of the range's own lower bound.
        let bound = by_created && after.key.is_some();
        let order = if by_created {
            if bound {
                inner.push_str(&format!(
                    " AND (created_date, seq) > (${next}, ${})",
                    next + 1
                ));
            }
            inner.push_str(&format!(" ORDER BY created_date, seq LIMIT {}", limit + 1));
            "created_date, seq"
        } else if ranged {
            inner.push_str(&format!(
                " AND +seq > ${next} ORDER BY seq + 0 LIMIT {}",
                limit + 1
            ));
            "seq"
        } else {
            inner.push_str(&format!(
                " AND seq > ${next} ORDER BY seq LIMIT {}",
                limit + 1
            ));
            "seq"
        };
        let sql =
            format!("SELECT {READ_COLUMNS} FROM records WHERE seq IN ({inner}) ORDER BY {order}");
        let sql = self.sql(&sql);
        let mut q = sqlx::query(&sql).bind(connection_id).bind(resource.key);
        if let Some(p) = parent_bind {
            q = q.bind(p);
        }
        for b in &filter.binds {
            q = q.bind(b);
        }
        if bound {
            q = q
                .bind(after.key.clone().unwrap_or_default())
                .bind(after.seq);
        } else if !by_created {
            q = q.bind(after.seq);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let has_more = rows.len() as i64 > limit;
        let records = rows
            .iter()
            .take(limit as usize)
            .map(|r| stored(r, resource))
            .collect::<Result<Vec<_>>>()?;
        Ok(ListPage { records, has_more })
    }

    async fn wipe_records(&self, connection_id: &str) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM record_tags WHERE record_seq IN (SELECT seq FROM records WHERE connection_id = $1)")
            .bind(connection_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM records WHERE connection_id = $1")
            .bind(connection_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn count_records(&self, connection_id: &str, resource: &Resource) -> Result<i64> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM records WHERE connection_id = $1 AND resource = $2",
        )
        .bind(connection_id)
        .bind(resource.key)
        .fetch_one(&self.pool)
        .await?;
        int_col(&r, "n")
    }
}

#[cfg(test)]
mod tests {
    use super::{columns, prepare, splice, text_columns, unique, wanted_members, Doc};
    use serde_json::json;
    use waybill_model::Resource;

    #[test]
    fn text_and_value_documents_prepare_alike() {
        let orders = Resource::by_key("wms.orders").unwrap();
        let doc = json!({
            "id": "ord_1", "warehouse_customer_id": "wc_1",
            "created_date": "2026-01-02T03:04:05Z", "updated_date": "2026-01-03T03:04:05.000Z",
            "status": "open", "channel": "web", "type": "d2c", "order_number": "#1",
            "reference_id": "r\"1", "required_ship_date": "2026-01-05T00:00:00Z",
            "line_items": [{"id": "x", "status": "nested, ignored"}]
        });
        let text = serde_json::to_string(&doc).unwrap();
        let v = prepare(orders, Doc::Value(doc.clone())).unwrap();
        let t = prepare(orders, Doc::Json(text.clone())).unwrap();
        assert_eq!(
            (v.id.as_str(), v.hash.as_str(), v.text.as_str()),
            (t.id.as_str(), t.hash.as_str(), text.as_str())
        );
        assert!(t.cols.is_none(), "text columns wait for the change check");
        let wanted = wanted_members(orders);
        assert_eq!(
            text_columns(orders, &wanted, &text),
            Some(columns(orders, &doc))
        );
        assert_eq!(v.cols, Some(columns(orders, &doc)));
        // Numeric ids, and text the scanner refuses, still prepare; invalid text has no columns.
        assert_eq!(
            prepare(orders, Doc::Json("{\"id\":12}".into())).unwrap().id,
            "12"
        );
        assert_eq!(
            prepare(orders, Doc::Json("{\"i\\u0064\":\"a\"}".into()))
                .unwrap()
                .id,
            "a"
        );
        assert!(prepare(orders, Doc::Json("{\"x\":1}".into())).is_none());
        assert_eq!(text_columns(orders, &wanted, "{\"id\":\"a\",}"), None);
    }

    #[test]
    fn a_page_keeps_the_last_copy_of_each_id_in_first_seen_order() {
        let orders = Resource::by_key("wms.orders").unwrap();
        let docs = vec![
            Doc::Json(r#"{"id":"a","status":"open"}"#.into()),
            Doc::Json(r#"{"id":"b","status":"open"}"#.into()),
            Doc::Json(r#"{"n":1}"#.into()),
            Doc::Json(r#"{"id":"a","status":"shipped"}"#.into()),
        ];
        let kept: Vec<(String, String)> = unique(orders, docs)
            .into_iter()
            .map(|p| (p.id, p.text))
            .collect();
        assert_eq!(
            kept,
            [
                (
                    "a".to_string(),
                    r#"{"id":"a","status":"shipped"}"#.to_string()
                ),
                ("b".to_string(), r#"{"id":"b","status":"open"}"#.to_string()),
            ]
        );
    }

    #[test]
    fn splice_appends_fields() {
        assert_eq!(
            splice("{\"id\":\"1\"}", "a", "b", Some("[]")),
            "{\"id\":\"1\",\"trackstar_created_date\":\"a\",\"trackstar_updated_date\":\"b\",\"trackstar_tags\":[]}"
        );
        assert_eq!(
            splice("{}", "a", "b", None),
            "{\"trackstar_created_date\":\"a\",\"trackstar_updated_date\":\"b\"}"
        );
    }
}
