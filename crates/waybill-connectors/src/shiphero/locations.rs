//! ShipHero locations (`locations` query) → canonical warehouse locations (bins, shelves,
//! pallets). ShipHero dates no location, so their dates are `null`. Sizes are in the
//! account's units, ShipHero's default inches and pounds; the weight is the location's
//! `max_weight` (its capacity), as the canonical measurements describe capacity.

use crate::values::{at, keep, num, text, to_json, undated};
use serde_json::{Map, Value};
use waybill_model::records::{Measurements, WarehouseLocation};

/// One location as a canonical warehouse location; `None` without an id.
pub fn map(l: &Value) -> Option<Value> {
    let id = text(l, "id")?;
    let side = |k: &str| num(l, k).or_else(|| num(l, &format!("dimensions/{k}")));
    let mut additional = keep(
        l,
        &[
            "legacy_id",
            "account_id",
            "zone",
            "pickable",
            "sellable",
            "staging",
            "is_cart",
            "pick_priority",
            "temperature",
        ],
    );
    if let Some(t) = at(l, "type") {
        let t: Map<String, Value> = keep(
            t,
            &[
                "id",
                "name",
                "category",
                "daily_storage_cost",
                "is_lpn_allowed",
            ],
        );
        if !t.is_empty() {
            additional.insert("location_type".into(), Value::Object(t));
        }
    }
    let loc = WarehouseLocation {
        id,
        created_date: String::new(),
        updated_date: String::new(),
        name: text(l, "name"),
        warehouse_id: text(l, "warehouse_id").unwrap_or_default(),
        location_type: text(l, "type/name"),
        measurements: Measurements {
            length: side("length"),
            width: side("width"),
            height: side("height"),
            unit: Some("in".into()),
            weight: num(l, "max_weight").or_else(|| num(l, "dimensions/weight")),
            weight_unit: Some("lb".into()),
        },
        additional_fields: additional,
    };
    Some(undated(to_json(&loc)))
}
