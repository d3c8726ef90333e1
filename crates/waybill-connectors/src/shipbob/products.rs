//! ShipBob products (`GET /2026-01/product`) → canonical products. ShipBob groups sellable
//! SKUs as variants of a product; Waybill's product is the SKU, so every variant becomes one
//! canonical product (id = variant id) and the ShipBob product id stays in
//! `additional_fields.shipbob_product_id`. Bundles become kits of their component variants.

use crate::values::{date, int, keep, latest, list, num, text, to_json};
use serde_json::{json, Value};
use waybill_model::records::{Product, ProductInventoryItem};

/// Every variant of a ShipBob product as a canonical product (the product itself when it has
/// no variants); empty when nothing carries an id.
pub fn map(p: &Value) -> Vec<Option<Value>> {
    let variants = list(p, "variants");
    if variants.is_empty() {
        return vec![variant(p, p)];
    }
    variants.iter().map(|v| variant(p, v)).collect()
}

fn variant(p: &Value, v: &Value) -> Option<Value> {
    let id = text(v, "id")?;
    let bundle = list(v, "bundle_definition");
    let inventory_items = if bundle.is_empty() {
        text(v, "inventory/inventory_id")
            .map(|inv| ProductInventoryItem {
                inventory_item_id: inv,
                sku: text(v, "sku"),
                unit_quantity: 1,
            })
            .into_iter()
            .collect()
    } else {
        bundle
            .iter()
            .map(|b| ProductInventoryItem {
                inventory_item_id: text(b, "variant_id").unwrap_or_default(),
                sku: text(b, "variant_sku"),
                unit_quantity: int(b, "quantity").unwrap_or(1),
            })
            .collect()
    };
    let mut additional = keep(v, &["upc", "barcodes", "weight", "dimension", "is_digital"]);
    if let Some(pid) = text(p, "id") {
        additional.insert("shipbob_product_id".into(), json!(pid));
    }
    if let Some(t) = text(p, "type") {
        additional.insert("shipbob_product_type".into(), json!(t));
    }
    let status = text(v, "status");
    let product = Product {
        id,
        created_date: date(v, "created_on")
            .or_else(|| date(p, "created_on"))
            .unwrap_or_default(),
        updated_date: latest([date(v, "updated_on"), date(p, "updated_on")])
            .or_else(|| date(v, "created_on"))
            .or_else(|| date(p, "created_on"))
            .unwrap_or_default(),
        name: text(v, "name")
            .or_else(|| text(p, "name"))
            .unwrap_or_default(),
        sku: text(v, "sku"),
        gtin: text(v, "gtin").or_else(|| text(v, "upc")),
        unit_price: list(v, "channel_metadata")
            .iter()
            .find_map(|c| num(c, "price")),
        is_kit: !bundle.is_empty(),
        inventory_items,
        active: status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("active")),
        country_of_origin: text(v, "customs/country_code_of_origin"),
        harmonized_code: text(v, "customs/hs_tariff_code"),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&product))
}
