//! ShipHero connector: every GraphQL document checked against ShipHero's schema (statically
//! and on every request the local mock receives), exact normalization of fixture answers,
//! the compliance kit, token exchange and credit handling, permission probes, writes with
//! their exact mutation variables and refusals, and a robustness run on random
//! schema-shaped answers.
//!
//! Skips (printing why) when the vendor specs folder is absent.

#[path = "support/graphql.rs"]
mod graphql;
#[path = "support/mock.rs"]
mod mock;
#[path = "support/prism.rs"]
mod prism;

use chrono::{TimeZone, Utc};
use graphql::Oracle;
use mock::{assert_snapshot, fixture, Mock, Route};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use waybill_connect::{
    compliance, Connector, ConnectorError, Credentials, PullRequest, WriteRequest,
};
use waybill_connectors::shiphero::{queries, ShipHero};

const SPEC: &str = "shiphero/shiphero-schema.graphql";
const REFRESH: &str = "rt-good-4f1c";
const ACCESS: &str = "sh-access-1";
const CUR1: &str = "YXJyYXljb25uZWN0aW9uOjE=";
const CUR2: &str = "YXJyYXljb25uZWN0aW9uOjI=";

fn creds(url: &str, refresh: &str) -> Credentials {
    let mut m = serde_json::Map::new();
    m.insert("refresh_token".into(), json!(refresh));
    m.insert("base_url".into(), json!(url));
    Credentials(m)
}

fn op(name: &str) -> String {
    format!("\"operationName\":\"{name}\"")
}

fn gql(name: &str, body: impl Into<String>) -> Route {
    Route::ok("POST", "/graphql", body).body_has(&op(name))
}

/// Products by SKU, as the ledger's product lookup finds them.
const PRODUCT_IDS: &[(&str, &str)] = &[
    ("TENT-2P", "UHJvZHVjdDo5MDAx"),
    ("STAKE-8", "UHJvZHVjdDo5MDAy"),
];

/// ShipHero's answer to a `LedgerProducts` lookup: each `pN` holds the product of `$sN`
/// (none for a SKU ShipHero has no product of).
fn ledger_products_answer(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap();
    let vars = v["variables"].as_object().cloned().unwrap_or_default();
    let mut data = serde_json::Map::new();
    for i in 0.. {
        let Some(sku) = vars.get(&format!("s{i}")).and_then(Value::as_str) else {
            break;
        };
        let edges: Vec<Value> = PRODUCT_IDS
            .iter()
            .filter(|(s, _)| *s == sku)
            .map(|(s, id)| json!({"node": {"id": id, "sku": s}}))
            .collect();
        data.insert(
            format!("p{i}"),
            json!({"request_id": format!("lp{i}"), "complexity": 2, "data": {"edges": edges}}),
        );
    }
    json!({ "data": data }).to_string()
}

fn routes() -> Vec<Route> {
    let f = |n| fixture("shiphero", n);
    vec![
        Route::ok("POST", "/auth/refresh", f("auth_refresh.json"))
            .body_has(REFRESH)
            .open(),
        Route::ok("POST", "/auth/refresh", f("auth_refresh.json"))
            .body_has("rt-other")
            .open(),
        Route::ok(
            "POST",
            "/auth/refresh",
            r#"{"code":401,"message":"Invalid refresh token"}"#,
        )
        .status(401)
        .open(),
        gql("Account", f("account.json")),
        gql("Orders", f("orders_page2.json")).body_has(&format!("\"after\":\"{CUR1}\"")),
        gql("Orders", f("orders_page1.json")),
        gql("Products", f("products_page2.json")).body_has(&format!("\"after\":\"{CUR2}\"")),
        gql("Products", f("products_page1.json")),
        gql("Inventory", f("inventory_page2.json")).body_has(&format!("\"after\":\"{CUR2}\"")),
        gql("Inventory", f("inventory_page1.json")),
        gql("PurchaseOrders", f("purchase_orders.json")),
        gql("Vendors", f("vendors.json")),
        gql("Returns", f("returns.json")),
        gql("OrderCreate", f("order_create.json")),
        gql("OrderCancel", f("order_cancel.json")),
        gql("ProductCreate", f("product_create.json")),
        gql("PurchaseOrderCreate", f("purchase_order_create.json")),
        gql("ReturnCreate", f("return_create.json")),
        gql("OrderLines", f("order_lines.json")),
        gql("InventoryAdd", f("inventory_change.json")),
        gql("AdHocCharges", f("ad_hoc_charges_page2.json"))
            .body_has(&format!("\"after\":\"{CUR1}\"")),
        gql("AdHocCharges", f("ad_hoc_charges_page1.json")),
        gql("Locations", f("locations.json")),
        gql("InventoryChanges", f("inventory_changes_page2.json"))
            .body_has(&format!("\"after\":\"{CUR1}\"")),
        gql("InventoryChanges", f("inventory_changes_page1.json")),
        gql("LedgerProducts", "").respond(ledger_products_answer),
        gql("Order", f("order_one.json")),
        gql("ShipmentCreate", f("shipment_create.json")),
        gql("PurchaseOrderUpdate", f("purchase_order_update.json")),
    ]
}

