//! Shopify's write variants and how each becomes Admin REST calls: stock adjustments go
//! through `inventory_levels/set.json` (read the level, apply the change), shipments are
//! fulfillments of the order's fulfillment orders.

use super::client::ShopifyClient;
use super::ShopifyConnector;
use crate::values::{int, list, text};
use crate::write_support::parse;
use reqwest::Method;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_connect::{ConnectorError, WriteOutcome, WriteRequest};

/// Direction of a Shopify stock adjustment (Shopify sets exact counts through the same
/// call, but the published variant offers only the two directions).
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Add units.
    Increase,
    /// Remove units.
    Decrease,
}

/// Why stock changed: Shopify's inventory change reasons.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Reason {
    Correction,
    CycleCountAvailable,
    Damaged,
    MovementCreated,
    MovementUpdated,
    MovementReceived,
    PaymentCanceled,
    Other,
    Promotion,
    QualityControl,
    Received,
    ReservationCreated,
    ReservationUpdated,
    ReservationDeleted,
    Restock,
    SafetyStock,
    Shrinkage,
}

/// `PUT /cart/products/{id}/adjust-inventory` for Shopify: the variant's stock at one
/// location, with Shopify's reason.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInventory {
    /// Units to add or remove.
    pub quantity: i64,
    /// Add or remove.
    pub adjustment_type: Direction,
    /// The location (a cart warehouse id).
    pub warehouse_id: String,
    /// Shopify's reason for the change.
    pub reason: Reason,
}

/// One adjustment of a Shopify batch.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// The variant (a cart product id).
    pub product_id: String,
    /// Units to add or remove.
    pub quantity: i64,
    /// Add or remove.
    pub adjustment_type: Direction,
    /// The location (a cart warehouse id).
    pub warehouse_id: String,
    /// Shopify's reason for the change.
    pub reason: Reason,
}

/// `PUT /cart/products/batch-adjust-inventory` for Shopify.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchAdjustInventory {
    /// The adjustments, applied in order.
    pub adjustments: Vec<Adjustment>,
}

/// A line of a shipping group to fulfil.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupLine {
    /// The fulfillment order line id, or the order line id it fulfils.
    pub line_item_id: String,
    /// Units to fulfil.
    pub quantity: i64,
}

/// A shipping group (fulfillment order) to fulfil.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingGroup {
    /// The fulfillment order id.
    pub shipping_group_id: String,
    /// Lines to fulfil; all remaining lines when absent.
    pub line_items: Option<Vec<GroupLine>>,
}

/// `POST /cart/orders/{id}/shipments` for Shopify: a fulfillment with tracking.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShipment {
    /// Carrier tracking number.
    pub tracking_number: String,
    /// Carrier tracking page.
    pub tracking_url: String,
    /// The fulfillment orders shipped together.
    pub shipping_groups: Vec<ShippingGroup>,
}

fn refused(message: String) -> ConnectorError {
    ConnectorError::Permanent {
        message,
        status: Some(422),
    }
}

/// A Shopify numeric id from a canonical string id.
fn num(id: &str, what: &str) -> Result<i64, ConnectorError> {
    id.trim()
        .parse()
        .map_err(|_| refused(format!("{what} {id:?} is not a Shopify id")))
}

