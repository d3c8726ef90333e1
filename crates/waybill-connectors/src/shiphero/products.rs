//! ShipHero products (`products` query) → canonical products. ShipHero keys inventory by
//! SKU, so a product's one inventory item is the product itself (id = product id).
//! Dimensions are sent in the account's units; ShipHero's default is inches and pounds.

use crate::values::{date, flag, keep, latest, num, text, to_json};
use serde_json::Value;
use waybill_model::records::{Product, ProductInventoryItem};

/// One ShipHero product as a canonical product; `None` without an id.
pub fn map(p: &Value) -> Option<Value> {
    let id = text(p, "id")?;
    let product = Product {
        id: id.clone(),
        warehouse_customer_id: None,
        created_date: date(p, "created_at").unwrap_or_default(),
        updated_date: latest([date(p, "updated_at"), date(p, "created_at")]).unwrap_or_default(),
        name: text(p, "name").unwrap_or_default(),
        sku: text(p, "sku"),
        gtin: text(p, "barcode"),
        unit_price: num(p, "price"),
        inventory_items: vec![ProductInventoryItem {
            inventory_item_id: id,
            sku: text(p, "sku"),
            unit_quantity: 1,
        }],
        is_kit: flag(p, "kit").unwrap_or(false),
        active: flag(p, "active").unwrap_or(true),
        country_of_origin: text(p, "country_of_manufacture"),
        harmonized_code: text(p, "tariff_code"),
        additional_fields: keep(
            p,
            &[
                "legacy_id",
                "account_id",
                "value",
                "value_currency",
                "dimensions",
                "kit_build",
                "virtual",
                "needs_lot_tracking",
                "is_assembly",
                "vendor_part_number",
            ],
        ),
        ..Default::default()
    };
    Some(crate::values::undated(to_json(&product)))
}