/// The mock, with every GraphQL request validated against the schema.
async fn start(oracle: &Arc<Oracle>, extra: Vec<Route>) -> Mock {
    let mut r = extra;
    r.extend(routes());
    let o = oracle.clone();
    Mock::start_checked(
        r,
        ("authorization", &format!("Bearer {ACCESS}")),
        r#"{"code":22,"message":"Invalid token"}"#,
        Some(Arc::new(move |method, path, body| {
            if method == "POST" && path == "/graphql" {
                o.check_body(body)
            } else {
                Ok(())
            }
        })),
    )
    .await
}

fn window() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
    )
}

async fn pull_all(
    c: &dyn Connector,
    creds: &Credentials,
    f: &str,
    page_size: usize,
    max_pages: usize,
) -> Result<Vec<Value>, ConnectorError> {
    let (since, until) = window();
    let mut req = PullRequest {
        function: f.into(),
        since,
        until,
        cursor: None,
        page_size,
    };
    let mut out = Vec::new();
    for _ in 0..max_pages {
        let page = c.pull(creds, &req).await?;
        out.extend(page.records);
        match page.next_cursor {
            Some(n) => req.cursor = Some(n),
            None => break,
        }
    }
    Ok(out)
}

fn assert_no_violations(m: &Mock) {
    let v = m.violations();
    assert!(
        v.is_empty(),
        "requests invalid against ShipHero's schema:\n{}",
        v.join("\n")
    );
}

#[test]
fn every_document_is_valid_against_the_schema() {
    let Some(o) = Oracle::load(SPEC) else { return };
    for r in queries::ALL_READS {
        o.check_document(r.query, Some(r.operation), None)
            .unwrap_or_else(|e| panic!("{}: {e}", r.operation));
        assert!(
            r.query.contains(&format!("  {}", r.root)),
            "{}",
            r.operation
        );
    }
    for m in queries::ALL_MUTATIONS {
        o.check_document(m.query, Some(m.operation), None)
            .unwrap_or_else(|e| panic!("{}: {e}", m.operation));
    }
    // The ledger's product lookup, built per page, is valid for any number of SKUs.
    for n in [1, 3] {
        let mut vars = serde_json::Map::new();
        vars.insert("customer_account_id".into(), json!(null));
        for i in 0..n {
            vars.insert(format!("s{i}"), json!(format!("SKU-{i}")));
        }
        o.check_document(
            &queries::ledger_products(n),
            Some(queries::LEDGER_PRODUCTS),
            Some(&Value::Object(vars)),
        )
        .unwrap_or_else(|e| panic!("LedgerProducts({n}): {e}"));
    }
    // The oracle can fail: a field ShipHero's schema lacks is refused.
    assert!(o
        .check_document("query X { orders { data { nope } } }", None, None)
        .is_err());
    assert!(o
        .check_document(
            queries::INVENTORY_ADD.query,
            None,
            Some(&json!({"data": {"sku": "A", "quantity": 1}}))
        )
        .is_err());
}

