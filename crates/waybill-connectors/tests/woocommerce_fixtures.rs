//! WooCommerce against a local mock serving the checked-in fixtures with WooCommerce's
//! filtering and offset paging: exact snapshots, the compliance kit, credential checks,
//! writes and vendor refusals.

#[path = "support/cart_mock.rs"]
mod cart_mock;
#[path = "support/pull.rs"]
mod pull;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use cart_mock::Log;
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use waybill_connect::{compliance, Connector, ConnectorError, Credentials, WriteRequest};
use waybill_connectors::woocommerce::WooCommerceConnector;

const VENDOR: &str = "woocommerce";

fn load(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(cart_mock::fixtures(VENDOR).join(name)).unwrap())
        .unwrap()
}

fn t(s: &str) -> chrono::DateTime<Utc> {
    waybill_model::time::parse_lenient(&format!("{s}Z")).expect("a time")
}

/// A WooCommerce list answer: the modified window (exclusive bounds), `orderby` `id` or
/// `modified`, `order`, `offset`/`page` and `per_page`, as WooCommerce applies them.
/// Records modified in the same second come in an order that changes with `shuffle` (as
/// the database leaves it open), so no test can lean on it.
fn list_with(all: &[Value], q: &HashMap<String, String>, shuffle: u64) -> Value {
    let mut v: Vec<Value> = all
        .iter()
        .filter(|r| {
            let m = t(r["date_modified_gmt"].as_str().unwrap());
            q.get("modified_after").is_none_or(|a| m > t(a))
                && q.get("modified_before").is_none_or(|b| m < t(b))
        })
        .cloned()
        .collect();
    let id = |r: &Value| r["id"].as_u64().unwrap();
    let tie = |r: &Value| (id(r) ^ shuffle).wrapping_mul(2_654_435_761) % 4_294_967_291;
    match q.get("orderby").map(String::as_str) {
        Some("modified") => {
            v.sort_by_key(|r| (t(r["date_modified_gmt"].as_str().unwrap()), tie(r)))
        }
        Some("id") => v.sort_by_key(id),
        // WooCommerce's default: by date created.
        _ => v.sort_by_key(|r| (t(r["date_created_gmt"].as_str().unwrap()), id(r))),
    }
    // WooCommerce's default order is descending.
    if q.get("order").map(String::as_str) != Some("asc") {
        v.reverse();
    }
    let per: usize = q.get("per_page").map_or(10, |o| o.parse().unwrap());
    let off: usize = match (q.get("offset"), q.get("page")) {
        (Some(o), _) => o.parse().unwrap(),
        (None, Some(p)) => (p.parse::<usize>().unwrap() - 1) * per,
        (None, None) => 0,
    };
    Value::Array(v.into_iter().skip(off).take(per).collect())
}

fn list(all: &Value, q: &HashMap<String, String>) -> Value {
    list_with(all.as_array().unwrap(), q, 0)
}

fn query(uri: &Uri) -> HashMap<String, String> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%3A", ":")))
        .collect()
}

