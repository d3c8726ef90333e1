//! ShipMonk's write variants (SPEC §12.3) and the ShipMonk request each becomes. The types are
//! the variant schemas: base member names where Waybill has one, ShipMonk's own members
//! (`rma`, `required_packaging`, `handling_unit_type`, …) where it has none. Orders, receivings
//! and returns are upserts in ShipMonk (by store + order key, by ASN, by RMA).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use waybill_connect::ConnectorError;
use waybill_model::writes::base::{Measurements, OrderStatus, SupplierObject};

use crate::write_support::{inches, invalid, pounds, strip_nulls};

/// ShipMonk's order types a merchant may create.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum OrderType {
    DirectToConsumer,
    Retail,
    Amazon,
    Transfer,
    RemovalLiquidation,
    Disposal,
    BondedInventoryClearance,
    WorkOrder,
}

/// Where an order goes. ShipMonk needs a name, a street, a city and a country to ship.
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
    /// ShipMonk's own: the recipient's phone.
    pub phone_number: Option<String>,
    /// ShipMonk's own: the customer's email (`customer_email`).
    pub email_address: Option<String>,
}

/// An ordered line, by SKU (`product_id` is accepted too: a ShipMonk product's id is its SKU).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct OrderLine {
    pub sku: Option<String>,
    pub product_id: Option<String>,
    pub quantity: i64,
    pub unit_price: Option<f64>,
}

/// `create_order` on ShipMonk.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateOrder {
    /// Becomes ShipMonk's `order_key`, the order's id.
    pub reference_id: String,
    pub order_number: Option<String>,
    /// ShipMonk's requested shipping service, e.g. `Standard`.
    pub shipping_method: String,
    pub trading_partner: Option<String>,
    pub invoice_currency_code: Option<String>,
    pub total_tax: Option<f64>,
    pub total_shipping: Option<f64>,
    pub ship_to_address: ShipTo,
    pub line_items: Vec<OrderLine>,
    /// ShipMonk's own: the warehouse code; ShipMonk chooses one when absent.
    pub warehouse: Option<String>,
    /// ShipMonk's own: `direct_to_consumer` (default), `retail`, `amazon`, …
    pub order_type: Option<OrderType>,
    /// ShipMonk's own: when the customer ordered (default: now).
    pub ordered_at: Option<String>,
    /// ShipMonk's own: release the order for fulfillment at this time.
    pub submit_at: Option<String>,
    /// ShipMonk's own.
    pub gift_message: Option<String>,
    /// ShipMonk's own.
    pub customer_notes: Option<String>,
}

/// `update_order` on ShipMonk: the members to change on the order as ShipMonk holds it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateOrder {
    pub order_number: Option<String>,
    pub shipping_method: Option<String>,
    pub ship_to_address: Option<ShipTo>,
    pub line_items: Option<Vec<OrderLine>>,
    /// `open`, `cancelled`, `fulfilled` (fulfilled by a third party) or `exception` (on hold).
    pub status: Option<OrderStatus>,
    /// ShipMonk's own: the warehouse code.
    pub warehouse: Option<String>,
    /// ShipMonk's own.
    pub gift_message: Option<String>,
    /// ShipMonk's own.
    pub customer_notes: Option<String>,
}

/// The smallest packaging ShipMonk may ship a product in.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Packaging {
    PolyMailer,
    BubbleMailer,
    Box,
    SlapALabel,
    Custom,
}

/// `create_product` on ShipMonk. ShipMonk needs packaging, values and origin for customs.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateProduct {
    pub sku: String,
    pub name: String,
    pub gtin: Option<String>,
    pub measurements: Option<Measurements>,
    /// ShipMonk's own: `poly_mailer`, `bubble_mailer`, `box`, `slap_a_label` or `custom`.
    pub required_packaging: Packaging,
    /// ShipMonk's own: fragile products must use `box`.
    pub fragile: Option<bool>,
    /// ShipMonk's own: the merchant's replacement cost.
    pub replacement_cost: f64,
    /// ShipMonk's own: the declared customs value.
    pub customs_declaration_value: f64,
    /// ShipMonk's own: ISO 3166-1 alpha-2 country of origin.
    pub country_of_origin: String,
    /// ShipMonk's own: the merchant's key (default: the SKU).
    pub product_key: Option<String>,
    /// ShipMonk's own: currency of the values (e.g. `USD`).
    pub currency_code: Option<String>,
    /// ShipMonk's own.
    pub hs_code: Option<String>,
    /// ShipMonk's own.
    pub image_url: Option<String>,
}