#[test]
fn fixtures_hold_only_what_their_queries_select() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let body = |q: &str, op: &str| json!({"query": q, "operationName": op}).to_string();
    let pairs: &[(&str, &str, &str)] = &[
        ("account.json", queries::ACCOUNT.query, "Account"),
        ("orders_page1.json", queries::ORDERS.query, "Orders"),
        ("orders_page2.json", queries::ORDERS.query, "Orders"),
        ("products_page1.json", queries::PRODUCTS.query, "Products"),
        ("products_page2.json", queries::PRODUCTS.query, "Products"),
        (
            "inventory_page1.json",
            queries::INVENTORY.query,
            "Inventory",
        ),
        (
            "inventory_page2.json",
            queries::INVENTORY.query,
            "Inventory",
        ),
        (
            "purchase_orders.json",
            queries::PURCHASE_ORDERS.query,
            "PurchaseOrders",
        ),
        ("vendors.json", queries::VENDORS.query, "Vendors"),
        ("returns.json", queries::RETURNS.query, "Returns"),
        ("order_lines.json", queries::ORDER_LINES.query, "OrderLines"),
        (
            "order_create.json",
            queries::ORDER_CREATE.query,
            "OrderCreate",
        ),
        (
            "order_cancel.json",
            queries::ORDER_CANCEL.query,
            "OrderCancel",
        ),
        (
            "product_create.json",
            queries::PRODUCT_CREATE.query,
            "ProductCreate",
        ),
        (
            "purchase_order_create.json",
            queries::PURCHASE_ORDER_CREATE.query,
            "PurchaseOrderCreate",
        ),
        (
            "return_create.json",
            queries::RETURN_CREATE.query,
            "ReturnCreate",
        ),
        (
            "inventory_change.json",
            queries::INVENTORY_ADD.query,
            "InventoryAdd",
        ),
        (
            "ad_hoc_charges_page1.json",
            queries::AD_HOC_CHARGES.query,
            "AdHocCharges",
        ),
        (
            "ad_hoc_charges_page2.json",
            queries::AD_HOC_CHARGES.query,
            "AdHocCharges",
        ),
        ("locations.json", queries::LOCATIONS.query, "Locations"),
        (
            "inventory_changes_page1.json",
            queries::INVENTORY_CHANGES.query,
            "InventoryChanges",
        ),
        (
            "inventory_changes_page2.json",
            queries::INVENTORY_CHANGES.query,
            "InventoryChanges",
        ),
        ("order_one.json", queries::ORDER.query, "Order"),
        (
            "shipment_create.json",
            queries::SHIPMENT_CREATE.query,
            "ShipmentCreate",
        ),
        (
            "purchase_order_update.json",
            queries::PURCHASE_ORDER_UPDATE.query,
            "PurchaseOrderUpdate",
        ),
    ];
    for (file, q, name) in pairs {
        let answer: Value = serde_json::from_str(&fixture("shiphero", file)).unwrap();
        o.check_answer(&body(q, name), &answer)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    // The mock's computed lookup answers hold only what the lookup selects, too.
    let lookup =
        json!({"query": queries::ledger_products(2), "operationName": queries::LEDGER_PRODUCTS,
        "variables": {"s0": "STAKE-8", "s1": "GHOST-1"}})
        .to_string();
    let answer: Value = serde_json::from_str(&ledger_products_answer(&lookup)).unwrap();
    assert_eq!(
        answer["data"]["p0"]["data"]["edges"][0]["node"]["id"],
        json!("UHJvZHVjdDo5MDAy")
    );
    assert_eq!(answer["data"]["p1"]["data"]["edges"], json!([]));
    o.check_answer(&lookup, &answer)
        .unwrap_or_else(|e| panic!("LedgerProducts: {e}"));
    let bad = json!({"data": {"account": {"data": {"warehouses": [{"name": "x"}]}}}});
    assert!(o
        .check_answer(&body(queries::ACCOUNT.query, "Account"), &bad)
        .is_err());
}

#[tokio::test]
async fn fixtures_normalize_exactly() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let m = start(&o, vec![]).await;
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    for f in c.descriptor().read_functions.clone() {
        let recs = pull_all(&c, &good, f, 2, 50)
            .await
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_snapshot("shiphero", &format!("{f}.json"), &Value::Array(recs));
    }
    // The order without an id and the charge without an amount were reported, not
    // silently dropped.
    assert_eq!(c.unmapped(), 2);
    assert_no_violations(&m);
    let seen = m.seen();
    // One token exchange served every call of the connection.
    assert_eq!(
        seen.iter().filter(|s| s.target == "/auth/refresh").count(),
        1
    );
    // Orders were asked for by ShipHero's updated filter over the window, page by page.
    let orders: Vec<Value> = seen
        .iter()
        .filter(|s| s.body.contains(&op("Orders")))
        .map(|s| serde_json::from_str::<Value>(&s.body).unwrap()["variables"].clone())
        .collect();
    assert_eq!(
        orders,
        vec![
            json!({"first": 2, "after": null, "updated_from": "2026-03-01T00:00:00Z", "updated_to": "2026-04-01T00:00:00Z"}),
            json!({"first": 2, "after": CUR1, "updated_from": "2026-03-01T00:00:00Z", "updated_to": "2026-04-01T00:00:00Z"}),
        ]
    );
    let sent = |operation: &str| -> Vec<Value> {
        seen.iter()
            .filter(|s| s.body.contains(&op(operation)))
            .map(|s| serde_json::from_str::<Value>(&s.body).unwrap()["variables"].clone())
            .collect()
    };
    // Charges and inventory changes take no dates: every page is read, following pageInfo.
    for operation in ["AdHocCharges", "InventoryChanges"] {
        assert_eq!(
            sent(operation),
            vec![
                json!({"first": 2, "after": null}),
                json!({"first": 2, "after": CUR1})
            ],
            "{operation}"
        );
    }
    assert_eq!(sent("Locations"), vec![json!({"first": 2, "after": null})]);
    // One product lookup per ledger page, for the page's distinct in-window SKUs only (the
    // out-of-window change's SKU is not looked up on its own).
    assert_eq!(
        sent("LedgerProducts"),
        vec![
            json!({"customer_account_id": null, "s0": "STAKE-8", "s1": "TENT-2P"}),
            json!({"customer_account_id": null, "s0": "STAKE-8", "s1": "GHOST-1"}),
        ]
    );
}

