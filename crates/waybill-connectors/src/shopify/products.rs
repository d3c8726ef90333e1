//! Shopify products → canonical cart products: the product itself (a parent, without price
//! or stock) followed by each variant (price, stock per location, cost).

use crate::values::{int, keep, latest, list, num, text, time};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use waybill_model::records::cart::CartProduct;

/// Stock and cost of inventory items, looked up once per page.
#[derive(Debug, Default)]
pub struct Stock {
    /// `inventory_item_id` → location id → available.
    pub levels: HashMap<String, BTreeMap<String, i64>>,
    /// `inventory_item_id` → unit cost.
    pub cost: HashMap<String, f64>,
}

fn tags(p: &Value) -> Vec<String> {
    text(p, "tags")
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The inventory item ids of a product's variants.
pub fn inventory_item_ids(p: &Value) -> Vec<String> {
    list(p, "variants")
        .iter()
        .filter_map(|v| text(v, "inventory_item_id"))
        .collect()
}

/// A product and its variants; `None` when the product has no id. Variants without an id
/// are dropped with a warning (counted by the caller through the returned `skipped`).
pub fn product(p: &Value, stock: &Stock, admin_url: &str) -> Option<(Vec<CartProduct>, usize)> {
    let id = text(p, "id")?;
    let active = p.get("status").and_then(Value::as_str) == Some("active");
    let updated = time(p, "updated_at").unwrap_or_default();
    let title = text(p, "title").unwrap_or_default();
    let extra = keep(
        p,
        &["handle", "vendor", "product_type", "status", "published_at"],
    );
    let variants = list(p, "variants");
    let mut out = vec![CartProduct {
        id: id.clone(),
        created_date: time(p, "created_at").unwrap_or_default(),
        updated_date: updated.clone(),
        name: title.clone(),
        sku: None,
        parent_product_id: id.clone(),
        is_kit: false,
        active,
        price: None,
        unit_cost: None,
        inventory: None,
        inventory_by_warehouse_id: BTreeMap::new(),
        tags: tags(p),
        external_system_url: Some(admin_url.to_string()),
        additional_fields: {
            let mut m = extra.clone();
            m.insert(
                "variant_ids".into(),
                Value::Array(
                    variants
                        .iter()
                        .filter_map(|v| text(v, "id").map(Value::String))
                        .collect(),
                ),
            );
            m
        },
    }];
    let mut skipped = 0;
    for v in variants {
        let Some(vid) = text(v, "id") else {
            tracing::warn!(product_id = %id, "Shopify variant without an id skipped");
            skipped += 1;
            continue;
        };
        let item = text(v, "inventory_item_id");
        let by_loc = item
            .as_ref()
            .and_then(|i| stock.levels.get(i))
            .cloned()
            .unwrap_or_default();
        let inventory = if by_loc.is_empty() {
            int(v, "inventory_quantity")
        } else {
            Some(by_loc.values().sum())
        };
        let vtitle = text(v, "title").filter(|t| t != "Default Title");
        let vextra = keep(
            v,
            &[
                "inventory_item_id",
                "barcode",
                "compare_at_price",
                "inventory_policy",
                "inventory_management",
                "option1",
                "option2",
                "option3",
                "weight",
                "weight_unit",
                "requires_shipping",
                "taxable",
                "position",
            ],
        );
        out.push(CartProduct {
            id: vid.clone(),
            created_date: time(v, "created_at").unwrap_or_default(),
            // A variant listed under a product changed in the window carries the later time.
            updated_date: latest([time(v, "updated_at"), Some(updated.clone())])
                .unwrap_or_default(),
            name: match vtitle {
                Some(t) => format!("{title} - {t}"),
                None => title.clone(),
            },
            sku: text(v, "sku"),
            parent_product_id: id.clone(),
            is_kit: false,
            active,
            price: num(v, "price"),
            unit_cost: item.as_ref().and_then(|i| stock.cost.get(i).copied()),
            inventory,
            inventory_by_warehouse_id: by_loc,
            tags: tags(p),
            external_system_url: Some(format!("{admin_url}/variants/{vid}")),
            additional_fields: vextra,
        });
    }
    Some((out, skipped))
}