/// How a receiving arrives.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum HandlingUnit {
    #[default]
    SmallBoxes,
    SingleSkuPallet,
    MixedSkuPallet,
    #[serde(rename = "container_20_palletized")]
    Container20Palletized,
    #[serde(rename = "container_20_non_palletized")]
    Container20NonPalletized,
    #[serde(rename = "container_40_palletized")]
    Container40Palletized,
    #[serde(rename = "container_40_non_palletized")]
    Container40NonPalletized,
    #[serde(rename = "container_53_palletized")]
    Container53Palletized,
    #[serde(rename = "container_53_non_palletized")]
    Container53NonPalletized,
    Unknown,
}

/// An expected SKU and quantity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct InboundLine {
    pub sku: String,
    pub expected_quantity: i64,
}

/// `create_inbound_shipment` on ShipMonk (a receiving, identified by its ASN).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateInbound {
    /// The warehouse code, e.g. `PA1`.
    pub warehouse_id: String,
    /// Becomes ShipMonk's ASN.
    pub purchase_order_number: String,
    /// Becomes ShipMonk's `supplier_name`.
    pub supplier: String,
    /// A date (`2026-04-02`) or a time.
    pub expected_arrival_date: String,
    pub tracking_number: Option<String>,
    pub line_items: Vec<InboundLine>,
    /// ShipMonk's own: `small_boxes` (default), pallets or containers.
    pub handling_unit_type: Option<HandlingUnit>,
    /// ShipMonk's own: how many boxes/pallets/containers.
    pub handling_unit_quantity: Option<i64>,
    /// ShipMonk's own: the merchant's key for the receiving.
    pub receiving_key: Option<String>,
    /// ShipMonk's own.
    pub description: Option<String>,
    /// ShipMonk's own: bill of lading number.
    pub bol_number: Option<String>,
}

/// Why a customer returns.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ReturnReason {
    ReasonExchange,
    ReasonChangedMind,
    ReasonUndeliverable,
    #[default]
    ReasonUnknown,
    ReasonIncorrectProduct,
}

/// What the warehouse should do with returned items.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum DesiredAction {
    #[default]
    ReceivedBackIntoInventory,
    DamagedNotResellable,
}

/// A returned SKU and quantity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReturnLine {
    pub sku: String,
    pub quantity: i64,
}

/// `create_return` on ShipMonk (identified by its RMA).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateReturn {
    /// The warehouse code the return goes to.
    pub warehouse_id: String,
    /// The returned order's key.
    pub order_id: Option<String>,
    pub line_items: Vec<ReturnLine>,
    /// ShipMonk's own: the RMA number.
    pub rma: String,
    /// ShipMonk's own: default `reason_unknown`.
    pub return_reason: Option<ReturnReason>,
    /// ShipMonk's own: default `received_back_into_inventory`.
    pub desired_action: Option<DesiredAction>,
    /// ShipMonk's own.
    pub tracking_number: Option<String>,
    /// ShipMonk's own.
    pub note: Option<String>,
}

/// The text of a serde unit enum (`snake_case` as declared).
fn name_of<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A date or time as an RFC 3339 time.
fn time(s: &str, what: &str) -> Result<String, ConnectorError> {
    crate::values::date(&json!({ "t": s }), "t")
        .ok_or_else(|| invalid(format!("{what} must be a date or time")))
}

/// A date or time as a date (`YYYY-MM-DD`).
fn day(s: &str, what: &str) -> Result<String, ConnectorError> {
    Ok(time(s, what)?[..10].to_string())
}

fn ship_to(a: &ShipTo) -> Value {
    json!({
        "name": a.full_name, "company": a.company, "street1": a.address1,
        "street2": a.address2, "city": a.city, "state": a.state, "zip": a.postal_code,
        "country_code": a.country, "phone": a.phone_number,
    })
}

fn items(lines: &[OrderLine]) -> Result<Vec<Value>, ConnectorError> {
    lines
        .iter()
        .map(|l| {
            let sku = l
                .sku
                .as_deref()
                .or(l.product_id.as_deref())
                .ok_or_else(|| invalid("every line item needs a sku"))?;
            Ok(json!({"sku": sku, "quantity": l.quantity, "price": l.unit_price}))
        })
        .collect()
}