#[tokio::test]
async fn passes_the_compliance_kit() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let m = start(&o, vec![]).await;
    let c = ShipHero::new();
    let (since, until) = window();
    let report = compliance::check(
        &c,
        &creds(&m.url, REFRESH),
        &creds(&m.url, "rt-revoked"),
        since,
        until,
        2,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.functions, 10);
    assert!(report.records >= 20, "{report:?}");
    assert_no_violations(&m);
}

#[tokio::test]
async fn credentials_permissions_and_me() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let denied = r#"{"errors":[{"message":"You don't have permission to access returns","code":7}],"data":{"returns":null}}"#;
    let m = start(&o, vec![gql("Returns", denied)]).await;
    let c = ShipHero::new();
    match c.validate(&creds(&m.url, "rt-revoked")).await {
        Err(ConnectorError::Auth(msg)) => assert_eq!(msg, "Invalid refresh token"),
        other => panic!("{other:?}"),
    }
    let v = c.validate(&creds(&m.url, REFRESH)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![
            (
                "get_returns".to_string(),
                "You don't have permission to access returns".to_string()
            ),
            (
                "create_return".to_string(),
                "You don't have permission to access returns".to_string()
            ),
        ]
    );
    assert_eq!(v.me.get("account_id"), Some(&json!("QWNjb3VudDo0NDEyMA==")));
    assert_eq!(v.me.get("username"), Some(&json!("acme-outdoor")));
    assert_eq!(
        v.me.get("warehouse_ids").unwrap().as_array().unwrap().len(),
        2
    );
    assert_no_violations(&m);
}

#[tokio::test]
async fn a_shipment_whose_order_is_not_read_back_answers_the_stored_order_or_a_final_error() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let gone = r#"{"errors":[{"message":"Order not found","code":6}],"data":{"order":null}}"#;
    let m = start(&o, vec![gql("Order", gone)]).await;
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    let req = |current| {
        write_req(
            "create_order_shipment",
            Some("T3JkZXI6MzAxMDAz"),
            json!({}),
            current,
        )
    };
    let stored = json!({"id": "T3JkZXI6MzAxMDAz", "status": "open", "shipments": []});
    let out = c.write(&good, &req(Some(stored))).await.expect("shipped");
    assert_eq!(out.records[0]["status"], json!("open"));
    assert_eq!(
        out.records[0]["shipments"][0]["shipment_id"],
        json!("U2hpcG1lbnQ6NjAwMQ==")
    );
    // Without a stored copy: a final error naming the created shipment, never a retryable
    // one (a retry would create a second shipment).
    assert_eq!(
        c.write(&good, &req(None)).await.unwrap_err(),
        ConnectorError::Permanent {
            message: "ShipHero created shipment U2hpcG1lbnQ6NjAwMQ== but order T3JkZXI6MzAxMDAz could not be read back".into(),
            status: Some(502)
        }
    );
    assert_no_violations(&m);
}

#[tokio::test]
async fn locations_ledger_and_bills_permissions_mark_exactly_their_function() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let denied = |root: &str, what: &str| {
        json!({"errors": [{"message": format!("You don't have permission to access {what}"), "code": 7}],
            "data": {root: null}})
        .to_string()
    };
    let m = start(
        &o,
        vec![
            gql("Locations", denied("locations", "locations")),
            gql(
                "InventoryChanges",
                denied("inventory_changes", "inventory changes"),
            ),
            gql("AdHocCharges", denied("ad_hoc_charges", "billing")),
        ],
    )
    .await;
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    let v = c.validate(&good).await.expect("valid");
    let missing = |f: &str, what: &str| {
        (
            f.to_string(),
            format!("You don't have permission to access {what}"),
        )
    };
    assert_eq!(
        v.missing,
        vec![
            missing("get_warehouse_locations", "locations"),
            missing("get_inventory_ledger", "inventory changes"),
            missing("get_bills", "billing"),
        ]
    );
    // A pull of a refused read names just that function.
    let (since, until) = window();
    let err = c
        .pull(
            &good,
            &PullRequest {
                function: "get_bills".into(),
                since,
                until,
                cursor: None,
                page_size: 5,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::MissingPermission {
            message: "You don't have permission to access billing".into(),
            functions: vec!["get_bills".into()]
        }
    );
    assert_no_violations(&m);
}

