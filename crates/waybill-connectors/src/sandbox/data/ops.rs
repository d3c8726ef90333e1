//! Warehouse operations: the inventory ledger, 3PL bills and labor activities. Each entry
//! that names an order, inbound shipment or return names one updated before the entry and
//! takes its item, quantity, merchant and warehouse from that record.

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::json;
use waybill_model::records::{Bill, InventoryLedgerEntry, LaborActivity};
use waybill_model::resource::{LABOR_ACTIVITY_TYPES, LEDGER_EVENT_TYPES};

use super::catalog::{self, core};
use super::inbound;
use super::names::{FIRST_NAMES, LAST_NAMES};
use super::orders;
use super::people::fields;
use super::rng::{chance, money, pick, rng, weighted};
use super::spec::{ts, SandboxSpec};
use super::wms_ref::{
    self, customer_id, warehouse_id, CUSTOMERS, LOCATIONS_PER_WAREHOUSE, WAREHOUSES,
};
use super::Func;

/// Relative frequency of each of `LEDGER_EVENT_TYPES`.
const EVENT_WEIGHTS: [u32; 7] = [14, 8, 15, 45, 3, 11, 4];
/// The WMS's event text for each of `LEDGER_EVENT_TYPES`.
const RAW_EVENTS: [&str; 7] = [
    "CYCLE_COUNT_ADJ",
    "RMA_RECEIPT",
    "PO_RECEIPT",
    "SHIPMENT",
    "VENDOR_RETURN",
    "BIN_MOVE",
    "MISC",
];
/// Reasons given for manual adjustments.
const ADJUST_REASONS: &[&str] = &[
    "Cycle count correction",
    "Damaged in warehouse",
    "Found stock",
    "Expired lot written off",
];

/// Charge types of bills and their relative frequency.
const CHARGES: &[(&str, u32)] = &[
    ("shipping", 35),
    ("pick", 20),
    ("pack", 14),
    ("storage", 10),
    ("receiving", 10),
    ("returns_processing", 6),
    ("kitting", 5),
];

/// Warehouse associates; associate `u` works in warehouse `u % 3`.
const USERS: u64 = 12;

/// What an entry refers to: record kind and id, merchant, warehouse, and the items involved
/// as `(inventory id, sku, quantity)`.
struct Source {
    /// `order`, `inbound_shipment` or `return`.
    kind: &'static str,
    /// The record's id.
    id: String,
    /// The record's merchant.
    customer: Option<String>,
    /// Where it was handled.
    warehouse: String,
    /// Inventory (or, for picked orders, product) lines with quantities.
    items: Vec<(String, Option<String>, i64)>,
}

/// A fulfilled order before `t` and what it shipped.
fn shipped_order(spec: &SandboxSpec, t: i64, r: &mut SmallRng) -> Option<Source> {
    let o = orders::order(spec, orders::fulfilled_before(spec, t, r.gen())?);
    let sh = o.shipments.into_iter().next()?;
    let items = sh
        .line_items
        .into_iter()
        .map(|l| (l.inventory_item_id, l.sku, l.quantity))
        .collect();
    Some(Source {
        kind: "order",
        id: o.id,
        customer: o.warehouse_customer_id,
        warehouse: sh.warehouse_id,
        items,
    })
}

/// A picked (or further) order before `t` and its lines.
fn picked_order(spec: &SandboxSpec, t: i64, r: &mut SmallRng) -> Option<Source> {
    let i = Func::WmsOrders.find_before(spec, t, r.gen(), 40, |i| orders::is_picked(spec, i))?;
    let o = orders::order(spec, i);
    let items = o
        .line_items
        .into_iter()
        .map(|l| (l.product_id, l.sku, l.quantity))
        .collect();
    let warehouse = o.warehouse_id.unwrap_or_else(|| warehouse_id(0));
    Some(Source {
        kind: "order",
        id: o.id,
        customer: o.warehouse_customer_id,
        warehouse,
        items,
    })
}

/// An inbound shipment with receipts before `t` and what it received.
fn received_inbound(spec: &SandboxSpec, t: i64, r: &mut SmallRng) -> Option<Source> {
    let k = Func::WmsInbound.find_before(spec, t, r.gen(), 10, |k| {
        inbound::has_receipts(inbound::inbound_status(spec, k))
    })?;
    let s = inbound::inbound_shipment(spec, k);
    let items = s
        .line_items
        .into_iter()
        .filter(|l| l.received_quantity > 0)
        .map(|l| (l.inventory_item_id, l.sku, l.received_quantity))
        .collect();
    let warehouse = s.warehouse_id.unwrap_or_else(|| warehouse_id(0));
    Some(Source {
        kind: "inbound_shipment",
        id: s.id,
        customer: s.warehouse_customer_id,
        warehouse,
        items,
    })
}

