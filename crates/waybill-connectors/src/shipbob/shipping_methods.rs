//! ShipBob ship options (`GET /2026-01/shipping-method`) → canonical shipping methods.
//! ShipBob dates none of them, so their dates are `null`.

use crate::values::{keep, text, to_json, undated};
use serde_json::Value;
use waybill_model::records::ShippingMethod;

/// One shipping method; `None` without an id.
pub fn map(m: &Value) -> Option<Value> {
    let s = ShippingMethod {
        id: text(m, "id")?,
        name: text(m, "name").unwrap_or_default(),
        additional_fields: keep(m, &["active", "default", "service_level"]),
        ..Default::default()
    };
    Some(undated(to_json(&s)))
}
