//! Consistency of the generated data across records: inventory arithmetic, references to
//! existing records, receipts, carrier charges and order life cycles.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use waybill_model::records::{self, InventoryItem, Order};
use waybill_model::IntegrationType::{Carrier, Cart, Wms};

use super::tests::{all, secs, spec, ANCHOR};
use super::*;

#[test]
fn inventory_quantities_add_up() {
    let s = spec(1000);
    let locations: HashMap<String, String> = all(&s, Wms, "get_warehouse_locations")
        .into_iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_owned(),
                l["warehouse_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let skus: HashMap<String, String> = all(&s, Wms, "get_products")
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().unwrap().to_owned(),
                p["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for doc in all(&s, Wms, "get_inventory") {
        let it: InventoryItem = serde_json::from_value(doc).unwrap();
        assert_eq!(
            it.onhand,
            it.committed + it.unfulfillable + it.fulfillable,
            "{}",
            it.id
        );
        assert!(skus.contains_key(it.sku.as_deref().unwrap()), "{}", it.id);
        let w = &it.inventory_by_warehouse_id;
        assert!(!w.is_empty());
        assert_eq!(it.onhand, w.values().map(|x| x.onhand).sum::<i64>());
        assert_eq!(
            it.committed,
            w.values().map(|x| x.committed.unwrap()).sum::<i64>()
        );
        assert_eq!(
            it.fulfillable,
            w.values().map(|x| x.fulfillable.unwrap()).sum::<i64>()
        );
        assert_eq!(
            it.unfulfillable,
            w.values().map(|x| x.unfulfillable.unwrap()).sum::<i64>()
        );
        assert_eq!(
            it.awaiting,
            w.values().map(|x| x.awaiting.unwrap()).sum::<i64>()
        );
        assert_eq!(
            it.sellable,
            w.values().map(|x| x.sellable.unwrap()).sum::<i64>()
        );
        for (wid, q) in w {
            assert_eq!(
                q.onhand,
                q.committed.unwrap() + q.unfulfillable.unwrap() + q.fulfillable.unwrap()
            );
            let at: i64 = it
                .locations
                .iter()
                .filter(|l| &l.warehouse_id == wid)
                .map(|l| l.quantity)
                .sum();
            assert_eq!(at, q.onhand, "{} locations in {wid}", it.id);
            let lots: i64 = it
                .lots
                .iter()
                .filter(|l| l.warehouse_id.as_ref() == Some(wid))
                .map(|l| l.onhand)
                .sum();
            assert!(lots <= q.onhand);
        }
        for l in &it.locations {
            assert_eq!(
                locations.get(&l.location_id),
                Some(&l.warehouse_id),
                "{}",
                it.id
            );
        }
    }
}

#[test]
fn references_point_at_existing_records() {
    let s = spec(1000);
    let ids = |v, f| {
        all(&s, v, f)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect::<HashSet<_>>()
    };
    let products: HashMap<String, Value> = all(&s, Wms, "get_products")
        .into_iter()
        .map(|p| (p["id"].as_str().unwrap().to_owned(), p))
        .collect();
    let inventory: HashMap<String, String> = all(&s, Wms, "get_inventory")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["sku"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let (warehouses, customers, orders) = (
        ids(Wms, "get_warehouses"),
        ids(Wms, "get_warehouse_customers"),
        ids(Wms, "get_orders"),
    );
    let kits = products.values().filter(|p| p["is_kit"] == true).count();
    assert!(kits * 10 >= products.len() - 10 && kits * 10 <= products.len() + 10);
    for p in products.values() {
        for it in p["inventory_items"].as_array().unwrap() {
            assert_eq!(
                inventory
                    .get(it["inventory_item_id"].as_str().unwrap())
                    .map(String::as_str),
                it["sku"].as_str()
            );
        }
    }
    for o in all(&s, Wms, "get_orders") {
        assert!(warehouses.contains(o["warehouse_id"].as_str().unwrap()));
        assert!(customers.contains(o["warehouse_customer_id"].as_str().unwrap()));
        for l in o["line_items"].as_array().unwrap() {
            let p = &products[l["product_id"].as_str().unwrap()];
            assert_eq!(p["sku"], l["sku"]);
            assert_eq!(p["warehouse_customer_id"], o["warehouse_customer_id"]);
        }
        for sh in o["shipments"].as_array().unwrap() {
            for l in sh["line_items"].as_array().unwrap() {
                assert_eq!(
                    inventory
                        .get(l["inventory_item_id"].as_str().unwrap())
                        .map(String::as_str),
                    l["sku"].as_str()
                );
            }
        }
    }
    for r in all(&s, Wms, "get_returns") {
        assert!(r["order_id"].is_null() || orders.contains(r["order_id"].as_str().unwrap()));
    }
    for e in all(&s, Wms, "get_inventory_ledger") {
        assert_eq!(
            inventory
                .get(e["inventory_item_id"].as_str().unwrap())
                .map(String::as_str),
            e["sku"].as_str()
        );
        let q = e["quantity"].as_i64().unwrap();
        match e["event_type"].as_str().unwrap() {
            "order_shipment" => {
                let o = orders::order_index(e["object_id"].as_str().unwrap());
                assert!(q < 0 && orders.contains(e["object_id"].as_str().unwrap()));
                assert!(
                    updated_at(&s, Wms, "get_orders", o) < secs(&e["entry_date"]),
                    "ledger refers forward"
                );
            }
            "inbound_receipt" => assert!(q > 0 && e["object_type"] == "inbound_shipment"),
            "supplier_return" => assert!(q < 0),
            _ => {}
        }
    }
    let cart_products: HashMap<String, Value> = all(&s, Cart, "get_products")
        .into_iter()
        .map(|p| (p["id"].as_str().unwrap().to_owned(), p))
        .collect();
    for p in cart_products.values() {
        let parent = &cart_products[p["parent_product_id"].as_str().unwrap()];
        assert_eq!(parent["parent_product_id"], parent["id"]);
    }
    for o in all(&s, Cart, "get_orders") {
        for l in o["line_items"].as_array().unwrap() {
            let p = &cart_products[l["product_id"].as_str().unwrap()];
            assert_eq!(
                (&p["sku"], &p["parent_product_id"]),
                (&l["product_sku"], &l["parent_product_id"])
            );
            assert_ne!(p["parent_product_id"], p["id"], "orders name variants");
        }
    }
}

#[test]
fn inbound_receipts_and_returns_are_consistent() {
    let s = spec(2000);
    for doc in all(&s, Wms, "get_inbound_shipments") {
        for l in doc["line_items"].as_array().unwrap() {
            let got: i64 = doc["receipts"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| r["line_items"].as_array().unwrap())
                .filter(|x| x["inventory_item_id"] == l["inventory_item_id"])
                .map(|x| x["quantity"].as_i64().unwrap())
                .sum();
            assert_eq!(got, l["received_quantity"].as_i64().unwrap());
            assert!(got <= l["expected_quantity"].as_i64().unwrap());
        }
    }
    let returns = all(&s, Wms, "get_returns");
    assert!(
        returns.iter().filter(|r| r["order_id"].is_null()).count() <= 1,
        "returns without an order"
    );
    for doc in returns.iter().filter(|r| !r["order_id"].is_null()) {
        let order = record(
            &s,
            Wms,
            "get_orders",
            orders::order_index(doc["order_id"].as_str().unwrap()),
        );
        assert_eq!(order["status"], "fulfilled");
        assert!(secs(&order["updated_date"]) < secs(&doc["created_date"]));
        assert_eq!(order["warehouse_customer_id"], doc["warehouse_customer_id"]);
    }
}

#[test]
fn carrier_charges_group_by_tracking_number() {
    let s = spec(500);
    let lines = all(&s, Carrier, "get_invoice_line_items");
    let mut per: HashMap<String, usize> = HashMap::new();
    for l in &lines {
        assert!(l["gross_cost"].as_f64().unwrap() >= l["net_cost"].as_f64().unwrap());
        assert!(!l["raw"].as_object().unwrap().is_empty());
        *per.entry(l["tracking_number"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per.len(), 500);
    assert!(per.values().all(|n| *n == 3));
}

/// Checks one order's internal consistency: status against shipments, totals, packs.
fn check_order(s: &SandboxSpec, i: u64, o: &Order) {
    let shipped: Vec<_> = o
        .shipments
        .iter()
        .filter(|x| x.status == "shipped")
        .collect();
    match o.status.as_str() {
        "fulfilled" | "partially_fulfilled" => {
            assert_eq!(shipped.len(), 1, "{}", o.id);
            for p in &shipped[0].packages {
                assert!(p.tracking_number.is_some() && !p.line_items.is_empty());
            }
            let units = |items: &mut dyn Iterator<Item = i64>| items.sum::<i64>();
            let in_packages = units(
                &mut shipped[0]
                    .packages
                    .iter()
                    .flat_map(|p| p.line_items.iter().map(|l| l.quantity)),
            );
            assert_eq!(
                in_packages,
                units(&mut shipped[0].line_items.iter().map(|l| l.quantity))
            );
        }
        _ => assert!(o.shipments.is_empty(), "{} {}", o.id, o.status),
    }
    let sub: f64 = o
        .line_items
        .iter()
        .map(|l| l.quantity as f64 * l.unit_price.unwrap())
        .sum();
    let total = sub - o.total_discount.unwrap() + o.total_shipping.unwrap() + o.total_tax.unwrap();
    assert!((total - o.total_price.unwrap()).abs() < 0.005, "{}", o.id);
    assert!((1..=5).contains(&o.line_items.len()));
    assert_ne!(o.order_number, o.reference_id);
    assert!(o.ship_to_address.address1.is_some() && o.channel_object.is_some());
    let packs: records::OrderPack =
        serde_json::from_value(record(s, Wms, "get_order_packs", i)).unwrap();
    let expected: Vec<String> = shipped
        .iter()
        .flat_map(|x| x.packages.iter().map(|p| p.package_id.clone()))
        .collect();
    if o.status != "packed" {
        assert_eq!(
            packs
                .packs
                .iter()
                .map(|p| p.pack_id.clone())
                .collect::<Vec<_>>(),
            expected
        );
    } else {
        assert!(!packs.packs.is_empty());
    }
    assert_eq!(packs.order_line_items.len(), o.line_items.len());
}

#[test]
fn twenty_thousand_orders_are_deterministic_and_consistent() {
    let s = SandboxSpec::new(7, 20_000, ANCHOR, 90);
    let mut numbers = HashSet::new();
    for i in 0..s.orders {
        let doc = record(&s, Wms, "get_orders", i);
        assert_eq!(doc, record(&s, Wms, "get_orders", i));
        let o: Order = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(serde_json::to_value(&o).unwrap(), doc, "round trip");
        assert!(numbers.insert(o.order_number.clone()) && numbers.insert(o.reference_id.clone()));
        if i % 10 == 0 {
            check_order(&s, i, &o);
        }
    }
}

/// Rough speed report; run with
/// `cargo test --release -p waybill-connectors speed_report -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed_report() {
    let s = SandboxSpec::new(1, 1_000_000, ANCHOR, 365);
    let time = |label: &str, n: u64, f: &dyn Fn(u64)| {
        let t = std::time::Instant::now();
        for i in 0..n {
            f(i);
        }
        println!(
            "{label:<40} {:>8.2} µs",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    };
    time("wms order, typed record", 50_000, &|i| {
        std::hint::black_box(orders::order(&s, i * 17));
    });
    time("wms order, record_json()", 50_000, &|i| {
        std::hint::black_box(record_json(&s, Wms, "get_orders", i * 17));
    });
    time("updated_at()", 1_000_000, &|i| {
        std::hint::black_box(updated_at(&s, Wms, "get_orders", i));
    });
    time("first_index_at_or_after()", 100_000, &|i| {
        let t = s.start() + (i as i64 * 7919) % s.span_secs();
        std::hint::black_box(first_index_at_or_after(&s, Wms, "get_orders", t));
    });
    for f in Func::ALL {
        let n = f.count(&s);
        time(
            &format!("record() {} {}", f.vertical(), f.name()),
            5_000,
            &|i| {
                std::hint::black_box(record(&s, f.vertical(), f.name(), i * 7919 % n));
            },
        );
    }
}
