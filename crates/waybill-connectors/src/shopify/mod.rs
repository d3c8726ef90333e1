//! Shopify (Admin REST API): orders with their fulfillment orders and fulfillments,
//! products with variants and per-location stock, locations; stock adjustments and
//! fulfillments as writes; passthrough to the Admin API.
//!
//! Records that cannot be normalized (no id) are skipped with a `tracing` warning and
//! counted in [`ShopifyConnector::skipped`]; everything else is kept with what could be
//! mapped, so a surprising vendor shape never drops a record silently.

pub mod client;
pub mod orders;
pub mod products;
pub mod throttle;
pub mod warehouses;
pub mod writes;

use crate::http::for_functions;
use crate::values::{int, list, num, text};
use async_trait::async_trait;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use client::ShopifyClient;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use waybill_connect::{
    AuthField, Connector, ConnectorError, Credentials, InstallMethod, IntegrationDescriptor,
    PassthroughRequest, PassthroughResponse, PullPage, PullRequest, Validation, WriteOutcome,
    WriteRequest, WriteVariant,
};
use waybill_model::IntegrationType;

/// Most records Shopify returns per list call.
const MAX_LIMIT: usize = 250;
/// Inventory item ids per stock lookup (Shopify caps the id list at 50).
const IDS_PER_LOOKUP: usize = 50;

/// The Shopify connector. One instance serves every Shopify connection; each connection
/// has its own leaky bucket in `throttle`.
pub struct ShopifyConnector {
    descriptor: IntegrationDescriptor,
    throttle: throttle::Throttle,
    skipped: AtomicU64,
}

impl Default for ShopifyConnector {
    fn default() -> Self {
        Self::new()
    }
}

