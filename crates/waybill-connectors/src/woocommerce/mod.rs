//! WooCommerce (REST API v3): orders and products with their variations; stock
//! adjustments, shipments (a completed order with tracking) and refunds as writes;
//! passthrough to the store's REST API. WooCommerce has no locations, so no warehouses.
//!
//! Records that cannot be normalized (no id) are skipped with a `tracing` warning and
//! counted in [`WooCommerceConnector::skipped`]; everything else is kept with what could
//! be mapped.

pub mod client;
pub mod orders;
pub mod products;
pub mod walk;
pub mod writes;

use crate::http::{for_functions, missing_for};
use crate::values::text;
use async_trait::async_trait;
use client::WooClient;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use walk::{Ask, Cursor, Part};
use waybill_connect::{
    AuthField, Connector, ConnectorError, Credentials, InstallMethod, IntegrationDescriptor,
    PassthroughRequest, PassthroughResponse, PullPage, PullRequest, Validation, WriteOutcome,
    WriteRequest, WriteVariant,
};
use waybill_model::IntegrationType;

/// Most records WooCommerce returns per list call.
const MAX_PER_PAGE: usize = 100;

/// The WooCommerce connector.
pub struct WooCommerceConnector {
    descriptor: IntegrationDescriptor,
    skipped: AtomicU64,
}

impl Default for WooCommerceConnector {
    fn default() -> Self {
        Self::new()
    }
}

impl WooCommerceConnector {
    /// The connector with its descriptor.
    pub fn new() -> Self {
        Self {
            descriptor: IntegrationDescriptor {
                integration_name: "woocommerce",
                display_name: "WooCommerce",
                integration_type: IntegrationType::Cart,
                description: "Orders and products with variations from a WooCommerce store; stock adjustments, shipments and refunds.",
                logo_url: None,
                install_method: InstallMethod::Input,
                auth_fields: vec![
                    AuthField {
                        name: "store_url",
                        label: "Store URL",
                        secret: false,
                        required: true,
                        help: "Your store's address, e.g. https://shop.example.com (HTTPS is required).",
                    },
                    AuthField {
                        name: "consumer_key",
                        label: "Consumer key",
                        secret: true,
                        required: true,
                        help: "From WooCommerce → Settings → Advanced → REST API → Add key, with Read/Write permissions (starts with ck_).",
                    },
                    AuthField {
                        name: "consumer_secret",
                        label: "Consumer secret",
                        secret: true,
                        required: true,
                        help: "Shown once next to the consumer key (starts with cs_).",
                    },
                ],
                read_functions: vec!["get_orders", "get_products"],
                writes: vec![
                    WriteVariant::of::<writes::AdjustInventory>("adjust_inventory"),
                    WriteVariant::of::<writes::BatchAdjustInventory>("batch_adjust_inventory"),
                    WriteVariant::of::<writes::CreateShipment>("create_order_shipment"),
                    WriteVariant::of::<writes::Refund>("refund_order"),
                ],
                passthrough: true,
                base_url: Some("https://{store}/wp-json/wc/v3"),
                on_demand_functions: vec!["get_orders"],
            },
            skipped: AtomicU64::new(0),
        }
    }

