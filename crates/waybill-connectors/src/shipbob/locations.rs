//! ShipBob fulfillment centers (`GET /2026-01/fulfillment-center`) → canonical warehouses.
//! ShipBob dates none of them, so their dates are `null`.

use crate::values::{keep, text, to_json, undated};
use serde_json::Value;
use waybill_model::records::{ShipFromAddress, Warehouse};

/// One fulfillment center as a canonical warehouse; `None` without an id.
pub fn map(f: &Value) -> Option<Value> {
    let w = Warehouse {
        id: text(f, "id")?,
        name: text(f, "name").unwrap_or_default(),
        code: None,
        address: ShipFromAddress {
            address1: text(f, "address1"),
            address2: text(f, "address2"),
            address3: None,
            city: text(f, "city"),
            state: text(f, "state"),
            postal_code: text(f, "zip_code"),
            country: text(f, "country"),
        },
        additional_fields: keep(f, &["timezone", "email", "phone_number"]),
        ..Default::default()
    };
    Some(undated(to_json(&w)))
}
