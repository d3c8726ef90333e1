//! ShipBob's write variants (SPEC §12.3) and how each becomes a ShipBob request. The types
//! are the variant schemas: base member names where Waybill has one, ShipBob's own members
//! (`order_type`, `package_type`, `inventory_item_id`, …) where it has none.

use crate::write_support::{inches, invalid, ounces, strip_nulls};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_connect::ConnectorError;
use waybill_model::writes::base::Measurements;

/// ShipBob's order types.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub enum OrderType {
    #[serde(rename = "DTC")]
    Dtc,
    #[serde(rename = "B2B")]
    B2b,
    DropShip,
}

/// A recipient ShipBob accepts: name, street, city and country are required by ShipBob.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ShipTo {
    pub full_name: String,
    pub company: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    /// ShipBob's own: the recipient's email.
    pub email_address: Option<String>,
    /// ShipBob's own: the recipient's phone.
    pub phone_number: Option<String>,
}

/// An ordered line: a ShipBob product id, or a SKU ShipBob resolves.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrderLine {
    pub product_id: Option<String>,
    pub sku: Option<String>,
    pub quantity: i64,
    pub unit_price: Option<f64>,
}

/// `create_order` on ShipBob.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateOrder {
    pub reference_id: String,
    pub order_number: Option<String>,
    /// ShipBob's ship option name, e.g. `Standard`.
    pub shipping_method: String,
    pub total_price: Option<f64>,
    pub ship_to_address: ShipTo,
    pub line_items: Vec<OrderLine>,
    /// ShipBob's own: `DTC` (default), `B2B` or `DropShip`.
    pub order_type: Option<OrderType>,
    /// ShipBob's own: printed on the packing slip.
    pub gift_message: Option<String>,
}

/// `create_product` on ShipBob: one product with one variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateProduct {
    pub sku: String,
    pub name: String,
    pub gtin: Option<String>,
    pub measurements: Option<Measurements>,
}

/// A kit component: a product SKU, whose ShipBob variant id is looked up before the kit is
/// created (ShipBob's bundles name their components by variant id).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct KitComponent {
    pub sku: String,
    pub unit_quantity: i64,
}

/// `create_kit` on ShipBob: a bundle product (`type_id` 2) with one variant whose
/// `bundle_definition` lists the component variants. `gtin` and `measurements` are optional
/// here because ShipBob does not require them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateKit {
    pub sku: String,
    pub name: String,
    pub gtin: Option<String>,
    pub measurements: Option<Measurements>,
    pub inventory_items: Vec<KitComponent>,
}

/// Refuses a kit ShipBob cannot bundle, before any ShipBob call: no components, or a
/// quantity below one.
pub fn check_kit(k: &CreateKit) -> Result<(), ConnectorError> {
    if k.inventory_items.is_empty() {
        return Err(invalid(
            "inventory_items: a kit needs at least one component",
        ));
    }
    for (i, c) in k.inventory_items.iter().enumerate() {
        if c.unit_quantity < 1 {
            return Err(invalid(format!(
                "inventory_items.{i}.unit_quantity must be at least 1, got {}",
                c.unit_quantity
            )));
        }
    }
    Ok(())
}

/// The ShipBob `POST /product` body of a bundle: `components` are (variant id, quantity)
/// in the kit's order.
pub fn kit_body(k: &CreateKit, components: &[(i64, i64)]) -> Value {
    let mut variant = json!({
        "name": k.name, "sku": k.sku, "gtin": k.gtin,
        "bundle_definition": components
            .iter()
            .map(|(id, q)| json!({"variant_id": id, "quantity": q}))
            .collect::<Vec<_>>(),
    });
    if let Some(m) = &k.measurements {
        if let (Some(l), Some(w), Some(h)) = (m.length, m.width, m.height) {
            variant["dimension"] = json!({
                "length": inches(l, m.unit), "width": inches(w, m.unit), "height": inches(h, m.unit),
            });
        }
        if let Some(w) = m.weight {
            variant["weight"] = json!(ounces(w, m.weight_unit));
        }
    }
    strip_nulls(json!({"name": k.name, "type_id": "2", "variants": [variant]}))
}

/// ShipBob's receiving package types.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, Default)]
#[allow(missing_docs)]
pub enum PackageType {
    #[default]
    Package,
    Pallet,
    FloorLoadedContainer,
}

