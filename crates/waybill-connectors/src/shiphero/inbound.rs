//! ShipHero purchase orders (`purchase_orders` query) → canonical inbound shipments.
//! ShipHero dates no change on a purchase order, so its updated date is the latest of its
//! own dates and its lines' `updated_at`.

use super::nodes;
use crate::values::{at, date, int, keep, latest, num, text, to_json};
use serde_json::Value;
use waybill_model::records::{InboundShipment, InboundShipmentLineItem, SupplierObject};

/// ShipHero's purchase-order fulfillment status → `INBOUND_STATUSES`; unknown → `other`.
pub fn status(raw: &str) -> &'static str {
    match raw
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "pending" | "draft" | "open" => "open",
        "in_transit" | "shipped" => "in-transit",
        "partially_received" | "receiving" | "arrived" => "receiving",
        "received" | "closed" | "fulfilled" => "received",
        "canceled" | "cancelled" => "cancelled",
        _ => "other",
    }
}

/// One purchase order as a canonical inbound shipment; `None` without an id.
pub fn map(po: &Value) -> Option<Value> {
    let id = text(po, "id")?;
    let lines = at(po, "line_items").map(nodes).unwrap_or_default();
    let raw = text(po, "fulfillment_status");
    let vendor = lines.iter().find_map(|l| at(l, "vendor"));
    let updated = latest(
        [
            date(po, "created_at"),
            date(po, "po_date"),
            date(po, "arrived_at"),
            date(po, "date_closed"),
        ]
        .into_iter()
        .chain(lines.iter().map(|l| date(l, "updated_at"))),
    );
    let s = InboundShipment {
        id,
        created_date: date(po, "created_at")
            .or_else(|| date(po, "po_date"))
            .unwrap_or_default(),
        updated_date: updated.unwrap_or_default(),
        purchase_order_number: text(po, "po_number"),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        supplier: vendor.and_then(|v| text(v, "name")),
        supplier_object: text(po, "vendor_id").map(|vid| SupplierObject {
            supplier_id: vid,
            supplier_name: vendor.and_then(|v| text(v, "name")),
        }),
        expected_arrival_date: None,
        warehouse_id: text(po, "warehouse_id"),
        line_items: lines
            .iter()
            .map(|l| InboundShipmentLineItem {
                inventory_item_id: text(l, "product_id").unwrap_or_default(),
                sku: text(l, "sku"),
                expected_quantity: int(l, "quantity").unwrap_or(0),
                received_quantity: int(l, "quantity_received").unwrap_or(0),
                unit_cost: num(l, "price"),
                external_id: text(l, "id"),
            })
            .collect(),
        tracking_numbers: text(po, "tracking_number").into_iter().collect(),
        notes: [text(po, "po_note"), text(po, "packing_note")]
            .into_iter()
            .flatten()
            .collect(),
        additional_fields: keep(
            po,
            &[
                "legacy_id",
                "po_date",
                "arrived_at",
                "date_closed",
                "description",
                "partner_order_number",
                "subtotal",
                "total_price",
                "shipping_method",
                "shipping_carrier",
            ],
        ),
        ..Default::default()
    };
    Some(crate::values::undated(to_json(&s)))
}
