//! Inbound shipments (ASNs) and returns. Both cycle through every status of
//! `INBOUND_STATUSES` in each aligned block of ten. Received quantities always equal the
//! sum of the receipts; returns refer to a fulfilled order updated at least a day before
//! the return was created and return part of what that order shipped.

use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    InboundReceipt, InboundReceiptLineItem, InboundShipment, InboundShipmentLineItem, Measurements,
    ReceivingDetail, Return, ReturnLineItem, ReturnShipment, ReturnShipmentLineItem,
    SupplierObject,
};
use waybill_model::resource::INBOUND_STATUSES;

use super::catalog::{self, core};
use super::names::{CARRIERS, RETURN_REASONS};
use super::orders;
use super::people::{fields, tracking_number, UI_BASE};
use super::rng::{chance, money, pick, rng, scramble, stratified};
use super::spec::{between, ts, SandboxSpec, DAY};
use super::wms_ref::{
    self, customer_id, supplier_id, warehouse_id, CUSTOMERS, SUPPLIERS, WAREHOUSES,
};
use super::Func;

/// Share of each of `INBOUND_STATUSES` per ten records.
const STATUS_WEIGHTS: [u32; 6] = [1, 2, 1, 4, 1, 1];
/// Index of `receiving` in `INBOUND_STATUSES`.
const RECEIVING: usize = 2;
/// Index of `received`.
const RECEIVED: usize = 3;
/// Index of `cancelled`.
const CANCELLED: usize = 4;
/// The WMS's status text of inbound shipments.
const RAW_INBOUND: [&str; 6] = [
    "awaiting_shipment",
    "in_transit",
    "arrived",
    "completed",
    "cancelled",
    "on_hold",
];
/// The WMS's status text of returns.
const RAW_RETURN: [&str; 6] = [
    "authorized",
    "in_transit",
    "arrived",
    "processed",
    "cancelled",
    "pending_review",
];

/// Id of inbound shipment `k`.
pub fn inbound_id(k: u64) -> String {
    format!("asn_{:07}", k + 1)
}

/// Id of return `k`.
pub fn return_id(k: u64) -> String {
    format!("rma_{:07}", k + 1)
}

/// Index into `INBOUND_STATUSES` of inbound shipment `k`.
pub fn inbound_status(spec: &SandboxSpec, k: u64) -> usize {
    stratified(spec.seed, Func::WmsInbound.salt(), k, &STATUS_WEIGHTS)
}

/// Index into `INBOUND_STATUSES` of return `k`.
pub fn return_status(spec: &SandboxSpec, k: u64) -> usize {
    stratified(spec.seed, Func::WmsReturns.salt(), k, &STATUS_WEIGHTS)
}

/// Whether a record in status `s` has received anything.
pub fn has_receipts(s: usize) -> bool {
    s == RECEIVING || s == RECEIVED
}

