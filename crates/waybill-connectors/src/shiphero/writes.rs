//! ShipHero's write variants (SPEC §12.3) and the GraphQL input each becomes. The types are
//! the variant schemas: base member names where Waybill has one, ShipHero's own members
//! (`warehouse_id` on orders, `gift_note`, `vendor_sku`, `line_item_id`, …) where it has none.
//! Only members ShipHero's input types accept are offered; the rest of the base is ignored.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use waybill_connect::ConnectorError;
use waybill_model::writes::base::{AdjustmentType, LengthUnit, Measurements, WeightUnit};

/// A ShipHero order address.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ShipTo {
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    /// ShipHero's own: the recipient's email.
    pub email_address: Option<String>,
    /// ShipHero's own: the recipient's phone.
    pub phone_number: Option<String>,
}

/// An ordered line: ShipHero orders by SKU.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrderLine {
    pub sku: String,
    pub quantity: i64,
    pub unit_price: Option<f64>,
    /// ShipHero's own: the product name printed on the packing slip.
    pub product_name: Option<String>,
    /// ShipHero's own: your id of the line (default `<order_number>-<n>`).
    pub partner_line_item_id: Option<String>,
}

/// `create_order` on ShipHero (`order_create`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateOrder {
    pub order_number: String,
    /// Your id of the order (ShipHero's `partner_order_id`).
    pub reference_id: Option<String>,
    /// The store the order came from (ShipHero's `shop_name`).
    pub channel: Option<String>,
    /// ShipHero's shipping method (its shipping line's `method` and `title`).
    pub shipping_method: Option<String>,
    /// The shipping line's price.
    pub total_shipping: Option<f64>,
    pub ship_to_address: ShipTo,
    pub line_items: Vec<OrderLine>,
    /// ShipHero's own: the shipping line's carrier.
    pub carrier: Option<String>,
    /// ShipHero's own: the warehouse to fulfil from.
    pub warehouse_id: Option<String>,
    /// ShipHero's own: the customer's email.
    pub email: Option<String>,
    /// ShipHero's own.
    pub gift_note: Option<String>,
    /// ShipHero's own.
    pub packing_note: Option<String>,
    /// ShipHero's own: RFC 3339 time.
    pub required_ship_date: Option<String>,
    /// ShipHero's own: RFC 3339 time the order was placed.
    pub order_date: Option<String>,
    /// ShipHero's own: order tags.
    pub tags: Option<Vec<String>>,
}

/// `update_order` on ShipHero (`order_update`): the members ShipHero lets change.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateOrder {
    pub reference_id: Option<String>,
    pub channel: Option<String>,
    pub shipping_method: Option<String>,
    pub total_shipping: Option<f64>,
    pub ship_to_address: Option<ShipTo>,
    /// ShipHero's own.
    pub carrier: Option<String>,
    /// ShipHero's own.
    pub email: Option<String>,
    /// ShipHero's own.
    pub gift_note: Option<String>,
    /// ShipHero's own.
    pub packing_note: Option<String>,
    /// ShipHero's own.
    pub required_ship_date: Option<String>,
    /// ShipHero's own: replaces the order's tags.
    pub tags: Option<Vec<String>>,
}

/// `create_product` on ShipHero (`product_create`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateProduct {
    pub sku: String,
    pub name: String,
    /// The barcode (ShipHero's `barcode`).
    pub gtin: Option<String>,
    /// Sent in inches and pounds.
    pub measurements: Option<Measurements>,
    /// ShipHero's own: selling price.
    pub price: Option<f64>,
    /// ShipHero's own: the item's value (cost).
    pub value: Option<f64>,
    /// ShipHero's own.
    pub country_of_manufacture: Option<String>,
    /// ShipHero's own: HS tariff code.
    pub tariff_code: Option<String>,
    /// ShipHero's own.
    pub needs_lot_tracking: Option<bool>,
    /// ShipHero's own: a product never shipped (digital, service).
    #[serde(rename = "virtual")]
    pub is_virtual: Option<bool>,
}

