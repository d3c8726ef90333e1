//! ShipBob orders (`GET /2026-01/order`) → canonical WMS orders: statuses, shipments with
//! their tracking, and ShipBob's inch/ounce measurements.

use crate::values::{date, flag, int, keep, latest, list, num, text, to_json};
use serde_json::Value;
use waybill_model::records::{
    ChannelObject, Measurements, Order, OrderLineItem, OrderShipment, Package, PackageLineItem,
    ShipToAddress, ShipmentLineItem,
};

/// ShipBob's order status → `ORDER_STATUSES`; unknown values are `other`.
pub fn order_status(raw: &str) -> &'static str {
    match raw {
        "Processing" => "processing",
        "Exception" => "exception",
        "PartiallyFulfilled" => "partially_fulfilled",
        "Fulfilled" => "fulfilled",
        "Cancelled" => "cancelled",
        "ImportReview" => "open",
        _ => "other",
    }
}

/// ShipBob's shipment status → `ORDER_SHIPMENT_STATUSES`.
pub fn shipment_status(raw: &str) -> &'static str {
    match raw {
        "Completed" => "shipped",
        "Cancelled" => "cancelled",
        "None" | "Processing" | "Exception" | "OnHold" | "LabeledCreated" | "ImportReview" => {
            "open"
        }
        _ => "other",
    }
}

/// ShipBob's order type → `ORDER_TYPES`.
fn order_type(raw: &str) -> Option<String> {
    match raw {
        "DTC" => Some("d2c".into()),
        "B2B" => Some("b2b".into()),
        "DropShip" => Some("dropship".into()),
        _ => None,
    }
}

/// A ShipBob recipient as a ship-to address.
pub fn address(r: &Value) -> ShipToAddress {
    ShipToAddress {
        full_name: text(r, "name").or_else(|| text(r, "full_name")),
        company: text(r, "address/company_name"),
        address1: text(r, "address/address1"),
        address2: text(r, "address/address2"),
        address3: None,
        city: text(r, "address/city"),
        state: text(r, "address/state"),
        postal_code: text(r, "address/zip_code"),
        country: text(r, "address/country"),
        phone_number: text(r, "phone_number"),
        email_address: text(r, "email"),
    }
}

fn shipment(s: &Value, order_to: &ShipToAddress) -> OrderShipment {
    let sku_of_item: Vec<(Option<String>, &Value)> = list(s, "products")
        .iter()
        .flat_map(|p| {
            list(p, "inventory_items")
                .iter()
                .map(move |i| (text(p, "sku"), i))
        })
        .collect();
    let line_items = sku_of_item
        .iter()
        .map(|(sku, i)| ShipmentLineItem {
            inventory_item_id: text(i, "id").unwrap_or_default(),
            sku: sku.clone(),
            quantity: int(i, "quantity").unwrap_or(0),
            parent_product_id: None,
        })
        .collect();
    let raw = text(s, "status");
    let carrier = text(s, "tracking/carrier");
    let service = text(s, "tracking/carrier_service").or_else(|| text(s, "ship_option"));
    let package = Package {
        package_id: text(s, "id").unwrap_or_default(),
        package_name: text(s, "package_material_type"),
        tracking_number: text(s, "tracking/tracking_number"),
        tracking_url: text(s, "tracking/tracking_url"),
        shipping_method: service.clone(),
        carrier: carrier.clone(),
        shipping_method_id: None,
        shipping_method_name: service.clone(),
        carrier_id: None,
        carrier_name: carrier,
        scac: text(s, "tracking/scac"),
        shipping_cost: num(s, "invoice_amount"),
        measurements: Measurements {
            length: num(s, "measurements/length_in"),
            width: num(s, "measurements/width_in"),
            height: num(s, "measurements/depth_in"),
            unit: Some("in".into()),
            weight: num(s, "measurements/total_weight_oz"),
            weight_unit: Some("oz".into()),
        },
        line_items: sku_of_item
            .iter()
            .map(|(sku, i)| PackageLineItem {
                inventory_item_id: text(i, "id").unwrap_or_default(),
                sku: sku.clone(),
                quantity: int(i, "quantity").unwrap_or(0),
                lot_id: text(i, "lot"),
                expiration_date: date(i, "expiration_date"),
                parent_product_id: None,
            })
            .collect(),
    };
    let ship_to = at_recipient(s).unwrap_or_else(|| order_to.clone());
    OrderShipment {
        shipment_id: text(s, "id").unwrap_or_default(),
        warehouse_id: text(s, "location/id").unwrap_or_default(),
        status: raw
            .as_deref()
            .map(shipment_status)
            .unwrap_or("other")
            .into(),
        raw_status: raw,
        shipped_date: date(s, "actual_fulfillment_date")
            .or_else(|| date(s, "tracking/shipping_date")),
        shipping_method: service,
        line_items,
        ship_to_address: ship_to,
        ship_from_address: Default::default(),
        packages: vec![package],
    }
}

