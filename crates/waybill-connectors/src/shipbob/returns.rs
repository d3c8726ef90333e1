//! ShipBob return orders (`GET /2026-01/return`) → canonical returns.

use crate::values::{date, int, keep, latest, list, num, text, to_json};
use serde_json::Value;
use waybill_model::records::{
    ReceivingDetail, Return, ReturnLineItem, ReturnShipment, ReturnShipmentLineItem,
};

/// ShipBob's return status → `INBOUND_STATUSES`; unknown values are `other`.
pub fn status(raw: &str) -> &'static str {
    match raw {
        "AwaitingArrival" => "open",
        "Arrived" | "Processing" => "receiving",
        "Completed" => "received",
        "Cancelled" => "cancelled",
        _ => "other",
    }
}

/// One return order as a canonical return; `None` without an id.
pub fn map(r: &Value) -> Option<Value> {
    let id = text(r, "id")?;
    let raw = text(r, "status");
    let warehouse = text(r, "fulfillment_center/id");
    let inventory = list(r, "inventory");
    let processed = |i: &Value| -> i64 {
        list(i, "action_taken")
            .iter()
            .filter_map(|a| int(a, "quantity_processed"))
            .sum()
    };
    let updated = latest(
        [
            date(r, "insert_date"),
            date(r, "awaiting_arrival_date"),
            date(r, "arrived_date"),
            date(r, "processing_date"),
            date(r, "completed_date"),
            date(r, "cancelled_date"),
        ]
        .into_iter()
        .chain(
            list(r, "status_history")
                .iter()
                .map(|h| date(h, "timestamp")),
        ),
    );
    let ret = Return {
        id,
        created_date: date(r, "insert_date").unwrap_or_default(),
        updated_date: updated.unwrap_or_default(),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        order_id: text(r, "store_order_id"),
        line_items: inventory
            .iter()
            .map(|i| ReturnLineItem {
                inventory_item_id: text(i, "id").unwrap_or_default(),
                sku: text(i, "sku"),
                expected_quantity: int(i, "quantity").unwrap_or(0),
                received_quantity: processed(i),
                restocked_quantity: Some(
                    list(i, "action_taken")
                        .iter()
                        .filter(|a| {
                            text(a, "action").is_some_and(|x| x.eq_ignore_ascii_case("restock"))
                        })
                        .filter_map(|a| int(a, "quantity_processed"))
                        .sum(),
                ),
                return_reason: list(i, "action_taken")
                    .iter()
                    .find_map(|a| text(a, "action_reason")),
                quantity: int(i, "quantity").unwrap_or(0),
                warehouse_id: warehouse.clone(),
                returned_date: date(r, "arrived_date"),
            })
            .collect(),
        shipments: vec![ReturnShipment {
            tracking_number: text(r, "tracking_number"),
            arrived_date: date(r, "arrived_date"),
            warehouse_id: warehouse.clone(),
            shipping_cost: num(r, "invoice/amount"),
            line_items: inventory
                .iter()
                .map(|i| ReturnShipmentLineItem {
                    inventory_item_id: text(i, "id").unwrap_or_default(),
                    sku: text(i, "sku"),
                    quantity: int(i, "quantity").unwrap_or(0),
                    receiving_details: list(i, "action_taken")
                        .iter()
                        .map(|a| ReceivingDetail {
                            quantity: int(a, "quantity_processed").unwrap_or(0),
                            condition: None,
                            disposition: text(a, "action"),
                        })
                        .collect(),
                })
                .collect(),
            ..Default::default()
        }],
        additional_fields: keep(
            r,
            &[
                "reference_id",
                "return_type",
                "original_shipment_id",
                "customer_name",
                "channel",
                "transactions",
            ],
        ),
        ..Default::default()
    };
    Some(to_json(&ret))
}
