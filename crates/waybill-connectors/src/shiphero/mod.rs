//! The ShipHero connector (GraphQL): orders, products, inventory, purchase orders (inbound
//! shipments), returns, warehouses and vendors (suppliers), plus order, product, purchase
//! order, return and inventory writes. The customer gives a refresh token; the connector
//! exchanges it for access tokens itself and honours ShipHero's credit budget per connection.
//! One file per resource holds its mapping table; `queries` holds every GraphQL document.

pub mod client;
pub mod inbound;
pub mod inventory;
pub mod orders;
pub mod products;
pub mod queries;
pub mod returns;
pub mod suppliers;
pub mod warehouses;
pub mod writes;

use crate::http::for_functions;
use crate::values::{at, list, map_all, text, Unmapped};
use async_trait::async_trait;
use client::{GraphQl, BASE_URL};
use queries::Read;
use serde_json::{json, Value};
use waybill_connect::{
    AuthField, Connector, ConnectorError, Credentials, InstallMethod, IntegrationDescriptor,
    PassthroughRequest, PassthroughResponse, PullPage, PullRequest, Validation, WriteOutcome,
    WriteRequest, WriteVariant,
};
use waybill_model::writes::base::{AdjustmentType, NoBody};
use waybill_model::IntegrationType;

/// Largest page asked of ShipHero: bigger pages cost more credits per call than they save.
const MAX_PAGE: usize = 100;

const READS: &[&str] = &[
    "get_orders",
    "get_products",
    "get_inventory",
    "get_inbound_shipments",
    "get_inbound_shipment_suppliers",
    "get_returns",
    "get_warehouses",
];

/// The `edges[].node`s of a GraphQL connection.
pub fn nodes(conn: &Value) -> Vec<&Value> {
    list(conn, "edges")
        .iter()
        .filter_map(|e| at(e, "node"))
        .collect()
}

/// The read document behind a function.
fn read_of(function: &str) -> Option<&'static Read> {
    Some(match function {
        "get_orders" => &queries::ORDERS,
        "get_products" => &queries::PRODUCTS,
        "get_inventory" => &queries::INVENTORY,
        "get_inbound_shipments" => &queries::PURCHASE_ORDERS,
        "get_inbound_shipment_suppliers" => &queries::VENDORS,
        "get_returns" => &queries::RETURNS,
        "get_warehouses" => &queries::ACCOUNT,
        _ => return None,
    })
}

/// The ShipHero connector.
pub struct ShipHero {
    descriptor: IntegrationDescriptor,
    gql: GraphQl,
    unmapped: Unmapped,
}

impl Default for ShipHero {
    fn default() -> Self {
        Self::new()
    }
}

impl ShipHero {
    /// The connector with its descriptor.
    pub fn new() -> Self {
        Self {
            descriptor: IntegrationDescriptor {
                integration_name: "shiphero",
                display_name: "ShipHero",
                integration_type: IntegrationType::Wms,
                description: "ShipHero WMS: orders, products, inventory, purchase orders, returns and warehouses.",
                logo_url: None,
                install_method: InstallMethod::Input,
                auth_fields: vec![
                    AuthField {
                        name: "refresh_token",
                        label: "Refresh token",
                        secret: true,
                        required: true,
                        help: "In ShipHero: My Account → Developer → Create Developer User, then generate a token and copy its refresh token.",
                    },
                    AuthField {
                        name: "account_id",
                        label: "Customer account id (3PL)",
                        secret: false,
                        required: false,
                        help: "For a 3PL: the ShipHero id of the customer (child) account to read products and stock of.",
                    },
                ],
                read_functions: READS.to_vec(),
                writes: vec![
                    WriteVariant::of::<writes::CreateOrder>("create_order"),
                    WriteVariant::of::<writes::UpdateOrder>("update_order"),
                    WriteVariant::of::<NoBody>("cancel_order"),
                    WriteVariant::of::<writes::CreateProduct>("create_product"),
                    WriteVariant::of::<writes::CreateInbound>("create_inbound_shipment"),
                    WriteVariant::of::<writes::CreateReturn>("create_return"),
                    WriteVariant::of::<writes::AdjustInventory>("adjust_inventory"),
                ],
                passthrough: true,
                base_url: Some(BASE_URL),
                on_demand_functions: vec!["get_orders", "get_inbound_shipments", "get_returns"],
            },
            gql: GraphQl::default(),
            unmapped: Unmapped::default(),
        }
    }

