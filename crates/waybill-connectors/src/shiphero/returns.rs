//! ShipHero returns (`returns` query) → canonical returns. A ShipHero return carries no
//! dates of its own; its dates are its lines' and labels' (null when it has none).

use crate::values::{date, flag, int, keep, latest, list, num, text, to_json};
use serde_json::Value;
use waybill_model::records::{
    Measurements, ReceivingDetail, Return, ReturnLineItem, ReturnShipment, ReturnShipmentLineItem,
};

/// ShipHero's return status → `INBOUND_STATUSES`; unknown values are `other`.
pub fn status(raw: &str) -> &'static str {
    match raw
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "pending" | "open" | "label_created" => "open",
        "in_transit" | "shipped" => "in-transit",
        "partially_received" | "processing" | "delivered" => "receiving",
        "complete" | "completed" | "received" | "closed" | "restocked" => "received",
        "canceled" | "cancelled" | "voided" => "cancelled",
        _ => "other",
    }
}

/// One return as a canonical return; `None` without an id.
pub fn map(r: &Value) -> Option<Value> {
    let id = text(r, "id")?;
    let raw = text(r, "status");
    let lines = list(r, "line_items");
    let labels = list(r, "labels");
    let created = lines
        .iter()
        .filter_map(|l| date(l, "created_at"))
        .chain(labels.iter().filter_map(|l| date(l, "created_date")))
        .min();
    let updated = latest(
        lines
            .iter()
            .flat_map(|l| [date(l, "updated_at"), date(l, "created_at")])
            .chain(labels.iter().map(|l| date(l, "created_date"))),
    );
    let sku = |l: &Value| text(l, "line_item/sku");
    let ret = Return {
        id,
        created_date: created.unwrap_or_default(),
        updated_date: updated.unwrap_or_default(),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        order_id: text(r, "order_id"),
        notes: text(r, "reason").into_iter().collect(),
        line_items: lines
            .iter()
            .map(|l| ReturnLineItem {
                inventory_item_id: text(l, "product_id").unwrap_or_default(),
                sku: sku(l),
                expected_quantity: int(l, "quantity").unwrap_or(0),
                received_quantity: int(l, "quantity_received").unwrap_or(0),
                restocked_quantity: flag(l, "restock").map(|r| {
                    if r {
                        int(l, "quantity_received").unwrap_or(0)
                    } else {
                        0
                    }
                }),
                return_reason: text(l, "reason"),
                quantity: int(l, "quantity").unwrap_or(0),
                warehouse_id: text(l, "warehouse_id"),
                returned_date: None,
            })
            .collect(),
        shipments: labels
            .iter()
            .map(|lb| ReturnShipment {
                tracking_number: text(lb, "tracking_number"),
                shipped_date: date(lb, "created_date"),
                arrived_date: None,
                warehouse_id: lines.iter().find_map(|l| text(l, "warehouse_id")),
                carrier: text(lb, "carrier").or_else(|| text(r, "shipping_carrier")),
                carrier_name: text(lb, "carrier").or_else(|| text(r, "shipping_carrier")),
                shipping_cost: num(lb, "cost"),
                measurements: Measurements {
                    length: num(r, "dimensions/length"),
                    width: num(r, "dimensions/width"),
                    height: num(r, "dimensions/height"),
                    unit: Some("in".into()),
                    weight: num(r, "dimensions/weight"),
                    weight_unit: Some("lb".into()),
                },
                line_items: lines
                    .iter()
                    .map(|l| ReturnShipmentLineItem {
                        inventory_item_id: text(l, "product_id").unwrap_or_default(),
                        sku: sku(l),
                        quantity: int(l, "quantity").unwrap_or(0),
                        receiving_details: int(l, "quantity_received")
                            .filter(|q| *q > 0)
                            .map(|q| ReceivingDetail {
                                quantity: q,
                                condition: text(l, "condition"),
                                disposition: flag(l, "restock")
                                    .map(|r| if r { "restock" } else { "no_restock" }.into()),
                            })
                            .into_iter()
                            .collect(),
                    })
                    .collect(),
                ..Default::default()
            })
            .collect(),
        additional_fields: keep(
            r,
            &[
                "legacy_id",
                "partner_id",
                "label_type",
                "label_cost",
                "cost_to_customer",
                "shipping_method",
            ],
        ),
        ..Default::default()
    };
    Some(crate::values::undated(to_json(&ret)))
}
