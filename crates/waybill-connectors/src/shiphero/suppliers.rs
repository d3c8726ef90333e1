//! ShipHero vendors (`vendors` query) → canonical inbound-shipment suppliers. ShipHero dates
//! a vendor's creation only, which is also its updated date.

use crate::values::{date, keep, text, to_json, undated};
use serde_json::Value;
use waybill_model::records::Supplier;

/// One vendor as a canonical supplier; `None` without an id.
pub fn map(v: &Value) -> Option<Value> {
    let s = Supplier {
        id: text(v, "id")?,
        name: text(v, "name"),
        warehouse_customer_id: None,
        created_date: date(v, "created_at").unwrap_or_default(),
        updated_date: date(v, "created_at").unwrap_or_default(),
        additional_fields: keep(
            v,
            &[
                "legacy_id",
                "email",
                "account_number",
                "account_id",
                "currency",
                "partner_vendor_id",
            ],
        ),
    };
    Some(undated(to_json(&s)))
}
