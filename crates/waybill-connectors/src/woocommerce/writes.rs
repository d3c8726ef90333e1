//! WooCommerce's write variants: stock set on the product or variation, a shipment as a
//! completed order with tracking in its meta data and a customer note, refunds through the
//! order's refunds endpoint.

use super::client::WooClient;
use super::orders::{META_CARRIER, META_METHOD, META_TRACKING};
use super::WooCommerceConnector;
use crate::values::{int, text};
use crate::write_support::parse;
use reqwest::Method;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_connect::{ConnectorError, WriteOutcome, WriteRequest};

/// Direction of a stock adjustment.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Add units.
    Increase,
    /// Remove units.
    Decrease,
}

/// `PUT /cart/products/{id}/adjust-inventory` for WooCommerce (one stock per product).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInventory {
    /// Units to add or remove.
    pub quantity: i64,
    /// Add or remove.
    pub adjustment_type: Direction,
}

/// One adjustment of a WooCommerce batch.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// The product or variation.
    pub product_id: String,
    /// Units to add or remove.
    pub quantity: i64,
    /// Add or remove.
    pub adjustment_type: Direction,
}

/// `PUT /cart/products/batch-adjust-inventory` for WooCommerce.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchAdjustInventory {
    /// The adjustments, applied in order.
    pub adjustments: Vec<Adjustment>,
}

/// Carriers offered for WooCommerce shipments.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Carrier {
    Fedex,
    #[serde(rename = "FedEx Sameday")]
    FedexSameday,
    OnTrac,
    #[serde(rename = "UPS")]
    Ups,
    #[serde(rename = "USPS")]
    Usps,
}

impl Carrier {
    fn name(self) -> &'static str {
        match self {
            Self::Fedex => "Fedex",
            Self::FedexSameday => "FedEx Sameday",
            Self::OnTrac => "OnTrac",
            Self::Ups => "UPS",
            Self::Usps => "USPS",
        }
    }
}

/// `POST /cart/orders/{id}/shipments` for WooCommerce.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShipment {
    /// The shipping method used.
    pub requested_shipping_method: String,
    /// Carrier tracking number.
    pub tracking_number: Option<String>,
    /// The carrier.
    pub carrier_name: Option<Carrier>,
}

/// `POST /cart/orders/{id}/refund` for WooCommerce.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Refund {
    /// Amount to refund, in the order's currency.
    pub amount: f64,
    /// Why, shown on the order.
    pub reason: Option<String>,
    /// Whether WooCommerce should refund through the payment gateway (its default) or only
    /// record the refund.
    pub api_refund: Option<bool>,
}

fn num(id: &str) -> Result<i64, ConnectorError> {
    id.trim().parse().map_err(|_| ConnectorError::Permanent {
        message: format!("{id:?} is not a WooCommerce id"),
        status: Some(422),
    })
}

impl WooCommerceConnector {
    /// Dispatches a write.
    pub(super) async fn do_write(
        &self,
        c: &WooClient,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        let id = req.id.clone().unwrap_or_default();
        match req.function.as_str() {
            "adjust_inventory" => {
                let b: AdjustInventory = parse(&req.body)?;
                let hint = req
                    .current
                    .as_ref()
                    .and_then(|c| text(c, "parent_product_id"));
                let rec = self
                    .adjust(c, &id, hint, b.quantity, b.adjustment_type)
                    .await?;
                Ok(WriteOutcome { records: vec![rec] })
            }
            "batch_adjust_inventory" => {
                let b: BatchAdjustInventory = parse(&req.body)?;
                let mut records = Vec::new();
                for a in &b.adjustments {
                    records.push(
                        self.adjust(c, &a.product_id, None, a.quantity, a.adjustment_type)
                            .await?,
                    );
                }
                Ok(WriteOutcome { records })
            }
            "create_order_shipment" => {
                let b: CreateShipment = parse(&req.body)?;
                let oid = num(&id)?;
                let carrier = b.carrier_name.map(Carrier::name);
                let mut note = format!("Shipped via {}", b.requested_shipping_method);
                if let Some(cn) = carrier {
                    note.push_str(&format!(" ({cn})"));
                }
                if let Some(t) = &b.tracking_number {
                    note.push_str(&format!(", tracking number {t}"));
                }
                note.push('.');
                let mut meta =
                    vec![json!({"key": META_METHOD, "value": b.requested_shipping_method})];
                if let Some(t) = &b.tracking_number {
                    meta.push(json!({"key": META_TRACKING, "value": t}));
                }
                if let Some(cn) = carrier {
                    meta.push(json!({"key": META_CARRIER, "value": cn}));
                }
                c.send(
                    Method::POST,
                    &format!("/orders/{oid}/notes"),
                    &[],
                    Some(&json!({"note": note, "customer_note": true})),
                )
                .await?;
                let (o, _) = c
                    .send(
                        Method::PUT,
                        &format!("/orders/{oid}"),
                        &[],
                        Some(&json!({"status": "completed", "meta_data": meta})),
                    )
                    .await?;
                Ok(WriteOutcome {
                    records: vec![self.order_record(c, &o)?],
                })
            }
            "refund_order" => {
                let b: Refund = parse(&req.body)?;
                let oid = num(&id)?;
                let mut body = json!({"amount": format!("{:.2}", b.amount)});
                if let Some(r) = &b.reason {
                    body["reason"] = json!(r);
                }
                if let Some(a) = b.api_refund {
                    body["api_refund"] = json!(a);
                }
                c.send(
                    Method::POST,
                    &format!("/orders/{oid}/refunds"),
                    &[],
                    Some(&body),
                )
                .await?;
                let o = c.get(&format!("/orders/{oid}"), &[]).await?;
                Ok(WriteOutcome {
                    records: vec![self.order_record(c, &o)?],
                })
            }
            other => Err(ConnectorError::Unsupported(other.to_string())),
        }
    }

    /// Applies one adjustment to a product or variation and returns its record.
    async fn adjust(
        &self,
        c: &WooClient,
        id: &str,
        parent_hint: Option<String>,
        quantity: i64,
        dir: Direction,
    ) -> Result<Value, ConnectorError> {
        let id = num(id)?;
        let parent = match parent_hint.map(|p| num(&p)).transpose()? {
            Some(p) if p != id => Some(p),
            Some(_) => None,
            None => {
                let p = c.get(&format!("/products/{id}"), &[]).await?;
                int(&p, "parent_id").filter(|p| *p > 0 && *p != id)
            }
        };
        let path = match parent {
            Some(p) => format!("/products/{p}/variations/{id}"),
            None => format!("/products/{id}"),
        };
        let item = c.get(&path, &[]).await?;
        let current = int(&item, "stock_quantity").unwrap_or(0);
        let delta = match dir {
            Direction::Increase => quantity,
            Direction::Decrease => -quantity,
        };
        let (updated, _) = c
            .send(
                Method::PUT,
                &path,
                &[],
                Some(&json!({"manage_stock": true, "stock_quantity": current + delta})),
            )
            .await?;
        let rec = match parent {
            Some(p) => {
                let parent = c.get(&format!("/products/{p}"), &[]).await?;
                super::products::variation(&updated, &parent, &c.store)
                    .and_then(|r| serde_json::to_value(r).ok())
            }
            None => super::products::product(&updated, &c.store)
                .and_then(|r| serde_json::to_value(r).ok()),
        };
        rec.ok_or_else(|| {
            ConnectorError::Transient("WooCommerce returned a product without an id".into())
        })
    }
}
