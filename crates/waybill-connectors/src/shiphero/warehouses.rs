//! ShipHero warehouses (`account { warehouses }`) → canonical warehouses. ShipHero dates
//! none of them, so their dates are `null`.

use crate::values::{keep, text, to_json, undated};
use serde_json::Value;
use waybill_model::records::{ShipFromAddress, Warehouse};

/// One warehouse as a canonical warehouse; `None` without an id.
pub fn map(w: &Value) -> Option<Value> {
    let wh = Warehouse {
        id: text(w, "id")?,
        name: text(w, "address/name")
            .or_else(|| text(w, "identifier"))
            .or_else(|| text(w, "company_name"))
            .unwrap_or_default(),
        code: text(w, "identifier"),
        address: ShipFromAddress {
            address1: text(w, "address/address1"),
            address2: text(w, "address/address2"),
            address3: None,
            city: text(w, "address/city"),
            state: text(w, "address/state"),
            postal_code: text(w, "address/zip"),
            country: text(w, "address/country"),
        },
        additional_fields: keep(
            w,
            &[
                "legacy_id",
                "account_id",
                "company_name",
                "company_alias",
                "phone_number",
                "invoice_email",
                "profile",
                "active",
                "return_address",
            ],
        ),
        ..Default::default()
    };
    Some(undated(to_json(&wh)))
}
