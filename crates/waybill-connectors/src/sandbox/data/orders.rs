//! WMS orders and their packs. An order's status decides how far it got: lines are picked
//! from `picked` on, packs exist from `packed` on, and `partially_fulfilled` / `fulfilled`
//! orders carry one shipped shipment (all lines but the last, or all lines) whose packages
//! have tracking numbers. Open, confirmed, processing, picked, packed, exception, cancelled,
//! backordered and other orders have no shipments.

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::json;
use waybill_model::records::{ChannelObject, Order, OrderLineItem, OrderShipment, ShipToAddress};
use waybill_model::resource::{ORDER_STATUSES, ORDER_TYPES};

use super::catalog::{self, core, Core};
use super::names::{CARRIERS, COMPANIES, METHODS, METHOD_WEIGHTS, ORDER_TAGS};
use super::packing::{expand, packages, shipped_lines};
use super::people::{fields, Person, UI_BASE};
use super::rng::{chance, hash, money, pick, rng, stratified, weighted};
use super::spec::{between, ts, SandboxSpec, DAY};
use super::wms_ref::{
    self, channel_id, customer_id, method_id, warehouse_id, CHANNELS, CUSTOMERS, WAREHOUSES,
};
use super::Func;

/// Share of each of `ORDER_STATUSES` per hundred orders.
const STATUS_WEIGHTS: [u32; 11] = [4, 3, 4, 3, 3, 4, 64, 3, 6, 4, 2];
/// The source's status text for each of `ORDER_STATUSES`.
const RAW_STATUSES: [&str; 11] = [
    "new",
    "confirmed",
    "allocated",
    "picked",
    "packed",
    "partially_shipped",
    "shipped",
    "address_verification_failed",
    "canceled",
    "backorder",
    "on_hold_fraud_review",
];
/// Index of `picked` in `ORDER_STATUSES`.
const PICKED: usize = 3;
/// Index of `packed` in `ORDER_STATUSES`.
pub const PACKED: usize = 4;
/// Index of `partially_fulfilled` in `ORDER_STATUSES`.
pub const PARTIAL: usize = 5;
/// Index of `fulfilled` in `ORDER_STATUSES`.
pub const FULFILLED: usize = 6;

/// Id of order `i`.
pub fn order_id(i: u64) -> String {
    format!("ord_{:09}", i + 1)
}

/// The index of an order from its id (0 for a malformed id).
pub fn order_index(id: &str) -> u64 {
    id.strip_prefix("ord_")
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(1)
        .saturating_sub(1)
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

/// An order line: the product, its core attributes, units and line discount in cents.
pub struct Line {
    /// Product index.
    pub product: u64,
    /// The product's name, SKU and price.
    pub core: Core,
    /// Units ordered.
    pub qty: i64,
    /// Discount on the line in cents.
    pub discount: i64,
}

/// Everything orders and packs share, drawn in a fixed order from the order's seed.
pub struct Plan {
    /// Order index.
    pub i: u64,
    /// Index into `ORDER_STATUSES`.
    pub status: usize,
    /// `created_date` in unix seconds.
    pub created: i64,
    /// `updated_date` in unix seconds.
    pub updated: i64,
    /// Merchant (and channel) index.
    pub customer: usize,
    /// Fulfilling warehouse index.
    pub warehouse: usize,
    /// Shipping method index.
    pub method: usize,
    /// Index into `ORDER_TYPES`.
    pub kind: usize,
    /// Destination.
    pub ship_to: ShipToAddress,
    /// Sales tax in basis points.
    pub tax_bp: u32,
    /// Product lines.
    pub lines: Vec<Line>,
    /// The order's generator, positioned after the shared draws.
    pub rng: SmallRng,
}

/// The shared draws of order `i`.
pub fn plan(spec: &SandboxSpec, i: u64) -> Plan {
    let (created, updated) = Func::WmsOrders.stamp(spec, i);
    let mut r = rng(spec.seed, Func::WmsOrders.salt(), i);
    let status = status_index(spec, i);
    let customer = r.gen_range(0..CUSTOMERS.len());
    let warehouse = r.gen_range(0..WAREHOUSES.len());
    let mut method = weighted(&mut r, METHOD_WEIGHTS);
    let kind = if customer == 2 && chance(&mut r, 80) {
        1
    } else {
        weighted(&mut r, &[72, 14, 9, 5])
    };
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
        let qty = if kind == 0 || kind == 2 {
            weighted(&mut r, &[70, 20, 7, 3]) as i64 + 1
        } else {
            r.gen_range(1..=8) * 6
        };
        let discount = if chance(&mut r, 15) {
            core.price * qty / 10
        } else {
            0
        };
        lines.push(Line {
            product,
            core,
            qty,
            discount,
        });
    }
    Plan {
        i,
        status,
        created,
        updated,
        customer,
        warehouse,
        method,
        kind,
        ship_to,
        tax_bp,
        lines,
        rng: r,
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
    let shipping = if pl.kind == 3 || (subtotal >= 7_500 && m.level == "ground") {
        0
    } else {
        m.cost + 100
    };
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
    let tags = (0..weighted(r, &[60, 30, 10]))
        .map(|_| pick(r, ORDER_TAGS).to_string())
        .collect::<Vec<_>>();
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
                line_items: items.into_iter().map(|(item, _)| item).collect(),
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
        third_party_freight_account_number: third_party
            .then(|| format!("{:09}", hash(spec.seed, 0x3bf, i) % 1_000_000_000)),
        first_party_freight_account_number: b2b.then(|| {
            format!(
                "{:06}",
                hash(spec.seed, 0x1bf, pl.customer as u64) % 1_000_000
            )
        }),
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
            (
                "priority",
                json!(["standard", "standard", "standard", "expedited", "rush"][r.gen_range(0..5)]),
            ),
            ("source", json!(CHANNELS[pl.customer].1)),
        ]),
    }
}