/// The vendor of a purchase order: ShipHero needs its id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Supplier {
    pub supplier_id: String,
    pub supplier_name: Option<String>,
}

/// A purchase-order line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct InboundLine {
    pub sku: String,
    pub expected_quantity: i64,
    /// ShipHero's own: unit price.
    pub price: Option<f64>,
    /// ShipHero's own: the vendor's SKU.
    pub vendor_sku: Option<String>,
    /// ShipHero's own.
    pub product_name: Option<String>,
}

/// `create_inbound_shipment` on ShipHero (`purchase_order_create`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateInbound {
    pub supplier_object: Supplier,
    pub warehouse_id: String,
    pub purchase_order_number: Option<String>,
    pub line_items: Vec<InboundLine>,
    /// ShipHero's own: RFC 3339 date of the purchase order.
    pub po_date: Option<String>,
    /// ShipHero's own.
    pub po_note: Option<String>,
    /// ShipHero's own.
    pub packing_note: Option<String>,
    /// ShipHero's own.
    pub description: Option<String>,
    /// ShipHero's own.
    pub shipping_method: Option<String>,
    /// ShipHero's own.
    pub shipping_carrier: Option<String>,
    /// ShipHero's own.
    pub payment_method: Option<String>,
}

/// A returned line: the order's line item by ShipHero id, or by SKU (resolved on the order).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReturnLine {
    pub sku: Option<String>,
    pub quantity: i64,
    /// ShipHero's own: the order line item returned (found by `sku` when absent).
    pub line_item_id: Option<String>,
    /// ShipHero's own.
    pub reason: Option<String>,
    /// ShipHero's own: e.g. `Good`, `Damaged`.
    pub condition: Option<String>,
}

/// `create_return` on ShipHero (`return_create`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateReturn {
    pub order_id: String,
    pub line_items: Vec<ReturnLine>,
    /// ShipHero's own: the return's reason.
    pub reason: Option<String>,
    /// ShipHero's own: e.g. `FREE`, `BY_CUSTOMER`.
    pub label_type: Option<String>,
    /// ShipHero's own.
    pub shipping_carrier: Option<String>,
    /// ShipHero's own.
    pub shipping_method: Option<String>,
}

/// `adjust_inventory` on ShipHero (`inventory_add` / `inventory_remove`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct AdjustInventory {
    pub quantity: i64,
    pub adjustment_type: AdjustmentType,
    pub warehouse_id: String,
    pub location_id: Option<String>,
    /// ShipHero's own: the reason recorded in ShipHero's inventory log.
    pub reason: Option<String>,
}

/// `create_order_shipment` on ShipHero (`shipment_create`). ShipHero's `CreateShipmentInput`
/// takes only the order, a warehouse and a profile, so the base members it cannot carry
/// (tracking, carrier, cost, measurements, packages) are not offered and come back in
/// `unused_fields` rather than being dropped unannounced.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateOrderShipment {
    /// The warehouse the shipment leaves from (ShipHero picks the order's when absent).
    pub warehouse_id: Option<String>,
    /// ShipHero's own: the shipping profile to ship with.
    pub profile: Option<String>,
}

/// `update_inbound_shipment` on ShipHero (`purchase_order_update`): the members ShipHero's
/// `UpdatePurchaseOrderInput` lets change.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateInbound {
    /// ShipHero's `po_number`.
    pub purchase_order_number: Option<String>,
    /// ShipHero's own.
    pub po_note: Option<String>,
    /// ShipHero's own.
    pub packing_note: Option<String>,
}

/// A body that passed the schema but cannot be decoded is a client error.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &Value) -> Result<T, ConnectorError> {
    serde_json::from_value(body.clone()).map_err(|e| ConnectorError::Permanent {
        message: format!("invalid body: {e}"),
        status: Some(422),
    })
}

