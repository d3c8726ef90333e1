//! WMS products and inventory items. Product `p` is a kit when `p % 10 == 9`; every other
//! product has exactly one inventory item with the same SKU, numbered densely so that both
//! directions of the mapping are arithmetic. A kit's components are the inventory items of
//! products `p - 8` and `p - 4`, which belong to the same merchant (`p % 4`).

use std::collections::BTreeMap;

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    InventoryInWarehouse, InventoryItem, InventoryLocation, Lot, Measurements, Product,
    ProductInventoryItem, SupplierObject, SupplierProduct,
};

use super::names::{Noun, ADJECTIVES, NOUNS};
use super::people::{fields, UI_BASE};
use super::rng::{chance, hash, money, pick, rng};
use super::spec::{ts, SandboxSpec, DAY};
use super::wms_ref::{
    self, customer_id, supplier_id, warehouse_id, LOCATIONS_PER_WAREHOUSE, SUPPLIERS, WAREHOUSES,
};
use super::Func;

/// Salt of a product's core attributes.
const CORE_SALT: u64 = 0x70c0_4e00;
/// Salt of lot tracking and lot numbers.
const LOT_SALT: u64 = 0x10_7500;

/// Number of products (kits included).
pub fn product_count(spec: &SandboxSpec) -> u64 {
    spec.scaled(5, 60, 5_000)
}

/// Number of inventory items: the products that are not kits.
pub fn inventory_count(spec: &SandboxSpec) -> u64 {
    let p = product_count(spec);
    p - p / 10
}

/// Whether product `p` is a kit.
pub fn is_kit(p: u64) -> bool {
    p % 10 == 9
}

/// The product of inventory item `j`.
pub fn product_of_inventory(j: u64) -> u64 {
    j / 9 * 10 + j % 9
}

/// The inventory item of non-kit product `p`.
pub fn inventory_of_product(p: u64) -> u64 {
    p / 10 * 9 + p % 10
}

/// The merchant of product `p` (and of its inventory item).
pub fn customer_of(p: u64) -> usize {
    (p % 4) as usize
}

/// Id of product `p`.
pub fn product_id(p: u64) -> String {
    format!("prod_{:06}", p + 1)
}

/// Id of inventory item `j`.
pub fn inventory_id(j: u64) -> String {
    format!("inv_{:06}", j + 1)
}

/// The index of an inventory item from its id (0 for a malformed id).
pub fn inventory_index(id: &str) -> u64 {
    id.strip_prefix("inv_")
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(1)
        .saturating_sub(1)
}

/// The component products of kit `p` and how many of each one kit unit holds.
pub fn kit_components(spec: &SandboxSpec, p: u64) -> [(u64, i64); 2] {
    let h = hash(spec.seed, CORE_SALT ^ 0x6b17, p);
    [
        (p - 8, 1 + (h % 2) as i64),
        (p - 4, 1 + (h >> 8) as i64 % 3),
    ]
}

/// A random product of merchant `c`; never a kit unless `kits` allows it.
pub fn product_for(spec: &SandboxSpec, rng: &mut SmallRng, c: usize, kits: bool) -> u64 {
    let n = product_count(spec);
    let per = (n - c as u64).div_ceil(4);
    let p = c as u64 + 4 * rng.gen_range(0..per);
    match (kits, is_kit(p)) {
        (false, true) => p - 4,
        _ => p,
    }
}

/// What other records need to know about a product: name, SKU, price and cost.
#[derive(Debug, Clone)]
pub struct Core {
    /// The kind of product.
    pub noun: &'static Noun,
    /// Display name.
    pub name: String,
    /// Stock keeping unit, shared with the inventory item.
    pub sku: String,
    /// Selling price in cents.
    pub price: i64,
    /// Purchase cost in cents.
    pub cost: i64,
}

