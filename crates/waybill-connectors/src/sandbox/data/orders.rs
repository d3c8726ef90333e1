//! WMS orders and their packs. An order's status decides how far it got: lines are picked
//! from `picked` on, packs exist from `packed` on, and `partially_fulfilled` / `fulfilled`
//! orders carry one shipped shipment (all lines but the last, or all lines) whose packages
//! have tracking numbers. Open, confirmed, processing, picked, packed, exception, cancelled,
//! backordered and other orders have no shipments.

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    ChannelObject, Measurements, Order, OrderLineItem, OrderPack, OrderPackLineItem,
    OrderShipment, Pack, PackLineItem, Package, PackageLineItem, ShipToAddress, ShipmentLineItem,
};
use waybill_model::resource::{ORDER_STATUSES, ORDER_TYPES};

use super::catalog::{self, core, is_kit, Core};
use super::names::{BOXES, CARRIERS, COMPANIES, METHODS, METHOD_WEIGHTS, ORDER_TAGS};
use super::people::{fields, tracking_number, tracking_url, Person, UI_BASE};
use super::rng::{chance, hash, money, pick, rng, stratified, weighted};
use super::spec::{between, ts, SandboxSpec, DAY};
use super::wms_ref::{self, channel_id, customer_id, method_id, warehouse_id, CHANNELS, CUSTOMERS, WAREHOUSES};
use super::Func;

/// Share of each of `ORDER_STATUSES` per hundred orders.
const STATUS_WEIGHTS: [u32; 11] = [4, 3, 4, 3, 3, 4, 64, 3, 6, 4, 2];
/// The source's status text for each of `ORDER_STATUSES`.
const RAW_STATUSES: [&str; 11] = [
    "new", "confirmed", "allocated", "picked", "packed", "partially_shipped", "shipped",
    "address_verification_failed", "canceled", "backorder", "on_hold_fraud_review",
];
const PICKED: usize = 3;
const PACKED: usize = 4;
const PARTIAL: usize = 5;
const FULFILLED: usize = 6;
const PACKAGE_SALT: u64 = 0x9ac_a6e5;

/// Id of order `i`.
pub fn order_id(i: u64) -> String {
    format!("ord_{:09}", i + 1)
}

/// The index of an order from its id (0 for a malformed id).
pub fn order_index(id: &str) -> u64 {
    id.strip_prefix("ord_").and_then(|n| n.parse::<u64>().ok()).unwrap_or(1).saturating_sub(1)
}

/// Index into `ORDER_STATUSES` of order `i`; every aligned block of 100 orders holds every
/// status.
pub fn status_index(spec: &SandboxSpec, i: u64) -> usize {
    stratified(spec.seed, Func::WmsOrders.salt(), i, &STATUS_WEIGHTS)
}

/// Whether order `i` has been picked (so pick and pack labor refers to it).
pub fn is_picked(spec: &SandboxSpec, i: u64) -> bool {
    (PICKED..=FULFILLED).contains(&status_index(spec, i))
}

/// A fulfilled order last updated before `t`, near the newest such one.
pub fn fulfilled_before(spec: &SandboxSpec, t: i64, jitter: u64) -> Option<u64> {
    Func::WmsOrders.find_before(spec, t, jitter, 40, |i| status_index(spec, i) == FULFILLED)
}

struct Line {
    product: u64,
    core: Core,
    qty: i64,
    discount: i64,
}

/// Everything orders and packs share, drawn in a fixed order from the order's seed.
struct Plan {
    i: u64,
    status: usize,
    created: i64,
    updated: i64,
    customer: usize,
    warehouse: usize,
    method: usize,
    kind: usize,
    ship_to: ShipToAddress,
    tax_bp: u32,
    lines: Vec<Line>,
    rng: SmallRng,
}

