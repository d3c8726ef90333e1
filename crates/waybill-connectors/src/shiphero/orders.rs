//! ShipHero orders (`orders` query) → canonical WMS orders. ShipHero's `fulfillment_status`
//! is free text (its own values plus an account's custom statuses); the known ones map onto
//! `ORDER_STATUSES`, everything else is `other` with the raw value kept.

use super::nodes;
use crate::values::{at, date, int, keep, latest, list, num, text, to_json};
use serde_json::{json, Value};
use waybill_model::records::{ChannelObject, Order, OrderLineItem, ShipToAddress};

/// ShipHero's order fulfillment status → `ORDER_STATUSES`; unknown values are `other`.
pub fn order_status(raw: &str) -> &'static str {
    match raw
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "pending" | "unfulfilled" | "awaiting_payment" => "open",
        "processing" | "ready_to_ship" => "processing",
        "partially_fulfilled" | "partially_shipped" => "partially_fulfilled",
        "fulfilled" | "shipped" => "fulfilled",
        "canceled" | "cancelled" => "cancelled",
        "on_hold" | "hold" | "address_issue" => "exception",
        "backorder" | "backordered" => "backordered",
        _ => "other",
    }
}

/// A ShipHero order address as a ship-to address.
pub fn address(a: &Value) -> ShipToAddress {
    let name = [text(a, "first_name"), text(a, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    ShipToAddress {
        full_name: (!name.is_empty()).then_some(name),
        company: text(a, "company"),
        address1: text(a, "address1"),
        address2: text(a, "address2"),
        address3: None,
        city: text(a, "city"),
        state: text(a, "state_code").or_else(|| text(a, "state")),
        postal_code: text(a, "zip"),
        country: text(a, "country_code").or_else(|| text(a, "country")),
        phone_number: text(a, "phone"),
        email_address: text(a, "email"),
    }
}

/// One ShipHero order as a canonical order; `None` when it has no id.
pub fn map(o: &Value) -> Option<Value> {
    let id = text(o, "id")?;
    let lines = at(o, "line_items").map(nodes).unwrap_or_default();
    let shipping = list(o, "shipping_lines").first();
    let raw = text(o, "fulfillment_status");
    let order_number = text(o, "order_number").unwrap_or_else(|| id.clone());
    let method = shipping.and_then(|s| text(s, "method").or_else(|| text(s, "title")));
    let carrier = shipping.and_then(|s| text(s, "carrier"));
    let mut additional = keep(
        o,
        &[
            "legacy_id",
            "account_id",
            "email",
            "profile",
            "gift_note",
            "packing_note",
            "holds",
            "subtotal",
            "order_date",
        ],
    );
    if let Some(s) = shipping.and_then(|s| text(s, "title")) {
        additional.insert("shipping_title".into(), json!(s));
    }
    let order = Order {
        id: id.clone(),
        warehouse_customer_id: None,
        warehouse_id: text(o, "warehouse_id"),
        created_date: date(o, "created_at")
            .or_else(|| date(o, "order_date"))
            .unwrap_or_default(),
        updated_date: latest([date(o, "updated_at"), date(o, "created_at")]).unwrap_or_default(),
        reference_id: text(o, "partner_order_id").unwrap_or_else(|| order_number.clone()),
        order_number,
        status: raw.as_deref().map(order_status).unwrap_or("other").into(),
        raw_status: raw,
        channel: text(o, "shop_name"),
        channel_object: text(o, "shop_name").map(|s| ChannelObject {
            channel_id: s.clone(),
            channel_name: Some(s),
        }),
        shipping_method: method.clone(),
        shipping_method_name: method,
        carrier_name: carrier,
        invoice_currency_code: "USD".into(),
        total_price: num(o, "total_price"),
        total_tax: num(o, "total_tax"),
        total_discount: num(o, "total_discounts"),
        total_shipping: shipping.and_then(|s| num(s, "price")),
        ship_to_address: at(o, "shipping_address").map(address).unwrap_or_default(),
        line_items: lines
            .iter()
            .map(|l| OrderLineItem {
                product_id: text(l, "product_id")
                    .or_else(|| text(l, "id"))
                    .unwrap_or_default(),
                sku: text(l, "sku"),
                quantity: int(l, "quantity").unwrap_or(0),
                unit_price: num(l, "price"),
                is_picked: false,
                discount_amount: None,
            })
            .collect(),
        tags: list(o, "tags")
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        required_ship_date: date(o, "required_ship_date"),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&order))
}
