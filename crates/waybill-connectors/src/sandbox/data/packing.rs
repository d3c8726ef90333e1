//! What leaves the warehouse for an order: the inventory its lines consume (kits expanded
//! into their components), the boxes that inventory is packed in, and the packs view of
//! them. Boxes come from the order's own package seed, so an order's shipment packages and
//! its packs always agree.

use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    Measurements, OrderPack, OrderPackLineItem, Pack, PackLineItem, Package, PackageLineItem,
    ShipmentLineItem,
};

use super::catalog::{self, core, is_kit};
use super::names::{Noun, BOXES, CARRIERS, METHODS};
use super::orders::{order_id, Line, Plan, FULFILLED, PACKED, PARTIAL};
use super::people::{fields, tracking_number, tracking_url};
use super::rng::{chance, money, rng};
use super::spec::{ts, SandboxSpec};
use super::wms_ref::method_id;

/// Salt of an order's package seed.
const PACKAGE_SALT: u64 = 0x9ac_a6e5;

/// An inventory line of a shipment with the kind of product it is, for sizing boxes.
pub type Item = (ShipmentLineItem, &'static Noun);

/// Inventory the lines consume: kits expand into their components.
pub fn expand(spec: &SandboxSpec, lines: &[Line]) -> Vec<Item> {
    let mut out = Vec::with_capacity(lines.len() + 2);
    for l in lines {
        if is_kit(l.product) {
            for (cp, q) in catalog::kit_components(spec, l.product) {
                let k = core(spec, cp);
                let item = ShipmentLineItem {
                    inventory_item_id: catalog::inventory_id(catalog::inventory_of_product(cp)),
                    sku: Some(k.sku),
                    quantity: l.qty * q,
                    parent_product_id: Some(catalog::product_id(l.product)),
                };
                out.push((item, k.noun));
            }
        } else {
            let item = ShipmentLineItem {
                inventory_item_id: catalog::inventory_id(catalog::inventory_of_product(l.product)),
                sku: Some(l.core.sku.clone()),
                quantity: l.qty,
                parent_product_id: None,
            };
            out.push((item, l.core.noun));
        }
    }
    out
}

/// Boxes holding `items`, from the order's own package seed so orders and packs agree.
pub fn packages(spec: &SandboxSpec, pl: &Plan, items: &[Item], shipped: bool) -> Vec<Package> {
    let mut r = rng(spec.seed, PACKAGE_SALT, pl.i);
    let split = if items.len() > 1 && chance(&mut r, 30) {
        items.len().div_ceil(2)
    } else {
        items.len()
    };
    let m = &METHODS[pl.method];
    let c = &CARRIERS[m.carrier];
    let mut out = Vec::with_capacity(2);
    for (k, chunk) in [&items[..split], &items[split..]].into_iter().enumerate() {
        if chunk.is_empty() {
            continue;
        }
        // The smallest box with 30% headroom over the items' volume, and its gross weight.
        let (volume, item_oz) = chunk.iter().fold((0.0, 0.0), |(v, w), (l, n)| {
            let q = l.quantity as f64;
            (v + q * n.dims.0 * n.dims.1 * n.dims.2, w + q * n.weight_oz)
        });
        let b = BOXES
            .iter()
            .find(|b| b.1 * b.2 * b.3 >= volume * 1.3)
            .unwrap_or(&BOXES[BOXES.len() - 1]);
        let weight_lb = ((b.4 + item_oz) / 16.0 * 10.0).ceil() / 10.0;
        let tracking =
            shipped.then(|| tracking_number(m.carrier, pl.i * 4 + k as u64, spec.seed, false));
        out.push(Package {
            package_id: format!("pkg_{:09}-{}", pl.i + 1, k + 1),
            package_name: Some(b.0.to_owned()),
            tracking_url: tracking.as_deref().map(|t| tracking_url(m.carrier, t)),
            tracking_number: tracking,
            shipping_method: Some(m.name.to_owned()),
            carrier: Some(c.name.to_owned()),
            shipping_method_id: Some(method_id(pl.method)),
            shipping_method_name: Some(m.name.to_owned()),
            carrier_id: Some(c.id.to_owned()),
            carrier_name: Some(c.name.to_owned()),
            scac: Some(c.scac.to_owned()),
            shipping_cost: Some(money(
                m.cost + (weight_lb.ceil() as i64 - 1) * 85 + r.gen_range(0..150),
            )),
            measurements: Measurements {
                length: Some(b.1),
                width: Some(b.2),
                height: Some(b.3),
                unit: Some("in".into()),
                weight: Some(weight_lb),
                weight_unit: Some("lb".into()),
            },
            line_items: chunk
                .iter()
                .map(|(l, _)| {
                    let j = catalog::inventory_index(&l.inventory_item_id);
                    let lot = catalog::lot_tracked(spec, j)
                        .then(|| catalog::lot_of(spec, j, pl.warehouse));
                    PackageLineItem {
                        inventory_item_id: l.inventory_item_id.clone(),
                        sku: l.sku.clone(),
                        quantity: l.quantity,
                        lot_id: lot.as_ref().map(|x| x.0.clone()),
                        expiration_date: lot.map(|x| ts(x.1)),
                        parent_product_id: l.parent_product_id.clone(),
                    }
                })
                .collect(),
        });
    }
    out
}

/// The lines that left the warehouse: all of a fulfilled order, all but the last of a
/// partially fulfilled one, none otherwise.
pub fn shipped_lines(pl: &Plan) -> &[Line] {
    match pl.status {
        FULFILLED => &pl.lines,
        PARTIAL => &pl.lines[..pl.lines.len() - 1],
        _ => &[],
    }
}

/// Record `i` of `get_order_packs`: the packs of order `i` (empty until it is packed).
pub fn packs(spec: &SandboxSpec, i: u64) -> OrderPack {
    let pl = super::orders::plan(spec, i);
    let m = &METHODS[pl.method];
    let c = &CARRIERS[m.carrier];
    let boxes = match pl.status {
        PACKED => packages(spec, &pl, &expand(spec, &pl.lines), false),
        PARTIAL | FULFILLED => packages(spec, &pl, &expand(spec, shipped_lines(&pl)), true),
        _ => vec![],
    };
    OrderPack {
        packs: boxes
            .into_iter()
            .map(|b| Pack {
                pack_id: b.package_id,
                measurements: b.measurements,
                line_items: b
                    .line_items
                    .into_iter()
                    .map(|l| PackLineItem {
                        inventory_item_id: l.inventory_item_id,
                        sku: l.sku,
                        quantity: l.quantity,
                    })
                    .collect(),
            })
            .collect(),
        carrier: Some(c.name.to_owned()),
        carrier_id: Some(c.id.to_owned()),
        carrier_name: Some(c.name.to_owned()),
        scac: Some(c.scac.to_owned()),
        shipping_method: Some(m.name.to_owned()),
        shipping_method_id: Some(method_id(pl.method)),
        shipping_method_name: Some(m.name.to_owned()),
        order_line_items: pl
            .lines
            .iter()
            .map(|l| OrderPackLineItem {
                product_id: catalog::product_id(l.product),
                sku: Some(l.core.sku.clone()),
                quantity: l.qty,
            })
            .collect(),
        ship_to_address: pl.ship_to,
        additional_fields: fields([("order_id", json!(order_id(i)))]),
    }
}
