//! ShipMonk warehouses (`GET /v1/integrations/warehouses`) → canonical warehouses. The
//! warehouse's short code (`identifier`, e.g. `PA1`) is its canonical id: receivings, returns
//! and every write name warehouses by that code, so ids join across resources. ShipMonk
//! dates no warehouse, so their dates are `null`.

use super::kept as keep;
use crate::values::{text, to_json, undated};
use serde_json::{json, Value};
use waybill_model::records::{ShipFromAddress, Warehouse};

/// One warehouse as a canonical warehouse; `None` without a code.
pub fn map(w: &Value) -> Option<Value> {
    let mut additional = keep(w, &["timezone", "warehouse_wms_type", "enabled"]);
    if let Some(id) = text(w, "id") {
        additional.insert("shipmonk_warehouse_id".into(), json!(id));
    }
    let wh = Warehouse {
        id: text(w, "identifier")?,
        name: text(w, "name").unwrap_or_default(),
        code: text(w, "identifier"),
        address: ShipFromAddress {
            address1: text(w, "address/street1"),
            address2: text(w, "address/street2"),
            address3: text(w, "address/street3"),
            city: text(w, "address/city"),
            state: text(w, "address/state"),
            postal_code: text(w, "address/postal_code"),
            country: text(w, "address/country"),
        },
        additional_fields: additional,
        ..Default::default()
    };
    Some(undated(to_json(&wh)))
}