#[tokio::test]
async fn exhausted_credits_are_rate_limited_per_connection() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let m = start(
        &o,
        vec![gql("Orders", fixture("shiphero", "credits_exhausted.json")).body_has("\"first\":50")],
    )
    .await;
    let c = ShipHero::new();
    let busy = creds(&m.url, REFRESH);
    let (since, until) = window();
    let req = |page_size| PullRequest {
        function: "get_orders".into(),
        since,
        until,
        cursor: None,
        page_size,
    };
    assert_eq!(
        c.pull(&busy, &req(50)).await.unwrap_err(),
        ConnectorError::RateLimited {
            retry_after: Some(Duration::from_secs(4))
        }
    );
    let calls = m.seen().len();
    // ShipHero said 11 credits remain and Orders needs 251: the next call waits without
    // asking ShipHero, for about (251 - 11) / 60 seconds.
    match c.pull(&busy, &req(2)).await {
        Err(ConnectorError::RateLimited {
            retry_after: Some(d),
        }) => assert!(
            d > Duration::from_secs(3) && d <= Duration::from_secs(4),
            "{d:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        m.seen().len(),
        calls,
        "the throttled connection called ShipHero"
    );
    // Another connection's credits are its own.
    let other = creds(&m.url, "rt-other");
    assert_eq!(c.pull(&other, &req(2)).await.unwrap().records.len(), 2);
    assert_no_violations(&m);
}

#[tokio::test]
async fn a_refused_access_token_is_exchanged_again() {
    let Some(_o) = Oracle::load(SPEC) else { return };
    // The first exchange hands out a token ShipHero then refuses; the second a good one.
    let n = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n2 = n.clone();
    let m = Mock::start(
        vec![
            Route::ok("POST", "/auth/refresh", "")
                .respond(move |_| {
                    let token = match n2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                        0 => "sh-stale",
                        _ => ACCESS,
                    };
                    json!({"access_token": token, "expires_in": 2419200}).to_string()
                })
                .open(),
            gql("Vendors", fixture("shiphero", "vendors.json")),
        ],
        ("authorization", &format!("Bearer {ACCESS}")),
        r#"{"code":22,"message":"Expired token"}"#,
    )
    .await;
    let c = ShipHero::new();
    let recs = pull_all(
        &c,
        &creds(&m.url, REFRESH),
        "get_inbound_shipment_suppliers",
        10,
        3,
    )
    .await
    .expect("pulled after a second exchange");
    assert_eq!(recs.len(), 2);
    assert_eq!(n.load(std::sync::atomic::Ordering::SeqCst), 2);
}

fn write_req(f: &str, id: Option<&str>, body: Value, current: Option<Value>) -> WriteRequest {
    WriteRequest {
        function: f.into(),
        id: id.map(Into::into),
        body,
        current,
        file: None,
    }
}

fn sent_variables(m: &Mock, operation: &str) -> Value {
    let s = m
        .seen()
        .into_iter()
        .rfind(|s| s.body.contains(&op(operation)))
        .unwrap_or_else(|| panic!("{operation} was not sent"));
    serde_json::from_str::<Value>(&s.body).unwrap()["variables"].clone()
}