/// The ShipMonk `POST /v1/integrations/order` body of a new order.
pub fn order_body(o: &CreateOrder, store_id: i64, now: &str) -> Result<Value, ConnectorError> {
    let ordered_at = match &o.ordered_at {
        Some(t) => time(t, "ordered_at")?,
        None => now.to_string(),
    };
    let submit_at = o
        .submit_at
        .as_deref()
        .map(|t| time(t, "submit_at"))
        .transpose()?;
    Ok(strip_nulls(json!({
        "store_id": store_id,
        "order_key": o.reference_id,
        "order_number": o.order_number.as_deref().unwrap_or(&o.reference_id),
        "order_status": "unfulfilled",
        "ordered_at": ordered_at,
        "requested_shipping_service": o.shipping_method,
        "ship_to": ship_to(&o.ship_to_address),
        "customer_email": o.ship_to_address.email_address,
        "items": items(&o.line_items)?,
        "order_type": o.order_type.map(name_of),
        "warehouse": o.warehouse,
        "trading_partner": o.trading_partner,
        "currency_code": o.invoice_currency_code,
        "taxes_paid": o.total_tax,
        "shipping_paid": o.total_shipping,
        "submit_at": submit_at,
        "gift_message": o.gift_message,
        "customer_notes": o.customer_notes,
    })))
}

/// ShipMonk order statuses a merchant may set.
fn vendor_status(s: OrderStatus) -> Result<&'static str, ConnectorError> {
    Ok(match s {
        OrderStatus::Open => "unfulfilled",
        OrderStatus::Cancelled => "cancelled",
        OrderStatus::Fulfilled => "fulfilled",
        OrderStatus::Exception => "onHold",
        other => {
            return Err(invalid(format!(
                "ShipMonk orders can be set to open, cancelled, fulfilled or exception (on hold), not {}",
                name_of(other)
            )))
        }
    })
}

/// The upsert body re-sending an order as ShipMonk holds it (`current`, the answer of `GET
/// /v1/integrations/orders`), with `change` applied: ShipMonk updates by re-posting the order.
pub fn upsert_body(
    current: &Value,
    store_id: i64,
    change: &UpdateOrder,
) -> Result<Value, ConnectorError> {
    use crate::values::text;
    let mut body = json!({
        "store_id": store_id,
        "order_key": text(current, "order_key"),
        "order_number": text(current, "order_number"),
        "order_status": text(current, "order_status").unwrap_or_else(|| "unfulfilled".into()),
        "ordered_at": crate::values::date(current, "ordered_at"),
        "requested_shipping_service": text(current, "requested_shipping_service")
            .or_else(|| text(current, "shipping_method/name")),
        "ship_to": current.get("ship_to").map(|s| json!({
            "name": s.get("name"), "company": s.get("company"), "street1": s.get("street1"),
            "street2": s.get("street2"), "city": s.get("city"), "state": s.get("state"),
            "zip": s.get("zip"), "country_code": s.get("country_code"), "phone": s.get("phone"),
        })),
        "items": crate::values::list(current, "items").iter().map(|i| json!({
            "sku": i.get("sku"), "quantity": i.get("quantity"), "line_key": i.get("line_key"),
            "name": i.get("name"), "price": i.get("price"),
        })).collect::<Vec<_>>(),
        "warehouse": text(current, "warehouse/identifier"),
        "customer_email": text(current, "customer_email"),
        // ISO 4217 codes only: the input refuses anything longer than three letters.
        "currency_code": text(current, "currency_code").filter(|c| c.len() == 3),
        "gift_message": text(current, "gift_message"),
        "customer_notes": text(current, "customer_notes"),
    });
    if let Some(t) = text(current, "order_type").filter(|t| t != "internal_warehouse_transfer") {
        body["order_type"] = json!(t);
    }
    if let Some(n) = &change.order_number {
        body["order_number"] = json!(n);
    }
    if let Some(s) = &change.shipping_method {
        body["requested_shipping_service"] = json!(s);
    }
    if let Some(a) = &change.ship_to_address {
        body["ship_to"] = ship_to(a);
        if a.email_address.is_some() {
            body["customer_email"] = json!(a.email_address);
        }
    }
    if let Some(l) = &change.line_items {
        body["items"] = json!(items(l)?);
    }
    if let Some(s) = change.status {
        body["order_status"] = json!(vendor_status(s)?);
    }
    for (k, v) in [
        ("warehouse", &change.warehouse),
        ("gift_message", &change.gift_message),
        ("customer_notes", &change.customer_notes),
    ] {
        if v.is_some() {
            body[k] = json!(v);
        }
    }
    for k in [
        "order_key",
        "order_number",
        "ordered_at",
        "requested_shipping_service",
        "ship_to",
    ] {
        if body[k].is_null() {
            return Err(invalid(format!(
                "ShipMonk's copy of the order lacks {k}; send it in the update"
            )));
        }
    }
    Ok(strip_nulls(body))
}

