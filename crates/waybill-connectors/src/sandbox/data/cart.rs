//! The shop: products in families of one parent and three variants (product `i` is the
//! parent of its family when `i % 4 == 0`), two shipping locations, and orders whose lines
//! name variants. Fulfilled and partially fulfilled orders carry a shipment with tracking;
//! every order has one shipping group (fulfilment order) at its location.

use std::collections::BTreeMap;

use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    CartOrder, CartOrderLineItem, CartProduct, CartShipment, CartShipmentLineItem,
    CartShippingGroup, CartShippingGroupLineItem, CartWarehouse,
};
use waybill_model::resource::CART_ORDER_STATUSES;

use super::names::{Noun, ADJECTIVES, CARRIERS, METHODS, NOUNS, PRODUCT_TAGS, SIZES};
use super::people::{fields, origin, tracking_number, tracking_url, Person, UI_BASE};
use super::rng::{chance, hash, money, pick, rng, stratified, weighted};
use super::spec::{between, ts, SandboxSpec, DAY};
use super::Func;

/// The shop's locations: name, code, street, city, state, postal code.
pub static WAREHOUSES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Main Warehouse",
        "MAIN",
        "2200 NW Front Ave",
        "Portland",
        "OR",
        "97209",
    ),
    (
        "East Coast 3PL",
        "EC3PL",
        "301 Raritan Center Pkwy",
        "Edison",
        "NJ",
        "08837",
    ),
];

/// Products per family: a parent and its variants.
const FAMILY: u64 = 4;
/// Salt of the per-family seed shared by a parent and its variants.
const FAMILY_SALT: u64 = 0x00fa_411e;
/// Share of each of `CART_ORDER_STATUSES` per hundred orders.
const STATUS_WEIGHTS: [u32; 9] = [6, 4, 6, 4, 65, 3, 6, 4, 2];
/// The shop's status text for each of `CART_ORDER_STATUSES`.
const RAW_STATUSES: [&str; 9] = [
    "unfulfilled",
    "unfulfilled",
    "in_progress",
    "partially_fulfilled",
    "fulfilled",
    "on_hold",
    "cancelled",
    "scheduled",
    "unknown",
];
/// Checkout options: label and the index of the shipping method that serves it.
const RATES: [(&str, usize); 4] = [
    ("Standard Shipping", 5),
    ("Free Shipping", 0),
    ("Express Shipping", 4),
    ("Overnight", 2),
];

/// Id of order `i`.
pub fn order_id(i: u64) -> String {
    (5_500_000_000_000 + i).to_string()
}

/// Id of product `i`.
pub fn product_id(i: u64) -> String {
    (8_100_000_000_000 + i).to_string()
}

/// Id of location `w`.
pub fn warehouse_id(w: usize) -> String {
    (71_000_000_001 + w as u64).to_string()
}

/// A product family's kind, adjective and base price in cents.
fn family(spec: &SandboxSpec, f: u64) -> (&'static Noun, &'static str, i64) {
    let mut r = rng(spec.seed, FAMILY_SALT, f);
    let noun = pick(&mut r, NOUNS);
    let adj = *pick(&mut r, ADJECTIVES);
    (
        noun,
        adj,
        (noun.price * r.gen_range(85..=125) / 10_000).max(1) * 100 - 1,
    )
}

/// Variant `v` (1..=3) of a family: its label and SKU code, sizes for apparel, else the
/// kind's own variants (colours, scents, flavours).
fn variant(spec: &SandboxSpec, f: u64, noun: &Noun, v: u64) -> (&'static str, &'static str) {
    if matches!(
        noun.code,
        "TEE" | "HOOD" | "SWTR" | "JOG" | "SOCK" | "SHOE" | "JKT"
    ) {
        let s = SIZES[v as usize - 1];
        (s, s)
    } else {
        noun.variants[(hash(spec.seed, FAMILY_SALT, f) as usize + v as usize) % noun.variants.len()]
    }
}

/// Name, SKU, parent index and price of product `i`.
fn product_core(spec: &SandboxSpec, i: u64) -> (String, Option<String>, u64, i64) {
    let (f, v) = (i / FAMILY, i % FAMILY);
    let (noun, adj, price) = family(spec, f);
    let base = format!("{adj} {}", noun.name);
    if v == 0 {
        return (base, None, i, price);
    }
    let (label, code) = variant(spec, f, noun, v);
    let sku = format!("{}-{code}-{:04}", noun.code, f + 1);
    (format!("{base} - {label}"), Some(sku), f * FAMILY, price)
}