fn plan(spec: &SandboxSpec, i: u64) -> Plan {
    let (created, updated) = Func::WmsOrders.stamp(spec, i);
    let mut r = rng(spec.seed, Func::WmsOrders.salt(), i);
    let status = status_index(spec, i);
    let customer = r.gen_range(0..CUSTOMERS.len());
    let warehouse = r.gen_range(0..WAREHOUSES.len());
    let mut method = weighted(&mut r, METHOD_WEIGHTS);
    let kind = if customer == 2 && chance(&mut r, 80) { 1 } else { weighted(&mut r, &[72, 14, 9, 5]) };
    let person = Person::random(&mut r, i);
    let (ship_to, tax_bp) = match kind {
        3 => {
            let to = (warehouse + 1) % WAREHOUSES.len();
            let a = wms_ref::warehouse_address(to);
            let address = ShipToAddress {
                full_name: Some("Receiving Dept".into()),
                company: Some(WAREHOUSES[to].0.into()),
                address1: a.address1,
                city: a.city,
                state: a.state,
                postal_code: a.postal_code,
                country: a.country,
                phone_number: Some(person.phone.clone()),
                ..Default::default()
            };
            (address, 0)
        }
        1 => (person.ship_to(Some(*pick(&mut r, COMPANIES))), 0),
        _ => (person.ship_to(None), person.city.tax_bp),
    };
    if person.city.country != "US" {
        method = 7;
    }
    let n_lines = weighted(&mut r, &[50, 25, 15, 10]) + 1 + usize::from(status == PARTIAL);
    let mut lines: Vec<Line> = Vec::with_capacity(n_lines);
    while lines.len() < n_lines {
        let product = catalog::product_for(spec, &mut r, customer, true);
        if lines.iter().any(|l| l.product == product) {
            continue;
        }
        let core = core(spec, product);
        let qty = if kind == 0 || kind == 2 { weighted(&mut r, &[70, 20, 7, 3]) as i64 + 1 } else { r.gen_range(1..=8) * 6 };
        let discount = if chance(&mut r, 15) { core.price * qty / 10 } else { 0 };
        lines.push(Line { product, core, qty, discount });
    }
    Plan { i, status, created, updated, customer, warehouse, method, kind, ship_to, tax_bp, lines, rng: r }
}

/// Inventory the lines consume: kits expand into their components.
fn expand(spec: &SandboxSpec, lines: &[Line]) -> Vec<ShipmentLineItem> {
    let mut out = Vec::with_capacity(lines.len() + 2);
    for l in lines {
        if is_kit(l.product) {
            for (cp, q) in catalog::kit_components(spec, l.product) {
                out.push(ShipmentLineItem {
                    inventory_item_id: catalog::inventory_id(catalog::inventory_of_product(cp)),
                    sku: Some(core(spec, cp).sku),
                    quantity: l.qty * q,
                    parent_product_id: Some(catalog::product_id(l.product)),
                });
            }
        } else {
            out.push(ShipmentLineItem {
                inventory_item_id: catalog::inventory_id(catalog::inventory_of_product(l.product)),
                sku: Some(l.core.sku.clone()),
                quantity: l.qty,
                parent_product_id: None,
            });
        }
    }
    out
}