/// The ShipMonk `POST /v1/integrations/product` body, in ShipMonk's inches and pounds.
pub fn product_body(p: &CreateProduct) -> Value {
    let r6 = |x: f64| (x * 1e6).round() / 1e6;
    let mut body = json!({
        "product_key": p.product_key.as_deref().unwrap_or(&p.sku),
        "sku": p.sku,
        "name": p.name,
        "required_packaging": name_of(p.required_packaging),
        "fragile": p.fragile.unwrap_or(false),
        "replacement_cost": p.replacement_cost,
        "customs_declaration_value": p.customs_declaration_value,
        "country_of_origin": p.country_of_origin,
        "barcodes": p.gtin.iter().collect::<Vec<_>>(),
        "currency_code": p.currency_code,
        "hs_code": p.hs_code,
        "image_url": p.image_url,
    });
    if let Some(m) = &p.measurements {
        if let (Some(l), Some(w), Some(h)) = (m.length, m.width, m.height) {
            body["dimensions_in"] = json!({
                "length": r6(inches(l, m.unit)), "width": r6(inches(w, m.unit)),
                "height": r6(inches(h, m.unit)),
            });
        }
        if let Some(w) = m.weight {
            body["weight_lb"] = json!(r6(pounds(w, m.weight_unit)));
        }
    }
    strip_nulls(body)
}

/// The ShipMonk `POST /v1/integrations/receiving` body.
pub fn inbound_body(r: &CreateInbound) -> Result<Value, ConnectorError> {
    Ok(strip_nulls(json!({
        "warehouse": r.warehouse_id,
        "asn": r.purchase_order_number,
        "supplier_name": r.supplier,
        "estimated_delivery": day(&r.expected_arrival_date, "expected_arrival_date")?,
        "handling_unit_type": name_of(r.handling_unit_type.unwrap_or_default()),
        "handling_unit_quantity": r.handling_unit_quantity,
        "receiving_key": r.receiving_key,
        "description": r.description,
        "bol_number": r.bol_number,
        "tracking_numbers": r.tracking_number.as_ref().map(|t| vec![t]),
        "items": r.line_items.iter().map(|l| json!({"sku": l.sku, "expected_quantity": l.expected_quantity})).collect::<Vec<_>>(),
    })))
}

/// The ShipMonk `POST /v1/integrations/returns` body.
pub fn return_body(r: &CreateReturn, store_id: i64) -> Value {
    let action = name_of(r.desired_action.unwrap_or_default());
    strip_nulls(json!({
        "warehouse": r.warehouse_id,
        "rma": r.rma,
        "order_key": r.order_id,
        "store_id": store_id,
        "return_reason": name_of(r.return_reason.unwrap_or_default()),
        "note": r.note,
        "tracking_number": r.tracking_number,
        "items": r.line_items.iter().map(|l| json!({
            "sku": l.sku, "expected_quantity": l.quantity, "desired_action": action,
        })).collect::<Vec<_>>(),
    }))
}

/// A line of `update_inbound_shipment` on ShipMonk. A line names a SKU (and a lot, for
/// lot-tracked products); what it leaves out comes from the stored receiving's line for the
/// same SKU and lot.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateInboundLine {
    pub sku: String,
    /// Null or absent keeps the stored line's expected quantity.
    pub expected_quantity: Option<i64>,
    /// The lot number.
    pub lot_id: Option<String>,
    /// A date or time; ShipMonk keeps the date.
    pub lot_expiration_date: Option<String>,
}