/// The core attributes of product `p`, from its own seed.
pub fn core(spec: &SandboxSpec, p: u64) -> Core {
    let mut r = rng(spec.seed, CORE_SALT, p);
    let adj = pick(&mut r, ADJECTIVES);
    if is_kit(p) {
        let parts = kit_components(spec, p).map(|(c, q)| (core(spec, c), q));
        let (price, cost) = parts.iter().fold((0, 0), |(pr, co), (k, q)| {
            (pr + k.price * q, co + k.cost * q)
        });
        let noun = parts[0].0.noun;
        return Core {
            noun,
            name: format!("{adj} {} Gift Set", noun.name),
            sku: format!("KIT-{}-{:05}", noun.code, p + 1),
            price: (price * 9 / 1000).max(1) * 100 - 1,
            cost,
        };
    }
    let noun = pick(&mut r, NOUNS);
    let (color, code) = pick(&mut r, noun.variants);
    let price = (noun.price * r.gen_range(80..=130) / 10_000).max(1) * 100 - 1;
    Core {
        noun,
        name: format!("{adj} {color} {}", noun.name),
        sku: format!("{}-{code}-{:05}", noun.code, p + 1),
        price,
        cost: price * r.gen_range(30..=45) / 100,
    }
}

/// Whether inventory item `j` is lot-tracked (about 30% are).
pub fn lot_tracked(spec: &SandboxSpec, j: u64) -> bool {
    hash(spec.seed, LOT_SALT, j) % 10 < 3
}

/// The lot of item `j` held in warehouse `w`, with its expiration in unix seconds.
pub fn lot_of(spec: &SandboxSpec, j: u64, w: usize) -> (String, i64) {
    let h = hash(spec.seed, LOT_SALT ^ 0xe7, j * 8 + w as u64);
    let expires = spec.anchor + (120 + (h % 600) as i64) * DAY;
    (
        format!("LOT-{:05}-{}{:02}", j + 1, (b'A' + w as u8) as char, h % 97),
        expires,
    )
}

/// Dimensions of one unit of a product kind.
pub fn unit_measurements(noun: &Noun) -> Measurements {
    Measurements {
        length: Some(noun.dims.0),
        width: Some(noun.dims.1),
        height: Some(noun.dims.2),
        unit: Some("in".into()),
        weight: Some(noun.weight_oz),
        weight_unit: Some("oz".into()),
    }
}