    /// Vendor records that could not be normalized so far (each was logged).
    pub fn unmapped(&self) -> u64 {
        self.unmapped.count()
    }

    fn map_items(&self, function: &str, items: &[&Value], snapshot_at: &str) -> Vec<Value> {
        let name = self.descriptor.integration_name;
        let items: Vec<Value> = items.iter().map(|v| (*v).clone()).collect();
        let u = &self.unmapped;
        match function {
            "get_orders" => map_all(&items, u, name, function, orders::map),
            "get_products" => map_all(&items, u, name, function, products::map),
            "get_inventory" => map_all(&items, u, name, function, |i| {
                inventory::map(i, snapshot_at)
            }),
            "get_inbound_shipments" => map_all(&items, u, name, function, inbound::map),
            "get_inbound_shipment_suppliers" => map_all(&items, u, name, function, suppliers::map),
            "get_returns" => map_all(&items, u, name, function, returns::map),
            "get_warehouses" => map_all(&items, u, name, function, warehouses::map),
            _ => Vec::new(),
        }
    }

    /// The variables of a read page.
    fn variables(creds: &Credentials, req: &PullRequest, first: usize) -> Value {
        let mut v = json!({"first": first, "after": req.cursor});
        match req.function.as_str() {
            "get_orders" => {
                v["updated_from"] = json!(waybill_model::time::fmt(req.since));
                v["updated_to"] = json!(waybill_model::time::fmt(req.until));
            }
            "get_products" | "get_inventory" => {
                v["customer_account_id"] = json!(creds
                    .get_str("account_id")
                    .map(str::trim)
                    .filter(|a| !a.is_empty()));
            }
            "get_warehouses" => return json!({}),
            _ => {}
        }
        v
    }

    async fn run_read(
        &self,
        creds: &Credentials,
        r: &Read,
        variables: Value,
    ) -> Result<Value, ConnectorError> {
        self.gql
            .run(creds, r.operation, r.root, r.query, variables)
            .await
    }

    async fn mutate(
        &self,
        creds: &Credentials,
        m: &queries::Mutation,
        variables: Value,
    ) -> Result<Value, ConnectorError> {
        let data = self
            .gql
            .run(creds, m.operation, m.root, m.query, variables)
            .await?;
        Ok(data.get(m.root).cloned().unwrap_or(Value::Null))
    }
}

/// Whether a record's `updated_date` lies in the pull window (undated records are kept).
fn in_window(rec: &Value, req: &PullRequest) -> bool {
    match rec.get("updated_date").and_then(Value::as_str) {
        Some(u) => {
            waybill_model::time::parse_lenient(u).is_none_or(|t| t >= req.since && t < req.until)
        }
        None => true,
    }
}

/// The records and paging of a read's answer: `data.<root>.data` is a connection, or (for
/// the account) an object holding the warehouses.
fn page_of<'a>(r: &Read, data: &'a Value) -> (Vec<&'a Value>, Option<String>) {
    let inner = at(data, &format!("{}/data", r.root));
    match (r.operation, inner) {
        ("Account", Some(a)) => (list(a, "warehouses").iter().collect(), None),
        (_, Some(conn)) => {
            let next = (at(conn, "pageInfo/hasNextPage").and_then(Value::as_bool) == Some(true))
                .then(|| text(conn, "pageInfo/endCursor"))
                .flatten();
            (nodes(conn), next)
        }
        (_, None) => (Vec::new(), None),
    }
}

