//! The sandbox integration: a simulated WMS, cart, carrier and freight system per vertical.
//! Its data is a pure function of a seed, a size and an anchor time kept in the connection's
//! credentials, so it behaves like a real vendor behind the connector interface (credential
//! checks, windowed paged pulls) while a million orders cost no memory.

pub mod data;
mod passthrough;
pub mod simulate;
pub mod state;
mod write_ops;
pub mod writes;

use async_trait::async_trait;
use chrono::Utc;
use data::SandboxSpec;
use serde_json::{json, Map, Value};
use state::SandboxState;
use std::collections::HashSet;
use std::sync::Arc;
use waybill_connect::{
    AuthField, Connector, ConnectorError, Credentials, InstallMethod, IntegrationDescriptor,
    PullPage, PullRequest, Validation,
};
use waybill_model::{IntegrationType, Resource};

/// Default number of orders of a new sandbox.
pub const DEFAULT_ORDERS: u64 = 500;
/// Days of history a new sandbox spans.
pub const DEFAULT_SPAN_DAYS: u32 = 30;

/// Keys the sandbox rejects, so the Link modal's failure path can be exercised.
const REJECTED_KEY_PREFIX: &str = "invalid";
/// Keys containing this lack inventory access, to exercise non-blocking errors.
const NO_INVENTORY_MARKER: &str = "no-inventory";
/// Keys containing this pass the install check but are refused on every pull, as when a
/// vendor revokes a key: a blocking connection error.
const REVOKED_MARKER: &str = "revoked";
/// Keys containing this are throttled on every other page, with a one-second Retry-After,
/// to exercise the sync engine's waiting.
const THROTTLE_MARKER: &str = "throttle";

/// The sandbox connector of one vertical.
pub struct SandboxConnector {
    descriptor: IntegrationDescriptor,
    state: Arc<dyn SandboxState>,
    /// Pages served, for the throttle marker.
    pages: std::sync::atomic::AtomicU64,
}

