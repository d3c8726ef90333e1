//! ShipMonk inventory: the quantities on each product of a fixed product search (`POST
//! /v1/integrations/products/search`, then its cursor pages, which answer the product list's
//! records) → canonical inventory items (id = SKU, like the product). ShipMonk has no
//! inventory list of its own, so every sync is a full snapshot.
//!
//! Quantities: `onhand` = `quantity_total_on_hand`; `fulfillable` and `sellable` =
//! `quantity_total_available`; `unfulfillable` = `quantity_total_unavailable`; `unsellable` =
//! `quantity_total_quarantined`; `committed` is what is on hand but neither available,
//! unavailable nor quarantined (ShipMonk does not report allocations directly). The raw
//! totals stay in `additional_fields`.

use super::kept as keep;
use crate::values::{date, flag, int, latest, list, text, to_json};
use serde_json::Value;
use waybill_model::records::{InventoryInWarehouse, InventoryItem, Lot};

/// One product's inventory as a canonical inventory item; `None` without a SKU.
pub fn map(p: &Value) -> Option<Value> {
    let sku = text(p, "sku")?;
    let q = |k: &str| int(p, &format!("inventory/{k}")).unwrap_or(0);
    let onhand = q("quantity_total_on_hand");
    let available = q("quantity_total_available");
    let unavailable = q("quantity_total_unavailable");
    let quarantined = q("quantity_total_quarantined");
    let locations = list(p, "inventory/locations");
    let mut by_warehouse = std::collections::BTreeMap::new();
    let mut lots = Vec::new();
    for l in locations {
        let Some(wh) = text(l, "warehouse/identifier") else {
            continue;
        };
        let lq = |k: &str| int(l, k).unwrap_or(0);
        let w_onhand = lq("quantity_on_hand");
        let w_available = lq("quantity_available");
        let w_unavailable = lq("quantity_unavailable");
        let w_quarantined = lq("quarantined_quantity");
        by_warehouse.insert(
            wh.clone(),
            InventoryInWarehouse {
                awaiting: None,
                onhand: w_onhand,
                committed: Some((w_onhand - w_available - w_unavailable - w_quarantined).max(0)),
                unfulfillable: Some(w_unavailable),
                fulfillable: Some(w_available),
                unsellable: Some(w_quarantined),
                sellable: Some(w_available),
            },
        );
        for lot in list(l, "quantity_by_lot") {
            if let Some(n) = text(lot, "lot/lot_number") {
                lots.push(Lot {
                    lot_id: n,
                    onhand: int(lot, "quantity_on_hand").unwrap_or(0),
                    expiration_date: date(lot, "lot/expiration_date"),
                    warehouse_id: Some(wh.clone()),
                });
            }
        }
    }
    let inv = p.get("inventory").cloned().unwrap_or_default();
    let additional = keep(
        &inv,
        &[
            "quantity_total_final",
            "quantity_total_available",
            "quantity_total_on_hand",
            "quantity_total_quarantined",
            "quantity_total_unavailable",
        ],
    );
    let created = date(p, "created_at");
    let item = InventoryItem {
        id: sku.clone(),
        created_date: created.clone().unwrap_or_default(),
        updated_date: latest([
            date(p, "inventory_on_hand_last_updated_at"),
            date(p, "updated_at"),
            created,
        ])
        .unwrap_or_default(),
        name: text(p, "name").unwrap_or_default(),
        sku: Some(sku),
        unit_cost: crate::values::num(p, "replacement_cost"),
        active: flag(p, "is_active").unwrap_or(true),
        awaiting: 0,
        onhand,
        committed: (onhand - available - unavailable - quarantined).max(0),
        unfulfillable: unavailable,
        fulfillable: available,
        unsellable: quarantined,
        sellable: available,
        inventory_by_warehouse_id: by_warehouse,
        lots,
        measurements: super::units::measurements(p, "dimensions", "weight"),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&item))
}