#[tokio::test]
async fn writes_send_exact_mutation_variables() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let m = start(&o, vec![]).await;
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    let check_schema = |f: &str, body: &Value| {
        let schema = &c.descriptor().write(f).expect("variant").schema;
        let v = jsonschema::validator_for(schema).expect("schema compiles");
        assert!(v.is_valid(body), "{f} body must match the variant schema");
    };

    let body = json!({
        "order_number": "W-1", "reference_id": "shop-77", "channel": "acme-outdoor.myshopify.com",
        "shipping_method": "Ground", "carrier": "ups", "total_shipping": 7.5, "warehouse_id": "V2FyZWhvdXNlOjExNzkx",
        "ship_to_address": {"full_name": "Lee Park", "address1": "3 Oak Ave", "city": "Reno", "state": "NV", "postal_code": "89501", "country": "us", "email_address": "lee@example.com"},
        "line_items": [{"sku": "STAKE-8", "quantity": 2, "unit_price": 6.5}],
        "required_ship_date": "2026-03-20", "tags": ["api"]
    });
    check_schema("create_order", &body);
    let out = c
        .write(&good, &write_req("create_order", None, body, None))
        .await
        .expect("created");
    assert_eq!(out.records[0]["order_number"], json!("W-1"));
    assert_eq!(
        sent_variables(&m, "OrderCreate"),
        json!({"data": {
            "order_number": "W-1", "partner_order_id": "shop-77", "shop_name": "acme-outdoor.myshopify.com",
            "email": "lee@example.com", "required_ship_date": "2026-03-20T00:00:00Z",
            "shipping_lines": [{"title": "Ground", "method": "Ground", "carrier": "ups", "price": 7.5}],
            "shipping_address": {"first_name": "Lee", "last_name": "Park", "address1": "3 Oak Ave", "city": "Reno",
                "state": "NV", "zip": "89501", "country": "us", "country_code": "US", "email": "lee@example.com"},
            "tags": ["api"],
            "line_items": [{"sku": "STAKE-8", "quantity": 2, "price": 6.5, "partner_line_item_id": "W-1-1", "warehouse_id": "V2FyZWhvdXNlOjExNzkx"}],
            "warehouse_id": "V2FyZWhvdXNlOjExNzkx"
        }})
    );

    let out = c
        .write(
            &good,
            &write_req("cancel_order", Some("T3JkZXI6MzAxMDAz"), json!({}), None),
        )
        .await
        .expect("cancelled");
    assert_eq!(out.records[0]["status"], json!("cancelled"));
    assert_eq!(
        sent_variables(&m, "OrderCancel"),
        json!({"id": "T3JkZXI6MzAxMDAz"})
    );

    let body = json!({"sku": "MUG-TI", "name": "Titanium Mug", "gtin": "0812345000035", "price": 24.0,
        "measurements": {"length": 25.4, "width": 10.16, "height": 12.7, "unit": "cm", "weight": 16.0, "weight_unit": "oz"}});
    check_schema("create_product", &body);
    c.write(&good, &write_req("create_product", None, body, None))
        .await
        .expect("product");
    assert_eq!(
        sent_variables(&m, "ProductCreate"),
        json!({"data": {"sku": "MUG-TI", "name": "Titanium Mug", "barcode": "0812345000035", "price": 24.0,
            "dimensions": {"length": 10.0, "width": 4.0, "height": 5.0, "weight": 1.0}}})
    );

    let body = json!({"supplier_object": {"supplier_id": "VmVuZG9yOjUwMQ=="}, "warehouse_id": "V2FyZWhvdXNlOjExNzkx",
        "purchase_order_number": "PO-9", "po_date": "2026-03-01",
        "line_items": [{"sku": "TENT-2P", "expected_quantity": 30, "price": 100.0}]});
    check_schema("create_inbound_shipment", &body);
    let out = c
        .write(
            &good,
            &write_req("create_inbound_shipment", None, body, None),
        )
        .await
        .expect("po");
    assert_eq!(out.records[0]["status"], json!("receiving"));
    assert_eq!(
        sent_variables(&m, "PurchaseOrderCreate"),
        json!({"data": {"vendor_id": "VmVuZG9yOjUwMQ==", "warehouse_id": "V2FyZWhvdXNlOjExNzkx", "po_number": "PO-9",
            "po_date": "2026-03-01T00:00:00Z", "line_items": [{"sku": "TENT-2P", "quantity": 30, "price": 100.0}]}})
    );

    // A return by SKU: the line item id is found on the order.
    let body = json!({"order_id": "T3JkZXI6MzAxMDAx", "reason": "Too small",
        "line_items": [{"sku": "STAKE-8", "quantity": 1, "condition": "Good"}]});
    check_schema("create_return", &body);
    c.write(&good, &write_req("create_return", None, body, None))
        .await
        .expect("return");
    assert_eq!(
        sent_variables(&m, "OrderLines"),
        json!({"id": "T3JkZXI6MzAxMDAx"})
    );
    assert_eq!(
        sent_variables(&m, "ReturnCreate"),
        json!({"data": {"order_id": "T3JkZXI6MzAxMDAx", "reason": "Too small",
            "line_items": [{"line_item_id": "TGluZUl0ZW06Mg==", "quantity": 1, "condition": "Good"}]}})
    );

    let current = json!({"id": "UHJvZHVjdDo5MDAy", "sku": "STAKE-8", "onhand": 220, "fulfillable": 214, "sellable": 214,
        "inventory_by_warehouse_id": {"V2FyZWhvdXNlOjExNzkx": {"onhand": 220, "fulfillable": 214, "sellable": 214}}});
    let body = json!({"quantity": 5, "adjustment_type": "increase", "warehouse_id": "V2FyZWhvdXNlOjExNzkx", "reason": "cycle count"});
    check_schema("adjust_inventory", &body);
    let out = c
        .write(
            &good,
            &write_req(
                "adjust_inventory",
                Some("UHJvZHVjdDo5MDAy"),
                body,
                Some(current),
            ),
        )
        .await
        .expect("adjusted");
    assert_eq!(out.records[0]["onhand"], json!(225));
    assert_eq!(
        out.records[0]["inventory_by_warehouse_id"]["V2FyZWhvdXNlOjExNzkx"]["onhand"],
        json!(225)
    );
    assert_eq!(
        sent_variables(&m, "InventoryAdd"),
        json!({"data": {"sku": "STAKE-8", "warehouse_id": "V2FyZWhvdXNlOjExNzkx", "quantity": 5, "reason": "cycle count"}})
    );

    // A shipment: ShipHero's input takes the order, a warehouse and a profile only; the base
    // members it cannot carry are not in the variant (so they come back as unused fields).
    let variant = &c
        .descriptor()
        .write("create_order_shipment")
        .unwrap()
        .schema;
    let v = jsonschema::validator_for(variant).unwrap();
    assert!(!v.is_valid(&json!({"tracking_number": "1Z999"})));
    let body = json!({"warehouse_id": "V2FyZWhvdXNlOjExNzkx", "profile": "default"});
    check_schema("create_order_shipment", &body);
    let out = c
        .write(
            &good,
            &write_req(
                "create_order_shipment",
                Some("T3JkZXI6MzAxMDAz"),
                body,
                None,
            ),
        )
        .await
        .expect("shipped");
    assert_eq!(
        sent_variables(&m, "ShipmentCreate"),
        json!({"data": {"order_id": "T3JkZXI6MzAxMDAz", "warehouse_id": "V2FyZWhvdXNlOjExNzkx", "profile": "default"}})
    );
    // The order is read back (its status moved) and carries the new shipment.
    assert_eq!(
        sent_variables(&m, "Order"),
        json!({"id": "T3JkZXI6MzAxMDAz"})
    );
    let order = &out.records[0];
    assert_eq!(order["id"], json!("T3JkZXI6MzAxMDAz"));
    assert_eq!(order["status"], json!("fulfilled"));
    assert_eq!(
        order["shipments"],
        json!([{
            "shipment_id": "U2hpcG1lbnQ6NjAwMQ==",
            "warehouse_id": "V2FyZWhvdXNlOjExNzkx",
            "raw_status": null,
            "status": "shipped",
            "shipped_date": "2026-03-09T10:00:00Z",
            "shipping_method": null,
            "line_items": [{"inventory_item_id": "UHJvZHVjdDo5MDA0", "sku": "LANTERN", "quantity": 1, "parent_product_id": null}],
            "ship_to_address": {"full_name": "Ana Silva", "company": null, "address1": "9 Elm Ct", "address2": null,
                "address3": null, "city": "Austin", "state": "TX", "postal_code": "78701", "country": "US",
                "phone_number": "555-0134", "email_address": null},
            "ship_from_address": {"address1": null, "address2": null, "address3": null, "city": null, "state": null,
                "postal_code": null, "country": null},
            "packages": [{
                "package_id": "U2hpcHBpbmdMYWJlbDo3MDE=", "package_name": null, "tracking_number": "1Z999AA10123456784",
                "tracking_url": null, "shipping_method": "Ground", "carrier": "ups", "shipping_method_id": null,
                "shipping_method_name": "Ground", "carrier_id": null, "carrier_name": "ups", "scac": null,
                "shipping_cost": 8.1,
                "measurements": {"length": null, "width": null, "height": null, "unit": null, "weight": null, "weight_unit": null},
                "line_items": []
            }]
        }])
    );

    // An inbound shipment update: ShipHero changes the PO number and notes.
    let body = json!({"purchase_order_number": "PO-2026-031B", "po_note": "Dock 4"});
    check_schema("update_inbound_shipment", &body);
    let out = c
        .write(
            &good,
            &write_req(
                "update_inbound_shipment",
                Some("UHVyY2hhc2VPcmRlcjo3MDAx"),
                body,
                None,
            ),
        )
        .await
        .expect("updated");
    assert_eq!(
        sent_variables(&m, "PurchaseOrderUpdate"),
        json!({"data": {"po_id": "UHVyY2hhc2VPcmRlcjo3MDAx", "po_number": "PO-2026-031B", "po_note": "Dock 4"}})
    );
    assert_eq!(out.records[0]["id"], json!("UHVyY2hhc2VPcmRlcjo3MDAx"));
    assert_eq!(
        out.records[0]["purchase_order_number"],
        json!("PO-2026-031B")
    );
    assert_eq!(out.records[0]["notes"], json!(["Dock 4"]));
    assert_no_violations(&m);
}

