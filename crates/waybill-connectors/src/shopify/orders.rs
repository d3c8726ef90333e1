//! Shopify orders → canonical cart orders. Fulfillment orders become shipping groups,
//! fulfillments become shipments.

use crate::values::{as_text, full_name, int, keep, list, num, text, time};
use serde_json::Value;
use waybill_model::records::cart::{
    CartOrder, CartOrderLineItem, CartShipment, CartShipmentLineItem, CartShippingGroup,
    CartShippingGroupLineItem,
};
use waybill_model::records::common::{BillToAddress, ShipToAddress};

/// Canonical order status of a Shopify order.
pub fn order_status(o: &Value) -> (&'static str, String) {
    if o.get("cancelled_at").is_some_and(|c| !c.is_null()) {
        return ("cancelled", "cancelled".into());
    }
    match o.get("fulfillment_status").and_then(Value::as_str) {
        None => ("open", "unfulfilled".into()),
        Some(s) => (
            match s {
                "fulfilled" => "fulfilled",
                "partial" => "partially_fulfilled",
                "unfulfilled" | "" => "open",
                _ => "other",
            },
            s.to_string(),
        ),
    }
}

/// Canonical shipment status of a fulfillment (`shipment_status` wins when the carrier
/// reported one).
pub fn fulfillment_status(f: &Value) -> (Option<String>, &'static str) {
    let ship = f.get("shipment_status").and_then(Value::as_str);
    if let Some(s @ ("delivered" | "failure" | "out_for_delivery" | "in_transit")) = ship {
        let st = match s {
            "delivered" => "delivered",
            "failure" => "exception",
            _ => "shipped",
        };
        return (Some(s.to_string()), st);
    }
    let raw = f.get("status").and_then(Value::as_str);
    let st = match raw {
        Some("pending" | "open") => "open",
        Some("success") => "shipped",
        Some("cancelled") => "cancelled",
        Some("error" | "failure") => "exception",
        _ => "other",
    };
    (raw.map(str::to_string), st)
}

/// Canonical status of a fulfillment order.
pub fn fulfillment_order_status(s: Option<&str>) -> &'static str {
    match s {
        Some("open" | "scheduled" | "in_progress") => "open",
        Some("on_hold") => "on_hold",
        Some("closed") => "shipped",
        Some("cancelled") => "cancelled",
        Some("incomplete") => "exception",
        _ => "other",
    }
}

fn ship_to(a: Option<&Value>, email: Option<String>) -> ShipToAddress {
    let Some(a) = a.filter(|a| a.is_object()) else {
        return ShipToAddress {
            email_address: email,
            ..Default::default()
        };
    };
    ShipToAddress {
        full_name: full_name(a, "first_name", "last_name").or_else(|| text(a, "name")),
        company: text(a, "company"),
        address1: text(a, "address1"),
        address2: text(a, "address2"),
        address3: None,
        city: text(a, "city"),
        state: text(a, "province_code").or_else(|| text(a, "province")),
        postal_code: text(a, "zip"),
        country: text(a, "country_code").or_else(|| text(a, "country")),
        phone_number: text(a, "phone"),
        email_address: email,
    }
}

fn bill_to(a: Option<&Value>) -> BillToAddress {
    let s = ship_to(a, None);
    BillToAddress {
        full_name: s.full_name,
        address1: s.address1,
        address2: s.address2,
        address3: None,
        city: s.city,
        state: s.state,
        postal_code: s.postal_code,
        country: s.country,
    }
}

fn per_unit(total: Option<f64>, qty: i64) -> Option<f64> {
    total.map(|t| if qty > 0 { t / qty as f64 } else { t })
}

fn line_item(l: &Value) -> CartOrderLineItem {
    let qty = int(l, "quantity").unwrap_or(0);
    let tax: Option<f64> = {
        let lines = list(l, "tax_lines");
        (!lines.is_empty()).then(|| lines.iter().filter_map(|t| num(t, "price")).sum())
    };
    CartOrderLineItem {
        line_item_id: text(l, "id").unwrap_or_default(),
        product_id: text(l, "variant_id")
            .or_else(|| text(l, "product_id"))
            .unwrap_or_default(),
        product_sku: text(l, "sku"),
        parent_product_id: text(l, "product_id"),
        parent_product_sku: None,
        quantity: qty,
        unit_price: num(l, "price"),
        discount: per_unit(num(l, "total_discount"), qty),
        tax: per_unit(tax, qty),
    }
}