/// Scopes that unlock each function; any one of the listed handles is enough.
const SCOPES: &[(&str, &[&str])] = &[
    ("get_orders", &["read_orders", "write_orders"]),
    ("get_products", &["read_products", "write_products"]),
    ("get_warehouses", &["read_locations"]),
    ("adjust_inventory", &["write_inventory"]),
    ("batch_adjust_inventory", &["write_inventory"]),
    (
        "create_order_shipment",
        &[
            "write_merchant_managed_fulfillment_orders",
            "write_assigned_fulfillment_orders",
            "write_third_party_fulfillment_orders",
            "write_fulfillments",
        ],
    ),
];

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl ShopifyConnector {
    /// The connector with its descriptor.
    pub fn new() -> Self {
        Self {
            descriptor: IntegrationDescriptor {
                integration_name: "shopify",
                display_name: "Shopify",
                integration_type: IntegrationType::Cart,
                description: "Orders, products with variants and stock per location, and locations from a Shopify store; stock adjustments and fulfillments.",
                logo_url: None,
                install_method: InstallMethod::Input,
                auth_fields: vec![
                    AuthField {
                        name: "shop",
                        label: "Shop domain",
                        secret: false,
                        required: true,
                        help: "Your store's myshopify.com domain, e.g. acme.myshopify.com.",
                    },
                    AuthField {
                        name: "access_token",
                        label: "Admin API access token",
                        secret: true,
                        required: true,
                        help: "From Settings → Apps and sales channels → Develop apps → your app → API credentials (starts with shpat_). Grant read_orders, read_products, read_inventory, read_locations, write_inventory and write_merchant_managed_fulfillment_orders.",
                    },
                ],
                read_functions: vec!["get_orders", "get_products", "get_warehouses"],
                writes: vec![
                    WriteVariant::of::<writes::AdjustInventory>("adjust_inventory"),
                    WriteVariant::of::<writes::BatchAdjustInventory>("batch_adjust_inventory"),
                    WriteVariant::of::<writes::CreateShipment>("create_order_shipment"),
                ],
                passthrough: true,
                base_url: Some("https://{shop}.myshopify.com/admin/api/2025-01"),
                on_demand_functions: vec!["get_orders"],
            },
            throttle: throttle::Throttle::default(),
            skipped: AtomicU64::new(0),
        }
    }

    /// Vendor records skipped because they could not be normalized (no id), since start.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(Ordering::Relaxed)
    }

    fn skip(&self, what: &str, n: usize) {
        if n > 0 {
            tracing::warn!(what, count = n, "Shopify records without an id skipped");
            self.skipped.fetch_add(n as u64, Ordering::Relaxed);
        }
    }

    /// Stock per location and cost for the variants of these products. Without
    /// `read_inventory` the variants keep Shopify's own total.
    async fn stock(
        &self,
        c: &ShopifyClient<'_>,
        products: &[Value],
    ) -> Result<products::Stock, ConnectorError> {
        let ids: Vec<String> = products
            .iter()
            .flat_map(products::inventory_item_ids)
            .collect();
        let mut stock = products::Stock::default();
        for chunk in ids.chunks(IDS_PER_LOOKUP) {
            let joined = chunk.join(",");
            let q = [
                ("inventory_item_ids", joined.clone()),
                ("limit", "250".into()),
            ];
            match c.get("/inventory_levels.json", &q).await {
                Ok(r) => {
                    for l in list(&r, "inventory_levels") {
                        if let (Some(i), Some(loc)) =
                            (text(l, "inventory_item_id"), text(l, "location_id"))
                        {
                            let avail = int(l, "available").unwrap_or(0);
                            stock.levels.entry(i).or_default().insert(loc, avail);
                        }
                    }
                }
                Err(ConnectorError::MissingPermission { .. }) => return Ok(stock),
                Err(e) => return Err(e),
            }
            let q = [("ids", joined), ("limit", "250".into())];
            match c.get("/inventory_items.json", &q).await {
                Ok(r) => {
                    for it in list(&r, "inventory_items") {
                        if let (Some(i), Some(cost)) = (text(it, "id"), num(it, "cost")) {
                            stock.cost.insert(i, cost);
                        }
                    }
                }
                Err(ConnectorError::MissingPermission { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(stock)
    }

    /// Canonical records of these products (each parent, then its variants).
    async fn normalize_products(
        &self,
        c: &ShopifyClient<'_>,
        list: &[Value],
    ) -> Result<Vec<Value>, ConnectorError> {
        let stock = self.stock(c, list).await?;
        let mut out = Vec::new();
        let mut skipped = 0;
        for p in list {
            let url = c.admin_url("products", &text(p, "id").unwrap_or_default());
            match products::product(p, &stock, &url) {
                Some((recs, s)) => {
                    skipped += s;
                    out.extend(recs.iter().filter_map(|r| serde_json::to_value(r).ok()));
                }
                None => skipped += 1,
            }
        }
        self.skip("products", skipped);
        Ok(out)
    }

    /// A canonical order with its shipping groups. Without fulfillment-order access the
    /// order is kept without groups.
    async fn normalize_order(
        &self,
        c: &ShopifyClient<'_>,
        o: &Value,
    ) -> Result<Option<Value>, ConnectorError> {
        let Some(id) = text(o, "id") else {
            return Ok(None);
        };
        let fos = match c
            .get(&format!("/orders/{id}/fulfillment_orders.json"), &[])
            .await
        {
            Ok(r) => list(&r, "fulfillment_orders").to_vec(),
            Err(ConnectorError::MissingPermission { .. }) => vec![],
            Err(e) => return Err(e),
        };
        Ok(orders::order(o, &fos, &c.admin_url("orders", &id))
            .and_then(|o| serde_json::to_value(o).ok()))
    }

    /// One order as a canonical record, read back after a write.
    async fn order_by_id(&self, c: &ShopifyClient<'_>, id: &str) -> Result<Value, ConnectorError> {
        let r = c.get(&format!("/orders/{id}.json"), &[]).await?;
        let o = r.get("order").cloned().unwrap_or(Value::Null);
        self.normalize_order(c, &o).await?.ok_or_else(|| {
            ConnectorError::Transient("Shopify returned an order without an id".into())
        })
    }

    /// The common query of an incremental list: window, page size, `since_id` cursor.
    fn window_query(req: &PullRequest, limit: usize) -> Vec<(&'static str, String)> {
        // Shopify's `updated_at_max` is inclusive; the window's end is not.
        let mut q = vec![
            ("limit", limit.to_string()),
            ("updated_at_min", rfc3339(req.since)),
            ("updated_at_max", rfc3339(req.until - Duration::seconds(1))),
        ];
        if let Some(c) = &req.cursor {
            q.push(("since_id", c.clone()));
        }
        q
    }

    async fn pull_orders(
        &self,
        c: &ShopifyClient<'_>,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let limit = req.page_size.clamp(1, MAX_LIMIT);
        let mut q = Self::window_query(req, limit);
        q.push(("status", "any".into()));
        let r = c.get("/orders.json", &q).await?;
        let orders = list(&r, "orders");
        let mut records = Vec::with_capacity(orders.len());
        let mut skipped = 0;
        for o in orders {
            match self.normalize_order(c, o).await? {
                Some(rec) => records.push(rec),
                None => skipped += 1,
            }
        }
        self.skip("orders", skipped);
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: next_since_id(orders, limit, req.cursor.as_deref()),
        })
    }

    async fn pull_products(
        &self,
        c: &ShopifyClient<'_>,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let limit = req.page_size.clamp(1, MAX_LIMIT);
        let r = c
            .get("/products.json", &Self::window_query(req, limit))
            .await?;
        let products = list(&r, "products");
        // A product expands to itself plus its variants: take whole products while the page
        // stays within the requested size (always at least one).
        let mut take = 0;
        let mut count = 0;
        for p in products {
            let n = 1 + list(p, "variants").len();
            if take > 0 && count + n > req.page_size {
                break;
            }
            take += 1;
            count += n;
        }
        let records = self.normalize_products(c, &products[..take]).await?;
        let next = if take < products.len() {
            products[..take]
                .last()
                .and_then(|p| text(p, "id"))
                .filter(|id| Some(id.as_str()) != req.cursor.as_deref())
        } else {
            next_since_id(products, limit, req.cursor.as_deref())
        };
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: next,
        })
    }

    async fn pull_warehouses(
        &self,
        c: &ShopifyClient<'_>,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        // Locations come in one unpaged list without an updated-since filter; the window
        // is applied here so incremental syncs stay incremental.
        let r = c.get("/locations.json", &[]).await?;
        let mut records = Vec::new();
        let mut skipped = 0;
        for l in list(&r, "locations") {
            let Some(w) = warehouses::warehouse(l) else {
                skipped += 1;
                continue;
            };
            let inside = waybill_model::time::parse_lenient(&w.updated_date)
                .is_none_or(|t| t >= req.since && t < req.until);
            if inside {
                records.extend(serde_json::to_value(w).ok());
            }
        }
        self.skip("locations", skipped);
        Ok(PullPage {
            json: Vec::new(),
            records,
            next_cursor: None,
        })
    }
}