fn at_recipient(s: &Value) -> Option<ShipToAddress> {
    crate::values::at(s, "recipient").map(address)
}

/// One ShipBob order as a canonical order; `None` when it has no id.
pub fn map(o: &Value) -> Option<Value> {
    let id = text(o, "id")?;
    let created = date(o, "created_date");
    let shipments = list(o, "shipments");
    let updated = latest(
        std::iter::once(created.clone()).chain(shipments.iter().flat_map(|s| {
            [
                date(s, "last_update_at"),
                date(s, "last_tracking_update_at"),
            ]
        })),
    );
    let ship_to = crate::values::at(o, "recipient")
        .map(address)
        .unwrap_or_default();
    let raw = text(o, "status");
    let reference_id = text(o, "reference_id").unwrap_or_else(|| id.clone());
    let mut additional = keep(
        o,
        &[
            "gift_message",
            "purchase_date",
            "retailer_program_data",
            "shipping_terms",
        ],
    );
    if let Some(t) = text(o, "type") {
        additional.insert("shipbob_type".into(), Value::String(t));
    }
    let order = Order {
        id: id.clone(),
        warehouse_customer_id: None,
        warehouse_id: shipments.first().and_then(|s| text(s, "location/id")),
        created_date: created.unwrap_or_default(),
        updated_date: updated.unwrap_or_default(),
        order_number: text(o, "order_number").unwrap_or_else(|| reference_id.clone()),
        reference_id,
        status: raw.as_deref().map(order_status).unwrap_or("other").into(),
        raw_status: raw,
        channel: text(o, "channel/name"),
        channel_object: text(o, "channel/id").map(|cid| ChannelObject {
            channel_id: cid,
            channel_name: text(o, "channel/name"),
        }),
        order_type: text(o, "type").and_then(|t| order_type(&t)),
        shipping_method: text(o, "shipping_method"),
        shipping_method_name: text(o, "shipping_method"),
        invoice_currency_code: shipments
            .iter()
            .find_map(|s| text(s, "invoice_currency_code"))
            .unwrap_or_else(|| "USD".into()),
        total_price: num(o, "financials/total_price"),
        ship_to_address: ship_to.clone(),
        line_items: list(o, "products")
            .iter()
            .map(|p| OrderLineItem {
                product_id: text(p, "id").unwrap_or_default(),
                sku: text(p, "sku"),
                quantity: int(p, "quantity").unwrap_or(0),
                unit_price: num(p, "unit_price"),
                is_picked: false,
                discount_amount: None,
            })
            .collect(),
        tags: list(o, "tags")
            .iter()
            .filter_map(|t| {
                let n = text(t, "name")?;
                Some(match text(t, "value") {
                    Some(v) => format!("{n}:{v}"),
                    None => n,
                })
            })
            .collect(),
        signature_required: shipments.iter().find_map(|s| flag(s, "require_signature")),
        required_ship_date: date(o, "retailer_program_data/shipByDate"),
        shipments: shipments.iter().map(|s| shipment(s, &ship_to)).collect(),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&order))
}