/// Record `k` of `get_inbound_shipments`.
pub fn inbound_shipment(spec: &SandboxSpec, k: u64) -> InboundShipment {
    let (created, updated) = Func::WmsInbound.stamp(spec, k);
    let mut r = rng(spec.seed, Func::WmsInbound.salt(), k);
    let status = inbound_status(spec, k);
    let c = r.gen_range(0..CUSTOMERS.len());
    let suppliers: Vec<usize> = wms_ref::suppliers_of(c).collect();
    let s = *pick(&mut r, &suppliers);
    let w = r.gen_range(0..WAREHOUSES.len());
    let n = r.gen_range(1..=6);
    let mut products: Vec<u64> = Vec::with_capacity(n);
    for _ in 0..n * 4 {
        let p = catalog::product_for(spec, &mut r, c, false);
        if !products.contains(&p) {
            products.push(p);
        }
        if products.len() == n {
            break;
        }
    }
    let mut line_items: Vec<InboundShipmentLineItem> = Vec::with_capacity(products.len());
    for (x, p) in products.iter().enumerate() {
        let k2 = core(spec, *p);
        let expected = r.gen_range(2..=50) * 12;
        let received = match status {
            RECEIVED if chance(&mut r, 85) => expected,
            RECEIVED => expected - r.gen_range(1..=12),
            RECEIVING if x % 2 == 0 => r.gen_range(1..expected),
            _ => 0,
        };
        line_items.push(InboundShipmentLineItem {
            inventory_item_id: catalog::inventory_id(catalog::inventory_of_product(*p)),
            sku: Some(k2.sku),
            expected_quantity: expected,
            received_quantity: received,
            unit_cost: Some(money(k2.cost)),
            external_id: Some(format!("POL-{}-{}", 100_000 + k, x + 1)),
        });
    }
    // Receipts: one for a shipment being received, one or two for a received one; the last
    // arrives at `updated`, and each line's receipts add up to its received quantity.
    let n_receipts = match status {
        RECEIVED if chance(&mut r, 40) => 2,
        RECEIVED | RECEIVING => 1,
        _ => 0,
    };
    let first_at = between(&mut r, created, updated);
    let receipts = (0..n_receipts)
        .map(|x| InboundReceipt {
            id: format!("rcpt_{:07}-{}", k + 1, x + 1),
            arrived_date: ts(if x + 1 == n_receipts {
                updated
            } else {
                first_at
            }),
            line_items: line_items
                .iter()
                .map(|l| InboundReceiptLineItem {
                    inventory_item_id: l.inventory_item_id.clone(),
                    sku: l.sku.clone(),
                    quantity: match (n_receipts, x) {
                        (1, _) => l.received_quantity,
                        (_, 0) => l.received_quantity / 2,
                        _ => l.received_quantity - l.received_quantity / 2,
                    },
                })
                .filter(|l| l.quantity > 0)
                .collect(),
        })
        .collect();
    let tracked = (1..=3).contains(&status);
    let tracking_numbers = if tracked {
        (0..r.gen_range(1..=2))
            .map(|x| format!("PRO{:09}", scramble(k * 2 + x, 1_000_000_000, spec.seed)))
            .collect()
    } else {
        vec![]
    };
    let pallets = r.gen_range(1..=8);
    InboundShipment {
        id: inbound_id(k),
        warehouse_customer_id: Some(customer_id(c)),
        created_date: ts(created),
        updated_date: ts(updated),
        purchase_order_number: Some(format!("PO-{:06}", 100_000 + k)),
        status: INBOUND_STATUSES[status].to_owned(),
        raw_status: Some(RAW_INBOUND[status].to_owned()),
        supplier: Some(SUPPLIERS[s].0.to_owned()),
        supplier_object: Some(SupplierObject {
            supplier_id: supplier_id(s),
            supplier_name: Some(SUPPLIERS[s].0.to_owned()),
        }),
        expected_arrival_date: Some(ts(created + r.gen_range(4..=21) * DAY)),
        warehouse_id: Some(warehouse_id(w)),
        line_items,
        receipts,
        ship_from_address: wms_ref::supplier_address(s),
        tracking_numbers,
        notes: if chance(&mut r, 30) {
            vec![format!("{pallets} pallets, floor-loaded cartons on top")]
        } else {
            vec![]
        },
        external_system_url: Some(format!("{UI_BASE}/inbound-shipments/{}", inbound_id(k))),
        additional_fields: fields([("pallet_count", json!(pallets))]),
    }
}

