//! Determinism, ordering and consistency of the generated data.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;
use waybill_model::records::{self, InventoryItem, Order};
use waybill_model::resource::{CART_ORDER_STATUSES, FREIGHT_STATUSES, INBOUND_STATUSES, ORDER_STATUSES};
use waybill_model::time::parse_strict;
use waybill_model::IntegrationType::{self, Cart, Carrier, Freight, Wms};
use waybill_model::ALL_RESOURCES;

use super::*;

const ANCHOR: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn spec(orders: u64) -> SandboxSpec {
    SandboxSpec::new(42, orders, ANCHOR, 30)
}

fn all(spec: &SandboxSpec, v: IntegrationType, f: &str) -> Vec<Value> {
    (0..count(spec, v, f)).map(|i| record(spec, v, f, i)).collect()
}

fn secs(v: &Value) -> i64 {
    parse_strict(v.as_str().expect("a date string")).expect("wire-shaped date").timestamp()
}

/// Up to `n` indexes spread over the whole function, first and last included.
fn sample(total: u64, n: u64) -> Vec<u64> {
    if total <= n {
        return (0..total).collect();
    }
    (0..n).map(|k| k * (total - 1) / (n - 1)).collect()
}

#[test]
fn every_registered_function_is_generated_and_unknown_ones_are_empty() {
    let s = spec(1000);
    for r in ALL_RESOURCES {
        assert!(count(&s, r.vertical, r.function) > 0, "{}", r.key);
    }
    assert_eq!(count(&s, Cart, "get_bills"), 0);
    assert_eq!(record(&s, Wms, "get_nothing", 0), Value::Null);
    assert_eq!(record(&s, Wms, "get_orders", 1000), Value::Null);
    assert_eq!(first_index_at_or_after(&s, Wms, "get_nothing", 0), 0);
}

#[test]
fn counts_follow_the_spec() {
    let s = spec(1000);
    let expect = [
        (Wms, "get_orders", 1000), (Wms, "get_order_packs", 1000), (Wms, "get_products", 200),
        (Wms, "get_inventory", 180), (Wms, "get_inbound_shipments", 20), (Wms, "get_returns", 25),
        (Wms, "get_bills", 50), (Wms, "get_inventory_ledger", 200), (Wms, "get_labor_activities", 100),
        (Wms, "get_warehouses", 3), (Wms, "get_warehouse_locations", 120), (Wms, "get_warehouse_customers", 4),
        (Wms, "get_shipping_methods", 8), (Wms, "get_order_channels", 4), (Wms, "get_inbound_shipment_suppliers", 6),
        (Cart, "get_orders", 1000), (Cart, "get_products", 200), (Cart, "get_warehouses", 2),
        (Carrier, "get_invoice_line_items", 3000), (Carrier, "get_files", 10), (Freight, "get_shipments", 1000),
    ];
    for (v, f, n) in expect {
        assert_eq!(count(&s, v, f), n, "{v} {f}");
    }
    let tiny = spec(0);
    assert_eq!(count(&tiny, Wms, "get_products"), 60);
    assert_eq!(count(&tiny, Wms, "get_returns"), 10);
    assert_eq!(count(&tiny, Cart, "get_products"), 30);
    assert_eq!(count(&spec(10_000_000), Wms, "get_products"), 5000);
}

#[test]
fn records_are_deterministic_and_differ_by_seed() {
    let (a, b) = (spec(1000), spec(1000));
    let other = SandboxSpec::new(43, 1000, ANCHOR, 30);
    for f in Func::ALL {
        for i in sample(f.count(&a), 60) {
            let x = record(&a, f.vertical(), f.name(), i).to_string();
            assert_eq!(x, record(&b, f.vertical(), f.name(), i).to_string(), "{f:?} {i}");
        }
    }
    assert_ne!(record(&a, Wms, "get_orders", 5), record(&other, Wms, "get_orders", 5));
}

#[test]
fn every_record_has_exactly_the_fields_of_its_type() {
    let s = spec(1000);
    for f in Func::ALL {
        let empty = records::empty_document(f.vertical(), f.name()).expect("typed record");
        let want: Vec<&String> = empty.as_object().unwrap().keys().collect();
        for i in 0..f.count(&s) {
            let doc = record(&s, f.vertical(), f.name(), i);
            let have: Vec<&String> = doc.as_object().expect("an object").keys().collect();
            assert_eq!(have, want, "{f:?} {i}");
        }
    }
}