#[async_trait]
impl Connector for ShipHero {
    fn descriptor(&self) -> &IntegrationDescriptor {
        &self.descriptor
    }

    async fn validate(&self, creds: &Credentials) -> Result<Validation, ConnectorError> {
        let data = self
            .run_read(creds, &queries::ACCOUNT, json!({}))
            .await
            .map_err(|e| match e {
                // Without the account the token can do nothing we can check.
                ConnectorError::MissingPermission { message, .. } => ConnectorError::Auth(message),
                other => other,
            })?;
        let mut v = Validation::default();
        if let Some(a) = at(&data, "account/data") {
            for (k, f) in [
                ("account_id", "id"),
                ("legacy_id", "legacy_id"),
                ("email", "email"),
                ("username", "username"),
                ("status", "status"),
            ] {
                if let Some(s) = text(a, f) {
                    v.me.insert(k.into(), json!(s));
                }
            }
            if let Some(b) = a.get("is_3pl").and_then(Value::as_bool) {
                v.me.insert("is_3pl".into(), json!(b));
            }
            v.me.insert(
                "warehouse_ids".into(),
                json!(list(a, "warehouses")
                    .iter()
                    .filter_map(|w| text(w, "id"))
                    .collect::<Vec<_>>()),
            );
        }
        if let Some(c) = creds.get_str("account_id").filter(|c| !c.trim().is_empty()) {
            v.me.insert("customer_account_id".into(), json!(c.trim()));
        }
        // One small page of each read; a permission error names exactly its functions.
        let probes: &[(&str, &[&str])] = &[
            (
                "get_orders",
                &["get_orders", "create_order", "update_order", "cancel_order"],
            ),
            ("get_products", &["get_products", "create_product"]),
            ("get_inventory", &["get_inventory", "adjust_inventory"]),
            (
                "get_inbound_shipments",
                &["get_inbound_shipments", "create_inbound_shipment"],
            ),
            (
                "get_inbound_shipment_suppliers",
                &["get_inbound_shipment_suppliers"],
            ),
            ("get_returns", &["get_returns", "create_return"]),
        ];
        let now = chrono::Utc::now();
        for (f, functions) in probes {
            let req = PullRequest {
                function: f.to_string(),
                since: now - chrono::Duration::days(1),
                until: now,
                cursor: None,
                page_size: 1,
            };
            let r = read_of(f).expect("probe reads exist");
            match self
                .run_read(creds, r, Self::variables(creds, &req, 1))
                .await
            {
                Ok(_) => {}
                Err(ConnectorError::MissingPermission { message, .. }) => {
                    for f in *functions {
                        v.missing.push((f.to_string(), message.clone()));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(v)
    }

    async fn pull(
        &self,
        creds: &Credentials,
        req: &PullRequest,
    ) -> Result<PullPage, ConnectorError> {
        let f = req.function.as_str();
        let r = read_of(f).ok_or_else(|| ConnectorError::Unsupported(req.function.clone()))?;
        let first = req.page_size.clamp(1, MAX_PAGE);
        let data = self
            .run_read(creds, r, Self::variables(creds, req, first))
            .await
            .map_err(|e| for_functions(e, &[f]))?;
        let (items, next) = page_of(r, &data);
        let mut records = self.map_items(f, &items, &waybill_model::time::fmt(req.until));
        // Orders are filtered by ShipHero; the others have no updated-since filter.
        if !matches!(f, "get_orders" | "get_inventory" | "get_warehouses") {
            records.retain(|rec| in_window(rec, req));
        }
        Ok(PullPage {
            json: Vec::new(),
            records,
            // An empty page or a cursor that does not move would never end the pull.
            next_cursor: next.filter(|n| !items.is_empty() && Some(n) != req.cursor.as_ref()),
        })
    }

    async fn write(
        &self,
        creds: &Credentials,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        let f = req.function.as_str();
        let perm = |e| for_functions(e, &[f]);
        let one = |r: Option<Value>| -> Result<WriteOutcome, ConnectorError> {
            r.map(|r| WriteOutcome { records: vec![r] }).ok_or_else(|| {
                ConnectorError::Transient("ShipHero answered without the record's id".into())
            })
        };
        let id = || {
            req.id
                .as_deref()
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .ok_or_else(|| ConnectorError::Permanent {
                    message: format!("{f} needs the record's id"),
                    status: Some(422),
                })
        };
        match f {
            "create_order" => {
                let o: writes::CreateOrder = writes::decode(&req.body)?;
                let out = self
                    .mutate(
                        creds,
                        &queries::ORDER_CREATE,
                        json!({"data": writes::order_input(&o)?}),
                    )
                    .await
                    .map_err(perm)?;
                one(at(&out, "order").and_then(orders::map))
            }
            "update_order" => {
                let o: writes::UpdateOrder = writes::decode(&req.body)?;
                let data = writes::order_update_input(id()?, &o)?;
                let out = self
                    .mutate(creds, &queries::ORDER_UPDATE, json!({"data": data}))
                    .await
                    .map_err(perm)?;
                one(at(&out, "order").and_then(orders::map))
            }
            "cancel_order" => {
                let out = self
                    .mutate(creds, &queries::ORDER_CANCEL, json!({"id": id()?}))
                    .await
                    .map_err(perm)?;
                let order = at(&out, "order").and_then(orders::map).or_else(|| {
                    req.current.clone().map(|mut c| {
                        c["status"] = json!("cancelled");
                        c
                    })
                });
                one(order)
            }
            "create_product" => {
                let p: writes::CreateProduct = writes::decode(&req.body)?;
                let out = self
                    .mutate(
                        creds,
                        &queries::PRODUCT_CREATE,
                        json!({"data": writes::product_input(&p)}),
                    )
                    .await
                    .map_err(perm)?;
                one(at(&out, "product").and_then(products::map))
            }
            "create_inbound_shipment" => {
                let r: writes::CreateInbound = writes::decode(&req.body)?;
                let data = writes::purchase_order_input(&r)?;
                let out = self
                    .mutate(
                        creds,
                        &queries::PURCHASE_ORDER_CREATE,
                        json!({"data": data}),
                    )
                    .await
                    .map_err(perm)?;
                one(at(&out, "purchase_order").and_then(inbound::map))
            }
            "create_return" => {
                let r: writes::CreateReturn = writes::decode(&req.body)?;
                let needs_lookup = r.line_items.iter().any(|l| l.line_item_id.is_none());
                let lines: Vec<(Option<String>, Option<String>)> = if needs_lookup {
                    let d = self
                        .run_read(creds, &queries::ORDER_LINES, json!({"id": r.order_id}))
                        .await
                        .map_err(perm)?;
                    at(&d, "order/data/line_items")
                        .map(nodes)
                        .unwrap_or_default()
                        .iter()
                        .map(|n| (text(n, "sku"), text(n, "id")))
                        .collect()
                } else {
                    Vec::new()
                };
                let data = writes::return_input(&r, |sku| {
                    lines
                        .iter()
                        .find(|(s, _)| s.as_deref() == Some(sku))
                        .and_then(|(_, id)| id.clone())
                })?;
                let out = self
                    .mutate(creds, &queries::RETURN_CREATE, json!({"data": data}))
                    .await
                    .map_err(perm)?;
                one(at(&out, "return").and_then(returns::map))
            }
            "adjust_inventory" => {
                let a: writes::AdjustInventory = writes::decode(&req.body)?;
                let inv_id = id()?;
                let sku = match req.current.as_ref().and_then(|c| text(c, "sku")) {
                    Some(s) => s,
                    None => {
                        let d = self
                            .run_read(creds, &queries::PRODUCT_SKU, json!({"id": inv_id}))
                            .await
                            .map_err(perm)?;
                        text(&d, "product/data/sku").ok_or_else(|| ConnectorError::Permanent {
                            message: format!("ShipHero has no product {inv_id}"),
                            status: Some(404),
                        })?
                    }
                };
                let (m, delta) = match a.adjustment_type {
                    AdjustmentType::Increase => (&queries::INVENTORY_ADD, a.quantity.abs()),
                    AdjustmentType::Decrease => (&queries::INVENTORY_REMOVE, -a.quantity.abs()),
                };
                self.mutate(creds, m, json!({"data": writes::inventory_input(&sku, &a)}))
                    .await
                    .map_err(perm)?;
                Ok(WriteOutcome {
                    records: vec![adjusted(
                        req.current.clone(),
                        inv_id,
                        &sku,
                        &a.warehouse_id,
                        delta,
                    )],
                })
            }
            _ => Err(ConnectorError::Unsupported(req.function.clone())),
        }
    }

    async fn passthrough(
        &self,
        creds: &Credentials,
        req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        self.gql.authed(creds).await?.passthrough(req).await
    }

    fn implemented_fields(&self, function: &str) -> Value {
        let sample = fixtures_sample(function);
        waybill_connect::connector::implemented_fields_of(&sample)
    }
}

/// The inventory item after an adjustment ShipHero confirmed without echoing stock: the
/// stored copy with its on-hand counts moved by `delta`, or a bare item when none is stored.
fn adjusted(current: Option<Value>, id: &str, sku: &str, warehouse: &str, delta: i64) -> Value {
    let mut item = current.unwrap_or_else(|| {
        crate::values::to_json(&waybill_model::records::InventoryItem {
            id: id.into(),
            sku: Some(sku.into()),
            active: true,
            ..Default::default()
        })
    });
    let bump = |v: &mut Value, k: &str| {
        if let Some(n) = v.get(k).and_then(Value::as_i64) {
            v[k] = json!((n + delta).max(0));
        }
    };
    for k in ["onhand", "fulfillable", "sellable"] {
        bump(&mut item, k);
    }
    if let Some(w) = item
        .get_mut("inventory_by_warehouse_id")
        .and_then(|m| m.get_mut(warehouse))
    {
        for k in ["onhand", "fulfillable", "sellable"] {
            bump(w, k);
        }
    }
    item
}

/// A representative record per function, for `implemented_fields`: the checked-in fixture
/// answers normalized, so the claim and the tested mapping are the same.
fn fixtures_sample(function: &str) -> Value {
    let raw = match function {
        "get_orders" => include_str!("../../tests/fixtures/shiphero/orders_page1.json"),
        "get_products" => include_str!("../../tests/fixtures/shiphero/products_page1.json"),
        "get_inventory" => include_str!("../../tests/fixtures/shiphero/inventory_page1.json"),
        "get_inbound_shipments" => {
            include_str!("../../tests/fixtures/shiphero/purchase_orders.json")
        }
        "get_inbound_shipment_suppliers" => {
            include_str!("../../tests/fixtures/shiphero/vendors.json")
        }
        "get_returns" => include_str!("../../tests/fixtures/shiphero/returns.json"),
        "get_warehouses" => include_str!("../../tests/fixtures/shiphero/account.json"),
        _ => return Value::Object(Default::default()),
    };
    let Some(r) = read_of(function) else {
        return Value::Object(Default::default());
    };
    let v: Value = serde_json::from_str(raw).unwrap_or_default();
    let (items, _) = page_of(r, v.get("data").unwrap_or(&Value::Null));
    ShipHero::new()
        .map_items(function, &items, "2026-01-01T00:00:00Z")
        .into_iter()
        .max_by_key(|r| r.to_string().len())
        .unwrap_or_default()
}