#[tokio::test]
async fn shipment_and_inbound_update_refusals_keep_shiphero_words() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let ship = r#"{"errors":[{"message":"Order T3JkZXI6MzAxMDAz has no line items pending fulfillment","code":9}],"data":{"shipment_create":null}}"#;
    let po = r#"{"errors":[{"message":"Purchase order PO-2026-031 is closed and can't be updated","code":9}],"data":{"purchase_order_update":null}}"#;
    let m = start(
        &o,
        vec![gql("ShipmentCreate", ship), gql("PurchaseOrderUpdate", po)],
    )
    .await;
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    let err = c
        .write(
            &good,
            &write_req(
                "create_order_shipment",
                Some("T3JkZXI6MzAxMDAz"),
                json!({}),
                None,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Order T3JkZXI6MzAxMDAz has no line items pending fulfillment".into(),
            status: Some(422)
        }
    );
    // A refused shipment reads nothing more.
    assert!(!m.seen().iter().any(|s| s.body.contains(&op("Order"))));
    let err = c
        .write(
            &good,
            &write_req(
                "update_inbound_shipment",
                Some("UHVyY2hhc2VPcmRlcjo3MDAx"),
                json!({"po_note": "x"}),
                None,
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Purchase order PO-2026-031 is closed and can't be updated".into(),
            status: Some(422)
        }
    );
    assert_eq!(
        sent_variables(&m, "PurchaseOrderUpdate"),
        json!({"data": {"po_id": "UHVyY2hhc2VPcmRlcjo3MDAx", "po_note": "x"}})
    );
    assert_no_violations(&m);
}