/// Record `k` of `get_returns`.
pub fn return_record(spec: &SandboxSpec, k: u64) -> Return {
    let (created, updated) = Func::WmsReturns.stamp(spec, k);
    let mut r = rng(spec.seed, Func::WmsReturns.salt(), k);
    let status = return_status(spec, k);
    // The order shipped at least two hours before the return's last update, and the return
    // was opened after it (an hour at the least); without such an order the return stands
    // alone.
    let order =
        orders::fulfilled_before(spec, updated - 2 * 3600, r.gen()).map(|o| orders::order(spec, o));
    let created = match &order {
        Some(o) => created
            .max(Func::WmsOrders.updated(spec, orders::order_index(&o.id)) + 3600)
            .min(updated),
        None => created,
    };
    // What comes back: part of what the order shipped, or one unit of a random item when the
    // sandbox has no orders.
    let (customer, warehouse, carrier, picks) = match &order {
        Some(o) => {
            let sh = &o.shipments[0];
            let take = r.gen_range(1..=sh.line_items.len());
            let picks: Vec<(String, Option<String>, i64)> = sh.line_items[..take]
                .iter()
                .map(|l| {
                    (
                        l.inventory_item_id.clone(),
                        l.sku.clone(),
                        r.gen_range(1..=l.quantity),
                    )
                })
                .collect();
            let carrier = CARRIERS
                .iter()
                .position(|c| Some(c.id) == o.carrier_id.as_deref())
                .unwrap_or(0);
            (
                o.warehouse_customer_id.clone(),
                sh.warehouse_id.clone(),
                carrier,
                picks,
            )
        }
        None => {
            let c = r.gen_range(0..CUSTOMERS.len());
            let p = catalog::product_for(spec, &mut r, c, false);
            let j = catalog::inventory_of_product(p);
            let line = (catalog::inventory_id(j), Some(core(spec, p).sku), 1);
            (
                Some(customer_id(c)),
                warehouse_id(r.gen_range(0..WAREHOUSES.len())),
                2,
                vec![line],
            )
        }
    };
    let shipped_at =
        (status != 0 && status != CANCELLED).then(|| between(&mut r, created, updated - 3600));
    let arrived_at =
        (has_receipts(status)).then(|| between(&mut r, shipped_at.unwrap_or(created), updated));
    let mut line_items = Vec::with_capacity(picks.len());
    let mut parcel_lines = Vec::with_capacity(picks.len());
    for (x, (inv, sku, q)) in picks.into_iter().enumerate() {
        let received = if status == RECEIVED || (status == RECEIVING && x == 0) {
            q
        } else {
            0
        };
        let damaged = if received > 0 && chance(&mut r, 20) {
            1
        } else {
            0
        };
        line_items.push(ReturnLineItem {
            inventory_item_id: inv.clone(),
            sku: sku.clone(),
            expected_quantity: q,
            received_quantity: received,
            restocked_quantity: has_receipts(status).then_some(received - damaged),
            return_reason: Some(pick(&mut r, RETURN_REASONS).to_string()),
            quantity: q,
            warehouse_id: Some(warehouse.clone()),
            returned_date: (received > 0).then(|| ts(arrived_at.unwrap_or(updated))),
        });
        let details = [
            (received - damaged, "new", "restocked"),
            (damaged, "damaged", "scrapped"),
        ]
        .into_iter()
        .filter(|d| d.0 > 0)
        .map(|(quantity, condition, disposition)| ReceivingDetail {
            quantity,
            condition: Some(condition.into()),
            disposition: Some(disposition.into()),
        })
        .collect();
        parcel_lines.push(ReturnShipmentLineItem {
            inventory_item_id: inv,
            sku,
            quantity: q,
            receiving_details: details,
        });
    }
    let c = &CARRIERS[carrier];
    let shipments = if status == CANCELLED {
        vec![]
    } else {
        vec![ReturnShipment {
            tracking_number: Some(tracking_number(carrier, k, spec.seed, true)),
            shipped_date: shipped_at.map(ts),
            arrived_date: arrived_at.map(ts),
            warehouse_id: Some(warehouse.clone()),
            carrier: Some(c.name.to_owned()),
            carrier_id: Some(c.id.to_owned()),
            carrier_name: Some(c.name.to_owned()),
            scac: Some(c.scac.to_owned()),
            shipping_cost: Some(money(r.gen_range(695..=1495))),
            measurements: Measurements {
                length: Some(12.0),
                width: Some(9.0),
                height: Some(4.0),
                unit: Some("in".into()),
                weight: Some(r.gen_range(5..=60) as f64 / 10.0),
                weight_unit: Some("lb".into()),
            },
            line_items: parcel_lines,
        }]
    };
    Return {
        id: return_id(k),
        warehouse_customer_id: customer,
        created_date: ts(created),
        updated_date: ts(updated),
        status: INBOUND_STATUSES[status].to_owned(),
        raw_status: Some(RAW_RETURN[status].to_owned()),
        order_id: order.as_ref().map(|o| o.id.clone()),
        notes: if chance(&mut r, 20) {
            vec!["Customer requested a refund to the original payment method".into()]
        } else {
            vec![]
        },
        line_items,
        shipments,
        external_system_url: Some(format!("{UI_BASE}/returns/{}", return_id(k))),
        additional_fields: fields([("rma_number", json!(format!("RMA-{}", 50_000 + k)))]),
    }
}
