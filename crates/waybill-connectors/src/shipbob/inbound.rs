//! ShipBob warehouse receiving orders (`GET /2026-01/receiving`) → canonical inbound
//! shipments.

use crate::values::{date, int, keep, list, text, to_json};
use serde_json::Value;
use waybill_model::records::{InboundShipment, InboundShipmentLineItem};

/// ShipBob's receiving status → `INBOUND_STATUSES`; unknown values are `other`.
pub fn status(raw: &str) -> &'static str {
    match raw {
        "Awaiting" => "open",
        "PartiallyArrivedAtHub" | "ArrivedAtHub" | "ProcessingAtHub" | "InternalTransfer" => {
            "in-transit"
        }
        "Arrived" | "PartiallyArrived" | "Processing" => "receiving",
        "Completed" | "Incomplete" => "received",
        "Cancelled" => "cancelled",
        _ => "other",
    }
}

/// One receiving order as a canonical inbound shipment; `None` without an id.
pub fn map(r: &Value) -> Option<Value> {
    let id = text(r, "id")?;
    let raw = text(r, "status");
    let s = InboundShipment {
        id,
        created_date: date(r, "insert_date").unwrap_or_default(),
        updated_date: date(r, "last_updated_date")
            .or_else(|| date(r, "insert_date"))
            .unwrap_or_default(),
        purchase_order_number: text(r, "purchase_order_number"),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        expected_arrival_date: date(r, "expected_arrival_date"),
        warehouse_id: text(r, "fulfillment_center/id"),
        line_items: list(r, "inventory_quantities")
            .iter()
            .map(|q| InboundShipmentLineItem {
                inventory_item_id: text(q, "inventory_id").unwrap_or_default(),
                sku: text(q, "sku"),
                expected_quantity: int(q, "expected_quantity").unwrap_or(0),
                received_quantity: int(q, "received_quantity").unwrap_or(0),
                unit_cost: None,
                external_id: None,
            })
            .collect(),
        additional_fields: keep(
            r,
            &[
                "box_packaging_type",
                "package_type",
                "box_labels_uri",
                "status_history",
                "external_sync_timestamp",
            ],
        ),
        ..Default::default()
    };
    Some(to_json(&s))
}
