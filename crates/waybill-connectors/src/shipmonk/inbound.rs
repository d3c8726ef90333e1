//! ShipMonk receivings (`GET /v1/integrations/receivings-list`) → canonical inbound
//! shipments. The ASN is ShipMonk's merchant-side reference and becomes
//! `purchase_order_number`; warehouses are named by their code, the canonical warehouse id.
//! Receipts are grouped from the items' receiving details by the time they were received.

use super::kept as keep;
use crate::values::{date, int, latest, list, text, to_json};
use serde_json::Value;
use waybill_model::records::{
    InboundReceipt, InboundReceiptLineItem, InboundShipment, InboundShipmentLineItem,
    SupplierObject,
};

/// ShipMonk's receiving status → `INBOUND_STATUSES`; unknown values are `other`.
pub fn status(raw: &str) -> &'static str {
    match raw {
        "awaiting" => "open",
        "arrived" | "in_progress" => "receiving",
        "received" => "received",
        _ => "other",
    }
}

fn receipts(r: &Value) -> Vec<InboundReceipt> {
    let mut out: Vec<InboundReceipt> = Vec::new();
    for item in list(r, "items") {
        let sku = text(item, "product/sku");
        for d in list(item, "receiving_details") {
            let (Some(at), Some(q)) = (date(d, "received_at"), int(d, "received_quantity")) else {
                continue;
            };
            if q == 0 {
                continue;
            }
            let line = InboundReceiptLineItem {
                inventory_item_id: sku.clone().unwrap_or_default(),
                sku: sku.clone(),
                quantity: q,
            };
            match out.iter_mut().find(|x| x.arrived_date == at) {
                Some(x) => x.line_items.push(line),
                None => out.push(InboundReceipt {
                    id: at.clone(),
                    arrived_date: at,
                    line_items: vec![line],
                }),
            }
        }
    }
    out.sort_by(|a, b| a.arrived_date.cmp(&b.arrived_date));
    out
}

/// One receiving as a canonical inbound shipment; `None` without an id.
pub fn map(r: &Value) -> Option<Value> {
    let id = text(r, "id")?;
    let raw = text(r, "status");
    let created = date(r, "created_at");
    let s = InboundShipment {
        id,
        created_date: created.clone().unwrap_or_default(),
        updated_date: latest([date(r, "updated_at"), created]).unwrap_or_default(),
        purchase_order_number: text(r, "asn"),
        status: raw.as_deref().map(status).unwrap_or("other").into(),
        raw_status: raw,
        supplier: text(r, "supplier_name"),
        supplier_object: text(r, "supplier_name").map(|n| SupplierObject {
            supplier_id: n.clone(),
            supplier_name: Some(n),
        }),
        expected_arrival_date: date(r, "estimated_delivery"),
        warehouse_id: text(r, "warehouse"),
        line_items: list(r, "items")
            .iter()
            .map(|i| InboundShipmentLineItem {
                inventory_item_id: text(i, "product/sku").unwrap_or_default(),
                sku: text(i, "product/sku"),
                expected_quantity: int(i, "expected_quantity").unwrap_or(0),
                received_quantity: int(i, "received_quantity").unwrap_or(0),
                unit_cost: None,
                external_id: text(i, "product/id"),
            })
            .collect(),
        receipts: receipts(r),
        notes: text(r, "description").into_iter().collect(),
        additional_fields: keep(
            r,
            &[
                "asn",
                "receiving_key",
                "bol_number",
                "handling_unit_type",
                "handling_unit_quantity",
                "arrived_at",
                "received_at",
                "receiving_lines",
                "custom_data",
                "cartons",
                "pallets",
            ],
        ),
        ..Default::default()
    };
    Some(to_json(&s))
}