/// Drops `null` members: ShipHero treats an explicit null as "clear this".
pub fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn address(a: &ShipTo) -> Value {
    let (first, last) = match a.full_name.as_deref().map(str::trim) {
        Some(n) => match n.rsplit_once(' ') {
            Some((f, l)) => (Some(f.to_string()), Some(l.to_string())),
            None => (Some(n.to_string()), None),
        },
        None => (None, None),
    };
    let code = a
        .country
        .as_deref()
        .filter(|c| c.len() == 2)
        .map(str::to_ascii_uppercase);
    json!({
        "first_name": first, "last_name": last, "company": a.company,
        "address1": a.address1, "address2": a.address2, "city": a.city,
        "state": a.state, "zip": a.postal_code, "country": a.country, "country_code": code,
        "email": a.email_address, "phone": a.phone_number,
    })
}

fn shipping_lines(method: &Option<String>, carrier: &Option<String>, price: Option<f64>) -> Value {
    if method.is_none() && carrier.is_none() && price.is_none() {
        return Value::Null;
    }
    json!([{"title": method, "method": method, "carrier": carrier, "price": price}])
}

/// A time in ShipHero's `DateTime` form (RFC 3339), or the client's error.
fn time(s: &Option<String>, what: &str) -> Result<Value, ConnectorError> {
    match s {
        None => Ok(Value::Null),
        Some(s) => waybill_model::time::normalize(s)
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .ok()
                    .map(|d| format!("{d}T00:00:00Z"))
            })
            .map(Value::String)
            .ok_or_else(|| ConnectorError::Permanent {
                message: format!("{what} must be a date or time, got {s:?}"),
                status: Some(422),
            }),
    }
}

/// The `CreateOrderInput` of an order.
pub fn order_input(o: &CreateOrder) -> Result<Value, ConnectorError> {
    let lines: Vec<Value> = o
        .line_items
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "sku": l.sku, "quantity": l.quantity, "price": l.unit_price,
                "product_name": l.product_name,
                "partner_line_item_id": l.partner_line_item_id.clone()
                    .unwrap_or_else(|| format!("{}-{}", o.order_number, i + 1)),
                "warehouse_id": o.warehouse_id,
            })
        })
        .collect();
    Ok(strip_nulls(json!({
        "order_number": o.order_number,
        "partner_order_id": o.reference_id.as_deref().unwrap_or(&o.order_number),
        "shop_name": o.channel,
        "email": o.email.as_ref().or(o.ship_to_address.email_address.as_ref()),
        "gift_note": o.gift_note,
        "packing_note": o.packing_note,
        "required_ship_date": time(&o.required_ship_date, "required_ship_date")?,
        "order_date": time(&o.order_date, "order_date")?,
        "shipping_lines": shipping_lines(&o.shipping_method, &o.carrier, o.total_shipping),
        "shipping_address": address(&o.ship_to_address),
        "tags": o.tags,
        "line_items": lines,
        "warehouse_id": o.warehouse_id,
    })))
}

/// The `UpdateOrderInput` of an order update.
pub fn order_update_input(id: &str, o: &UpdateOrder) -> Result<Value, ConnectorError> {
    Ok(strip_nulls(json!({
        "order_id": id,
        "partner_order_id": o.reference_id,
        "shop_name": o.channel,
        "email": o.email,
        "gift_note": o.gift_note,
        "packing_note": o.packing_note,
        "required_ship_date": time(&o.required_ship_date, "required_ship_date")?,
        "shipping_lines": shipping_lines(&o.shipping_method, &o.carrier, o.total_shipping),
        "shipping_address": o.ship_to_address.as_ref().map(address),
        "tags": o.tags,
    })))
}

fn to_in(v: f64, u: Option<LengthUnit>) -> f64 {
    match u {
        Some(LengthUnit::Cm) => v / 2.54,
        _ => v,
    }
}

fn to_lb(v: f64, u: Option<WeightUnit>) -> f64 {
    match u {
        Some(WeightUnit::Kg) => v * 2.204_622_621_8,
        Some(WeightUnit::Oz) => v / 16.0,
        _ => v,
    }
}

