//! Shopify against a local mock that serves the checked-in fixtures with Shopify's paging
//! and filtering: exact normalization snapshots, the compliance kit, credential checks,
//! writes, throttling and vendor refusals.

#[path = "support/cart_mock.rs"]
mod cart_mock;
#[path = "support/pull.rs"]
mod pull;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cart_mock::Log;
use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use waybill_connect::{
    compliance, Connector, ConnectorError, Credentials, PullRequest, WriteRequest,
};
use waybill_connectors::shopify::ShopifyConnector;

const VENDOR: &str = "shopify";

fn load(name: &str) -> Value {
    let p = cart_mock::fixtures(VENDOR).join(name);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}")))
        .expect("fixture is JSON")
}

fn q(uri: &Uri) -> HashMap<String, String> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            (
                k.to_string(),
                v.replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%2B", "+"),
            )
        })
        .collect()
}

fn t(s: &str) -> chrono::DateTime<Utc> {
    waybill_model::time::parse_lenient(s).expect("a time")
}

/// Shopify's list semantics: updated_at window (inclusive), since_id, ascending ids, limit.
fn list(all: &[Value], q: &HashMap<String, String>) -> Vec<Value> {
    let mut v: Vec<Value> = all
        .iter()
        .filter(|r| {
            let u = t(r["updated_at"].as_str().unwrap_or("1970-01-01T00:00:00Z"));
            q.get("updated_at_min").is_none_or(|m| u >= t(m))
                && q.get("updated_at_max").is_none_or(|m| u <= t(m))
                && q.get("since_id")
                    .is_none_or(|s| r["id"].as_i64().unwrap() > s.parse::<i64>().unwrap())
        })
        .cloned()
        .collect();
    v.sort_by_key(|r| r["id"].as_i64());
    v.truncate(q.get("limit").map_or(50, |l| l.parse().unwrap()));
    v
}