/// A return with receipts before `t` and what it received.
fn received_return(spec: &SandboxSpec, t: i64, r: &mut SmallRng) -> Option<Source> {
    let k = Func::WmsReturns.find_before(spec, t, r.gen(), 10, |k| {
        inbound::has_receipts(inbound::return_status(spec, k))
    })?;
    let s = inbound::return_record(spec, k);
    let warehouse = s
        .shipments
        .first()
        .and_then(|x| x.warehouse_id.clone())
        .unwrap_or_else(|| warehouse_id(0));
    let items = s
        .line_items
        .into_iter()
        .filter(|l| l.received_quantity > 0)
        .map(|l| (l.inventory_item_id, l.sku, l.received_quantity))
        .collect();
    Some(Source {
        kind: "return",
        id: s.id,
        customer: s.warehouse_customer_id,
        warehouse,
        items,
    })
}

/// A random inventory item: its index, id and sku.
fn random_item(spec: &SandboxSpec, r: &mut SmallRng) -> (u64, String, String) {
    let j = r.gen_range(0..catalog::inventory_count(spec));
    (
        j,
        catalog::inventory_id(j),
        core(spec, catalog::product_of_inventory(j)).sku,
    )
}

/// A random location of a warehouse given by id.
fn random_location(r: &mut SmallRng, warehouse: &str) -> String {
    let w = warehouse
        .strip_prefix("wh_")
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(1)
        - 1;
    wms_ref::location_id(w * LOCATIONS_PER_WAREHOUSE + r.gen_range(0..LOCATIONS_PER_WAREHOUSE))
}

/// Record `e` of `get_inventory_ledger`. Shipments are negative, receipts positive; an
/// event that finds no earlier source record becomes an adjustment.
pub fn ledger_entry(spec: &SandboxSpec, e: u64) -> InventoryLedgerEntry {
    let (created, updated) = Func::WmsLedger.stamp(spec, e);
    let mut r = rng(spec.seed, Func::WmsLedger.salt(), e);
    let mut event = weighted(&mut r, &EVENT_WEIGHTS);
    let source = match event {
        3 => shipped_order(spec, created, &mut r),
        2 => received_inbound(spec, created, &mut r),
        1 => received_return(spec, created, &mut r),
        _ => None,
    }
    .filter(|s| !s.items.is_empty());
    if source.is_none() && (1..=3).contains(&event) {
        event = 0;
    }
    let (item, sku, quantity, warehouse, object, reason) = match source {
        Some(s) => {
            let (item, sku, q) = s.items[r.gen_range(0..s.items.len())].clone();
            let sign = if event == 3 { -1 } else { 1 };
            (
                item,
                sku.unwrap_or_default(),
                sign * q,
                s.warehouse,
                Some((s.id, s.kind)),
                None,
            )
        }
        None => {
            let (_, item, sku) = random_item(spec, &mut r);
            let (q, reason) = match event {
                4 => (-r.gen_range(1..=24), "Returned to vendor: defective batch"),
                5 => (
                    if chance(&mut r, 50) { 1 } else { -1 } * r.gen_range(1..=24),
                    "Replenishment to pick face",
                ),
                6 => (-r.gen_range(1..=3), "Sample pulled for photography"),
                _ => (
                    if chance(&mut r, 45) { 1 } else { -1 } * r.gen_range(1..=10),
                    *pick(&mut r, ADJUST_REASONS),
                ),
            };
            (
                item,
                sku,
                q,
                warehouse_id(r.gen_range(0..WAREHOUSES.len())),
                None,
                Some(reason.to_owned()),
            )
        }
    };
    InventoryLedgerEntry {
        id: format!("led_{:09}", e + 1),
        created_date: ts(created),
        updated_date: ts(updated),
        entry_date: ts(created),
        inventory_item_id: item,
        sku,
        quantity,
        raw_event_type: Some(RAW_EVENTS[event].to_owned()),
        event_type: LEDGER_EVENT_TYPES[event].to_owned(),
        reason,
        object_type: object.as_ref().map(|o| o.1.to_owned()),
        object_id: object.map(|o| o.0),
        location_id: Some(random_location(&mut r, &warehouse)),
        warehouse_id: Some(warehouse),
        additional_fields: fields([(
            "user",
            json!(format!("usr_{:04}", 1001 + r.gen_range(0..USERS))),
        )]),
    }
}