/// The `CreateProductInput` of a product.
pub fn product_input(p: &CreateProduct) -> Value {
    let dims = p.measurements.as_ref().map(|m| {
        let mut d = Map::new();
        for (k, v) in [
            ("length", m.length),
            ("width", m.width),
            ("height", m.height),
        ] {
            if let Some(v) = v {
                d.insert(k.into(), json!(to_in(v, m.unit)));
            }
        }
        if let Some(w) = m.weight {
            d.insert("weight".into(), json!(to_lb(w, m.weight_unit)));
        }
        Value::Object(d)
    });
    strip_nulls(json!({
        "sku": p.sku, "name": p.name, "barcode": p.gtin, "price": p.price, "value": p.value,
        "country_of_manufacture": p.country_of_manufacture, "tariff_code": p.tariff_code,
        "dimensions": dims, "needs_lot_tracking": p.needs_lot_tracking, "virtual": p.is_virtual,
    }))
}

/// The `CreatePurchaseOrderInput` of an inbound shipment.
pub fn purchase_order_input(r: &CreateInbound) -> Result<Value, ConnectorError> {
    Ok(strip_nulls(json!({
        "vendor_id": r.supplier_object.supplier_id,
        "warehouse_id": r.warehouse_id,
        "po_number": r.purchase_order_number,
        "po_date": time(&r.po_date, "po_date")?,
        "po_note": r.po_note,
        "packing_note": r.packing_note,
        "description": r.description,
        "shipping_method": r.shipping_method,
        "shipping_carrier": r.shipping_carrier,
        "payment_method": r.payment_method,
        "line_items": r.line_items.iter().map(|l| json!({
            "sku": l.sku, "quantity": l.expected_quantity, "price": l.price,
            "vendor_sku": l.vendor_sku, "product_name": l.product_name,
        })).collect::<Vec<_>>(),
    })))
}

/// The `CreateReturnInput` of a return; `line_of` finds an order line item id by SKU.
pub fn return_input(
    r: &CreateReturn,
    line_of: impl Fn(&str) -> Option<String>,
) -> Result<Value, ConnectorError> {
    let mut lines = Vec::new();
    for l in &r.line_items {
        let id = l
            .line_item_id
            .clone()
            .or_else(|| l.sku.as_deref().and_then(&line_of))
            .ok_or_else(|| ConnectorError::Permanent {
                message: format!(
                    "no line item of order {} has SKU {:?}; give line_item_id",
                    r.order_id,
                    l.sku.as_deref().unwrap_or_default()
                ),
                status: Some(422),
            })?;
        lines.push(json!({
            "line_item_id": id, "quantity": l.quantity, "reason": l.reason,
            "condition": l.condition,
        }));
    }
    Ok(strip_nulls(json!({
        "order_id": r.order_id,
        "reason": r.reason,
        "label_type": r.label_type,
        "shipping_carrier": r.shipping_carrier,
        "shipping_method": r.shipping_method,
        "line_items": lines,
    })))
}

/// The `InventoryAddInput`/`InventoryRemoveInput` of an adjustment of `sku`.
pub fn inventory_input(sku: &str, a: &AdjustInventory) -> Value {
    let mut v = json!({
        "sku": sku, "warehouse_id": a.warehouse_id, "quantity": a.quantity.abs(),
        "reason": a.reason, "location_id": a.location_id,
    });
    strip_nulls(std::mem::take(&mut v))
}

/// The `CreateShipmentInput` of a shipment of order `order_id`.
pub fn shipment_input(order_id: &str, s: &CreateOrderShipment) -> Value {
    strip_nulls(json!({
        "order_id": order_id, "warehouse_id": s.warehouse_id, "profile": s.profile,
    }))
}

/// The `UpdatePurchaseOrderInput` of an inbound shipment (purchase order) `po_id`.
pub fn purchase_order_update_input(po_id: &str, u: &UpdateInbound) -> Value {
    strip_nulls(json!({
        "po_id": po_id, "po_number": u.purchase_order_number, "po_note": u.po_note,
        "packing_note": u.packing_note,
    }))
}