/// Record `i` of `get_products`. Price and stock are authoritative on variants; parents
/// carry the family's price but no stock.
pub fn product(spec: &SandboxSpec, i: u64) -> CartProduct {
    let (created, updated) = Func::CartProducts.stamp(spec, i);
    let mut r = rng(spec.seed, Func::CartProducts.salt(), i);
    let (name, sku, parent, price) = product_core(spec, i);
    let mut fr = rng(spec.seed, FAMILY_SALT ^ 0x7a6, i / FAMILY);
    let tags = (0..fr.gen_range(0..=2))
        .map(|_| pick(&mut fr, PRODUCT_TAGS).to_string())
        .collect();
    let member = i % FAMILY;
    let is_variant = member != 0;
    let by_wh: BTreeMap<String, i64> = if !is_variant {
        BTreeMap::new()
    } else {
        (0..WAREHOUSES.len())
            .map(|w| {
                (
                    warehouse_id(w),
                    if chance(&mut r, 10) {
                        0
                    } else {
                        r.gen_range(0..=250)
                    },
                )
            })
            .collect()
    };
    CartProduct {
        id: product_id(i),
        created_date: ts(created),
        updated_date: ts(updated),
        name,
        sku,
        parent_product_id: product_id(parent),
        is_kit: (i / FAMILY) % 25 == 24,
        active: !chance(&mut fr, 5),
        price: Some(money(price)),
        unit_cost: is_variant.then(|| money(price * 4 / 10)),
        inventory: is_variant.then(|| by_wh.values().sum()),
        inventory_by_warehouse_id: by_wh,
        tags,
        external_system_url: Some(format!("{UI_BASE}/cart/products/{}", product_id(i))),
        additional_fields: fields([("handle", json!(format!("product-{}", i / FAMILY + 1)))]),
    }
}

/// Record `w` of `get_warehouses`.
pub fn warehouse(spec: &SandboxSpec, w: u64) -> CartWarehouse {
    let (created, updated) = Func::CartWarehouses.stamp(spec, w);
    let (name, code, street, city, state, postal) = WAREHOUSES[w as usize];
    CartWarehouse {
        id: warehouse_id(w as usize),
        created_date: ts(created),
        updated_date: ts(updated),
        name: name.to_owned(),
        code: Some(code.to_owned()),
        address: origin(street, city, state, postal, "US"),
    }
}

