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
pub mod writes;

use crate::http::{for_functions, missing_for};
use crate::values::text;
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use client::WooClient;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
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

/// WooCommerce's `_gmt` date filters take a zone-less time with `dates_are_gmt=true`.
fn gmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
        .trim_end_matches('Z')
        .to_string()
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

    /// The window and paging query of an incremental list, oldest id first. The cursor is
    /// the offset reached so far.
    fn window_query(
        req: &PullRequest,
        per_page: usize,
        offset: usize,
    ) -> Vec<(&'static str, String)> {
        vec![
            ("per_page", per_page.to_string()),
            ("offset", offset.to_string()),
            ("orderby", "id".into()),
            ("order", "asc".into()),
            (
                "modified_after",
                gmt(req.since - chrono::Duration::seconds(1)),
            ),
            ("modified_before", gmt(req.until)),
            ("dates_are_gmt", "true".into()),
        ]
    }

    fn offset(req: &PullRequest) -> usize {
        req.cursor
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    async fn pull_orders(
        &self,
        c: &WooClient,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let per_page = req.page_size.clamp(1, MAX_PER_PAGE);
        let offset = Self::offset(req);
        let r = c
            .get("/orders", &Self::window_query(req, per_page, offset))
            .await?;
        let list = r.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut records = Vec::new();
        let mut skipped = 0;
        for o in list {
            match orders::order(o, &c.store).and_then(|o| serde_json::to_value(o).ok()) {
                Some(v) => records.push(v),
                None => skipped += 1,
            }
        }
        self.skip("orders", skipped);
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: (list.len() >= per_page).then(|| (offset + list.len()).to_string()),
        })
    }

    /// Every variation of a variable product.
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
        Ok(out)
    }

    async fn pull_products(
        &self,
        c: &WooClient,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let per_page = req.page_size.clamp(1, MAX_PER_PAGE);
        let offset = Self::offset(req);
        let r = c
            .get("/products", &Self::window_query(req, per_page, offset))
            .await?;
        let list = r.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut records = Vec::new();
        let mut skipped = 0;
        let mut consumed = 0;
        for p in list {
            let vars = match (products::is_variable(p), text(p, "id")) {
                (true, Some(id)) => self.variations(c, &id).await?,
                _ => vec![],
            };
            // Whole products only, while the page stays within the requested size.
            if consumed > 0 && records.len() + 1 + vars.len() > req.page_size {
                break;
            }
            consumed += 1;
            match products::product(p, &c.store) {
                Some(rec) => records.extend(serde_json::to_value(rec).ok()),
                None => {
                    skipped += 1 + vars.len();
                    continue;
                }
            }
            for v in &vars {
                match products::variation(v, p, &c.store) {
                    Some(rec) => records.extend(serde_json::to_value(rec).ok()),
                    None => skipped += 1,
                }
            }
        }
        self.skip("products", skipped);
        let next = if consumed < list.len() || list.len() >= per_page {
            Some((offset + consumed).to_string())
        } else {
            None
        };
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: next,
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