/// `update_inbound_shipment` on ShipMonk: the members the ShipMonk variant lets change. The
/// ASN is the receiving's identity in ShipMonk's upsert, so it cannot be changed (the variant
/// has no `purchase_order_number`), and tracking numbers are not part of it either (the upsert
/// leaves them as they are). Every member is optional: the stored receiving supplies the rest.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateInbound {
    /// The warehouse code, e.g. `PA1`.
    pub warehouse_id: Option<String>,
    /// Becomes ShipMonk's `supplier_name` (`supplier_object.supplier_name` wins).
    pub supplier: Option<String>,
    pub supplier_object: Option<SupplierObject>,
    /// A date (`2026-04-02`) or a time.
    pub expected_arrival_date: Option<String>,
    /// ShipMonk's own: `small_boxes`, pallets or containers.
    pub handling_unit_type: Option<HandlingUnit>,
    /// ShipMonk's own: how many boxes/pallets/containers.
    pub handling_unit_quantity: Option<i64>,
    /// When sent, these are the receiving's lines (stored lines not named are dropped).
    pub line_items: Option<Vec<UpdateInboundLine>>,
}

/// One line of a stored receiving, as the upsert must re-send it.
#[derive(Debug, Clone, Default)]
struct StoredLine {
    sku: String,
    expected: Option<i64>,
    lot_number: Option<String>,
    lot_expiration: Option<String>,
    line_key: Option<String>,
    carton_key: Option<String>,
    loose_units_pallet_key: Option<String>,
}

/// The stored receiving's lines: ShipMonk's itemized `receiving_lines` (kept in
/// `additional_fields`, with line keys, lots and packing) when there are any, else the
/// canonical line items.
fn stored_lines(current: &Value) -> Vec<StoredLine> {
    use crate::values::{int, list, text};
    let lines = list(current, "additional_fields/receiving_lines");
    if !lines.is_empty() {
        return lines
            .iter()
            .filter_map(|l| {
                Some(StoredLine {
                    sku: text(l, "product/sku")?,
                    expected: int(l, "expected_quantity"),
                    lot_number: text(l, "lot/lot_number"),
                    lot_expiration: text(l, "lot/expiration_date"),
                    line_key: text(l, "line_key"),
                    carton_key: text(l, "carton_key"),
                    loose_units_pallet_key: text(l, "loose_units_pallet_key"),
                })
            })
            .collect();
    }
    list(current, "line_items")
        .iter()
        .filter_map(|l| {
            Some(StoredLine {
                sku: text(l, "sku").or_else(|| text(l, "inventory_item_id"))?,
                expected: int(l, "expected_quantity"),
                ..Default::default()
            })
        })
        .collect()
}

/// A line of the receiving upsert.
fn receiving_item(l: &StoredLine) -> Result<Value, ConnectorError> {
    let lot = match (&l.lot_number, &l.lot_expiration) {
        (None, None) => Value::Null,
        (n, e) => json!({
            "lot_number": n,
            "expiration_date": e.as_deref().map(|e| day(e, "lot_expiration_date")).transpose()?,
        }),
    };
    Ok(json!({
        "sku": l.sku,
        "expected_quantity": l.expected,
        "lot": lot,
        "line_key": l.line_key,
        "carton_key": l.carton_key,
        "loose_units_pallet_key": l.loose_units_pallet_key,
    }))
}

/// The caller's lines, each completed from the one stored line of the same SKU (and lot, when
/// the caller names one) that no earlier line took: its line key and packing (so ShipMonk
/// updates that line instead of adding one), its lot and its expected quantity.
fn updated_lines(
    sent: &[UpdateInboundLine],
    stored: &[StoredLine],
) -> Result<Vec<StoredLine>, ConnectorError> {
    let mut taken = vec![false; stored.len()];
    sent.iter()
        .enumerate()
        .map(|(i, l)| {
            let matches: Vec<usize> = (0..stored.len())
                .filter(|&j| {
                    !taken[j]
                        && stored[j].sku == l.sku
                        && (l.lot_id.is_none() || stored[j].lot_number == l.lot_id)
                })
                .collect();
            let base = match matches.as_slice() {
                [j] => {
                    taken[*j] = true;
                    stored[*j].clone()
                }
                _ => StoredLine {
                    sku: l.sku.clone(),
                    ..Default::default()
                },
            };
            let expected = l.expected_quantity.or(base.expected).ok_or_else(|| {
                invalid(format!(
                    "line_items.{i}.expected_quantity is needed: the stored receiving has no single line of {} to take it from",
                    l.sku
                ))
            })?;
            Ok(StoredLine {
                expected: Some(expected),
                lot_number: l.lot_id.clone().or(base.lot_number.clone()),
                lot_expiration: l.lot_expiration_date.clone().or(base.lot_expiration.clone()),
                ..base
            })
        })
        .collect()
}