/// Boxes holding `items`, from the order's own package seed so orders and packs agree.
fn packages(spec: &SandboxSpec, pl: &Plan, items: &[ShipmentLineItem], shipped: bool) -> Vec<Package> {
    let mut r = rng(spec.seed, PACKAGE_SALT, pl.i);
    let split = if items.len() > 1 && chance(&mut r, 30) { items.len().div_ceil(2) } else { items.len() };
    let m = &METHODS[pl.method];
    let c = &CARRIERS[m.carrier];
    let mut out = Vec::with_capacity(2);
    for (k, chunk) in [&items[..split], &items[split..]].into_iter().enumerate() {
        if chunk.is_empty() {
            continue;
        }
        let units: i64 = chunk.iter().map(|l| l.quantity).sum();
        let b = &BOXES[(units as usize / 3 + r.gen_range(0..2)).min(BOXES.len() - 1)];
        let weight_oz = b.4 + units as f64 * (4.0 + r.gen_range(0..24) as f64);
        let weight_lb = (weight_oz / 16.0 * 10.0).ceil() / 10.0;
        let tracking = shipped.then(|| tracking_number(m.carrier, pl.i * 4 + k as u64, spec.seed, false));
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
            shipping_cost: Some(money(m.cost + (weight_lb.ceil() as i64 - 1) * 85 + r.gen_range(0..150))),
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
                .map(|l| {
                    let j = catalog::inventory_index(&l.inventory_item_id);
                    let lot = catalog::lot_tracked(spec, j).then(|| catalog::lot_of(spec, j, pl.warehouse));
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
fn shipped_lines(pl: &Plan) -> &[Line] {
    match pl.status {
        FULFILLED => &pl.lines,
        PARTIAL => &pl.lines[..pl.lines.len() - 1],
        _ => &[],
    }
}

/// Record `i` of `get_orders`.
pub fn order(spec: &SandboxSpec, i: u64) -> Order {
    let mut pl = plan(spec, i);
    let m = &METHODS[pl.method];
    let c = &CARRIERS[m.carrier];
    let picked = pl.status >= PICKED && pl.status <= FULFILLED;
    let subtotal: i64 = pl.lines.iter().map(|l| l.core.price * l.qty).sum();
    let discount: i64 = pl.lines.iter().map(|l| l.discount).sum();
    let shipping = if pl.kind == 3 || (subtotal >= 7_500 && m.level == "ground") { 0 } else { m.cost + 100 };
    let tax = (subtotal - discount) * pl.tax_bp as i64 / 10_000;
    let b2b = pl.kind == 1;
    let third_party = b2b && chance(&mut pl.rng, 30);
    let status = pl.status;
    let line_items = pl
        .lines
        .iter()
        .map(|l| OrderLineItem {
            product_id: catalog::product_id(l.product),
            sku: Some(l.core.sku.clone()),
            quantity: l.qty,
            unit_price: Some(money(l.core.price)),
            is_picked: picked || (status == 2 && chance(&mut pl.rng, 30)),
            discount_amount: Some(money(l.discount)),
        })
        .collect();
    let r = &mut pl.rng;
    let tags = (0..weighted(r, &[60, 30, 10])).map(|_| pick(r, ORDER_TAGS).to_string()).collect::<Vec<_>>();
    let required = chance(r, 70).then(|| ts(pl.created + r.gen_range(1..=3) * DAY));
    let shipped_at = between(r, pl.created.max(pl.updated - 6 * 3600), pl.updated);
    let shipments = match shipped_lines(&pl) {
        [] => vec![],
        lines => {
            let items = expand(spec, lines);
            vec![OrderShipment {
                shipment_id: format!("shp_{:09}-1", i + 1),
                warehouse_id: warehouse_id(pl.warehouse),
                raw_status: Some("shipped".into()),
                status: "shipped".into(),
                shipped_date: Some(ts(shipped_at)),
                shipping_method: Some(m.name.to_owned()),
                packages: packages(spec, &pl, &items, true),
                line_items: items,
                ship_to_address: pl.ship_to.clone(),
                ship_from_address: wms_ref::warehouse_address(pl.warehouse),
            }]
        }
    };
    let r = &mut pl.rng;
    Order {
        id: order_id(i),
        warehouse_customer_id: Some(customer_id(pl.customer)),
        warehouse_id: Some(warehouse_id(pl.warehouse)),
        created_date: ts(pl.created),
        updated_date: ts(pl.updated),
        reference_id: format!("SO-{:07}", 100_000 + i),
        order_number: format!("#{}", 1001 + i),
        status: ORDER_STATUSES[pl.status].to_owned(),
        raw_status: Some(RAW_STATUSES[pl.status].to_owned()),
        channel: Some(CHANNELS[pl.customer].0.to_owned()),
        channel_object: Some(ChannelObject {
            channel_id: channel_id(pl.customer),
            channel_name: Some(CHANNELS[pl.customer].0.to_owned()),
        }),
        order_type: Some(ORDER_TYPES[pl.kind].to_owned()),
        trading_partner: b2b.then(|| pl.ship_to.company.clone()).flatten(),
        shipping_method: Some(m.name.to_owned()),
        service_level: Some(m.level.to_owned()),
        shipping_method_id: Some(method_id(pl.method)),
        shipping_method_name: Some(m.name.to_owned()),
        carrier_id: Some(c.id.to_owned()),
        carrier_name: Some(c.name.to_owned()),
        scac: Some(c.scac.to_owned()),
        is_third_party_freight: Some(third_party),
        third_party_freight_account_number: third_party.then(|| format!("{:09}", hash(spec.seed, 0x3bf, i) % 1_000_000_000)),
        first_party_freight_account_number: b2b.then(|| format!("{:06}", hash(spec.seed, 0x1bf, pl.customer as u64) % 1_000_000)),
        invoice_currency_code: "USD".into(),
        total_price: Some(money(subtotal - discount + shipping + tax)),
        total_tax: Some(money(tax)),
        total_discount: Some(money(discount)),
        total_shipping: Some(money(shipping)),
        international_duty_paid_by: (pl.ship_to.country.as_deref() != Some("US"))
            .then(|| if chance(r, 70) { "sender" } else { "recipient" }.to_owned()),
        ship_to_address: pl.ship_to,
        line_items,
        tags,
        required_ship_date: required,
        saturday_delivery: Some(m.level == "overnight" && chance(r, 20)),
        signature_required: Some(subtotal > 30_000 || chance(r, 5)),
        shipments,
        external_system_url: Some(format!("{UI_BASE}/orders/{}", order_id(i))),
        additional_fields: fields([
            ("priority", json!(["standard", "standard", "standard", "expedited", "rush"][r.gen_range(0..5)])),
            ("source", json!(CHANNELS[pl.customer].1)),
        ]),
    }
}

/// Record `i` of `get_order_packs`: the packs of order `i` (empty until it is packed).
pub fn packs(spec: &SandboxSpec, i: u64) -> OrderPack {
    let pl = plan(spec, i);
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
                    .map(|l| PackLineItem { inventory_item_id: l.inventory_item_id, sku: l.sku, quantity: l.quantity })
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
