//! Shopify locations → canonical cart warehouses.

use crate::values::{text, time};
use waybill_model::records::cart::CartWarehouse;
use waybill_model::records::common::ShipFromAddress;

/// A location; `None` when it has no id.
pub fn warehouse(l: &serde_json::Value) -> Option<CartWarehouse> {
    Some(CartWarehouse {
        id: text(l, "id")?,
        created_date: time(l, "created_at").unwrap_or_default(),
        updated_date: time(l, "updated_at").unwrap_or_default(),
        name: text(l, "name").unwrap_or_default(),
        code: None,
        address: ShipFromAddress {
            address1: text(l, "address1"),
            address2: text(l, "address2"),
            address3: None,
            city: text(l, "city"),
            state: text(l, "province_code").or_else(|| text(l, "province")),
            postal_code: text(l, "zip"),
            country: text(l, "country_code").or_else(|| text(l, "country")),
        },
    })
}
