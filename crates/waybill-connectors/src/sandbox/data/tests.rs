//! Determinism, counts, field sets, ordering in time and date shapes of the generated data.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;
use waybill_model::records;
use waybill_model::resource::{
    CART_ORDER_STATUSES, FREIGHT_STATUSES, INBOUND_STATUSES, ORDER_STATUSES,
};
use waybill_model::time::parse_strict;
use waybill_model::IntegrationType::{self, Carrier, Cart, Freight, Wms};
use waybill_model::ALL_RESOURCES;

use super::*;

pub(super) const ANCHOR: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

pub(super) fn spec(orders: u64) -> SandboxSpec {
    SandboxSpec::new(42, orders, ANCHOR, 30)
}

pub(super) fn all(spec: &SandboxSpec, v: IntegrationType, f: &str) -> Vec<Value> {
    (0..count(spec, v, f))
        .map(|i| record(spec, v, f, i))
        .collect()
}

pub(super) fn secs(v: &Value) -> i64 {
    parse_strict(v.as_str().expect("a date string"))
        .expect("wire-shaped date")
        .timestamp()
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
        (Wms, "get_orders", 1000),
        (Wms, "get_order_packs", 1000),
        (Wms, "get_products", 200),
        (Wms, "get_inventory", 180),
        (Wms, "get_inbound_shipments", 20),
        (Wms, "get_returns", 25),
        (Wms, "get_bills", 50),
        (Wms, "get_inventory_ledger", 200),
        (Wms, "get_labor_activities", 100),
        (Wms, "get_warehouses", 3),
        (Wms, "get_warehouse_locations", 120),
        (Wms, "get_warehouse_customers", 4),
        (Wms, "get_shipping_methods", 8),
        (Wms, "get_order_channels", 4),
        (Wms, "get_inbound_shipment_suppliers", 6),
        (Cart, "get_orders", 1000),
        (Cart, "get_products", 200),
        (Cart, "get_warehouses", 2),
        (Carrier, "get_invoice_line_items", 3000),
        (Carrier, "get_files", 10),
        (Freight, "get_shipments", 1000),
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
            assert_eq!(
                x,
                record(&b, f.vertical(), f.name(), i).to_string(),
                "{f:?} {i}"
            );
        }
    }
    assert_ne!(
        record(&a, Wms, "get_orders", 5),
        record(&other, Wms, "get_orders", 5)
    );
    for f in Func::ALL {
        let i = f.count(&a) / 2;
        let text = record_json(&a, f.vertical(), f.name(), i).unwrap();
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, record(&a, f.vertical(), f.name(), i), "{f:?}");
    }
    assert_eq!(record_json(&a, Wms, "get_orders", 1000), None);
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
                assert_eq!(
                    record(&s, f.vertical(), f.name(), i)["id"],
                    id.as_str(),
                    "{f:?} {i}"
                );
            }
        }
    }
    assert_eq!(
        record_id(&s, Wms, "get_order_packs", 7),
        record_id(&s, Wms, "get_orders", 7)
    );
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
                assert!(
                    created <= t && created >= s.start() - spec::MAX_AGE,
                    "{f:?} {i}"
                );
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
                    assert!(
                        parse_strict(x.as_str().unwrap_or("")).is_some(),
                        "{path}.{k} = {x}"
                    );
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
    let statuses = |v, f| {
        all(&s, v, f)
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .collect::<BTreeSet<_>>()
    };
    let set = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(statuses(Wms, "get_orders"), set(ORDER_STATUSES));
    assert_eq!(statuses(Cart, "get_orders"), set(CART_ORDER_STATUSES));
    assert_eq!(
        statuses(Wms, "get_inbound_shipments"),
        set(INBOUND_STATUSES)
    );
    assert_eq!(statuses(Wms, "get_returns"), set(INBOUND_STATUSES));
    assert_eq!(statuses(Freight, "get_shipments"), set(FREIGHT_STATUSES));
    let small = spec(0);
    let inbound: BTreeSet<_> = all(&small, Wms, "get_inbound_shipments")
        .iter()
        .map(|r| r["status"].to_string())
        .collect();
    assert_eq!(inbound.len(), INBOUND_STATUSES.len());
}
