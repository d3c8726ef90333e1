//! ShipBob inventory levels (`GET /2026-01/inventory-level`) → canonical inventory items.
//! ShipBob reports totals only; a full snapshot every sync (it has no updated-since filter).

use crate::values::{int, keep, text, to_json};
use serde_json::Value;
use waybill_model::records::InventoryItem;

/// One inventory level as a canonical inventory item; `snapshot_at` dates it, as ShipBob
/// does not. `None` without an id.
pub fn map(i: &Value, snapshot_at: &str) -> Option<Value> {
    let id = text(i, "inventory_id")?;
    let q = |k: &str| int(i, k).unwrap_or(0);
    let item = InventoryItem {
        id,
        created_date: snapshot_at.into(),
        updated_date: snapshot_at.into(),
        name: text(i, "name").unwrap_or_default(),
        sku: text(i, "sku"),
        active: true,
        awaiting: q("total_awaiting_quantity"),
        onhand: q("total_on_hand_quantity"),
        committed: q("total_committed_quantity"),
        unfulfillable: q("total_exception_quantity"),
        fulfillable: q("total_fulfillable_quantity"),
        sellable: q("total_sellable_quantity"),
        additional_fields: keep(
            i,
            &[
                "total_backordered_quantity",
                "total_internal_transfer_quantity",
            ],
        ),
        ..Default::default()
    };
    Some(to_json(&item))
}