#[tokio::test]
async fn refusals_keep_shiphero_words() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let refusal = r#"{"errors":[{"message":"Order with order_number W-1 already exists","code":5}],"data":{"order_create":null}}"#;
    let m = start(&o, vec![gql("OrderCreate", refusal)]).await;
    let c = ShipHero::new();
    let body = json!({"order_number": "W-1", "ship_to_address": {"full_name": "A B"}, "line_items": [{"sku": "X", "quantity": 1}]});
    let err = c
        .write(
            &creds(&m.url, REFRESH),
            &write_req("create_order", None, body, None),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Order with order_number W-1 already exists".into(),
            status: Some(422)
        }
    );
    assert_no_violations(&m);
}

#[tokio::test]
async fn robust_against_random_schema_shaped_answers() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let rng = graphql::seeded(7);
    let (o2, r2) = (o.clone(), rng.clone());
    let random = Route::ok("POST", "/graphql", "").respond(move |body| {
        let mut g = r2.lock().unwrap();
        o2.random_answer(body, &mut g).to_string()
    });
    let m = start(&o, vec![]).await;
    let m = {
        drop(m);
        let mut r = vec![Route::ok(
            "POST",
            "/auth/refresh",
            fixture("shiphero", "auth_refresh.json"),
        )
        .open()];
        r.push(random);
        let oc = o.clone();
        Mock::start_checked(
            r,
            ("authorization", &format!("Bearer {ACCESS}")),
            "{}",
            Some(Arc::new(move |method, path, body| {
                if method == "POST" && path == "/graphql" {
                    oc.check_body(body)
                } else {
                    Ok(())
                }
            })),
        )
        .await
    };
    let c = ShipHero::new();
    let good = creds(&m.url, REFRESH);
    for round in 0..20 {
        for f in c.descriptor().read_functions.clone() {
            let recs = pull_all(&c, &good, f, 20, 3)
                .await
                .unwrap_or_else(|e| panic!("round {round} {f}: {e}"));
            for r in recs {
                assert!(r["id"].is_string(), "{f}: {r}");
            }
        }
    }
    // Random answers do carry records without ids; each was reported.
    assert!(c.unmapped() > 0);
    assert_no_violations(&m);
}

#[tokio::test]
async fn passthrough_posts_graphql_with_the_bearer_token() {
    let Some(o) = Oracle::load(SPEC) else { return };
    let m = start(&o, vec![]).await;
    let c = ShipHero::new();
    let req = waybill_connect::PassthroughRequest {
        method: "POST".into(),
        path: "/graphql".into(),
        params: Default::default(),
        headers: Default::default(),
        data: Some(
            json!({"query": queries::VENDORS.query, "operationName": "Vendors", "variables": {"first": 5}}),
        ),
    };
    let out = c
        .passthrough(&creds(&m.url, REFRESH), &req)
        .await
        .expect("passed through");
    assert_eq!(out.status_code, 200);
    assert_eq!(out.body["data"]["vendors"]["complexity"], json!(51));
    // A document ShipHero's schema refuses is the vendor's answer, not an error.
    let bad = waybill_connect::PassthroughRequest {
        data: Some(json!({"query": "query { vendors { nope } }"})),
        ..req
    };
    let out = c
        .passthrough(&creds(&m.url, REFRESH), &bad)
        .await
        .expect("answered");
    assert_eq!(out.status_code, 400);
    assert_eq!(m.violations().len(), 1, "the mock saw the invalid document");
}