    /// Vendor records skipped because they could not be normalized (no id), since start.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(Ordering::Relaxed)
    }

    fn skip(&self, what: &str, n: usize) {
        if n > 0 {
            tracing::warn!(what, count = n, "WooCommerce records without an id skipped");
            self.skipped.fetch_add(n as u64, Ordering::Relaxed);
        }
    }

    /// An order as a canonical record.
    fn order_record(&self, c: &WooClient, o: &Value) -> Result<Value, ConnectorError> {
        orders::order(o, &c.store)
            .and_then(|o| serde_json::to_value(o).ok())
            .ok_or_else(|| {
                ConnectorError::Transient("WooCommerce returned an order without an id".into())
            })
    }

    /// One page of an incremental list (`/orders`, `/products`) on the walk of the cursor:
    /// the cursor, the request and its answer. An answer that may have stepped over a record
    /// (records left the second being read) is asked again from that second's start.
    async fn walk_page(
        c: &WooClient,
        path: &str,
        req: &PullRequest,
    ) -> Result<(Cursor, Ask, Vec<Value>), ConnectorError> {
        let per_page = req.page_size.clamp(1, MAX_PER_PAGE);
        let mut cur = Cursor::resume(req);
        let mut ask = cur.walk.ask(req, per_page, MAX_PER_PAGE);
        let mut list = Self::items(c.get(path, &ask.query).await?);
        if !cur.walk.answer_is_whole(&ask, &list) {
            cur.walk = cur.walk.restarted();
            ask = cur.walk.ask(req, per_page, MAX_PER_PAGE);
            list = Self::items(c.get(path, &ask.query).await?);
        }
        Ok((cur, ask, list))
    }

    fn items(v: Value) -> Vec<Value> {
        match v {
            Value::Array(a) => a,
            _ => Vec::new(),
        }
    }

    async fn pull_orders(
        &self,
        c: &WooClient,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let (cur, ask, list) = Self::walk_page(c, "/orders", req).await?;
        let page = req.page_size.max(1);
        let mut records = Vec::new();
        let mut skipped = 0;
        let mut consumed = 0;
        for o in &list {
            if cur.walk.is_new(o) {
                // Within one second more is read than handed out (the step back).
                if records.len() + skipped >= page {
                    break;
                }
                match orders::order(o, &c.store).and_then(|o| serde_json::to_value(o).ok()) {
                    Some(v) => records.push(v),
                    None => skipped += 1,
                }
            }
            consumed += 1;
        }
        self.skip("orders", skipped);
        let next = cur
            .walk
            .advance(&ask, &list, consumed)
            .map(|walk| Cursor { walk, part: None });
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: next.map(|c| c.encode()),
        })
    }

    /// Every variation of a variable product, in id order.
    async fn variations(
        &self,
        c: &WooClient,
        product_id: &str,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut out = Vec::new();
        for page in 1..=100 {
            let r = c
                .get(
                    &format!("/products/{product_id}/variations"),
                    &[
                        ("per_page", MAX_PER_PAGE.to_string()),
                        ("page", page.to_string()),
                        // By id, variations added while paging come last instead of
                        // shifting the pages.
                        ("orderby", "id".into()),
                        ("order", "asc".into()),
                    ],
                )
                .await?;
            let list = r.as_array().cloned().unwrap_or_default();
            let n = list.len();
            out.extend(list);
            if n < MAX_PER_PAGE {
                break;
            }
        }
        out.sort_by_key(|v| text(v, "id").and_then(|i| i.parse::<u64>().ok()));
        Ok(out)
    }

    /// A product and its variations as canonical records (`None`: no id, counted as
    /// skipped), each with the variation id it is handed out after.
    async fn product_records(
        &self,
        c: &WooClient,
        p: &Value,
    ) -> Result<Vec<(Option<u64>, Option<Value>)>, ConnectorError> {
        let vars = match (products::is_variable(p), text(p, "id")) {
            (true, Some(id)) => self.variations(c, &id).await?,
            _ => vec![],
        };
        let Some(rec) = products::product(p, &c.store) else {
            // Without the product's id its variations cannot be placed either.
            return Ok(vec![(None, None); 1 + vars.len()]);
        };
        let mut out = vec![(None, serde_json::to_value(rec).ok())];
        for v in &vars {
            let vid = text(v, "id").and_then(|i| i.parse().ok());
            let rec =
                products::variation(v, p, &c.store).and_then(|r| serde_json::to_value(r).ok());
            out.push((vid, rec));
        }
        Ok(out)
    }

    async fn pull_products(
        &self,
        c: &WooClient,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let (cur, ask, list) = Self::walk_page(c, "/products", req).await?;
        let page = req.page_size.max(1);
        let mut out: Vec<Option<Value>> = Vec::new();
        let mut consumed = 0;
        let mut part = None;
        for p in &list {
            if !cur.walk.is_new(p) {
                consumed += 1;
                continue;
            }
            let mut recs = self.product_records(c, p).await?;
            // A product begun on the last page goes on after what was handed out then (if
            // it changed meanwhile, it comes whole at its new modified time instead).
            if out.is_empty() {
                if let Some(begun) = cur
                    .part
                    .as_ref()
                    .filter(|b| text(p, "id") == Some(b.id.clone()))
                {
                    recs = recs
                        .into_iter()
                        .skip(1)
                        .filter(|(vid, _)| begun.after.is_none_or(|a| vid.is_some_and(|v| v > a)))
                        .collect();
                }
            }
            // Whole products while they fit; one larger than a page is split over pages.
            if out.len() + recs.len() > page {
                if out.is_empty() {
                    let head: Vec<_> = recs.into_iter().take(page).collect();
                    let after = head.last().and_then(|(vid, _)| *vid);
                    let id = text(p, "id").unwrap_or_default();
                    let after = after.or(cur
                        .part
                        .as_ref()
                        .filter(|b| b.id == id)
                        .and_then(|b| b.after));
                    out.extend(head.into_iter().map(|(_, r)| r));
                    part = Some(Part { id, after });
                }
                break;
            }
            out.extend(recs.into_iter().map(|(_, r)| r));
            consumed += 1;
        }
        let skipped = out.iter().filter(|r| r.is_none()).count();
        self.skip("products", skipped);
        let next = match part {
            // The product is not consumed: the same answer is asked for again.
            Some(part) => Some(Cursor {
                walk: cur.walk.clone(),
                part: Some(part),
            }),
            None => cur
                .walk
                .advance(&ask, &list, consumed)
                .map(|walk| Cursor { walk, part: None }),
        };
        Ok(PullPage {
            json: Vec::new(),
            records: out.into_iter().flatten().collect(),
            next_cursor: next.map(|c| c.encode()),
        })
    }
}

