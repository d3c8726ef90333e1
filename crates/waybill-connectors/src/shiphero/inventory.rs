//! ShipHero stock (`products { warehouse_products }`) → canonical inventory items: one per
//! product (id = product id, as in the product's `inventory_items`), with a breakdown per
//! warehouse. ShipHero has no updated-since filter for stock, so every sync is a snapshot.

use crate::values::{int, keep, list, num, text, to_json};
use serde_json::Value;
use std::collections::BTreeMap;
use waybill_model::records::{InventoryInWarehouse, InventoryItem, Measurements};

/// One product's stock as a canonical inventory item, dated `snapshot_at`; `None` without
/// an id.
pub fn map(p: &Value, snapshot_at: &str) -> Option<Value> {
    let id = text(p, "id")?;
    let whs = list(p, "warehouse_products");
    let sum = |k: &str| whs.iter().filter_map(|w| int(w, k)).sum::<i64>();
    let mut by_wh = BTreeMap::new();
    for w in whs {
        let Some(wid) = text(w, "warehouse_id") else {
            continue;
        };
        by_wh.insert(
            wid,
            InventoryInWarehouse {
                awaiting: None,
                onhand: int(w, "on_hand").unwrap_or(0),
                committed: int(w, "allocated"),
                unfulfillable: int(w, "non_sellable_quantity"),
                fulfillable: int(w, "available"),
                unsellable: int(w, "non_sellable_quantity"),
                sellable: int(w, "available"),
            },
        );
    }
    let item = InventoryItem {
        id,
        warehouse_customer_id: None,
        created_date: snapshot_at.into(),
        updated_date: snapshot_at.into(),
        name: text(p, "name").unwrap_or_default(),
        sku: text(p, "sku"),
        unit_cost: num(p, "value"),
        active: crate::values::flag(p, "active").unwrap_or(true),
        awaiting: 0,
        onhand: sum("on_hand"),
        committed: sum("allocated"),
        unfulfillable: sum("non_sellable_quantity"),
        fulfillable: sum("available"),
        unsellable: sum("non_sellable_quantity"),
        sellable: sum("available"),
        inventory_by_warehouse_id: by_wh,
        measurements: Measurements {
            length: num(p, "dimensions/length"),
            width: num(p, "dimensions/width"),
            height: num(p, "dimensions/height"),
            unit: Some("in".into()),
            weight: num(p, "dimensions/weight"),
            weight_unit: Some("lb".into()),
        },
        additional_fields: {
            let mut m = keep(p, &["account_id"]);
            let extra: Vec<Value> = whs
                .iter()
                .map(|w| {
                    Value::Object(keep(
                        w,
                        &[
                            "warehouse_id",
                            "warehouse_identifier",
                            "backorder",
                            "reserve_inventory",
                            "in_tote",
                            "sell_ahead",
                            "inventory_bin",
                        ],
                    ))
                })
                .collect();
            if !extra.is_empty() {
                m.insert("warehouse_products".into(), Value::Array(extra));
            }
            m
        },
        ..Default::default()
    };
    Some(to_json(&item))
}