#[test]
fn ids_are_unique_and_match_record_id() {
    let s = spec(1000);
    for f in Func::ALL {
        let mut seen = HashSet::new();
        for i in 0..f.count(&s) {
            let id = record_id(&s, f.vertical(), f.name(), i).unwrap();
            assert!(seen.insert(id.clone()), "{f:?} duplicate {id}");
            if f != Func::WmsPacks {
                assert_eq!(record(&s, f.vertical(), f.name(), i)["id"], id.as_str(), "{f:?} {i}");
            }
        }
    }
    assert_eq!(record_id(&s, Wms, "get_order_packs", 7), record_id(&s, Wms, "get_orders", 7));
    assert_eq!(record_id(&s, Wms, "get_orders", 1000), None);
}

#[test]
fn updated_at_is_monotonic_in_range_and_matches_the_records() {
    for s in [spec(1000), spec(7), SandboxSpec::new(9, 50_000, ANCHOR, 2)] {
        for f in Func::ALL {
            let n = f.count(&s);
            let mut prev = i64::MIN;
            for i in 0..n {
                let t = updated_at(&s, f.vertical(), f.name(), i);
                assert!(t >= prev, "{f:?} {i}");
                assert!(t >= s.start() && t <= s.anchor, "{f:?} {i}");
                prev = t;
            }
            for i in sample(n, 40) {
                let doc = record(&s, f.vertical(), f.name(), i);
                let t = updated_at(&s, f.vertical(), f.name(), i);
                if f == Func::WmsPacks {
                    assert_eq!(t, updated_at(&s, Wms, "get_orders", i));
                    continue;
                }
                assert_eq!(secs(&doc["updated_date"]), t, "{f:?} {i}");
                let created = secs(&doc["created_date"]);
                assert!(created <= t && created >= s.start() - spec::MAX_AGE, "{f:?} {i}");
            }
        }
    }
}

/// Every date-like member anywhere in a document is exactly `YYYY-MM-DDTHH:MM:SSZ`.
fn assert_dates(v: &Value, path: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let datey = k.ends_with("_date") || k.ends_with("_time") || k.ends_with("_at");
                if datey && !x.is_null() && path != "raw" {
                    assert!(parse_strict(x.as_str().unwrap_or("")).is_some(), "{path}.{k} = {x}");
                }
                assert_dates(x, k);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| assert_dates(x, path)),
        _ => {}
    }
}

#[test]
fn dates_have_the_wire_shape() {
    let s = spec(1000);
    for f in Func::ALL {
        for i in sample(f.count(&s), 200) {
            assert_dates(&record(&s, f.vertical(), f.name(), i), "");
        }
    }
}

#[test]
fn first_index_at_or_after_finds_window_bounds() {
    let s = spec(1000);
    for f in Func::ALL {
        let (v, name, n) = (f.vertical(), f.name(), f.count(&s));
        assert_eq!(first_index_at_or_after(&s, v, name, s.start() - 1), 0);
        assert_eq!(first_index_at_or_after(&s, v, name, s.anchor + 1), n);
        for k in 0..50 {
            let t = s.start() + s.span_secs() * k / 50 + k * 7;
            let i = first_index_at_or_after(&s, v, name, t);
            assert!(i == n || updated_at(&s, v, name, i) >= t, "{f:?}");
            assert!(i == 0 || updated_at(&s, v, name, i - 1) < t, "{f:?}");
        }
    }
}

#[test]
fn every_status_appears_in_a_thousand_records() {
    let s = spec(1000);
    let statuses = |v, f| all(&s, v, f).iter().map(|r| r["status"].as_str().unwrap().to_owned()).collect::<BTreeSet<_>>();
    let set = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(statuses(Wms, "get_orders"), set(ORDER_STATUSES));
    assert_eq!(statuses(Cart, "get_orders"), set(CART_ORDER_STATUSES));
    assert_eq!(statuses(Wms, "get_inbound_shipments"), set(INBOUND_STATUSES));
    assert_eq!(statuses(Wms, "get_returns"), set(INBOUND_STATUSES));
    assert_eq!(statuses(Freight, "get_shipments"), set(FREIGHT_STATUSES));
    let small = spec(0);
    let inbound: BTreeSet<_> = all(&small, Wms, "get_inbound_shipments").iter().map(|r| r["status"].to_string()).collect();
    assert_eq!(inbound.len(), INBOUND_STATUSES.len());
}