#[async_trait]
impl Connector for WooCommerceConnector {
    fn descriptor(&self) -> &IntegrationDescriptor {
        &self.descriptor
    }

    async fn validate(&self, creds: &Credentials) -> Result<Validation, ConnectorError> {
        let c = WooClient::new(creds)?;
        let mut me = Map::new();
        me.insert("store_url".into(), Value::String(c.store.clone()));
        let mut missing = Vec::new();
        let probes: [(&str, &[&str]); 2] = [
            (
                "/orders",
                &["get_orders", "create_order_shipment", "refund_order"],
            ),
            (
                "/products",
                &["get_products", "adjust_inventory", "batch_adjust_inventory"],
            ),
        ];
        for (path, functions) in probes {
            match c.get(path, &[("per_page", "1".into())]).await {
                Ok(_) => {}
                Err(e) => missing.extend(missing_for(e, functions)?),
            }
        }
        // Store identity, when the key may read the system status (admin keys).
        if let Ok(s) = c.get("/system_status", &[]).await {
            if let Some(env) = s.get("environment") {
                for (k, from) in [("site_url", "site_url"), ("woocommerce_version", "version")] {
                    if let Some(v) = text(env, from) {
                        me.insert(k.into(), Value::String(v));
                    }
                }
            }
            if let Some(v) = s.get("settings").and_then(|x| text(x, "currency")) {
                me.insert("currency".into(), Value::String(v));
            }
        }
        Ok(Validation { me, missing })
    }

    async fn pull(
        &self,
        creds: &Credentials,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let c = match req.function.as_str() {
            "get_orders" | "get_products" => WooClient::new(creds)?,
            _ => return Err(ConnectorError::Unsupported(req.function.clone())),
        };
        let r = if req.function == "get_orders" {
            self.pull_orders(&c, req).await
        } else {
            self.pull_products(&c, req).await
        };
        r.map_err(|e| for_functions(e, &[&req.function]))
    }

    async fn write(
        &self,
        creds: &Credentials,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        let c = WooClient::new(creds)?;
        self.do_write(&c, req)
            .await
            .map_err(|e| for_functions(e, &[&req.function]))
    }

    async fn passthrough(
        &self,
        creds: &Credentials,
        req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        WooClient::new(creds)?.http.passthrough(req).await
    }

    fn implemented_fields(&self, function: &str) -> Value {
        let first = |text: &str| -> Value {
            serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get(0).cloned())
                .unwrap_or_default()
        };
        let sample = match function {
            "get_orders" => serde_json::to_value(orders::order(
                &first(include_str!("../../tests/fixtures/woocommerce/orders.json")),
                "https://shop.example",
            )),
            "get_products" => {
                let parent = first(include_str!(
                    "../../tests/fixtures/woocommerce/products.json"
                ));
                serde_json::to_value(products::variation(
                    &first(include_str!(
                        "../../tests/fixtures/woocommerce/variations.json"
                    )),
                    &parent,
                    "https://shop.example",
                ))
            }
            _ => return Value::Object(Map::new()),
        };
        waybill_connect::connector::implemented_fields_of(&sample.unwrap_or_default())
    }
}