async fn handle(log: Log, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.lock()
        .unwrap()
        .push((method.to_string(), uri.path().to_string(), body.clone()));
    let b64 = |s: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(s)
        )
    };
    let no_products = auth == b64("ck_orders_only:cs_good");
    if auth != b64("ck_good:cs_good") && !no_products {
        return (StatusCode::UNAUTHORIZED, "{\"code\":\"woocommerce_rest_authentication_error\",\"message\":\"Consumer key is invalid.\",\"data\":{\"status\":401}}").into_response();
    }
    let q = query(&uri);
    let ok = |v: Value| axum::Json(v).into_response();
    let orders = load("orders.json");
    let products = load("products.json");
    let find = |all: &Value, id: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
            .cloned()
    };
    let path = uri.path().to_string();
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), parts.as_slice()) {
        (_, ["products", ..]) if no_products => (StatusCode::FORBIDDEN, "{\"code\":\"woocommerce_rest_cannot_view\",\"message\":\"Sorry, you cannot list resources.\",\"data\":{\"status\":403}}").into_response(),
        ("GET", ["system_status"]) => ok(json!({"environment": {"site_url": "https://shop.example", "version": "9.8.1"}, "settings": {"currency": "EUR"}})),
        ("GET", ["orders"]) => ok(list(&orders, &q)),
        ("GET", ["products"]) => ok(list(&products, &q)),
        ("GET", ["products", "93", "variations"]) => ok(load("variations.json")),
        ("GET", ["products", _, "variations"]) => ok(json!([])),
        ("GET", ["products", p, "variations", v]) if *p == "93" => ok(find(&load("variations.json"), v).unwrap()),
        ("PUT", ["products", "93", "variations", v]) => {
            let mut x = find(&load("variations.json"), v).unwrap();
            x["stock_quantity"] = body["stock_quantity"].clone();
            ok(x)
        }
        ("GET", ["products", id]) => match find(&products, id) {
            Some(p) => ok(p),
            None => { let mut v = find(&load("variations.json"), id).unwrap(); v["parent_id"] = json!(93); ok(v) }
        },
        ("PUT", ["products", id]) => { let mut p = find(&products, id).unwrap(); p["stock_quantity"] = body["stock_quantity"].clone(); ok(p) }
        ("GET", ["orders", id]) => ok(find(&orders, id).unwrap()),
        ("POST", ["orders", _, "notes"]) => ok(json!({"id": 1, "note": body["note"]})),
        ("PUT", ["orders", id]) => {
            let mut o = find(&orders, id).unwrap();
            o["status"] = body["status"].clone();
            o["date_modified_gmt"] = json!("2026-05-25T10:00:00");
            o["meta_data"].as_array_mut().unwrap().extend(body["meta_data"].as_array().unwrap().iter().cloned());
            ok(o)
        }
        ("POST", ["orders", _, "refunds"]) => {
            if body["amount"] == json!("999.00") {
                return (StatusCode::BAD_REQUEST, "{\"code\":\"woocommerce_rest_cannot_create_order_refund\",\"message\":\"Invalid refund amount.\",\"data\":{\"status\":400}}").into_response();
            }
            ok(json!({"id": 800, "amount": body["amount"]}))
        }
        _ => (StatusCode::NOT_FOUND, "{\"code\":\"rest_no_route\",\"message\":\"No route was found matching the URL and request method.\"}").into_response(),
    }
}

async fn mock() -> (String, Log) {
    cart_mock::serve(handle).await
}

fn creds(url: &str, key: &str) -> Credentials {
    let mut c = Credentials::default();
    c.0.insert("store_url".into(), json!("shop.example"));
    c.0.insert("consumer_key".into(), json!(key));
    c.0.insert("consumer_secret".into(), json!("cs_good"));
    c.0.insert("base_url".into(), json!(url));
    c
}

/// Every record of `f` in the fixtures' window, `page_size` at a time.
async fn pull_all(
    c: &WooCommerceConnector,
    creds: &Credentials,
    f: &str,
    page_size: usize,
) -> Vec<Value> {
    let window = pull::window((2025, 1, 1), (2026, 6, 1));
    pull::pages(c, creds, f, window, page_size, usize::MAX)
        .await
        .unwrap()
}

#[tokio::test]
async fn fixtures_normalize_exactly_in_any_page_size() {
    let (url, _) = mock().await;
    let c = WooCommerceConnector::new();
    let g = creds(&url, "ck_good");
    for f in ["get_orders", "get_products"] {
        let all = pull_all(&c, &g, f, 50).await;
        cart_mock::snapshot(VENDOR, f, &Value::Array(all.clone()));
        assert_eq!(pull_all(&c, &g, f, 1).await, all, "{f} in pages of one");
    }
    assert_eq!(c.skipped(), 0);
}

#[tokio::test]
async fn passes_the_compliance_kit() {
    let (url, _) = mock().await;
    let c = WooCommerceConnector::new();
    let report = compliance::check(
        &c,
        &creds(&url, "ck_good"),
        &creds(&url, "ck_revoked"),
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        2,
    )
    .await
    .unwrap();
    assert_eq!(report.records, 3 + 5, "{report:?}");
}

#[tokio::test]
async fn credentials_are_checked_and_permissions_probed() {
    let (url, _) = mock().await;
    let c = WooCommerceConnector::new();
    match c.validate(&creds(&url, "ck_revoked")).await {
        Err(ConnectorError::Auth(m)) => assert_eq!(m, "Consumer key is invalid."),
        other => panic!("{other:?}"),
    }
    let v = c.validate(&creds(&url, "ck_orders_only")).await.unwrap();
    let missing: Vec<&str> = v.missing.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        missing,
        ["get_products", "adjust_inventory", "batch_adjust_inventory"]
    );
    assert_eq!(v.missing[0].1, "Sorry, you cannot list resources.");
    assert_eq!(v.me["store_url"], json!("https://shop.example"));
    assert_eq!(v.me["woocommerce_version"], json!("9.8.1"));
    let mut plain = creds(&url, "ck_good");
    plain
        .0
        .insert("store_url".into(), json!("http://shop.example"));
    assert!(matches!(
        c.validate(&plain).await,
        Err(ConnectorError::Auth(_))
    ));
}