impl ShopifyConnector {
    /// Dispatches a write.
    pub(super) async fn do_write(
        &self,
        c: &ShopifyClient<'_>,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        match req.function.as_str() {
            "adjust_inventory" => {
                let b: AdjustInventory = parse(&req.body)?;
                let id = req.id.clone().unwrap_or_default();
                let hint = req
                    .current
                    .as_ref()
                    .and_then(|c| text(c, "parent_product_id"));
                let pid = self
                    .adjust(c, &id, hint, b.quantity, b.adjustment_type, &b.warehouse_id)
                    .await?;
                self.product_outcome(c, &pid, &id).await
            }
            "batch_adjust_inventory" => {
                let b: BatchAdjustInventory = parse(&req.body)?;
                let mut records = Vec::new();
                for a in &b.adjustments {
                    let pid = self
                        .adjust(
                            c,
                            &a.product_id,
                            None,
                            a.quantity,
                            a.adjustment_type,
                            &a.warehouse_id,
                        )
                        .await?;
                    let out = self.product_outcome(c, &pid, &a.product_id).await?;
                    if let Some(first) = out.records.into_iter().next() {
                        records.push(first);
                    }
                }
                Ok(WriteOutcome { records })
            }
            "create_order_shipment" => {
                let b: CreateShipment = parse(&req.body)?;
                let id = req.id.clone().unwrap_or_default();
                self.ship(c, &id, &b).await?;
                let order = self.order_by_id(c, &id).await?;
                Ok(WriteOutcome {
                    records: vec![order],
                })
            }
            other => Err(ConnectorError::Unsupported(other.to_string())),
        }
    }

    /// The product holding variant `variant_id`: the parent hint first, else a scan of the
    /// catalogue (the published REST surface has no variant lookup by id).
    async fn product_of_variant(
        &self,
        c: &ShopifyClient<'_>,
        variant_id: &str,
        parent_hint: Option<String>,
    ) -> Result<(Value, Value), ConnectorError> {
        let has = |p: &Value| {
            list(p, "variants")
                .iter()
                .find(|v| text(v, "id").as_deref() == Some(variant_id))
                .cloned()
        };
        if let Some(pid) = parent_hint {
            let r = c
                .get(&format!("/products/{}.json", num(&pid, "product")?), &[])
                .await?;
            if let Some(p) = r.get("product") {
                if let Some(v) = has(p) {
                    return Ok((p.clone(), v));
                }
            }
        }
        let mut since: Option<String> = None;
        loop {
            let mut q = vec![("limit", "250".to_string())];
            if let Some(s) = &since {
                q.push(("since_id", s.clone()));
            }
            let r = c.get("/products.json", &q).await?;
            let list = list(&r, "products");
            for p in list {
                if let Some(v) = has(p) {
                    return Ok((p.clone(), v));
                }
            }
            let last = list.last().and_then(|p| text(p, "id"));
            if list.len() < 250 || last.is_none() || last == since {
                return Err(ConnectorError::Permanent {
                    message: format!("Shopify has no variant {variant_id}"),
                    status: Some(404),
                });
            }
            since = last;
        }
    }

    /// Applies one adjustment; returns the product id holding the variant.
    async fn adjust(
        &self,
        c: &ShopifyClient<'_>,
        variant_id: &str,
        parent_hint: Option<String>,
        quantity: i64,
        dir: Direction,
        location: &str,
    ) -> Result<String, ConnectorError> {
        let (p, v) = self.product_of_variant(c, variant_id, parent_hint).await?;
        let item = text(&v, "inventory_item_id")
            .ok_or_else(|| refused(format!("variant {variant_id} has no inventory item")))?;
        let loc = num(location, "warehouse_id")?;
        let levels = c
            .get(
                "/inventory_levels.json",
                &[
                    ("inventory_item_ids", item.clone()),
                    ("location_ids", loc.to_string()),
                ],
            )
            .await?;
        let current = list(&levels, "inventory_levels")
            .iter()
            .find_map(|l| int(l, "available"))
            .unwrap_or(0);
        let delta = match dir {
            Direction::Increase => quantity,
            Direction::Decrease => -quantity,
        };
        c.send(
            Method::POST,
            "/inventory_levels/set.json",
            &[],
            Some(&json!({
                "inventory_item_id": num(&item, "inventory_item_id")?,
                "location_id": loc,
                "available": current + delta,
            })),
        )
        .await?;
        Ok(text(&p, "id").unwrap_or_default())
    }

    /// The product's canonical records, the adjusted variant first.
    async fn product_outcome(
        &self,
        c: &ShopifyClient<'_>,
        product_id: &str,
        variant_id: &str,
    ) -> Result<WriteOutcome, ConnectorError> {
        let r = c
            .get(
                &format!("/products/{}.json", num(product_id, "product")?),
                &[],
            )
            .await?;
        let p = r.get("product").cloned().unwrap_or(Value::Null);
        let mut records = self.normalize_products(c, std::slice::from_ref(&p)).await?;
        if let Some(i) = records
            .iter()
            .position(|r| r.get("id").and_then(Value::as_str) == Some(variant_id))
        {
            let t = records.remove(i);
            records.insert(0, t);
        }
        Ok(WriteOutcome { records })
    }

    /// Creates one fulfillment over the named fulfillment orders.
    async fn ship(
        &self,
        c: &ShopifyClient<'_>,
        order_id: &str,
        b: &CreateShipment,
    ) -> Result<(), ConnectorError> {
        if b.shipping_groups.is_empty() {
            return Err(refused(
                "shipping_groups must name at least one shipping group".into(),
            ));
        }
        let fos = c
            .get(
                &format!(
                    "/orders/{}/fulfillment_orders.json",
                    num(order_id, "order")?
                ),
                &[],
            )
            .await?;
        let fos = list(&fos, "fulfillment_orders");
        let mut groups = Vec::new();
        for g in &b.shipping_groups {
            let fo = fos
                .iter()
                .find(|f| text(f, "id").as_deref() == Some(g.shipping_group_id.as_str()))
                .ok_or_else(|| {
                    refused(format!(
                        "shipping group {} is not a fulfillment order of order {order_id}",
                        g.shipping_group_id
                    ))
                })?;
            let mut entry =
                json!({"fulfillment_order_id": num(&g.shipping_group_id, "shipping_group_id")?});
            if let Some(lines) = &g.line_items {
                let mut out = Vec::new();
                for l in lines {
                    let fol = list(fo, "line_items")
                        .iter()
                        .find(|x| {
                            text(x, "id").as_deref() == Some(l.line_item_id.as_str())
                                || text(x, "line_item_id").as_deref()
                                    == Some(l.line_item_id.as_str())
                        })
                        .and_then(|x| text(x, "id"))
                        .ok_or_else(|| {
                            refused(format!(
                                "line item {} is not in shipping group {}",
                                l.line_item_id, g.shipping_group_id
                            ))
                        })?;
                    out.push(json!({"id": num(&fol, "line_item_id")?, "quantity": l.quantity}));
                }
                entry["fulfillment_order_line_items"] = Value::Array(out);
            }
            groups.push(entry);
        }
        c.send(
            Method::POST,
            "/fulfillments.json",
            &[],
            Some(&json!({"fulfillment": {
                "line_items_by_fulfillment_order": groups,
                "tracking_info": {"number": b.tracking_number, "url": b.tracking_url},
                "notify_customer": false,
            }})),
        )
        .await?;
        Ok(())
    }
}