/// The next `since_id` cursor: the page's last id when the page was full.
fn next_since_id(list: &[Value], limit: usize, current: Option<&str>) -> Option<String> {
    if list.len() < limit {
        return None;
    }
    let last = list.iter().filter_map(|v| int(v, "id")).max()?;
    let last = last.to_string();
    (Some(last.as_str()) != current).then_some(last)
}

#[async_trait]
impl Connector for ShopifyConnector {
    fn descriptor(&self) -> &IntegrationDescriptor {
        &self.descriptor
    }

    async fn validate(&self, creds: &Credentials) -> Result<Validation, ConnectorError> {
        let c = ShopifyClient::new(creds, &self.throttle)?;
        let shop = c.get("/shop.json", &[]).await.map_err(|e| match e {
            ConnectorError::MissingPermission { message, .. } => ConnectorError::Auth(message),
            e => e,
        })?;
        let s = shop.get("shop").cloned().unwrap_or(Value::Null);
        let mut me = Map::new();
        me.insert("shop".into(), Value::String(c.shop.clone()));
        for (k, from) in [
            ("shop_id", "id"),
            ("name", "name"),
            ("myshopify_domain", "myshopify_domain"),
            ("domain", "domain"),
            ("currency", "currency"),
            ("plan_name", "plan_name"),
        ] {
            if let Some(v) = s.get(from).filter(|v| !v.is_null()) {
                me.insert(k.into(), v.clone());
            }
        }
        let mut missing = Vec::new();
        if let Ok(scopes) = c.access_scopes().await {
            let granted: Vec<String> = list(&scopes, "access_scopes")
                .iter()
                .filter_map(|s| text(s, "handle"))
                .collect();
            for (function, any_of) in SCOPES {
                if !any_of.iter().any(|s| granted.iter().any(|g| g == s)) {
                    missing.push((
                        (*function).to_string(),
                        format!("The access token lacks the {} scope.", any_of.join(" or ")),
                    ));
                }
            }
        }
        Ok(Validation { me, missing })
    }

    async fn pull(
        &self,
        creds: &Credentials,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let function = req.function.as_str();
        if !self.descriptor.read_functions.contains(&function) {
            return Err(ConnectorError::Unsupported(req.function.clone()));
        }
        let c = ShopifyClient::new(creds, &self.throttle)?;
        let r = match function {
            "get_orders" => self.pull_orders(&c, req).await,
            "get_products" => self.pull_products(&c, req).await,
            _ => self.pull_warehouses(&c, req).await,
        };
        r.map_err(|e| for_functions(e, &[&req.function]))
    }

    async fn write(
        &self,
        creds: &Credentials,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        let c = ShopifyClient::new(creds, &self.throttle)?;
        self.do_write(&c, req)
            .await
            .map_err(|e| for_functions(e, &[&req.function]))
    }

    async fn passthrough(
        &self,
        creds: &Credentials,
        req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        let c = ShopifyClient::new(creds, &self.throttle)?;
        c.passthrough(req).await
    }

    fn implemented_fields(&self, function: &str) -> Value {
        // The checked-in fixtures are the fullest realistic records we have.
        let first = |text: &str, key: &str| -> Value {
            serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| v.get(key).and_then(|a| a.get(0)).cloned())
                .unwrap_or_default()
        };
        let sample = match function {
            "get_orders" => serde_json::to_value(orders::order(
                &first(
                    include_str!("../../tests/fixtures/shopify/orders.json"),
                    "orders",
                ),
                &[first(
                    include_str!("../../tests/fixtures/shopify/fulfillment_orders.json"),
                    "fulfillment_orders",
                )],
                "https://admin.shopify.com",
            )),
            "get_products" => serde_json::to_value(
                products::product(
                    &first(
                        include_str!("../../tests/fixtures/shopify/products.json"),
                        "products",
                    ),
                    &products::Stock::default(),
                    "https://admin.shopify.com",
                )
                .and_then(|(r, _)| r.into_iter().nth(1)),
            ),
            "get_warehouses" => serde_json::to_value(warehouses::warehouse(&first(
                include_str!("../../tests/fixtures/shopify/locations.json"),
                "locations",
            ))),
            _ => return Value::Object(Map::new()),
        };
        waybill_connect::connector::implemented_fields_of(&sample.unwrap_or_default())
    }
}
