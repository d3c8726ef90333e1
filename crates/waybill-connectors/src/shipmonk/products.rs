//! ShipMonk products (`GET /v1/products`) → canonical products. ShipMonk keys every write and
//! every order line by SKU (unique per account, immutable through the API), so the SKU is the
//! canonical id; order lines, inventory items and kits then join on it. ShipMonk's numeric
//! product id stays in `additional_fields.shipmonk_product_id`.

use super::kept as keep;
use super::units;
use crate::values::{date, flag, int, latest, list, text, to_json};
use serde_json::{json, Value};
use waybill_model::records::{Product, ProductInventoryItem};

/// The components of `p` when it is a bundle (one of its `product_bundles` names its own SKU).
fn bundle_components<'a>(p: &'a Value, sku: &str) -> Option<&'a [Value]> {
    list(p, "product_bundles")
        .iter()
        .find(|b| text(b, "bundle_sku").as_deref() == Some(sku))
        .map(|b| list(b, "products"))
}

/// One ShipMonk product as a canonical product; `None` without a SKU.
pub fn map(p: &Value) -> Option<Value> {
    let sku = text(p, "sku")?;
    let components = bundle_components(p, &sku);
    let inventory_items = match components {
        Some(c) => c
            .iter()
            .filter_map(|c| {
                let s = text(c, "sku")?;
                Some(ProductInventoryItem {
                    inventory_item_id: s.clone(),
                    sku: Some(s),
                    unit_quantity: int(c, "quantity").unwrap_or(1),
                })
            })
            .collect(),
        None => vec![ProductInventoryItem {
            inventory_item_id: sku.clone(),
            sku: Some(sku.clone()),
            unit_quantity: 1,
        }],
    };
    let mut additional = keep(
        p,
        &[
            "product_type",
            "type",
            "replacement_cost",
            "replacement_cost_currency",
            "barcodes",
            "hs_codes",
            "custom_data",
            "stock_out_days",
            "product_bundles",
            "product_handling_units",
        ],
    );
    if let Some(id) = text(p, "id") {
        additional.insert("shipmonk_product_id".into(), json!(id));
    }
    let m = units::measurements(p, "dimensions", "weight");
    if m != Default::default() {
        additional.insert("measurements".into(), to_json(&m));
    }
    let created = date(p, "created_at");
    let product = Product {
        id: sku.clone(),
        created_date: created.clone().unwrap_or_default(),
        updated_date: latest([date(p, "updated_at"), created]).unwrap_or_default(),
        name: text(p, "name").unwrap_or_default(),
        sku: Some(sku),
        gtin: list(p, "barcodes")
            .iter()
            .find_map(|b| b.as_str().map(str::to_string)),
        unit_price: None,
        is_kit: components.is_some(),
        inventory_items,
        active: flag(p, "is_active").unwrap_or(true),
        country_of_origin: text(p, "country_code"),
        harmonized_code: text(p, "hs_code"),
        additional_fields: additional,
        ..Default::default()
    };
    Some(to_json(&product))
}