#[test]
fn inventory_quantities_add_up() {
    let s = spec(1000);
    let locations: HashMap<String, String> = all(&s, Wms, "get_warehouse_locations")
        .into_iter()
        .map(|l| (l["id"].as_str().unwrap().to_owned(), l["warehouse_id"].as_str().unwrap().to_owned()))
        .collect();
    let skus: HashMap<String, String> =
        all(&s, Wms, "get_products").iter().map(|p| (p["sku"].as_str().unwrap().to_owned(), p["id"].as_str().unwrap().to_owned())).collect();
    for doc in all(&s, Wms, "get_inventory") {
        let it: InventoryItem = serde_json::from_value(doc).unwrap();
        assert_eq!(it.onhand, it.committed + it.unfulfillable + it.fulfillable, "{}", it.id);
        assert!(skus.contains_key(it.sku.as_deref().unwrap()), "{}", it.id);
        let w = &it.inventory_by_warehouse_id;
        assert!(!w.is_empty());
        assert_eq!(it.onhand, w.values().map(|x| x.onhand).sum::<i64>());
        assert_eq!(it.committed, w.values().map(|x| x.committed.unwrap()).sum::<i64>());
        assert_eq!(it.fulfillable, w.values().map(|x| x.fulfillable.unwrap()).sum::<i64>());
        assert_eq!(it.unfulfillable, w.values().map(|x| x.unfulfillable.unwrap()).sum::<i64>());
        assert_eq!(it.awaiting, w.values().map(|x| x.awaiting.unwrap()).sum::<i64>());
        assert_eq!(it.sellable, w.values().map(|x| x.sellable.unwrap()).sum::<i64>());
        for (wid, q) in w {
            assert_eq!(q.onhand, q.committed.unwrap() + q.unfulfillable.unwrap() + q.fulfillable.unwrap());
            let at: i64 = it.locations.iter().filter(|l| &l.warehouse_id == wid).map(|l| l.quantity).sum();
            assert_eq!(at, q.onhand, "{} locations in {wid}", it.id);
            let lots: i64 = it.lots.iter().filter(|l| l.warehouse_id.as_ref() == Some(wid)).map(|l| l.onhand).sum();
            assert!(lots <= q.onhand);
        }
        for l in &it.locations {
            assert_eq!(locations.get(&l.location_id), Some(&l.warehouse_id), "{}", it.id);
        }
    }
}

#[test]
fn references_point_at_existing_records() {
    let s = spec(1000);
    let ids = |v, f| all(&s, v, f).iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<HashSet<_>>();
    let products: HashMap<String, Value> = all(&s, Wms, "get_products").into_iter().map(|p| (p["id"].as_str().unwrap().to_owned(), p)).collect();
    let inventory: HashMap<String, String> =
        all(&s, Wms, "get_inventory").iter().map(|i| (i["id"].as_str().unwrap().to_owned(), i["sku"].as_str().unwrap().to_owned())).collect();
    let (warehouses, customers, orders) = (ids(Wms, "get_warehouses"), ids(Wms, "get_warehouse_customers"), ids(Wms, "get_orders"));
    let kits = products.values().filter(|p| p["is_kit"] == true).count();
    assert!(kits * 10 >= products.len() - 10 && kits * 10 <= products.len() + 10);
    for p in products.values() {
        for it in p["inventory_items"].as_array().unwrap() {
            assert_eq!(inventory.get(it["inventory_item_id"].as_str().unwrap()).map(String::as_str), it["sku"].as_str());
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
                assert_eq!(inventory.get(l["inventory_item_id"].as_str().unwrap()).map(String::as_str), l["sku"].as_str());
            }
        }
    }
    for r in all(&s, Wms, "get_returns") {
        assert!(r["order_id"].is_null() || orders.contains(r["order_id"].as_str().unwrap()));
    }
    for e in all(&s, Wms, "get_inventory_ledger") {
        assert_eq!(inventory.get(e["inventory_item_id"].as_str().unwrap()).map(String::as_str), e["sku"].as_str());
        let q = e["quantity"].as_i64().unwrap();
        match e["event_type"].as_str().unwrap() {
            "order_shipment" => {
                let o = orders::order_index(e["object_id"].as_str().unwrap());
                assert!(q < 0 && orders.contains(e["object_id"].as_str().unwrap()));
                assert!(updated_at(&s, Wms, "get_orders", o) < secs(&e["entry_date"]), "ledger refers forward");
            }
            "inbound_receipt" => assert!(q > 0 && e["object_type"] == "inbound_shipment"),
            "supplier_return" => assert!(q < 0),
            _ => {}
        }
    }
    let cart_products: HashMap<String, Value> = all(&s, Cart, "get_products").into_iter().map(|p| (p["id"].as_str().unwrap().to_owned(), p)).collect();
    for p in cart_products.values() {
        let parent = &cart_products[p["parent_product_id"].as_str().unwrap()];
        assert_eq!(parent["parent_product_id"], parent["id"]);
    }
    for o in all(&s, Cart, "get_orders") {
        for l in o["line_items"].as_array().unwrap() {
            let p = &cart_products[l["product_id"].as_str().unwrap()];
            assert_eq!((&p["sku"], &p["parent_product_id"]), (&l["product_sku"], &l["parent_product_id"]));
            assert_ne!(p["parent_product_id"], p["id"], "orders name variants");
        }
    }
}