fn shipment(f: &Value) -> CartShipment {
    let (raw, status) = fulfillment_status(f);
    CartShipment {
        shipment_id: text(f, "id").unwrap_or_default(),
        raw_status: raw,
        status: Some(status.into()),
        warehouse_id: text(f, "location_id"),
        shipping_method_id: None,
        shipping_method_name: text(f, "service"),
        carrier_id: None,
        carrier_name: text(f, "tracking_company"),
        tracking_number: text(f, "tracking_number")
            .or_else(|| list(f, "tracking_numbers").first().and_then(as_text)),
        tracking_url: text(f, "tracking_url")
            .or_else(|| list(f, "tracking_urls").first().and_then(as_text)),
        line_items: list(f, "line_items")
            .iter()
            .map(|l| CartShipmentLineItem {
                shipment_line_item_id: text(l, "id").unwrap_or_default(),
                product_id: text(l, "variant_id")
                    .or_else(|| text(l, "product_id"))
                    .unwrap_or_default(),
                product_sku: text(l, "sku"),
                parent_product_id: text(l, "product_id"),
                parent_product_sku: None,
                quantity: int(l, "quantity").unwrap_or(0),
            })
            .collect(),
        shipping_groups: vec![],
        created_date: time(f, "created_at"),
        updated_date: time(f, "updated_at"),
    }
}

/// A fulfillment order as a shipping group. Lines name the order line they fulfil;
/// the fulfillment order's own line id travels in the shipment write instead.
pub fn shipping_group(fo: &Value, lines: &[CartOrderLineItem]) -> CartShippingGroup {
    let raw = fo.get("status").and_then(Value::as_str);
    CartShippingGroup {
        shipping_group_id: text(fo, "id").unwrap_or_default(),
        created_date: time(fo, "created_at").unwrap_or_default(),
        updated_date: time(fo, "updated_at").unwrap_or_default(),
        raw_status: raw.map(str::to_string),
        status: Some(fulfillment_order_status(raw).into()),
        warehouse_id: text(fo, "assigned_location_id").unwrap_or_default(),
        line_items: list(fo, "line_items")
            .iter()
            .map(|l| {
                let line_id = text(l, "line_item_id").unwrap_or_default();
                let order_line = lines.iter().find(|o| o.line_item_id == line_id);
                CartShippingGroupLineItem {
                    product_id: text(l, "variant_id")
                        .or_else(|| order_line.map(|o| o.product_id.clone()))
                        .unwrap_or_default(),
                    product_sku: order_line.and_then(|o| o.product_sku.clone()),
                    parent_product_id: order_line.and_then(|o| o.parent_product_id.clone()),
                    quantity: int(l, "quantity").unwrap_or(0),
                    line_item_id: line_id,
                }
            })
            .collect(),
    }
}

/// Normalizes an order with its fulfillment orders; `None` when it has no id (the caller
/// reports it).
pub fn order(o: &Value, fulfillment_orders: &[Value], admin_url: &str) -> Option<CartOrder> {
    let id = text(o, "id")?;
    let (status, raw) = order_status(o);
    let line_items: Vec<CartOrderLineItem> = list(o, "line_items").iter().map(line_item).collect();
    let shipping = list(o, "shipping_lines").first();
    let total_shipping = o
        .pointer("/total_shipping_price_set/shop_money")
        .and_then(|m| num(m, "amount"))
        .or_else(|| {
            let l = list(o, "shipping_lines");
            (!l.is_empty()).then(|| l.iter().filter_map(|s| num(s, "price")).sum())
        });
    let mut extra = keep(
        o,
        &[
            "order_number",
            "financial_status",
            "cancel_reason",
            "closed_at",
            "tags",
            "note",
            "test",
            "confirmed",
            "taxes_included",
            "subtotal_price",
            "discount_codes",
        ],
    );
    if let Some(c) = o.get("customer").and_then(|c| c.get("id")) {
        extra.insert("customer_id".into(), c.clone());
    }
    let refunds: Vec<Value> = list(o, "refunds")
        .iter()
        .map(|r| {
            let m = keep(r, &["id", "created_at", "note"]);
            Value::Object(m)
        })
        .collect();
    if !refunds.is_empty() {
        extra.insert("refunds".into(), Value::Array(refunds));
    }
    let shipping_groups = fulfillment_orders
        .iter()
        .map(|fo| shipping_group(fo, &line_items))
        .collect();
    Some(CartOrder {
        order_number: text(o, "name").unwrap_or_else(|| id.clone()),
        created_date: time(o, "created_at").unwrap_or_default(),
        updated_date: time(o, "updated_at").unwrap_or_default(),
        status: status.into(),
        raw_status: Some(raw),
        requested_shipping_method: shipping.and_then(|s| text(s, "title")),
        shipping_method_id: shipping.and_then(|s| text(s, "code")),
        shipping_method_name: shipping.and_then(|s| text(s, "title")),
        carrier_id: None,
        carrier_name: shipping.and_then(|s| text(s, "source")),
        invoice_currency_code: text(o, "currency").unwrap_or_else(|| "USD".into()),
        total_price: num(o, "total_price"),
        total_tax: num(o, "total_tax"),
        total_discount: num(o, "total_discounts"),
        total_shipping,
        ship_to_address: ship_to(o.get("shipping_address"), text(o, "email")),
        bill_to_address: bill_to(o.get("billing_address")),
        earliest_ship_date: None,
        latest_ship_date: None,
        line_items,
        shipping_groups,
        shipments: list(o, "fulfillments").iter().map(shipment).collect(),
        external_system_url: Some(admin_url.to_string()),
        additional_fields: extra,
        id,
    })
}