/// How ShipBob expects the boxes to be packed.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, Default)]
#[allow(missing_docs)]
pub enum BoxPackagingType {
    #[default]
    EverythingInOneBox,
    OneSkuPerBox,
    MultipleSkuPerBox,
}

/// An inbound line: ShipBob receives by inventory id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct InboundLine {
    pub sku: Option<String>,
    pub expected_quantity: i64,
    /// ShipBob's own: the inventory item's id (Waybill's `inventory_item_id`).
    pub inventory_item_id: String,
}

/// `create_inbound_shipment` on ShipBob (a warehouse receiving order).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateInbound {
    pub warehouse_id: String,
    pub expected_arrival_date: String,
    pub purchase_order_number: Option<String>,
    pub tracking_number: Option<String>,
    pub line_items: Vec<InboundLine>,
    /// ShipBob's own: `Package` (default), `Pallet` or `FloorLoadedContainer`.
    pub package_type: Option<PackageType>,
    /// ShipBob's own: `EverythingInOneBox` (default), `OneSkuPerBox`, `MultipleSkuPerBox`.
    pub box_packaging_type: Option<BoxPackagingType>,
}

fn id_number(id: &str, what: &str) -> Result<i64, ConnectorError> {
    id.trim()
        .parse()
        .map_err(|_| invalid(format!("{what} must be a ShipBob numeric id, got {id:?}")))
}

/// The ShipBob `POST /order` body.
pub fn order_body(o: &CreateOrder) -> Result<Value, ConnectorError> {
    let mut products = Vec::new();
    for l in &o.line_items {
        let p = match (&l.product_id, &l.sku) {
            (Some(id), _) if id.trim().parse::<i64>().is_ok() => {
                json!({"id": id_number(id, "product_id")?, "quantity": l.quantity})
            }
            (_, Some(sku)) => json!({
                "reference_id": sku, "sku": sku, "name": sku,
                "quantity": l.quantity, "unit_price": l.unit_price,
            }),
            _ => {
                return Err(invalid(
                    "every line item needs a ShipBob product_id or a sku",
                ))
            }
        };
        products.push(p);
    }
    let a = &o.ship_to_address;
    let ty = match o.order_type.unwrap_or(OrderType::Dtc) {
        OrderType::Dtc => "DTC",
        OrderType::B2b => "B2B",
        OrderType::DropShip => "DropShip",
    };
    let mut body = json!({
        "reference_id": o.reference_id,
        "order_number": o.order_number.as_deref().unwrap_or(&o.reference_id),
        "shipping_method": o.shipping_method,
        "type": ty,
        "recipient": {
            "name": a.full_name,
            "email": a.email_address,
            "phone_number": a.phone_number,
            "address": {
                "address1": a.address1, "address2": a.address2, "company_name": a.company,
                "city": a.city, "state": a.state, "zip_code": a.postal_code, "country": a.country,
            },
        },
        "products": products,
    });
    if let Some(t) = o.total_price {
        body["financials"] = json!({"total_price": t});
    }
    if let Some(g) = &o.gift_message {
        body["gift_message"] = json!(g);
    }
    Ok(strip_nulls(body))
}

/// The ShipBob `POST /product` body.
pub fn product_body(p: &CreateProduct) -> Value {
    let mut variant = json!({"name": p.name, "sku": p.sku, "gtin": p.gtin});
    if let Some(m) = &p.measurements {
        if let (Some(l), Some(w), Some(h)) = (m.length, m.width, m.height) {
            variant["dimension"] = json!({
                "length": inches(l, m.unit), "width": inches(w, m.unit), "height": inches(h, m.unit),
            });
        }
        if let Some(w) = m.weight {
            variant["weight"] = json!(ounces(w, m.weight_unit));
        }
    }
    strip_nulls(json!({"name": p.name, "type_id": "1", "variants": [variant]}))
}