#[test]
fn inbound_receipts_and_returns_are_consistent() {
    let s = spec(2000);
    for doc in all(&s, Wms, "get_inbound_shipments") {
        for l in doc["line_items"].as_array().unwrap() {
            let got: i64 = doc["receipts"].as_array().unwrap().iter().flat_map(|r| r["line_items"].as_array().unwrap())
                .filter(|x| x["inventory_item_id"] == l["inventory_item_id"]).map(|x| x["quantity"].as_i64().unwrap()).sum();
            assert_eq!(got, l["received_quantity"].as_i64().unwrap());
            assert!(got <= l["expected_quantity"].as_i64().unwrap());
        }
    }
    let returns = all(&s, Wms, "get_returns");
    assert!(returns.iter().filter(|r| r["order_id"].is_null()).count() <= 1, "returns without an order");
    for doc in returns.iter().filter(|r| !r["order_id"].is_null()) {
        let order = record(&s, Wms, "get_orders", orders::order_index(doc["order_id"].as_str().unwrap()));
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
        *per.entry(l["tracking_number"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    assert_eq!(per.len(), 500);
    assert!(per.values().all(|n| *n == 3));
}

/// Checks one order's internal consistency: status against shipments, totals, packs.
fn check_order(s: &SandboxSpec, i: u64, o: &Order) {
    let shipped: Vec<_> = o.shipments.iter().filter(|x| x.status == "shipped").collect();
    match o.status.as_str() {
        "fulfilled" | "partially_fulfilled" => {
            assert_eq!(shipped.len(), 1, "{}", o.id);
            for p in &shipped[0].packages {
                assert!(p.tracking_number.is_some() && !p.line_items.is_empty());
            }
            let units = |items: &mut dyn Iterator<Item = i64>| items.sum::<i64>();
            let in_packages = units(&mut shipped[0].packages.iter().flat_map(|p| p.line_items.iter().map(|l| l.quantity)));
            assert_eq!(in_packages, units(&mut shipped[0].line_items.iter().map(|l| l.quantity)));
        }
        _ => assert!(o.shipments.is_empty(), "{} {}", o.id, o.status),
    }
    let sub: f64 = o.line_items.iter().map(|l| l.quantity as f64 * l.unit_price.unwrap()).sum();
    let total = sub - o.total_discount.unwrap() + o.total_shipping.unwrap() + o.total_tax.unwrap();
    assert!((total - o.total_price.unwrap()).abs() < 0.005, "{}", o.id);
    assert!((1..=5).contains(&o.line_items.len()));
    assert_ne!(o.order_number, o.reference_id);
    assert!(o.ship_to_address.address1.is_some() && o.channel_object.is_some());
    let packs: records::OrderPack = serde_json::from_value(record(s, Wms, "get_order_packs", i)).unwrap();
    let expected: Vec<String> = shipped.iter().flat_map(|x| x.packages.iter().map(|p| p.package_id.clone())).collect();
    if o.status != "packed" {
        assert_eq!(packs.packs.iter().map(|p| p.pack_id.clone()).collect::<Vec<_>>(), expected);
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

/// Rough speed check; run with `cargo test --release -- --ignored --nocapture speed`.
#[test]
#[ignore]
fn speed_of_order_records() {
    let s = SandboxSpec::new(1, 1_000_000, ANCHOR, 365);
    let n = 100_000u64;
    let t = std::time::Instant::now();
    let bytes: usize = (0..n).map(|i| record(&s, Wms, "get_orders", i * 10).to_string().len()).sum();
    let per = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let t2 = std::time::Instant::now();
    for i in 0..n {
        std::hint::black_box(record(&s, Wms, "get_orders", i * 10));
    }
    let build = t2.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("order record: {build:.2} µs to build, {per:.2} µs with to_string, {} bytes avg", bytes as u64 / n);
}

#[test]
#[ignore]
fn zz_print_samples() {
    let s = spec(1000);
    let which = std::env::var("SAMPLE").unwrap_or_default();
    for f in Func::ALL {
        if !which.is_empty() && !format!("{f:?}").contains(&which) { continue; }
        let n = f.count(&s);
        for i in [n / 2 + 1] {
            println!("== {f:?} {i}\n{}", serde_json::to_string_pretty(&record(&s, f.vertical(), f.name(), i)).unwrap());
        }
    }
}
