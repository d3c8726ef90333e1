//! WooCommerce orders → canonical cart orders. WooCommerce core records no shipments; a
//! shipment appears when the order carries tracking in its meta data (Waybill's own keys,
//! written by `create_order_shipment`, or the Shipment Tracking extension's items).

use crate::values::{as_text, full_name, int, keep, list, num, text, time};
use serde_json::Value;
use waybill_model::records::cart::{CartOrder, CartOrderLineItem, CartShipment};
use waybill_model::records::common::{BillToAddress, ShipToAddress};

/// Meta key of the tracking number Waybill writes.
pub const META_TRACKING: &str = "_waybill_tracking_number";
/// Meta key of the carrier Waybill writes.
pub const META_CARRIER: &str = "_waybill_carrier_name";
/// Meta key of the shipping method Waybill writes.
pub const META_METHOD: &str = "_waybill_shipping_method";

/// Canonical status of a WooCommerce order status.
pub fn order_status(raw: &str) -> &'static str {
    match raw {
        "pending" | "on-hold" => "open",
        "processing" => "confirmed",
        "completed" => "fulfilled",
        "cancelled" | "refunded" => "cancelled",
        "failed" => "exception",
        _ => "other",
    }
}

fn meta<'a>(o: &'a Value, key: &str) -> Option<&'a Value> {
    list(o, "meta_data")
        .iter()
        .find(|m| m.get("key").and_then(Value::as_str) == Some(key))
        .and_then(|m| m.get("value"))
}

fn shipments(o: &Value, id: &str) -> Vec<CartShipment> {
    let mut out = Vec::new();
    if let Some(n) = meta(o, META_TRACKING).and_then(as_text) {
        out.push(CartShipment {
            shipment_id: format!("{id}-waybill"),
            raw_status: text(o, "status"),
            status: Some("shipped".into()),
            shipping_method_name: meta(o, META_METHOD).and_then(as_text),
            carrier_name: meta(o, META_CARRIER).and_then(as_text),
            tracking_number: Some(n),
            updated_date: time(o, "date_modified_gmt"),
            ..Default::default()
        });
    }
    // The Shipment Tracking extension keeps a list of items under one key.
    let items = meta(o, "_wc_shipment_tracking_items").cloned();
    let items = match items {
        Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::Null),
        Some(v) => v,
        None => Value::Null,
    };
    for it in items.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        out.push(CartShipment {
            shipment_id: text(it, "tracking_id").unwrap_or_else(|| format!("{id}-{}", out.len())),
            status: Some("shipped".into()),
            carrier_name: text(it, "tracking_provider")
                .or_else(|| text(it, "custom_tracking_provider")),
            tracking_number: text(it, "tracking_number"),
            tracking_url: text(it, "custom_tracking_link"),
            ..Default::default()
        });
    }
    out
}

fn per_unit(total: Option<f64>, qty: i64) -> Option<f64> {
    total.map(|t| if qty > 0 { t / qty as f64 } else { t })
}

fn line_item(l: &Value) -> CartOrderLineItem {
    let qty = int(l, "quantity").unwrap_or(0);
    let product = text(l, "product_id").filter(|p| p != "0");
    let variation = text(l, "variation_id").filter(|v| v != "0");
    let discount = match (num(l, "subtotal"), num(l, "total")) {
        (Some(s), Some(t)) => Some(s - t),
        _ => None,
    };
    CartOrderLineItem {
        line_item_id: text(l, "id").unwrap_or_default(),
        product_id: variation
            .clone()
            .or_else(|| product.clone())
            .unwrap_or_default(),
        product_sku: text(l, "sku"),
        parent_product_id: product,
        parent_product_sku: None,
        quantity: qty,
        // `price` is after discounts; the list price per unit is the subtotal's share.
        unit_price: per_unit(num(l, "subtotal"), qty).or_else(|| num(l, "price")),
        discount: per_unit(discount, qty),
        tax: per_unit(num(l, "total_tax"), qty),
    }
}

/// Normalizes an order; `None` when it has no id (the caller reports it).
pub fn order(o: &Value, store: &str) -> Option<CartOrder> {
    let id = text(o, "id")?;
    let raw = text(o, "status").unwrap_or_default();
    let shipping = o.get("shipping").cloned().unwrap_or(Value::Null);
    let billing = o.get("billing").cloned().unwrap_or(Value::Null);
    let line = list(o, "shipping_lines").first();
    let extra = keep(
        o,
        &[
            "customer_id",
            "customer_note",
            "payment_method",
            "payment_method_title",
            "transaction_id",
            "date_paid_gmt",
            "date_completed_gmt",
            "prices_include_tax",
            "created_via",
            "refunds",
        ],
    );
    Some(CartOrder {
        order_number: text(o, "number").unwrap_or_else(|| id.clone()),
        created_date: time(o, "date_created_gmt")
            .or_else(|| time(o, "date_created"))
            .unwrap_or_default(),
        updated_date: time(o, "date_modified_gmt")
            .or_else(|| time(o, "date_modified"))
            .unwrap_or_default(),
        status: order_status(&raw).into(),
        raw_status: Some(raw),
        requested_shipping_method: line.and_then(|l| text(l, "method_title")),
        shipping_method_id: line.and_then(|l| text(l, "method_id")),
        shipping_method_name: line.and_then(|l| text(l, "method_title")),
        carrier_id: None,
        carrier_name: None,
        invoice_currency_code: text(o, "currency").unwrap_or_else(|| "USD".into()),
        total_price: num(o, "total"),
        total_tax: num(o, "total_tax"),
        total_discount: num(o, "discount_total"),
        total_shipping: num(o, "shipping_total"),
        ship_to_address: ShipToAddress {
            full_name: full_name(&shipping, "first_name", "last_name"),
            company: text(&shipping, "company"),
            address1: text(&shipping, "address_1"),
            address2: text(&shipping, "address_2"),
            address3: None,
            city: text(&shipping, "city"),
            state: text(&shipping, "state"),
            postal_code: text(&shipping, "postcode"),
            country: text(&shipping, "country"),
            phone_number: text(&shipping, "phone").or_else(|| text(&billing, "phone")),
            email_address: text(&billing, "email"),
        },
        bill_to_address: BillToAddress {
            full_name: full_name(&billing, "first_name", "last_name"),
            address1: text(&billing, "address_1"),
            address2: text(&billing, "address_2"),
            address3: None,
            city: text(&billing, "city"),
            state: text(&billing, "state"),
            postal_code: text(&billing, "postcode"),
            country: text(&billing, "country"),
        },
        earliest_ship_date: None,
        latest_ship_date: None,
        line_items: list(o, "line_items").iter().map(line_item).collect(),
        shipping_groups: vec![],
        shipments: shipments(o, &id),
        external_system_url: Some(format!("{store}/wp-admin/post.php?post={id}&action=edit")),
        additional_fields: extra,
        id,
    })
}