/// A UPC-A code with a valid check digit, unique per product.
fn gtin(p: u64) -> String {
    let body = format!("84012{:06}", p + 1);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| (b - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Record `p` of `get_products`.
pub fn product(spec: &SandboxSpec, p: u64) -> Product {
    let (created, updated) = Func::WmsProducts.stamp(spec, p);
    let mut r = rng(spec.seed, Func::WmsProducts.salt(), p);
    let k = core(spec, p);
    let c = customer_of(p);
    let suppliers: Vec<usize> = wms_ref::suppliers_of(c).collect();
    let main = suppliers[r.gen_range(0..suppliers.len())];
    let inventory_items = if is_kit(p) {
        kit_components(spec, p)
            .iter()
            .map(|(cp, q)| ProductInventoryItem {
                inventory_item_id: inventory_id(inventory_of_product(*cp)),
                sku: Some(core(spec, *cp).sku),
                unit_quantity: *q,
            })
            .collect()
    } else {
        vec![ProductInventoryItem {
            inventory_item_id: inventory_id(inventory_of_product(p)),
            sku: Some(k.sku.clone()),
            unit_quantity: 1,
        }]
    };
    let supplier_products = suppliers
        .iter()
        .filter(|s| **s == main || chance(&mut r, 40))
        .map(|s| SupplierProduct {
            supplier_id: supplier_id(*s),
            supplier_name: Some(SUPPLIERS[*s].0.to_owned()),
            external_id: Some(format!("V{}-{:05}", s + 1, p + 1)),
            unit_cost: Some(format!("{:.2}", money(k.cost))),
        })
        .collect();
    Product {
        id: product_id(p),
        warehouse_customer_id: Some(customer_id(c)),
        created_date: ts(created),
        updated_date: ts(updated),
        name: k.name,
        sku: Some(k.sku),
        gtin: (!is_kit(p) || chance(&mut r, 50)).then(|| gtin(p)),
        unit_price: Some(money(k.price)),
        inventory_items,
        is_kit: is_kit(p),
        active: !chance(&mut r, 3),
        supplier: Some(SUPPLIERS[main].0.to_owned()),
        supplier_object: Some(SupplierObject {
            supplier_id: supplier_id(main),
            supplier_name: Some(SUPPLIERS[main].0.to_owned()),
        }),
        country_of_origin: Some(SUPPLIERS[main].5.to_owned()),
        harmonized_code: Some(k.noun.hs.to_owned()),
        supplier_products,
        external_system_url: Some(format!("{UI_BASE}/products/{}", product_id(p))),
        additional_fields: fields([("product_type", json!(k.noun.name))]),
    }
}

/// Record `j` of `get_inventory`. Per warehouse, `onhand = committed + unfulfillable +
/// fulfillable`, `sellable = fulfillable`, `unsellable = unfulfillable`; totals are the sums
/// over warehouses, lots and locations split each warehouse's `onhand`.
pub fn inventory(spec: &SandboxSpec, j: u64) -> InventoryItem {
    let (created, updated) = Func::WmsInventory.stamp(spec, j);
    let mut r = rng(spec.seed, Func::WmsInventory.salt(), j);
    let p = product_of_inventory(j);
    let k = core(spec, p);
    let active = !chance(&mut r, 3);
    let primary = r.gen_range(0..WAREHOUSES.len());
    let mut by_wh = BTreeMap::new();
    let (mut lots, mut locations) = (Vec::new(), Vec::new());
    let mut item = InventoryItem {
        id: inventory_id(j),
        warehouse_customer_id: Some(customer_id(customer_of(p))),
        created_date: ts(created),
        updated_date: ts(updated),
        name: k.name,
        sku: Some(k.sku),
        unit_cost: Some(money(k.cost)),
        active,
        measurements: unit_measurements(k.noun),
        external_system_url: Some(format!("{UI_BASE}/inventory/{}", inventory_id(j))),
        ..Default::default()
    };
    for w in 0..WAREHOUSES.len() {
        if w != primary && !chance(&mut r, if w == (primary + 1) % 3 { 45 } else { 20 }) {
            continue;
        }
        let (fulfillable, committed, unfulfillable, awaiting) = if active {
            let f = if chance(&mut r, 8) {
                0
            } else {
                r.gen_range(1..=420)
            };
            let c = if chance(&mut r, 40) {
                0
            } else {
                r.gen_range(1..=35)
            };
            let u = if chance(&mut r, 75) {
                0
            } else {
                r.gen_range(1..=9)
            };
            let a = if chance(&mut r, 70) {
                0
            } else {
                r.gen_range(1..=20) * 12
            };
            (f, c, u, a)
        } else {
            (0, 0, 0, 0)
        };
        let onhand = fulfillable + committed + unfulfillable;
        item.fulfillable += fulfillable;
        item.committed += committed;
        item.unfulfillable += unfulfillable;
        item.awaiting += awaiting;
        item.onhand += onhand;
        by_wh.insert(
            warehouse_id(w),
            InventoryInWarehouse {
                awaiting: Some(awaiting),
                onhand,
                committed: Some(committed),
                unfulfillable: Some(unfulfillable),
                fulfillable: Some(fulfillable),
                unsellable: Some(unfulfillable),
                sellable: Some(fulfillable),
            },
        );
        if onhand == 0 {
            continue;
        }
        if lot_tracked(spec, j) {
            let (lot_id, expires) = lot_of(spec, j, w);
            lots.push(Lot {
                lot_id,
                onhand,
                expiration_date: Some(ts(expires)),
                warehouse_id: Some(warehouse_id(w)),
            });
        }
        let first = r.gen_range(0..LOCATIONS_PER_WAREHOUSE);
        let base = w as u64 * LOCATIONS_PER_WAREHOUSE;
        let split = if onhand > 1 && chance(&mut r, 35) {
            r.gen_range(1..onhand)
        } else {
            onhand
        };
        locations.push(InventoryLocation {
            location_id: wms_ref::location_id(base + first),
            quantity: split,
            warehouse_id: warehouse_id(w),
        });
        if split < onhand {
            let second =
                (first + r.gen_range(1..LOCATIONS_PER_WAREHOUSE)) % LOCATIONS_PER_WAREHOUSE;
            locations.push(InventoryLocation {
                location_id: wms_ref::location_id(base + second),
                quantity: onhand - split,
                warehouse_id: warehouse_id(w),
            });
        }
    }
    item.unsellable = item.unfulfillable;
    item.sellable = item.fulfillable;
    item.inventory_by_warehouse_id = by_wh;
    item.lots = lots;
    item.locations = locations;
    item.additional_fields = fields([
        ("reorder_point", json!(r.gen_range(1..=10) * 10)),
        ("lot_tracked", json!(lot_tracked(spec, j))),
    ]);
    item
}