impl SandboxConnector {
    /// The sandbox of `vertical`, remembering changes in `state`.
    pub fn new(vertical: IntegrationType, state: Arc<dyn SandboxState>) -> Self {
        let read_functions: Vec<&'static str> =
            Resource::of(vertical).map(|r| r.function).collect();
        let on_demand = match vertical {
            IntegrationType::Wms => vec![
                "get_orders",
                "get_inbound_shipments",
                "get_returns",
                "get_bills",
                "get_inventory_ledger",
            ],
            IntegrationType::Cart => vec!["get_orders"],
            IntegrationType::Carrier => vec!["get_invoice_line_items"],
            IntegrationType::Freight => vec!["get_shipments"],
        };
        Self {
            descriptor: IntegrationDescriptor {
                integration_name: "sandbox",
                display_name: vertical.sandbox_display_name(),
                integration_type: vertical,
                description: "A simulated system with realistic generated data, for building and testing without a real account.",
                logo_url: None,
                install_method: InstallMethod::Input,
                auth_fields: vec![
                    AuthField {
                        name: "api_key",
                        label: "Sandbox API key",
                        secret: true,
                        required: true,
                        help: "Any value works. Keys starting with \"invalid\" are refused, keys containing \"no-inventory\" cannot read inventory, and keys containing \"throttle\" are rate limited on every other page.",
                    },
                    AuthField {
                        name: "orders",
                        label: "Number of orders",
                        secret: false,
                        required: false,
                        help: "How many orders the simulated warehouse holds (default 500).",
                    },
                ],
                read_functions,
                writes: writes::variants(vertical),
                passthrough: matches!(vertical, IntegrationType::Wms | IntegrationType::Cart),
                base_url: Some(passthrough::BASE_URL),
                on_demand_functions: on_demand,
            },
            state,
            pages: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The counters of the sandbox these credentials belong to (`pulls.<function>` counts
    /// the first page of every pull).
    pub async fn counters(
        &self,
        creds: &Credentials,
    ) -> Result<Vec<(String, i64)>, ConnectorError> {
        let spec = Self::spec(creds)?;
        self.state
            .counters(&spec.seed.to_string())
            .await
            .map_err(ConnectorError::Transient)
    }

    /// The state key of a function: functions are named alike across verticals.
    fn key(&self, function: &str) -> String {
        format!("{}.{function}", self.descriptor.integration_type)
    }

    /// Credentials of a fresh sandbox: a key plus the generator's spec.
    pub fn credentials(spec: &SandboxSpec) -> Credentials {
        let mut m = Map::new();
        m.insert("api_key".into(), json!("sandbox"));
        m.insert(
            "spec".into(),
            serde_json::to_value(spec).expect("spec serializes"),
        );
        Credentials(m)
    }

    /// Fills in the generator spec of credentials entered in the Link modal.
    pub fn complete_credentials(mut creds: Credentials, seed: u64) -> Credentials {
        if !creds.0.contains_key("spec") {
            // An optional `orders` credential sizes the simulated system (1 to 1,000,000).
            let orders = creds
                .get_str("orders")
                .and_then(|o| o.trim().parse::<u64>().ok())
                .map(|o| o.clamp(1, 1_000_000))
                .unwrap_or(DEFAULT_ORDERS);
            let spec = SandboxSpec::new(seed, orders, Utc::now().timestamp(), DEFAULT_SPAN_DAYS);
            creds.0.insert(
                "spec".into(),
                serde_json::to_value(spec).expect("spec serializes"),
            );
        }
        creds
    }

    fn spec(creds: &Credentials) -> Result<SandboxSpec, ConnectorError> {
        creds
            .0
            .get("spec")
            .cloned()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(|| {
                ConnectorError::Auth("The sandbox credentials carry no data spec.".into())
            })
    }

    fn check_key(creds: &Credentials) -> Result<&str, ConnectorError> {
        let key = creds.get_str("api_key").unwrap_or_default();
        if key.trim().is_empty() {
            return Err(ConnectorError::Auth("An API key is required.".into()));
        }
        if key.starts_with(REJECTED_KEY_PREFIX) {
            return Err(ConnectorError::Auth(
                "Invalid API key: the sandbox refused these credentials.".into(),
            ));
        }
        Ok(key)
    }
}

#[async_trait]
impl Connector for SandboxConnector {
    fn descriptor(&self) -> &IntegrationDescriptor {
        &self.descriptor
    }

    async fn validate(&self, creds: &Credentials) -> Result<Validation, ConnectorError> {
        let key = Self::check_key(creds)?;
        let mut v = Validation::default();
        v.me.insert(
            "account_id".into(),
            json!(format!(
                "sandbox-{}",
                &waybill_connect::secrets::hash_secret(key)[..8]
            )),
        );
        v.me.insert("account_name".into(), json!(self.descriptor.display_name));
        if key.contains(NO_INVENTORY_MARKER)
            && self.descriptor.integration_type == IntegrationType::Wms
        {
            v.missing.push((
                "get_inventory".into(),
                "This API key has no access to inventory.".into(),
            ));
        }
        Ok(v)
    }

    async fn pull(
        &self,
        creds: &Credentials,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let key = Self::check_key(creds)?;
        let vertical = self.descriptor.integration_type;
        if !self.descriptor.implements(&req.function) {
            return Err(ConnectorError::Unsupported(req.function.clone()));
        }
        if req.function == "get_inventory" && key.contains(NO_INVENTORY_MARKER) {
            return Err(ConnectorError::MissingPermission {
                message: "This API key has no access to inventory.".into(),
                functions: vec!["get_inventory".into()],
            });
        }
        if key.contains(REVOKED_MARKER) {
            return Err(ConnectorError::Auth(
                "Unauthorized: this API key has been revoked.".into(),
            ));
        }
        if key.contains(THROTTLE_MARKER)
            && self
                .pages
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                .is_multiple_of(2)
        {
            return Err(ConnectorError::RateLimited {
                retry_after: Some(std::time::Duration::from_secs(1)),
            });
        }
        let spec = Self::spec(creds)?;
        let f = req.function.as_str();
        if req.cursor.is_none() {
            self.state
                .increment(&spec.seed.to_string(), &format!("pulls.{}", self.key(f)))
                .await
                .map_err(ConnectorError::Transient)?;
        }
        let lo = data::first_index_at_or_after(&spec, vertical, f, req.since.timestamp());
        let hi = data::first_index_at_or_after(&spec, vertical, f, req.until.timestamp());
        let start = match &req.cursor {
            Some(c) => c
                .parse::<u64>()
                .map_err(|_| ConnectorError::Permanent {
                    message: format!("bad cursor {c:?}"),
                    status: None,
                })?
                .max(lo),
            None => lo,
        };
        let end = hi.min(start + req.page_size.max(1) as u64);
        // Changed and created records live in the sandbox's state and replace the generated
        // ones; they come on the first page of a window that contains their update time.
        // Later pages only ask which of their own ids are overridden.
        let sandbox = spec.seed.to_string();
        let key = self.key(f);
        let mut records: Vec<Value> = Vec::new();
        let overridden: HashSet<String> = if req.cursor.is_none() {
            let overrides = self
                .state
                .overrides(&sandbox, &key)
                .await
                .map_err(ConnectorError::Transient)?;
            let (since, until) = (req.since.timestamp(), req.until.timestamp());
            records.extend(
                overrides
                    .iter()
                    .filter(|o| o.updated_at >= since && o.updated_at < until)
                    .map(|o| o.doc.clone()),
            );
            overrides.into_iter().map(|o| o.id).collect()
        } else {
            let ids: Vec<String> = (start..end)
                .filter_map(|i| data::record_id(&spec, vertical, f, i))
                .collect();
            self.state
                .overridden_among(&sandbox, &key, &ids)
                .await
                .map_err(ConnectorError::Transient)?
                .into_iter()
                .collect()
        };
        let (values, json) = generate(&spec, vertical, f, start..end, &overridden);
        records.extend(values);
        Ok(PullPage {
            records,
            json,
            next_cursor: (end < hi).then(|| end.to_string()),
        })
    }

    async fn write(
        &self,
        creds: &Credentials,
        req: &waybill_connect::WriteRequest,
    ) -> Result<waybill_connect::WriteOutcome, ConnectorError> {
        self.perform_write(creds, req).await
    }

    async fn passthrough(
        &self,
        creds: &Credentials,
        req: &waybill_connect::PassthroughRequest,
    ) -> Result<waybill_connect::PassthroughResponse, ConnectorError> {
        self.answer_passthrough(creds, req).await
    }

    fn implemented_fields(&self, function: &str) -> Value {
        let spec = SandboxSpec::new(1, 1000, 1_700_000_000, DEFAULT_SPAN_DAYS);
        let vertical = self.descriptor.integration_type;
        // A fulfilled record shows the most fields; take the fullest of a few samples.
        let sample = (0..20)
            .filter(|i| *i < data::count(&spec, vertical, function))
            .map(|i| data::record(&spec, vertical, function, i))
            .max_by_key(|r| r.to_string().len())
            .unwrap_or(Value::Null);
        waybill_connect::connector::implemented_fields_of(&sample)
    }
}

/// Generates records `range` of a function, leaving out `overridden` ids, in order. Records
/// travel as JSON text (half the cost of a `Value`, and the store hashes text), except packs:
/// they have no id of their own in the canonical schema, so the order's id is added to the
/// document, which stays a `Value`. A page is generated on one thread: the sync engine
/// already keeps the cores busy by generating the next page while two others are stored.
fn generate(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    f: &str,
    range: std::ops::Range<u64>,
    overridden: &HashSet<String>,
) -> (Vec<Value>, Vec<String>) {
    let (mut values, mut json) = (Vec::new(), Vec::new());
    for i in range {
        if !overridden.is_empty()
            && data::record_id(spec, vertical, f, i)
                .is_some_and(|id| overridden.contains(id.as_str()))
        {
            continue;
        }
        if f == "get_order_packs" {
            let mut r = data::record(spec, vertical, f, i);
            if let (Value::Object(m), Some(id)) = (&mut r, data::record_id(spec, vertical, f, i)) {
                m.insert("id".into(), Value::String(id));
            }
            values.push(r);
        } else if let Some(t) = data::record_json(spec, vertical, f, i) {
            json.push(t);
        }
    }
    (values, json)
}