/// Record `b` of `get_bills`; amounts follow from the billed record where there is one.
pub fn bill(spec: &SandboxSpec, b: u64) -> Bill {
    let (created, updated) = Func::WmsBills.stamp(spec, b);
    let mut r = rng(spec.seed, Func::WmsBills.salt(), b);
    let weights: Vec<u32> = CHARGES.iter().map(|c| c.1).collect();
    let mut charge = weighted(&mut r, &weights);
    let source = match CHARGES[charge].0 {
        "shipping" | "pick" | "pack" | "kitting" => shipped_order(spec, created, &mut r),
        "receiving" => received_inbound(spec, created, &mut r),
        "returns_processing" => received_return(spec, created, &mut r),
        _ => None,
    };
    if source.is_none() {
        charge = 3;
    }
    let units: i64 = source
        .as_ref()
        .map_or(0, |s| s.items.iter().map(|i| i.2).sum());
    let cents = match CHARGES[charge].0 {
        "shipping" => 650 + units * 95 + r.gen_range(0..900),
        "pick" => 275 + units * 35,
        "pack" => 125 + units * 25,
        "kitting" => 150 * units.max(1),
        "receiving" => 2_500 + units * 8,
        "returns_processing" => 350 + units * 50,
        _ => 1_800 * r.gen_range(5..=120),
    };
    let customer = match &source {
        Some(s) => s.customer.clone(),
        None => Some(customer_id(r.gen_range(0..CUSTOMERS.len()))),
    };
    Bill {
        id: format!("bill_{:08}", b + 1),
        warehouse_customer_id: customer,
        created_date: ts(created),
        updated_date: ts(updated),
        object_type: source.as_ref().map(|s| s.kind.to_owned()),
        object_id: source.map(|s| s.id),
        charge_type: CHARGES[charge].0.to_owned(),
        amount: money(cents),
        currency_code: "USD".into(),
        additional_fields: fields([("billing_period", json!(ts(created)[..7].to_owned()))]),
    }
}

/// Record `l` of `get_labor_activities`. The newest few may still be in progress (no end
/// time); finished ones end at their `updated_date`, and `created_date` is the start.
pub fn labor_activity(spec: &SandboxSpec, l: u64) -> LaborActivity {
    let n = Func::WmsLabor.count(spec);
    let updated = Func::WmsLabor.updated(spec, l);
    let mut r = rng(spec.seed, Func::WmsLabor.salt(), l);
    let mut kind = weighted(&mut r, &[40, 25, 12, 8, 15]);
    let minutes = [(2, 25), (1, 10), (5, 40), (5, 30), (15, 120)][kind];
    let in_progress = l + (n / 200).max(1) >= n && chance(&mut r, 50);
    let start = if in_progress {
        updated
    } else {
        updated - r.gen_range(minutes.0..=minutes.1) * 60
    };
    let source = match LABOR_ACTIVITY_TYPES[kind] {
        "pick" | "pack" => picked_order(spec, start, &mut r),
        "receive" if chance(&mut r, 25) => received_return(spec, start, &mut r),
        "receive" | "put_away" => received_inbound(spec, start, &mut r),
        _ => None,
    };
    if source.is_none() {
        kind = 3;
    }
    let (object, warehouse, quantity) = match source {
        Some(s) => {
            let w = s
                .warehouse
                .strip_prefix("wh_")
                .and_then(|x| x.parse::<u64>().ok())
                .unwrap_or(1)
                - 1;
            (Some((s.kind, s.id)), w, s.items.iter().map(|i| i.2).sum())
        }
        None => {
            let (_, item, _) = random_item(spec, &mut r);
            (
                Some(("inventory", item)),
                r.gen_range(0..WAREHOUSES.len() as u64),
                r.gen_range(1..=48),
            )
        }
    };
    let user = warehouse + 3 * r.gen_range(0..USERS / 3);
    LaborActivity {
        id: format!("la_{:08}", l + 1),
        created_date: ts(start),
        updated_date: ts(updated),
        user_id: format!("usr_{:04}", 1001 + user),
        user_first_name: Some(FIRST_NAMES[(user as usize * 7 + 3) % FIRST_NAMES.len()].to_owned()),
        user_last_name: Some(LAST_NAMES[(user as usize * 11 + 5) % LAST_NAMES.len()].to_owned()),
        warehouse_id: warehouse_id(warehouse as usize),
        activity_type: LABOR_ACTIVITY_TYPES[kind].to_owned(),
        activity_start_time: ts(start),
        activity_end_time: (!in_progress).then(|| ts(updated)),
        associated_object_type: object.as_ref().map(|o| o.0.to_owned()),
        associated_object_id: object.map(|o| o.1),
        quantity: Some(quantity),
        additional_fields: fields([("device", json!(format!("RF-{:02}", r.gen_range(1..=30))))]),
    }
}
