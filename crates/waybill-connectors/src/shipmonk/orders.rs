//! ShipMonk orders (`GET /v1/integrations/orders-list`, `GET /v1/integrations/orders`) →
//! canonical WMS orders. The `order_key` (the merchant's key ShipMonk upserts by) is the id.
//! ShipMonk reports one shipment per order (its packages, carrier data and `shipped_at`),
//! which becomes one canonical shipment with a package per box.

use super::kept as keep;
use super::units;
use crate::values::{at, date, int, latest, list, num, text, to_json};
use serde_json::{json, Value};
use waybill_model::records::{
    ChannelObject, Order, OrderLineItem, OrderShipment, Package, PackageLineItem, ShipToAddress,
    ShipmentLineItem,
};

/// ShipMonk's `processing_status` (falling back to `order_status`) → `ORDER_STATUSES`;
/// unknown values are `other`.
pub fn order_status(processing: Option<&str>, order: Option<&str>) -> &'static str {
    let by_processing = match processing.unwrap_or_default() {
        "queued_to_submit"
        | "subscription"
        | "package_forwarding"
        | "awaiting_label_request_from_merchant_facility" => Some("open"),
        "submitted" => Some("confirmed"),
        "pick_in_progress" | "updating" | "cancellation_requested" => Some("processing"),
        "pack_in_progress" => Some("picked"),
        "packed" | "awaiting_pick_up" => Some("packed"),
        "awaiting_carrier_processing"
        | "en_route"
        | "delivered"
        | "shipped_untrackable"
        | "fulfilled_by_3rd" => Some("fulfilled"),
        "backorder" => Some("backordered"),
        "unable_to_submit" | "on_hold" | "undeliverable" => Some("exception"),
        "cancelled" => Some("cancelled"),
        _ => None,
    };
    by_processing.unwrap_or(match order.unwrap_or_default() {
        "unfulfilled" => "open",
        "fulfilled" => "fulfilled",
        "onHold" => "exception",
        "cancelled" => "cancelled",
        _ => "other",
    })
}

/// ShipMonk's order type → `ORDER_TYPES`; types with no canonical value stay in
/// `additional_fields.shipmonk_order_type` only.
fn order_type(raw: &str) -> Option<String> {
    match raw {
        "direct_to_consumer" => Some("d2c".into()),
        "retail" | "amazon" => Some("b2b".into()),
        "transfer" | "internal_warehouse_transfer" => Some("transfer".into()),
        _ => None,
    }
}

/// A ShipMonk address object (`ship_to`, `ship_from`) as a ship-to address.
pub fn address(a: &Value) -> ShipToAddress {
    ShipToAddress {
        full_name: text(a, "name"),
        company: text(a, "company"),
        address1: text(a, "street1"),
        address2: text(a, "street2"),
        address3: None,
        city: text(a, "city"),
        state: text(a, "state"),
        postal_code: text(a, "zip"),
        country: text(a, "country_code"),
        phone_number: text(a, "phone"),
        email_address: text(a, "email"),
    }
}

fn shipment(o: &Value, id: &str, status: &str, ship_to: &ShipToAddress) -> Option<OrderShipment> {
    let packages = list(o, "packages");
    let shipped = date(o, "shipped_at");
    if packages.is_empty() && shipped.is_none() {
        return None;
    }
    let carrier = text(o, "shipment_data/carrier");
    let service = text(o, "shipment_data/service");
    let scac = text(o, "shipment_data/carrier_alpha_code");
    let mut totals: Vec<(String, i64)> = Vec::new();
    let packages = packages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut line_items = Vec::new();
            for pp in list(p, "packed_products") {
                let sku = text(pp, "sku").unwrap_or_default();
                let qty = int(pp, "quantity").unwrap_or(0);
                match totals.iter_mut().find(|(s, _)| *s == sku) {
                    Some((_, q)) => *q += qty,
                    None => totals.push((sku.clone(), qty)),
                }
                let lots = list(pp, "lots");
                line_items.push(PackageLineItem {
                    inventory_item_id: sku.clone(),
                    sku: Some(sku),
                    quantity: qty,
                    lot_id: lots.iter().find_map(|l| text(l, "number")),
                    expiration_date: lots.iter().find_map(|l| date(l, "expiration_date")),
                    parent_product_id: None,
                });
            }
            let (weight, weight_unit) = units::weight(p, "weight_lb").unzip();
            Package {
                package_id: text(p, "number")
                    .or_else(|| text(p, "box_number"))
                    .unwrap_or_else(|| (i + 1).to_string()),
                package_name: text(p, "packing_group/name"),
                tracking_number: text(p, "tracking_number"),
                tracking_url: text(p, "tracking_url"),
                shipping_method: service.clone(),
                carrier: carrier.clone(),
                shipping_method_id: None,
                shipping_method_name: service.clone(),
                carrier_id: None,
                carrier_name: carrier.clone(),
                scac: scac.clone(),
                shipping_cost: if i == 0 {
                    num(o, "shipment_data/estimated_shipping_cost")
                } else {
                    None
                },
                measurements: waybill_model::records::Measurements {
                    weight,
                    weight_unit,
                    ..Default::default()
                },
                line_items,
            }
        })
        .collect();
    Some(OrderShipment {
        shipment_id: id.to_string(),
        warehouse_id: text(o, "warehouse/identifier").unwrap_or_default(),
        status: match (status, &shipped) {
            ("cancelled", _) => "cancelled",
            (_, Some(_)) => "shipped",
            _ => "open",
        }
        .into(),
        raw_status: text(o, "processing_status"),
        shipped_date: shipped,
        shipping_method: service,
        line_items: totals
            .into_iter()
            .map(|(sku, quantity)| ShipmentLineItem {
                inventory_item_id: sku.clone(),
                sku: Some(sku),
                quantity,
                parent_product_id: None,
            })
            .collect(),
        ship_to_address: ship_to.clone(),
        ship_from_address: at(o, "ship_from")
            .map(|a| waybill_model::records::ShipFromAddress {
                address1: text(a, "street1"),
                address2: text(a, "street2"),
                address3: None,
                city: text(a, "city"),
                state: text(a, "state"),
                postal_code: text(a, "zip"),
                country: text(a, "country_code"),
            })
            .unwrap_or_default(),
        packages,
    })
}