/// The ShipBob `POST /receiving` body.
pub fn inbound_body(r: &CreateInbound) -> Result<Value, ConnectorError> {
    let mut items = Vec::new();
    for l in &r.line_items {
        items.push(json!({
            "inventory_id": id_number(&l.inventory_item_id, "inventory_item_id")?,
            "quantity": l.expected_quantity,
        }));
    }
    let expected = waybill_model::time::normalize(&r.expected_arrival_date)
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(&r.expected_arrival_date, "%Y-%m-%d")
                .ok()
                .map(|d| format!("{d}T00:00:00Z"))
        })
        .ok_or_else(|| invalid("expected_arrival_date must be a date or time"))?;
    Ok(json!({
        "fulfillment_center": {"id": id_number(&r.warehouse_id, "warehouse_id")?},
        "expected_arrival_date": expected,
        "purchase_order_number": r.purchase_order_number,
        "package_type": format!("{:?}", r.package_type.unwrap_or_default()),
        "box_packaging_type": format!("{:?}", r.box_packaging_type.unwrap_or_default()),
        "boxes": [{"tracking_number": r.tracking_number, "box_items": items}],
    }))
}

/// `update_product` on ShipBob: the fields to change on one variant (the canonical product).
/// Only the fields given are sent; ShipBob leaves the rest as they are.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateProduct {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub gtin: Option<String>,
    pub measurements: Option<Measurements>,
}

/// What ShipBob should do with a returned item.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, Default)]
#[allow(missing_docs)]
pub enum ReturnAction {
    #[default]
    Default,
    Restock,
    Quarantine,
    Dispose,
}

/// A returned line: ShipBob returns by inventory id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReturnLine {
    pub sku: Option<String>,
    /// ShipBob's own: the inventory item's id (Waybill's `inventory_item_id`).
    pub inventory_item_id: String,
    pub quantity: i64,
    /// ShipBob's own: `Default` (the product's return preference), `Restock`,
    /// `Quarantine` or `Dispose`.
    pub requested_action: Option<ReturnAction>,
}

/// `create_return` and `update_return` on ShipBob (a return order). ShipBob's update replaces
/// the whole return order, so both take the same members.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReturnOrder {
    /// ShipBob's own: the RMA; it must be on the box label when there is no tracking number.
    pub reference_id: String,
    pub warehouse_id: String,
    pub line_items: Vec<ReturnLine>,
    /// ShipBob's own: the return shipment's tracking number.
    pub tracking_number: Option<String>,
    /// ShipBob's own: the ShipBob shipment the items were sent in.
    pub original_shipment_id: Option<String>,
}

/// The ShipBob `PATCH /product/{productId}` body changing variant `variant_id`.
pub fn product_update_body(p: &UpdateProduct, variant_id: &str) -> Result<Value, ConnectorError> {
    let mut variant = json!({
        "id": id_number(variant_id, "the product id")?,
        "name": p.name, "sku": p.sku, "gtin": p.gtin,
    });
    if let Some(m) = &p.measurements {
        if let (Some(l), Some(w), Some(h)) = (m.length, m.width, m.height) {
            variant["dimension"] = json!({
                "length": inches(l, m.unit), "width": inches(w, m.unit), "height": inches(h, m.unit),
            });
        }
        if let Some(w) = m.weight {
            variant["weight"] = json!(ounces(w, m.weight_unit));
        }
    }
    Ok(strip_nulls(json!({"variants": [variant]})))
}

/// The ShipBob `POST /return` (and `PUT /return/{id}`) body.
pub fn return_body(r: &ReturnOrder) -> Result<Value, ConnectorError> {
    let mut inventory = Vec::new();
    for l in &r.line_items {
        inventory.push(json!({
            "id": id_number(&l.inventory_item_id, "inventory_item_id")?,
            "quantity": l.quantity,
            "requested_action": format!("{:?}", l.requested_action.unwrap_or_default()),
        }));
    }
    let shipment = match &r.original_shipment_id {
        Some(s) => Some(id_number(s, "original_shipment_id")?),
        None => None,
    };
    Ok(strip_nulls(json!({
        "reference_id": r.reference_id,
        "fulfillment_center": {"id": id_number(&r.warehouse_id, "warehouse_id")?},
        "inventory": inventory,
        "tracking_number": r.tracking_number,
        "original_shipment_id": shipment,
    })))
}

/// The one receiving-order change ShipBob takes through its API.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub enum InboundStatus {
    #[serde(rename = "cancelled")]
    Cancelled,
}

/// `update_inbound_shipment` on ShipBob: `{"status": "cancelled"}` cancels the receiving order
/// (`POST /receiving/{id}:cancel`). ShipBob has no call that edits a receiving order's
/// dates, boxes or lines, so the variant admits nothing else.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateInbound {
    pub status: InboundStatus,
}