/// A custom data value as ShipMonk's input takes it (text; other JSON is sent as its text).
fn custom_value(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        other => json!(other.to_string()),
    }
}

/// Packing identifiers as ShipMonk's input takes them (`type` and `value` only).
fn identifiers(v: &Value) -> Vec<Value> {
    crate::values::list(v, "identifiers")
        .iter()
        .map(|i| json!({"type": i.get("type"), "value": i.get("value")}))
        .collect()
}

/// The ShipMonk `POST /v1/integrations/receiving` body updating a receiving, and its ASN.
/// ShipMonk's upsert replaces the receiving it finds by receiving key or ASN, so the stored
/// copy (`current`, a canonical inbound shipment as pulled) supplies the ASN, the receiving
/// key and every member `change` does not set: description, BoL number, custom data,
/// cartons, pallets and the lines with their keys and lots. Tracking numbers are left out,
/// which ShipMonk documents as leaving them untouched.
pub fn inbound_update_body(
    current: &Value,
    change: &UpdateInbound,
) -> Result<(Value, String), ConnectorError> {
    use crate::values::{list, text};
    let af = |k: &str| current.get("additional_fields").and_then(|a| a.get(k));
    let asn = af("asn")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| text(current, "purchase_order_number"))
        .ok_or_else(|| {
            invalid("the stored receiving has no ASN; pull get_inbound_shipments and retry")
        })?;
    let stored = stored_lines(current);
    let lines = match &change.line_items {
        Some(sent) => updated_lines(sent, &stored)?,
        None => stored,
    };
    let supplier = change
        .supplier_object
        .as_ref()
        .and_then(|s| s.supplier_name.clone())
        .or_else(|| change.supplier.clone())
        .or_else(|| text(current, "supplier"))
        .or_else(|| text(current, "supplier_object/supplier_name"));
    let arrival = match &change.expected_arrival_date {
        Some(d) => Some(day(d, "expected_arrival_date")?),
        None => text(current, "expected_arrival_date")
            .map(|d| day(&d, "the stored expected_arrival_date"))
            .transpose()?,
    };
    let notes: Vec<String> = list(current, "notes")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let body = json!({
        "warehouse": change.warehouse_id.clone().or_else(|| text(current, "warehouse_id")),
        "asn": asn,
        "receiving_key": af("receiving_key"),
        "supplier_name": supplier,
        "estimated_delivery": arrival,
        "handling_unit_type": change.handling_unit_type.map(name_of).or_else(|| af("handling_unit_type").cloned()),
        "handling_unit_quantity": change.handling_unit_quantity.map(Value::from).or_else(|| af("handling_unit_quantity").cloned()),
        "description": (!notes.is_empty()).then(|| notes.join("\n")),
        "bol_number": af("bol_number"),
        "custom_data": af("custom_data").and_then(Value::as_array).map(|c| c.iter().map(|d| json!({
            "name": d.get("name"), "value": d.get("value").map(custom_value),
        })).collect::<Vec<_>>()),
        "cartons": af("cartons").and_then(Value::as_array).map(|c| c.iter().map(|x| json!({
            "carton_key": x.get("carton_key"), "pallet_key": x.get("pallet_key"),
            "identifiers": identifiers(x),
        })).collect::<Vec<_>>()),
        "pallets": af("pallets").and_then(Value::as_array).map(|p| p.iter().map(|x| json!({
            "pallet_key": x.get("pallet_key"), "identifiers": identifiers(x),
        })).collect::<Vec<_>>()),
        "items": lines.iter().map(receiving_item).collect::<Result<Vec<_>, _>>()?,
    });
    for (k, what) in [
        ("warehouse", "warehouse_id"),
        ("supplier_name", "supplier"),
        ("estimated_delivery", "expected_arrival_date"),
        ("handling_unit_type", "handling_unit_type"),
    ] {
        if body[k].is_null() {
            return Err(invalid(format!(
                "the stored receiving lacks {what}; send it in the update"
            )));
        }
    }
    Ok((strip_nulls(body), asn))
}
