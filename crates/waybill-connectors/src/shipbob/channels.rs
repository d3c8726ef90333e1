//! ShipBob channels (`GET /2026-01/channel`) → canonical order channels. ShipBob dates none
//! of them, so their dates are `null`.

use crate::values::{keep, text, to_json, undated};
use serde_json::Value;
use waybill_model::records::OrderChannel;

/// One channel; `None` without an id.
pub fn map(c: &Value) -> Option<Value> {
    let ch = OrderChannel {
        id: text(c, "id")?,
        name: text(c, "name"),
        additional_fields: keep(c, &["application_name", "scopes"]),
        ..Default::default()
    };
    Some(undated(to_json(&ch)))
}
