//! ShipMonk returns (`GET /v1/integrations/returns-list`) → canonical returns. The RMA stays
//! in `additional_fields.rma`; the order key is the canonical order id.

use super::kept as keep;
use crate::values::{date, int, latest, list, text, to_json};
use serde_json::Value;
use waybill_model::records::{
    ReceivingDetail, Return, ReturnLineItem, ReturnShipment, ReturnShipmentLineItem,
};

/// ShipMonk's return status → `INBOUND_STATUSES`; unknown values are `other`.
pub fn status(raw: &str) -> &'static str {
    match raw {
        "status_created" | "in_progress" => "open",
        "en_route" => "in-transit",
        "returned" | "arrived" => "receiving",
        "grading_completed" => "received",
        _ => "other",
    }
}

/// One return as a canonical return; `None` without an id.
pub fn map(r: &Value) -> Option<Value> {
    let id = text(r, "id")?;
    let raw = text(r, "status");
    let warehouse = text(r, "warehouse");
    let reason = text(r, "return_reason");
    let items = list(r, "items");
    let created = date(r, "created_at");
    let restocked = |i: &Value| -> i64 {
        list(i, "receiving_details")
            .iter()
            .filter(|d| text(d, "final_disposition").as_deref() == Some("returned_to_inventory"))
            .filter_map(|d| int(d, "received_quantity"))
            .sum()
    };
    let mut tracking: Vec<String> = list(r, "tracking_numbers")
        .iter()
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect();
    if let Some(t) = text(r, "tracking_number") {
        if !tracking.contains(&t) {
            tracking.insert(0, t);
        }
    }
    let line_items: Vec<ReturnShipmentLineItem> = items
        .iter()
        .map(|i| ReturnShipmentLineItem {
            inventory_item_id: text(i, "product/sku").unwrap_or_default(),
            sku: text(i, "product/sku"),
            quantity: int(i, "expected_quantity").unwrap_or(0),
            receiving_details: list(i, "receiving_details")
                .iter()
                .map(|d| ReceivingDetail {
                    quantity: int(d, "received_quantity").unwrap_or(0),
                    condition: text(i, "desired_action"),
                    disposition: text(d, "final_disposition"),
                })
                .collect(),
        })
        .collect();
    let shipments = if tracking.is_empty() {
        vec![ReturnShipment {
            arrived_date: date(r, "received_at"),
            warehouse_id: warehouse.clone(),
            line_items,
            ..Default::default()
        }]
    } else {
        tracking
            .iter()
            .enumerate()
            .map(|(n, t)| ReturnShipment {
                tracking_number: Some(t.clone()),
                arrived_date: date(r, "received_at"),
                warehouse_id: warehouse.clone(),
                // ShipMonk does not say which box holds which item: the first carries them.
                line_items: if n == 0 { line_items.clone() } else { vec![] },
                ..Default::default()
            })
            .collect()
    };
    let ret = Return {
        id,
        created_date: created.clone().unwrap_or_default(),
        updated_date: latest([date(r, "updated_at"), created]).unwrap_or_default(),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        order_id: text(r, "order_key"),
        notes: text(r, "note").into_iter().collect(),
        line_items: items
            .iter()
            .map(|i| ReturnLineItem {
                inventory_item_id: text(i, "product/sku").unwrap_or_default(),
                sku: text(i, "product/sku"),
                expected_quantity: int(i, "expected_quantity").unwrap_or(0),
                received_quantity: int(i, "received_quantity").unwrap_or(0),
                restocked_quantity: Some(restocked(i)),
                return_reason: reason.clone(),
                quantity: int(i, "expected_quantity").unwrap_or(0),
                warehouse_id: warehouse.clone(),
                returned_date: date(r, "received_at"),
            })
            .collect(),
        shipments,
        additional_fields: keep(
            r,
            &["rma", "store_id", "return_reason", "source", "custom_data"],
        ),
        ..Default::default()
    };
    Some(to_json(&ret))
}