/// One ShipMonk order as a canonical order; `None` without an order key.
pub fn map(o: &Value) -> Option<Value> {
    let id = text(o, "order_key")?;
    let processing = text(o, "processing_status");
    let raw_order = text(o, "order_status");
    let status = order_status(processing.as_deref(), raw_order.as_deref());
    let created = date(o, "ordered_at");
    let reference_id = list(o, "references")
        .iter()
        .find(|r| {
            matches!(
                text(r, "type").as_deref(),
                Some("customer_order_number" | "reference_number")
            )
        })
        .and_then(|r| text(r, "value"))
        .or_else(|| text(o, "order_number"))
        .unwrap_or_else(|| id.clone());
    let mut additional = keep(
        o,
        &[
            "order_status",
            "order_size",
            "order_costs",
            "references",
            "attributes",
            "custom_data",
            "special_requirements",
            "master_tracking_number",
            "tracking_url",
            "returns",
            "tax_id",
            "recipient_tax_id",
            "order_parts",
            "extra_data",
            "serial_numbers",
            "gift_message",
            "gift_from",
            "customer_notes",
            "requested_shipping_service",
        ],
    );
    if let Some(t) = text(o, "order_type") {
        additional.insert("shipmonk_order_type".into(), json!(t));
    }
    let flagged: Vec<&String> = o
        .get("actions_required")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default();
    if !flagged.is_empty() {
        additional.insert("actions_required".into(), json!(flagged));
    }
    let mut ship_to = at(o, "ship_to").map(address).unwrap_or_default();
    if ship_to.email_address.is_none() {
        ship_to.email_address = text(o, "customer_email");
    }
    let order = Order {
        id: id.clone(),
        warehouse_customer_id: None,
        warehouse_id: text(o, "warehouse/identifier"),
        created_date: created.clone().unwrap_or_default(),
        updated_date: latest([date(o, "updated_at"), date(o, "shipped_at"), created])
            .unwrap_or_default(),
        order_number: text(o, "order_number").unwrap_or_else(|| reference_id.clone()),
        reference_id,
        status: status.into(),
        raw_status: processing.or(raw_order),
        channel: text(o, "store/name"),
        channel_object: text(o, "store/id").map(|sid| ChannelObject {
            channel_id: sid,
            channel_name: text(o, "store/name"),
        }),
        order_type: text(o, "order_type").and_then(|t| order_type(&t)),
        trading_partner: text(o, "trading_partner/name"),
        shipping_method: text(o, "requested_shipping_service")
            .or_else(|| text(o, "shipping_method/name")),
        shipping_method_id: text(o, "shipping_method/id"),
        shipping_method_name: text(o, "shipping_method/name"),
        carrier_id: text(o, "shipping_method/carrier/id"),
        carrier_name: text(o, "shipping_method/carrier/name"),
        scac: text(o, "shipment_data/carrier_alpha_code"),
        invoice_currency_code: text(o, "currency_code").unwrap_or_else(|| "USD".into()),
        total_tax: num(o, "tax_paid"),
        total_shipping: num(o, "shipping_paid"),
        ship_to_address: ship_to.clone(),
        line_items: list(o, "items")
            .iter()
            .map(|i| OrderLineItem {
                product_id: text(i, "sku").unwrap_or_default(),
                sku: text(i, "sku"),
                quantity: int(i, "quantity").unwrap_or(0),
                unit_price: num(i, "price"),
                is_picked: matches!(status, "picked" | "packed" | "fulfilled"),
                discount_amount: None,
            })
            .collect(),
        required_ship_date: date(o, "special_requirements/shipping_date/latest")
            .or_else(|| date(o, "special_requirements/shipping_date/requested")),
        shipments: shipment(o, &id, status, &ship_to).into_iter().collect(),
        external_system_url: text(o, "order_detail_url"),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&order))
}
