//! The connector trait and the values that cross it.

use crate::{
    ConnectorError, IntegrationDescriptor, PassthroughRequest, PassthroughResponse, WriteOutcome,
    WriteRequest,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Decrypted vendor credentials: a JSON object of the descriptor's auth fields. They live in
/// memory only for the duration of a call and are never logged (Debug is redacted).
#[derive(Clone, Default)]
pub struct Credentials(pub Map<String, Value>);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

impl Credentials {
    /// A string member, when present.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }
}

/// What a successful credential check tells us about the account.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// Identifiers of the account inside the external system (`me` on the connection).
    pub me: Map<String, Value>,
    /// Functions the credentials cannot serve, with the vendor's message.
    pub missing: Vec<(String, String)>,
}

/// One page request of a pull.
#[derive(Debug, Clone)]
pub struct PullRequest {
    /// The function to pull, e.g. `get_orders`.
    pub function: String,
    /// Lower bound (inclusive) of the source's `updated_date`.
    pub since: DateTime<Utc>,
    /// Upper bound (exclusive).
    pub until: DateTime<Utc>,
    /// Where the previous page stopped; `None` for the first page.
    pub cursor: Option<String>,
    /// How many records the caller wants at most.
    pub page_size: usize,
}

/// One page of normalized records.
///
/// A connector that builds `serde_json::Value`s fills `records` (or uses [`PullPage::new`]);
/// one that can write compact JSON text directly also (or only) fills `json`, which the store
/// hashes and keeps as is, skipping a `Value` round trip per record: on a resync of
/// unchanged records that round trip is most of the cost.
#[derive(Debug, Clone, Default)]
pub struct PullPage {
    /// Canonical documents, without the `trackstar_*` fields the store adds.
    pub records: Vec<Value>,
    /// More canonical documents, each a JSON object as compact text (what
    /// `serde_json::to_string` writes, so that the same document hashes alike on both paths).
    /// They count as coming after `records` when one id appears twice in a page.
    pub json: Vec<String>,
    /// Cursor of the next page; `None` when the window is exhausted.
    pub next_cursor: Option<String>,
}

impl PullPage {
    /// A page of `Value` documents: the simple path for connectors.
    pub fn new(records: Vec<Value>, next_cursor: Option<String>) -> Self {
        Self {
            records,
            json: Vec::new(),
            next_cursor,
        }
    }

    /// A page of documents already serialized as compact JSON objects.
    pub fn from_json(json: Vec<String>, next_cursor: Option<String>) -> Self {
        Self {
            records: Vec::new(),
            json,
            next_cursor,
        }
    }

    /// How many documents the page holds, on both paths.
    pub fn len(&self) -> usize {
        self.records.len() + self.json.len()
    }

    /// Whether the page holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An integration implementation. Implementations are stateless apart from caches; every
/// call gets the connection's credentials.
#[async_trait]
pub trait Connector: Send + Sync {
    /// The integration's static description.
    fn descriptor(&self) -> &IntegrationDescriptor;

    /// Checks credentials against the vendor and probes which functions they can serve.
    async fn validate(&self, creds: &Credentials) -> Result<Validation, ConnectorError>;

    /// Pulls one page of a function over a time window.
    async fn pull(
        &self,
        creds: &Credentials,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError>;

    /// Performs a write on the vendor and returns the records it produced. Only called for
    /// functions the descriptor lists in `writes`, with a body checked against its schema.
    async fn write(
        &self,
        _creds: &Credentials,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        Err(ConnectorError::Unsupported(req.function.clone()))
    }

    /// Calls the vendor's own API with the connection's credentials (SPEC §14). The path was
    /// checked by [`crate::write::check_passthrough_path`].
    async fn passthrough(
        &self,
        _creds: &Credentials,
        _req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        Err(ConnectorError::Unsupported("passthrough".into()))
    }

    /// Values of this connection that fill the enums of its write schemas (SPEC §12.4), by
    /// dotted body path, e.g. `return_cause.code` → the account's return reasons.
    async fn write_values(
        &self,
        _creds: &Credentials,
    ) -> Result<Map<String, Value>, ConnectorError> {
        Ok(Map::new())
    }

    /// Which canonical fields a read function fills: `{field: bool | nested}`.
    fn implemented_fields(&self, _function: &str) -> Value {
        Value::Object(Map::new())
    }
}

/// `implemented_fields` of a sample record: every member present and non-null is `true`;
/// objects recurse, arrays describe their first element.
pub fn implemented_fields_of(sample: &Value) -> Value {
    match sample {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let f = match v {
                        Value::Object(o) if !o.is_empty() && k != "additional_fields" => {
                            implemented_fields_of(v)
                        }
                        Value::Array(a) if a.first().is_some_and(Value::is_object) => {
                            Value::Array(vec![implemented_fields_of(&a[0])])
                        }
                        Value::Null => Value::Bool(false),
                        _ => Value::Bool(true),
                    };
                    (k.clone(), f)
                })
                .collect(),
        ),
        _ => Value::Bool(!sample.is_null()),
    }
}