async fn handle(log: Log, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.lock()
        .unwrap()
        .push((method.to_string(), uri.to_string(), body.clone()));
    let limit_header = [("X-Shopify-Shop-Api-Call-Limit", "3/40")];
    if token == "shpat_throttled" {
        return (StatusCode::TOO_MANY_REQUESTS, [("Retry-After", "2.0")], "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}").into_response();
    }
    if !token.starts_with("shpat_good") {
        return (StatusCode::UNAUTHORIZED, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}").into_response();
    }
    let q = q(&uri);
    let path = uri.path();
    let ok = |v: Value| (StatusCode::OK, limit_header, axum::Json(v)).into_response();
    let orders = load("orders.json");
    let products = load("products.json");
    match (method.as_str(), path) {
        ("GET", "/shop.json") => ok(load("shop.json")),
        ("GET", "/admin/oauth/access_scopes.json") => ok(load("access_scopes.json")),
        ("GET", "/orders.json") => {
            ok(json!({"orders": list(orders["orders"].as_array().unwrap(), &q)}))
        }
        ("GET", "/products.json") => {
            ok(json!({"products": list(products["products"].as_array().unwrap(), &q)}))
        }
        ("GET", "/locations.json") => ok(load("locations.json")),
        ("GET", "/inventory_levels.json") => {
            let ids: Vec<&str> = q
                .get("inventory_item_ids")
                .map(|s| s.split(',').collect())
                .unwrap_or_default();
            let locs: Option<Vec<&str>> = q.get("location_ids").map(|s| s.split(',').collect());
            let all = load("inventory_levels.json");
            let v: Vec<Value> = all["inventory_levels"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| {
                    ids.contains(&l["inventory_item_id"].to_string().as_str())
                        && locs
                            .as_ref()
                            .is_none_or(|ls| ls.contains(&l["location_id"].to_string().as_str()))
                })
                .cloned()
                .collect();
            ok(json!({"inventory_levels": v}))
        }
        ("GET", "/inventory_items.json") => {
            let ids: Vec<&str> = q
                .get("ids")
                .map(|s| s.split(',').collect())
                .unwrap_or_default();
            let all = load("inventory_items.json");
            let v: Vec<Value> = all["inventory_items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| ids.contains(&l["id"].to_string().as_str()))
                .cloned()
                .collect();
            ok(json!({"inventory_items": v}))
        }
        ("POST", "/inventory_levels/set.json") => {
            if body["location_id"] == json!(0) {
                return (StatusCode::UNPROCESSABLE_ENTITY, "{\"errors\":{\"location_id\":[\"Inventory item does not have inventory at this location\"]}}").into_response();
            }
            ok(json!({"inventory_level": body}))
        }
        ("POST", "/fulfillments.json") => ok(json!({"fulfillment": {"id": 1}})),
        ("GET", p) if p.starts_with("/orders/") && p.ends_with("/fulfillment_orders.json") => {
            let id: i64 = p
                .trim_start_matches("/orders/")
                .trim_end_matches("/fulfillment_orders.json")
                .parse()
                .unwrap();
            let all = load("fulfillment_orders.json");
            let v: Vec<Value> = all["fulfillment_orders"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["order_id"] == json!(id))
                .cloned()
                .collect();
            ok(json!({"fulfillment_orders": v}))
        }
        ("GET", p) if p.starts_with("/orders/") => {
            let id: i64 = p
                .trim_start_matches("/orders/")
                .trim_end_matches(".json")
                .parse()
                .unwrap();
            let o = orders["orders"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["id"] == json!(id))
                .cloned();
            match o {
                Some(o) => ok(json!({"order": o})),
                None => (StatusCode::NOT_FOUND, "{\"errors\":\"Not Found\"}").into_response(),
            }
        }
        ("GET", p) if p.starts_with("/products/") => {
            let id: i64 = p
                .trim_start_matches("/products/")
                .trim_end_matches(".json")
                .parse()
                .unwrap();
            let o = products["products"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["id"] == json!(id))
                .cloned();
            match o {
                Some(o) => ok(json!({"product": o})),
                None => (StatusCode::NOT_FOUND, "{\"errors\":\"Not Found\"}").into_response(),
            }
        }
        _ => (StatusCode::NOT_FOUND, "{\"errors\":\"Not Found\"}").into_response(),
    }
}

async fn mock() -> (String, Log) {
    cart_mock::serve(handle).await
}

fn creds(url: &str, token: &str) -> Credentials {
    let mut c = Credentials::default();
    c.0.insert("shop".into(), json!("northbound-goods.myshopify.com"));
    c.0.insert("access_token".into(), json!(token));
    c.0.insert("base_url".into(), json!(url));
    c
}

/// Every record of `f` in the fixtures' window, `page_size` at a time.
async fn pull_all(
    c: &ShopifyConnector,
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
async fn fixtures_normalize_exactly() {
    let (url, _) = mock().await;
    let c = ShopifyConnector::new();
    let g = creds(&url, "shpat_good");
    for f in ["get_orders", "get_products", "get_warehouses"] {
        cart_mock::snapshot(VENDOR, f, &Value::Array(pull_all(&c, &g, f, 50).await));
    }
    assert_eq!(c.skipped(), 0);
}

#[tokio::test]
async fn paging_returns_the_same_records_in_small_pages() {
    let (url, _) = mock().await;
    let c = ShopifyConnector::new();
    let g = creds(&url, "shpat_good");
    for f in ["get_orders", "get_products"] {
        let big = pull_all(&c, &g, f, 50).await;
        let small = pull_all(&c, &g, f, 1).await;
        assert_eq!(big, small, "{f}");
    }
}

#[tokio::test]
async fn passes_the_compliance_kit() {
    let (url, _) = mock().await;
    let c = ShopifyConnector::new();
    let report = compliance::check(
        &c,
        &creds(&url, "shpat_good"),
        &creds(&url, "shpat_revoked"),
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        3,
    )
    .await
    .unwrap();
    assert_eq!(report.records, 2 + 5 + 2, "{report:?}");
}

#[tokio::test]
async fn credentials_are_checked_and_scopes_probed() {
    let (url, _) = mock().await;
    let c = ShopifyConnector::new();
    match c.validate(&creds(&url, "shpat_revoked")).await {
        Err(ConnectorError::Auth(m)) => {
            assert!(m.contains("Invalid API key or access token"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    let v = c.validate(&creds(&url, "shpat_good")).await.unwrap();
    assert_eq!(v.me["shop_id"], json!(69001234));
    assert_eq!(
        v.me["myshopify_domain"],
        json!("northbound-goods.myshopify.com")
    );
    let missing: Vec<&str> = v.missing.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(missing, ["get_warehouses"]);
}

#[tokio::test]
async fn throttling_is_a_rate_limit_with_retry_after() {
    let (url, _) = mock().await;
    let c = ShopifyConnector::new();
    let req = PullRequest {
        function: "get_orders".into(),
        since: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        until: Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        cursor: None,
        page_size: 10,
    };
    match c.pull(&creds(&url, "shpat_throttled"), &req).await {
        Err(ConnectorError::RateLimited { retry_after }) => {
            assert_eq!(retry_after, Some(std::time::Duration::from_secs(2)))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn adjusting_stock_sets_the_new_level() {
    let (url, log) = mock().await;
    let c = ShopifyConnector::new();
    let g = creds(&url, "shpat_good");
    let out = c
        .write(&g, &WriteRequest {
            function: "adjust_inventory".into(),
            id: Some("4100201".into()),
            body: json!({"quantity": 5, "adjustment_type": "decrease", "warehouse_id": "61002", "reason": "damaged"}),
            current: None,
            file: None,
        })
        .await
        .unwrap();
    assert_eq!(out.records[0]["id"], json!("4100201"));
    let sets: Vec<Value> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, u, _)| u.starts_with("/inventory_levels/set.json"))
        .map(|(_, _, b)| b.clone())
        .collect();
    assert_eq!(
        sets,
        [json!({"inventory_item_id": 4500201, "location_id": 61002, "available": 12})]
    );
    // A vendor refusal keeps Shopify's words and status.
    match c
        .write(&g, &WriteRequest {
            function: "adjust_inventory".into(),
            id: Some("4100201".into()),
            body: json!({"quantity": 1, "adjustment_type": "increase", "warehouse_id": "0", "reason": "correction"}),
            current: Some(json!({"parent_product_id": "8800101"})),
            file: None,
        })
        .await
    {
        Err(ConnectorError::Permanent { message, status }) => {
            assert_eq!(status, Some(422));
            assert!(message.contains("does not have inventory at this location"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn shipments_fulfil_the_named_fulfillment_orders() {
    let (url, log) = mock().await;
    let c = ShopifyConnector::new();
    let g = creds(&url, "shpat_good");
    let out = c
        .write(&g, &WriteRequest {
            function: "create_order_shipment".into(),
            id: Some("5512340001".into()),
            body: json!({"tracking_number": "1Z1", "tracking_url": "https://ups.example/1Z1",
                         "shipping_groups": [{"shipping_group_id": "7700502", "line_items": [{"line_item_id": "13002", "quantity": 1}]}]}),
            current: None,
            file: None,
        })
        .await
        .unwrap();
    assert_eq!(out.records[0]["id"], json!("5512340001"));
    let posts: Vec<Value> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, u, _)| u == "/fulfillments.json")
        .map(|(_, _, b)| b.clone())
        .collect();
    assert_eq!(
        posts,
        [json!({"fulfillment": {
        "line_items_by_fulfillment_order": [{"fulfillment_order_id": 7700502, "fulfillment_order_line_items": [{"id": 9900102, "quantity": 1}]}],
        "tracking_info": {"number": "1Z1", "url": "https://ups.example/1Z1"},
        "notify_customer": false}})]
    );
    let err = c
        .write(&g, &WriteRequest {
            function: "create_order_shipment".into(),
            id: Some("5512340001".into()),
            body: json!({"tracking_number": "1Z1", "tracking_url": "https://ups.example/1Z1", "shipping_groups": [{"shipping_group_id": "123"}]}),
            current: None,
            file: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ConnectorError::Permanent {
                status: Some(422),
                ..
            }
        ),
        "{err:?}"
    );
}