#[tokio::test]
async fn writes_reach_the_store_and_refusals_keep_its_words() {
    let (url, log) = mock().await;
    let c = WooCommerceConnector::new();
    let g = creds(&url, "ck_good");
    let w = |function: &str, id: &str, body: Value| WriteRequest {
        function: function.into(),
        id: Some(id.into()),
        body,
        current: None,
        file: None,
    };
    let out = c
        .write(
            &g,
            &w(
                "adjust_inventory",
                "95",
                json!({"quantity": 4, "adjustment_type": "decrease"}),
            ),
        )
        .await
        .unwrap();
    assert_eq!(out.records[0]["id"], json!("95"));
    assert_eq!(out.records[0]["inventory"], json!(17));
    let out = c.write(&g, &w("create_order_shipment", "727", json!({"requested_shipping_method": "DHL Paket", "tracking_number": "00340434", "carrier_name": "UPS"}))).await.unwrap();
    assert_eq!(out.records[0]["status"], json!("fulfilled"));
    assert_eq!(
        out.records[0]["shipments"][0]["tracking_number"],
        json!("00340434")
    );
    assert_eq!(out.records[0]["shipments"][0]["carrier_name"], json!("UPS"));
    let calls: Vec<(String, String, Value)> = log.lock().unwrap().clone();
    assert!(calls.iter().any(|(m, p, b)| m == "PUT"
        && p == "/products/93/variations/95"
        && b["stock_quantity"] == json!(17)));
    assert!(calls.iter().any(|(m, p, b)| m == "POST"
        && p == "/orders/727/notes"
        && b["note"] == json!("Shipped via DHL Paket (UPS), tracking number 00340434.")));
    let out = c
        .write(
            &g,
            &w(
                "refund_order",
                "727",
                json!({"amount": 4.5, "reason": "Damaged"}),
            ),
        )
        .await
        .unwrap();
    assert_eq!(out.records[0]["id"], json!("727"));
    assert!(log
        .lock()
        .unwrap()
        .iter()
        .any(|(_, p, b)| p == "/orders/727/refunds"
            && *b == json!({"amount": "4.50", "reason": "Damaged"})));
    match c
        .write(&g, &w("refund_order", "727", json!({"amount": 999.0})))
        .await
    {
        Err(ConnectorError::Permanent { message, status }) => {
            assert_eq!(
                (message.as_str(), status),
                ("Invalid refund amount.", Some(400))
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A store whose orders change while a pull walks them: `change(n, orders)` runs before the
/// `n`-th list request (from 0) is answered. Returns the base URL and every list query.
async fn changing_store(
    orders: Vec<Value>,
    change: impl Fn(usize, &mut Vec<Value>) + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let store = Arc::new(Mutex::new(orders));
    let queries: Arc<Mutex<Vec<String>>> = Arc::default();
    let change = Arc::new(change);
    let seen = queries.clone();
    let (url, _) = cart_mock::serve(move |_, _, uri: Uri, _, _| {
        let (store, queries, change) = (store.clone(), seen.clone(), change.clone());
        async move {
            let mut orders = store.lock().unwrap();
            let mut asked = queries.lock().unwrap();
            change(asked.len(), &mut orders);
            asked.push(uri.query().unwrap_or("").replace("%3A", ":"));
            axum::Json(list_with(&orders, &query(&uri), asked.len() as u64)).into_response()
        }
    })
    .await;
    (url, queries)
}

/// A minimal order modified at `modified` (GMT).
fn order_at(id: u64, modified: &str) -> Value {
    json!({"id": id, "number": id.to_string(), "status": "processing", "currency": "EUR",
        "date_created_gmt": "2026-05-01T00:00:00", "date_modified_gmt": modified, "line_items": []})
}

fn ids(records: &[Value]) -> Vec<u64> {
    records
        .iter()
        .map(|r| r["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn an_order_changed_mid_walk_hides_no_other() {
    let orders = (1..=6)
        .map(|i| order_at(i, &format!("2026-05-10T10:00:0{i}")))
        .collect();
    // Between the first and the second page: order 1 (already read) is changed now, after
    // the window, so it leaves the list; order 2 (read) and 4 (not yet) change within it.
    let (url, queries) = changing_store(orders, |n, orders| {
        if n == 1 {
            orders[0]["date_modified_gmt"] = json!("2026-06-02T09:00:00");
            orders[1]["date_modified_gmt"] = json!("2026-05-30T12:00:01");
            orders[3]["date_modified_gmt"] = json!("2026-05-30T12:00:00");
        }
    })
    .await;
    let c = WooCommerceConnector::new();
    let got = pull_all(&c, &creds(&url, "ck_good"), "get_orders", 2).await;
    // Offset paging would have skipped order 3 here (it moved into order 1's place).
    assert_eq!(ids(&got), [1, 2, 3, 5, 6, 4, 2]);
    assert_eq!(got[5]["updated_date"], json!("2026-05-30T12:00:00Z"));
    assert_eq!(got[6]["updated_date"], json!("2026-05-30T12:00:01Z"));
    let window = "modified_before=2026-06-01T00:00:00&dates_are_gmt=true";
    let keyset = |after: &str| {
        format!("per_page=2&orderby=modified&order=asc&modified_after={after}&{window}")
    };
    assert_eq!(
        *queries.lock().unwrap(),
        [
            keyset("2024-12-31T23:59:59"),
            keyset("2026-05-10T10:00:01"),
            keyset("2026-05-10T10:00:04"),
            keyset("2026-05-10T10:00:05"),
            keyset("2026-05-30T11:59:59"),
            keyset("2026-05-30T12:00:00"),
        ]
    );
}

#[tokio::test]
async fn more_than_a_page_in_one_second_is_read_whole() {
    // 30 orders share one second, between one before and one after.
    let mut orders = vec![order_at(1, "2026-05-10T09:00:00")];
    orders.extend((2..=31).map(|i| order_at(i, "2026-05-10T10:00:00")));
    orders.push(order_at(32, "2026-05-10T11:00:00"));
    let (url, queries) = changing_store(orders, |_, _| {}).await;
    let c = WooCommerceConnector::new();
    for page in [1, 4, 50] {
        let got = pull_all(&c, &creds(&url, "ck_good"), "get_orders", page).await;
        let mut read = ids(&got);
        read.sort_unstable();
        assert_eq!(read, (1..=32).collect::<Vec<_>>(), "pages of {page}");
    }
    // The second was read on its own, by id, past the keyset pages that could not pass it.
    assert!(queries
        .lock()
        .unwrap()
        .iter()
        .any(|q| q.contains("orderby=id")
            && q.contains("modified_after=2026-05-10T09:59:59")
            && q.contains("modified_before=2026-05-10T10:00:01")));
}

#[tokio::test]
async fn orders_leaving_a_crowded_second_hide_no_other() {
    let mut orders: Vec<Value> = (1..=40)
        .map(|i| order_at(i, "2026-05-10T10:00:00"))
        .collect();
    orders.push(order_at(41, "2026-05-10T11:00:00"));
    // Mid-walk through the second, its twelve lowest ids (more than the step back covers)
    // change after the window and leave it; one more stays in the window at a later time.
    let (url, queries) = changing_store(orders, |n, orders| {
        if n == 5 {
            for o in orders.iter_mut().take(12) {
                o["date_modified_gmt"] = json!("2026-06-02T09:00:00");
            }
            orders[20]["date_modified_gmt"] = json!("2026-05-20T08:00:00");
        }
    })
    .await;
    let c = WooCommerceConnector::new();
    let got = pull_all(&c, &creds(&url, "ck_good"), "get_orders", 4).await;
    let read = ids(&got);
    // Every order left unchanged is read exactly once; order 21 once more at its new time.
    for id in (13..=41).filter(|i| *i != 21) {
        assert_eq!(read.iter().filter(|r| **r == id).count(), 1, "order {id}");
    }
    assert!(read.contains(&21));
    assert_eq!(read.last(), Some(&21));
    // The second was read again from its start once the leavers outran the step back.
    let q = queries.lock().unwrap();
    let by_id: Vec<&String> = q.iter().filter(|q| q.contains("orderby=id")).collect();
    assert!(
        by_id
            .windows(2)
            .any(|w| !w[0].contains("offset=0&") && w[1].contains("offset=0&")),
        "{by_id:#?}"
    );
}