/// Record `i` of `get_orders`.
pub fn order(spec: &SandboxSpec, i: u64) -> CartOrder {
    let (created, updated) = Func::CartOrders.stamp(spec, i);
    let mut r = rng(spec.seed, Func::CartOrders.salt(), i);
    let status = stratified(spec.seed, Func::CartOrders.salt(), i, &STATUS_WEIGHTS);
    let person = Person::random(&mut r, i);
    let payer = if chance(&mut r, 80) {
        person.clone()
    } else {
        Person::random(&mut r, i + 1)
    };
    let rate = weighted(&mut r, &[45, 35, 15, 5]);
    let m = &METHODS[RATES[rate].1];
    let carrier = &CARRIERS[m.carrier];
    let w = r.gen_range(0..WAREHOUSES.len());
    let families = Func::CartProducts.count(spec) / FAMILY;
    let n_lines = weighted(&mut r, &[55, 25, 12, 8]) + 1 + usize::from(status == 3);
    let mut lines: Vec<CartOrderLineItem> = Vec::with_capacity(n_lines);
    let (mut subtotal, mut discount, mut tax) = (0, 0, 0);
    while lines.len() < n_lines {
        let p = r.gen_range(0..families) * FAMILY + r.gen_range(1..FAMILY);
        let id = product_id(p);
        if lines.iter().any(|l| l.product_id == id) {
            continue;
        }
        let (_, sku, parent, price) = product_core(spec, p);
        let off = if chance(&mut r, 15) { price / 10 } else { 0 };
        let unit_tax = (price - off) * person.city.tax_bp as i64 / 10_000;
        let quantity = weighted(&mut r, &[75, 18, 7]) as i64 + 1;
        subtotal += price * quantity;
        discount += off * quantity;
        tax += unit_tax * quantity;
        lines.push(CartOrderLineItem {
            line_item_id: (14_000_000_000_000 + i * 8 + lines.len() as u64).to_string(),
            product_id: id,
            product_sku: sku,
            parent_product_id: Some(product_id(parent)),
            parent_product_sku: None,
            quantity,
            unit_price: Some(money(price)),
            discount: Some(money(off)),
            tax: Some(money(unit_tax)),
        });
    }
    let shipping = if rate == 1 { 0 } else { m.cost + 200 };
    let group_id = (6_300_000_000_000 + i).to_string();
    let (group_status, group_raw) = match status {
        4 => ("shipped", "closed"),
        3 => ("open", "in_progress"),
        5 => ("exception", "incomplete"),
        6 => ("cancelled", "cancelled"),
        7 => ("on_hold", "scheduled"),
        8 => ("other", "unknown"),
        _ => ("open", "open"),
    };
    let shipped = match status {
        4 => &lines[..],
        3 => &lines[..lines.len() - 1],
        _ => &[],
    };
    let shipments = if shipped.is_empty() {
        vec![]
    } else {
        let at = between(&mut r, created.max(updated - 8 * 3600), updated);
        let tn = tracking_number(m.carrier, i, spec.seed ^ 0xca27, false);
        let delivered = updated < spec.anchor - 5 * DAY;
        vec![CartShipment {
            shipment_id: (4_900_000_000_000 + i).to_string(),
            raw_status: Some(if delivered { "delivered" } else { "in_transit" }.into()),
            status: Some(if delivered { "delivered" } else { "shipped" }.into()),
            warehouse_id: Some(warehouse_id(w)),
            shipping_method_id: Some(format!("rate_{}", rate + 1)),
            shipping_method_name: Some(m.name.to_owned()),
            carrier_id: Some(carrier.id.to_owned()),
            carrier_name: Some(carrier.name.to_owned()),
            tracking_url: Some(tracking_url(m.carrier, &tn)),
            tracking_number: Some(tn),
            line_items: shipped
                .iter()
                .enumerate()
                .map(|(k, l)| CartShipmentLineItem {
                    shipment_line_item_id: (15_000_000_000_000 + i * 8 + k as u64).to_string(),
                    product_id: l.product_id.clone(),
                    product_sku: l.product_sku.clone(),
                    parent_product_id: l.parent_product_id.clone(),
                    parent_product_sku: l.parent_product_sku.clone(),
                    quantity: l.quantity,
                })
                .collect(),
            shipping_groups: vec![group_id.clone()],
            created_date: Some(ts(at)),
            updated_date: Some(ts(updated)),
        }]
    };
    let group = CartShippingGroup {
        shipping_group_id: group_id,
        created_date: ts(created),
        updated_date: ts(updated),
        raw_status: Some(group_raw.into()),
        status: Some(group_status.into()),
        warehouse_id: warehouse_id(w),
        line_items: lines
            .iter()
            .map(|l| CartShippingGroupLineItem {
                line_item_id: l.line_item_id.clone(),
                product_id: l.product_id.clone(),
                product_sku: l.product_sku.clone(),
                parent_product_id: l.parent_product_id.clone(),
                quantity: l.quantity,
            })
            .collect(),
    };
    CartOrder {
        id: order_id(i),
        order_number: format!("#{}", 1001 + i),
        created_date: ts(created),
        updated_date: ts(updated),
        status: CART_ORDER_STATUSES[status].to_owned(),
        raw_status: Some(RAW_STATUSES[status].to_owned()),
        requested_shipping_method: Some(RATES[rate].0.to_owned()),
        shipping_method_id: Some(format!("rate_{}", rate + 1)),
        shipping_method_name: Some(m.name.to_owned()),
        carrier_id: Some(carrier.id.to_owned()),
        carrier_name: Some(carrier.name.to_owned()),
        invoice_currency_code: "USD".into(),
        total_price: Some(money(subtotal - discount + tax + shipping)),
        total_tax: Some(money(tax)),
        total_discount: Some(money(discount)),
        total_shipping: Some(money(shipping)),
        ship_to_address: person.ship_to(None),
        bill_to_address: payer.bill_to(),
        earliest_ship_date: Some(ts(created)),
        latest_ship_date: Some(ts(created + 3 * DAY)),
        line_items: lines,
        shipping_groups: vec![group],
        shipments,
        external_system_url: Some(format!("{UI_BASE}/cart/orders/{}", order_id(i))),
        additional_fields: fields([
            (
                "source_name",
                json!(["web", "web", "web", "iphone", "android", "pos"][r.gen_range(0..6)]),
            ),
            (
                "financial_status",
                json!(if status == 6 { "refunded" } else { "paid" }),
            ),
        ]),
    }
}
