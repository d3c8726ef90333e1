//! WooCommerce products and variations → canonical cart products. Simple products are
//! their own variant (price and stock on the record); variable products are parents
//! without price or stock, followed by their variations.

use crate::values::{int, keep, latest, list, num, text, time};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use waybill_model::records::cart::CartProduct;

/// Whether the product's variations must be listed after it.
pub fn is_variable(p: &Value) -> bool {
    p.get("type").and_then(Value::as_str) == Some("variable")
}

fn tags(p: &Value) -> Vec<String> {
    list(p, "tags")
        .iter()
        .filter_map(|t| text(t, "name"))
        .collect()
}

fn stock(v: &Value) -> Option<i64> {
    if v.get("manage_stock").and_then(Value::as_bool) == Some(true) {
        int(v, "stock_quantity")
    } else {
        None
    }
}

fn extras(v: &Value) -> Map<String, Value> {
    keep(
        v,
        &[
            "type",
            "status",
            "stock_status",
            "manage_stock",
            "backorders",
            "regular_price",
            "sale_price",
            "weight",
            "dimensions",
            "permalink",
        ],
    )
}

/// A product; `None` when it has no id.
pub fn product(p: &Value, store: &str) -> Option<CartProduct> {
    let id = text(p, "id")?;
    let variable = is_variable(p);
    Some(CartProduct {
        created_date: time(p, "date_created_gmt")
            .or_else(|| time(p, "date_created"))
            .unwrap_or_default(),
        updated_date: time(p, "date_modified_gmt")
            .or_else(|| time(p, "date_modified"))
            .unwrap_or_default(),
        name: text(p, "name").unwrap_or_default(),
        sku: text(p, "sku"),
        parent_product_id: id.clone(),
        is_kit: p.get("type").and_then(Value::as_str) == Some("grouped"),
        active: p.get("status").and_then(Value::as_str) == Some("publish"),
        price: if variable { None } else { num(p, "price") },
        unit_cost: None,
        inventory: if variable { None } else { stock(p) },
        inventory_by_warehouse_id: BTreeMap::new(),
        tags: tags(p),
        external_system_url: Some(format!("{store}/wp-admin/post.php?post={id}&action=edit")),
        additional_fields: extras(p),
        id,
    })
}

/// A variation of `parent`; `None` when it has no id.
pub fn variation(v: &Value, parent: &Value, store: &str) -> Option<CartProduct> {
    let id = text(v, "id")?;
    let pid = text(parent, "id").unwrap_or_default();
    let name = text(parent, "name").unwrap_or_default();
    let options: Vec<String> = list(v, "attributes")
        .iter()
        .filter_map(|a| text(a, "option"))
        .collect();
    let updated = latest([
        time(v, "date_modified_gmt").or_else(|| time(v, "date_modified")),
        time(parent, "date_modified_gmt").or_else(|| time(parent, "date_modified")),
    ]);
    Some(CartProduct {
        created_date: time(v, "date_created_gmt")
            .or_else(|| time(v, "date_created"))
            .unwrap_or_default(),
        // A variation listed under a product changed in the window carries the later time.
        updated_date: updated.unwrap_or_default(),
        name: if options.is_empty() {
            name
        } else {
            format!("{name} - {}", options.join(" / "))
        },
        sku: text(v, "sku"),
        parent_product_id: pid.clone(),
        is_kit: false,
        active: v.get("status").and_then(Value::as_str) == Some("publish"),
        price: num(v, "price"),
        unit_cost: None,
        inventory: stock(v),
        inventory_by_warehouse_id: BTreeMap::new(),
        tags: tags(parent),
        external_system_url: Some(format!("{store}/wp-admin/post.php?post={pid}&action=edit")),
        additional_fields: extras(v),
        id,
    })
}
