//! ShipBob connector: exact normalization of fixture answers, the compliance kit, credential
//! and permission handling, and contract/robustness runs against Prism serving ShipBob's spec.

#[path = "support/mock.rs"]
mod mock;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/pull.rs"]
mod pull;

use chrono::Utc;
use mock::{assert_snapshot, fixture, Mock, Route};
use serde_json::{json, Value};
use waybill_connect::{
    compliance, Connector, ConnectorError, Credentials, PassthroughRequest, WriteRequest,
};
use waybill_connectors::shipbob::{writes, ShipBob};

const TOKEN: &str = "pat-test-token";
const V: &str = "/2026-01";

fn creds(url: &str, token: &str) -> Credentials {
    let mut m = serde_json::Map::new();
    m.insert("access_token".into(), json!(token));
    m.insert("base_url".into(), json!(url));
    Credentials(m)
}

/// The one transaction of the storage invoice 8802.
const STORAGE_TRANSACTIONS: &str = r#"{"items":[{"transaction_id":"01HZX7T5101","amount":310.0,"currency_code":"USD","charge_date":"2026-03-01","invoiced_status":true,"invoice_id":8802,"invoice_date":"2026-03-02","invoice_type":"WarehouseStorage","reference_id":"156","reference_type":"FC","transaction_fee":"Warehouse Storage Fee","transaction_type":"Charge","fulfillment_center":"Cicero (IL)","taxes":[],"additional_details":{"Pallets":"4"}}],"next":null}"#;

fn routes() -> Vec<Route> {
    let f = |n| fixture("shipbob", n);
    vec![
        Route::ok("GET", &format!("{V}/channel"), f("channels.json")),
        Route::ok("GET", &format!("{V}/order"), f("orders_page2.json")).when("Page=2"),
        Route::ok("GET", &format!("{V}/order"), "[]").when("Page=3"),
        Route::ok("GET", &format!("{V}/order"), f("orders_page1.json")),
        Route::ok("GET", &format!("{V}/product"), f("products_page2.json"))
            .when("Cursor=Y3Vyc29yOjI%3D"),
        Route::ok("GET", &format!("{V}/product"), f("products_page1.json")),
        Route::ok("GET", &format!("{V}/inventory-level"), f("inventory.json")),
        Route::ok("GET", &format!("{V}/receiving"), "[]").when("Page=2"),
        Route::ok("GET", &format!("{V}/receiving"), f("receiving.json")),
        Route::ok("GET", &format!("{V}/return"), f("returns.json")),
        Route::ok(
            "GET",
            &format!("{V}/fulfillment-center"),
            f("fulfillment_centers.json"),
        ),
        Route::ok("GET", &format!("{V}/invoices"), f("invoices_page2.json"))
            .when("Cursor=aW52OjI%3D"),
        Route::ok("GET", &format!("{V}/invoices"), f("invoices.json")),
        Route::ok(
            "GET",
            &format!("{V}/invoices/8801/transactions"),
            f("invoice_transactions_page2.json"),
        )
        .when("Cursor=dHg6Mg%3D%3D"),
        Route::ok(
            "GET",
            &format!("{V}/invoices/8801/transactions"),
            f("invoice_transactions.json"),
        ),
        Route::ok(
            "GET",
            &format!("{V}/invoices/8802/transactions"),
            STORAGE_TRANSACTIONS,
        ),
        Route::ok(
            "GET",
            &format!("{V}/invoices/8815/transactions"),
            r#"{"items":[],"next":null}"#,
        ),
        // ShipBob's next link carries the cursor in the query; the body repeats it.
        Route::ok(
            "POST",
            &format!("{V}/inventory/history:query"),
            f("inventory_history_page2.json"),
        )
        .when("cursor=32210")
        .body_has(r#""cursor":32210"#),
        Route::ok(
            "POST",
            &format!("{V}/inventory/history:query"),
            f("inventory_history.json"),
        )
        .body_has(r#""facility_id":156"#),
        Route::ok("GET", &format!("{V}/shipping-method"), "[]").when("Page=2"),
        Route::ok(
            "GET",
            &format!("{V}/shipping-method"),
            f("shipping_methods.json"),
        ),
    ]
}

async fn start(extra: Vec<Route>) -> Mock {
    let mut r = extra;
    r.extend(routes());
    Mock::start(
        r,
        ("authorization", &format!("Bearer {TOKEN}")),
        r#"{"message":"Authorization has been denied for this request."}"#,
    )
    .await
}

/// The March 2026 window the fixtures are dated in.
fn window() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    pull::window((2026, 3, 1), (2026, 4, 1))
}

async fn pull_all(
    c: &dyn Connector,
    creds: &Credentials,
    f: &str,
    page_size: usize,
    max_pages: usize,
) -> Result<Vec<Value>, ConnectorError> {
    pull::pages(c, creds, f, window(), page_size, max_pages).await
}

#[tokio::test]
async fn fixtures_normalize_exactly() {
    let m = start(vec![]).await;
    let c = ShipBob::new();
    let good = creds(&m.url, TOKEN);
    for f in c.descriptor().read_functions.clone() {
        let recs = pull_all(&c, &good, f, 2, 50)
            .await
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_snapshot("shipbob", &format!("{f}.json"), &Value::Array(recs));
    }
    // Reported, not silently dropped: the variant without an id, the invoice without an id
    // and the inventory event that moved nothing.
    assert_eq!(c.unmapped(), 3);
    // Orders were asked for by ShipBob's last-update filter over the window, page by page.
    let seen = m.seen();
    let orders: Vec<_> = seen
        .iter()
        .filter(|s| s.target.starts_with("/2026-01/order?"))
        .collect();
    assert_eq!(orders.len(), 2, "{orders:?}");
    assert!(
        orders[0]
            .target
            .contains("LastUpdateStartDate=2026-03-01T00%3A00%3A00Z"),
        "{}",
        orders[0].target
    );
    assert!(orders[0].target.contains("Limit=2") && orders[1].target.contains("Page=2"));
    // Invoices by invoice date over the window; the next page by ShipBob's cursor alone
    // (a cursor overrides every filter).
    let invoices: Vec<_> = seen
        .iter()
        .filter(|s| s.target.starts_with("/2026-01/invoices?"))
        .map(|s| s.target.as_str())
        .collect();
    assert_eq!(
        invoices,
        [
            "/2026-01/invoices?PageSize=2&FromDate=2026-03-01T00%3A00%3A00Z&ToDate=2026-04-01T00%3A00%3A00Z&SortOrder=Ascending",
            "/2026-01/invoices?Cursor=aW52OjI%3D&PageSize=2",
        ]
    );
    // Every transaction page of every invoice in the window was read, and none of the
    // invoice dated on the window's end.
    let transactions: Vec<_> = seen
        .iter()
        .filter(|s| s.target.contains("/transactions"))
        .map(|s| s.target.as_str())
        .collect();
    assert_eq!(
        transactions,
        [
            "/2026-01/invoices/8801/transactions?PageSize=1000",
            "/2026-01/invoices/8801/transactions?Cursor=dHg6Mg%3D%3D",
            "/2026-01/invoices/8802/transactions?PageSize=1000",
            "/2026-01/invoices/8815/transactions?PageSize=1000",
        ]
    );
    // The ledger: fulfillment center 156 over the window; ShipBob's first page handed out two
    // entries at a time (asked twice), then its next page by cursor.
    let history: Vec<(String, Value)> = seen
        .iter()
        .filter(|s| s.method == "POST")
        .map(|s| (s.target.clone(), serde_json::from_str(&s.body).unwrap()))
        .collect();
    let first = json!({"facility_id": 156, "start_date": "2026-03-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"});
    let mut next = first.clone();
    next["cursor"] = json!(32210);
    assert_eq!(
        history,
        [
            (
                "/2026-01/inventory/history:query".to_string(),
                first.clone()
            ),
            ("/2026-01/inventory/history:query".to_string(), first),
            (
                "/2026-01/inventory/history:query?cursor=32210".to_string(),
                next
            ),
        ]
    );
}

#[tokio::test]
async fn passes_the_compliance_kit() {
    let m = start(vec![]).await;
    let c = ShipBob::new();
    let (since, until) = window();
    let report = compliance::check(
        &c,
        &creds(&m.url, TOKEN),
        &creds(&m.url, "wrong"),
        since,
        until,
        2,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.functions, 10);
    assert!(report.records >= 12, "{report:?}");
}

#[tokio::test]
async fn credentials_and_permissions() {
    let m = start(vec![
        Route::ok(
            "GET",
            &format!("{V}/inventory-level"),
            r#"{"message":"Insufficient scope: inventory_read"}"#,
        )
        .status(403),
        Route::ok(
            "GET",
            &format!("{V}/receiving"),
            r#"{"message":"slow down"}"#,
        )
        .status(429)
        .header("Retry-After", "7"),
    ])
    .await;
    let c = ShipBob::new();
    match c.validate(&creds(&m.url, "revoked")).await {
        Err(ConnectorError::Auth(msg)) => {
            assert_eq!(msg, "Authorization has been denied for this request.")
        }
        other => panic!("{other:?}"),
    }
    let err = c.validate(&creds(&m.url, TOKEN)).await.unwrap_err();
    assert_eq!(
        err,
        ConnectorError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(7))
        }
    );
    let m2 = start(vec![Route::ok(
        "GET",
        &format!("{V}/inventory-level"),
        r#"{"message":"Insufficient scope: inventory_read"}"#,
    )
    .status(403)])
    .await;
    let v = c.validate(&creds(&m2.url, TOKEN)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![(
            "get_inventory".to_string(),
            "Insufficient scope: inventory_read".to_string()
        )]
    );
    assert_eq!(v.me.get("channel_id"), Some(&json!("41237")));
    assert_eq!(v.me.get("channel_name"), Some(&json!("Acme Outdoor (API)")));
}

#[tokio::test]
async fn writes_send_shipbob_bodies_and_keep_refusals_verbatim() {
    let refusal = r#"{"errors":{"Recipient.Address.Country":["Country is not supported"]}}"#;
    let m = start(vec![
        Route::ok(
            "POST",
            &format!("{V}/order"),
            fixture("shipbob", "orders_page2.json")
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
        ),
        Route::ok("POST", &format!("{V}/receiving"), refusal).status(422),
    ])
    .await;
    let c = ShipBob::new();
    let good = creds(&m.url, TOKEN);
    let body = json!({
        "reference_id": "ACME-10043", "shipping_method": "Expedited",
        "ship_to_address": {"full_name": "Lee Park", "address1": "3 Elm Ct", "city": "Austin", "state": "TX", "postal_code": "78701", "country": "US"},
        "line_items": [{"sku": "STAKE-8", "quantity": 1, "unit_price": 19.99}],
        "order_type": "DropShip"
    });
    let out = c
        .write(
            &good,
            &WriteRequest {
                function: "create_order".into(),
                id: None,
                body,
                current: None,
                file: None,
            },
        )
        .await
        .expect("created");
    assert_eq!(out.records[0]["id"], json!("190560017"));
    let sent = m
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .expect("posted");
    assert!(sent
        .headers
        .iter()
        .any(|(k, v)| k == "shipbob_channel_id" && v == "41237"));
    let sent: Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(sent["type"], json!("DropShip"));
    assert_eq!(sent["recipient"]["address"]["zip_code"], json!("78701"));
    assert_eq!(sent["products"][0]["reference_id"], json!("STAKE-8"));
    let body = json!({"warehouse_id": "156", "expected_arrival_date": "2026-04-02", "line_items": [{"inventory_item_id": "30551", "expected_quantity": 10}]});
    let err = c
        .write(
            &good,
            &WriteRequest {
                function: "create_inbound_shipment".into(),
                id: None,
                body,
                current: None,
                file: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: r#"{"Recipient.Address.Country":["Country is not supported"]}"#.into(),
            status: Some(422)
        }
    );
}

fn write_bodies() -> Vec<(&'static str, Option<&'static str>, Value)> {
    vec![
        (
            "create_order",
            None,
            json!({
                "reference_id": "W-1", "shipping_method": "Standard",
                "ship_to_address": {"full_name": "A B", "address1": "1 Main St", "city": "Reno", "country": "US", "postal_code": "89501"},
                "line_items": [{"sku": "SKU-1", "quantity": 2, "unit_price": 3.5}, {"product_id": "88120", "quantity": 1}],
                "total_price": 10.0
            }),
        ),
        ("cancel_order", Some("190553201"), json!({})),
        (
            "create_product",
            None,
            json!({"sku": "SKU-9", "name": "Thing", "gtin": "00812345000127", "measurements": {"length": 10.0, "width": 5.0, "height": 2.0, "unit": "cm", "weight": 1.0, "weight_unit": "lb"}}),
        ),
        (
            "create_inbound_shipment",
            None,
            json!({"warehouse_id": "156", "expected_arrival_date": "2026-04-02T00:00:00Z", "purchase_order_number": "PO-1", "tracking_number": "1Z1", "line_items": [{"inventory_item_id": "30551", "expected_quantity": 10}]}),
        ),
        (
            "update_product",
            Some("88120"),
            json!({"name": "Tent", "sku": "TENT-2P", "measurements": {"length": 20.0, "width": 8.0, "height": 8.0, "unit": "in", "weight": 70.0, "weight_unit": "oz"}}),
        ),
        ("create_return", None, return_body()),
        ("update_return", Some("99300"), return_body()),
        ("cancel_return", Some("99300"), json!({})),
        (
            "update_inbound_shipment",
            Some("734411"),
            json!({"status": "cancelled"}),
        ),
        ("create_kit", None, kit_body()),
    ]
}

fn return_body() -> Value {
    json!({
        "reference_id": "RMA-20001", "warehouse_id": "156", "tracking_number": "1Z999AA10123450001",
        "original_shipment_id": "201455871",
        "line_items": [{"inventory_item_id": "30562", "sku": "STAKE-8", "quantity": 2, "requested_action": "Restock"}]
    })
}

/// The stored canonical product `update_product` is asked to change.
fn stored_product() -> Value {
    json!({"id": "88120", "sku": "TENT-2P", "additional_fields": {"shipbob_product_id": "5120001"}})
}

fn write_req(
    function: &str,
    id: Option<&str>,
    body: Value,
    current: Option<Value>,
) -> WriteRequest {
    WriteRequest {
        function: function.into(),
        id: id.map(Into::into),
        body,
        current,
        file: None,
    }
}

#[tokio::test]
async fn product_and_return_writes_send_exact_requests() {
    let f = |n| fixture("shipbob", n);
    let m = start(vec![
        Route::ok(
            "PATCH",
            &format!("{V}/product/5120001"),
            f("product_updated.json"),
        ),
        Route::ok("POST", &format!("{V}/return"), f("return_created.json")).status(201),
        Route::ok(
            "PUT",
            &format!("{V}/return/99300"),
            f("return_created.json"),
        ),
        Route::ok("POST", &format!("{V}/return/99300:cancel"), "{}"),
        Route::ok(
            "GET",
            &format!("{V}/return/99300"),
            f("return_cancelled.json"),
        ),
    ])
    .await;
    let c = ShipBob::new();
    let good = creds(&m.url, TOKEN);
    let writes: Vec<_> = write_bodies().into_iter().skip(4).take(4).collect();
    let mut outs = Vec::new();
    for (f, id, body) in writes {
        let current = (f == "update_product").then(stored_product);
        let out = c
            .write(&good, &write_req(f, id, body, current))
            .await
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_eq!(out.records.len(), 1, "{f}");
        outs.push(out.records[0].clone());
    }
    // The vendor requests, exactly.
    let sent: Vec<_> = m
        .seen()
        .into_iter()
        .filter(|s| s.method != "GET" || s.target.starts_with("/2026-01/return/"))
        .map(|s| {
            let body: Value = if s.body.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&s.body).unwrap()
            };
            (s.method.clone(), s.target.clone(), body, s.headers.clone())
        })
        .collect();
    let ret = json!({
        "reference_id": "RMA-20001", "fulfillment_center": {"id": 156},
        "inventory": [{"id": 30562, "quantity": 2, "requested_action": "Restock"}],
        "tracking_number": "1Z999AA10123450001", "original_shipment_id": 201455871
    });
    let expected = [
        (
            "PATCH",
            "/2026-01/product/5120001",
            json!({"variants": [{"id": 88120, "name": "Tent", "sku": "TENT-2P",
                "dimension": {"length": 20.0, "width": 8.0, "height": 8.0}, "weight": 70.0}]}),
        ),
        ("POST", "/2026-01/return", ret.clone()),
        ("PUT", "/2026-01/return/99300", ret),
        ("POST", "/2026-01/return/99300:cancel", Value::Null),
        ("GET", "/2026-01/return/99300", Value::Null),
    ];
    assert_eq!(sent.len(), expected.len(), "{sent:?}");
    for ((m, t, b, _), (em, et, eb)) in sent.iter().zip(expected.iter()) {
        assert_eq!((m.as_str(), t.as_str(), b), (*em, *et, eb));
    }
    assert!(sent[1]
        .3
        .iter()
        .any(|(k, v)| k == "shipbob_channel_id" && v == "41237"));
    // The normalized answers.
    assert_eq!(outs[0]["id"], json!("88120"));
    assert_eq!(outs[0]["name"], json!("Two-person tent (green)"));
    assert_eq!(
        outs[0]["additional_fields"]["shipbob_product_id"],
        json!("5120001")
    );
    assert_eq!(outs[0]["updated_date"], json!("2026-03-22T10:00:00Z"));
    for r in &outs[1..3] {
        assert_eq!(r["id"], json!("99300"));
        assert_eq!(r["status"], json!("open"));
        assert_eq!(r["raw_status"], json!("AwaitingArrival"));
        assert_eq!(r["order_id"], json!("ACME-10041"));
        assert_eq!(r["line_items"][0]["inventory_item_id"], json!("30562"));
        assert_eq!(r["line_items"][0]["expected_quantity"], json!(2));
        assert_eq!(
            r["shipments"][0]["tracking_number"],
            json!("1Z999AA10123450001")
        );
    }
    assert_eq!(outs[3]["status"], json!("cancelled"));
    assert_eq!(outs[3]["updated_date"], json!("2026-03-21T08:00:00Z"));
    // Without the stored product there is no ShipBob product id to update through.
    let err = c
        .write(
            &good,
            &write_req("update_product", Some("88120"), json!({"name": "x"}), None),
        )
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

#[tokio::test]
async fn contract_against_the_shipbob_spec() {
    let Some(p) = prism::Prism::start("shipbob/shipbob-openapi.json", prism::Mode::Strict) else {
        return;
    };
    let c = ShipBob::new().with_rate(100_000, 1_000);
    let mut good = creds(&p.url, TOKEN);
    good.0.insert("channel_id".into(), json!("41237"));
    // Prism refuses to serve examples that break ShipBob's own spec (the order example
    // does); those calls still had their request validated, which is what this test is for.
    let tolerated = |r: Result<(), ConnectorError>, what: &str| match r {
        Ok(()) => {}
        Err(ConnectorError::Transient(m)) if prism::Prism::is_spec_example_error(&m) => {
            eprintln!("{what}: Prism could not serve the spec's own example")
        }
        Err(e) => panic!("{what}: {e}"),
    };
    tolerated(c.validate(&good).await.map(|_| ()), "validate");
    for f in c.descriptor().read_functions.clone() {
        tolerated(pull_all(&c, &good, f, 50, 3).await.map(|_| ()), f);
    }
    for (f, id, body) in write_bodies() {
        let schema = &c.descriptor().write(f).expect("variant").schema;
        let validator = jsonschema::validator_for(schema).expect("schema compiles");
        assert!(
            validator.is_valid(&body),
            "{f} body must match the variant schema"
        );
        tolerated(
            c.write(
                &good,
                &WriteRequest {
                    function: f.into(),
                    id: id.map(Into::into),
                    body,
                    current: (f == "update_product").then(stored_product),
                    file: None,
                },
            )
            .await
            .map(|_| ()),
            f,
        );
    }
    // Prism cannot serve the product search's own example (its channel metadata breaks
    // the spec), so create_kit stops at its first component there: the bundle body it sends
    // is put to Prism directly.
    let kit: writes::CreateKit = serde_json::from_value(kit_body()).unwrap();
    let answer = c
        .passthrough(
            &good,
            &PassthroughRequest {
                method: "POST".into(),
                path: format!("{V}/product"),
                params: Default::default(),
                headers: Default::default(),
                data: Some(writes::kit_body(&kit, &[(88120, 1), (88131, 2)])),
            },
        )
        .await
        .expect("Prism answers");
    // Prism (`--errors`) answers a request that breaks the spec with 422.
    assert_ne!(answer.status_code, 422, "{:?}", answer.body);
    // The bill, ledger and receiving-cancel calls reached Prism (and were validated there),
    // and product creation twice: create_product's body and the kit's.
    let log = p.log();
    let posted = |call: &str| {
        log.iter()
            .filter(|l| {
                l.contains("[HTTP SERVER]") && l.contains(call) && l.contains("Request received")
            })
            .count()
    };
    assert_eq!(posted("post /2026-01/product "), 2, "{}", log.join("\n"));
    for call in [
        "get /2026-01/invoices ",
        "get /2026-01/invoices/0/transactions ",
        "post /2026-01/inventory/history:query ",
        "post /2026-01/receiving/734411:cancel ",
    ] {
        assert!(
            log.iter()
                .any(|l| l.contains("[HTTP SERVER]") && l.contains(call)),
            "Prism never saw {call}"
        );
    }
    let v = p.violations();
    assert!(
        v.is_empty(),
        "requests violating ShipBob's spec:\n{}",
        v.join("\n")
    );
}

#[tokio::test]
async fn robust_against_random_valid_answers() {
    let Some(p) = prism::Prism::start("shipbob/shipbob-openapi.json", prism::Mode::DynamicTolerant)
    else {
        return;
    };
    let c = ShipBob::new().with_rate(100_000, 1_000);
    let good = creds(&p.url, TOKEN);
    for round in 0..3 {
        for f in c.descriptor().read_functions.clone() {
            let recs = pull_all(&c, &good, f, 20, 3)
                .await
                .unwrap_or_else(|e| panic!("round {round} {f}: {e}"));
            for r in recs {
                assert!(r["id"].is_string(), "{f}: {r}");
            }
        }
    }
    assert!(p.violations().is_empty(), "{:?}", p.violations());
}

#[tokio::test]
async fn bills_and_ledger_permissions_are_probed_separately() {
    let refused = |method: &'static str, path: &str, msg: &str| {
        Route::ok(
            method,
            &format!("{V}{path}"),
            format!(r#"{{"message":"{msg}"}}"#),
        )
        .status(403)
    };
    let c = ShipBob::new();
    // Billing and inventory history refused: exactly their two reads are missing.
    let m = start(vec![
        refused("GET", "/invoices", "Insufficient scope: billing_read"),
        refused(
            "POST",
            "/inventory/history:query",
            "Insufficient scope: inventory_read",
        ),
    ])
    .await;
    let v = c.validate(&creds(&m.url, TOKEN)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![
            (
                "get_bills".to_string(),
                "Insufficient scope: billing_read".to_string()
            ),
            (
                "get_inventory_ledger".to_string(),
                "Insufficient scope: inventory_read".to_string()
            ),
        ]
    );
    // The history probe asked about a fulfillment center ShipBob listed.
    let probe = m
        .seen()
        .into_iter()
        .find(|s| s.method == "POST")
        .expect("history probed");
    let body: Value = serde_json::from_str(&probe.body).unwrap();
    assert_eq!(body["facility_id"], json!(156));
    // Without the fulfillment centers there is no ledger to read either, and no probe.
    let m = start(vec![refused("GET", "/fulfillment-center", "Forbidden")]).await;
    let v = c.validate(&creds(&m.url, TOKEN)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![
            ("get_warehouses".to_string(), "Forbidden".to_string()),
            ("get_inventory_ledger".to_string(), "Forbidden".to_string()),
        ]
    );
    assert!(m.seen().iter().all(|s| s.method != "POST"));
    // A 403 while pulling names the function it blocks.
    let m = start(vec![refused(
        "GET",
        "/invoices/8801/transactions",
        "Insufficient scope: billing_read",
    )])
    .await;
    let err = pull_all(&c, &creds(&m.url, TOKEN), "get_bills", 10, 5)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::MissingPermission {
            message: "Insufficient scope: billing_read".into(),
            functions: vec!["get_bills".into()]
        }
    );
}

#[tokio::test]
async fn ledger_walks_every_center_in_slices_of_ninety_days() {
    let empty = r#"{"data":[],"next":null}"#;
    let m = start(vec![
        Route::ok(
            "GET",
            &format!("{V}/fulfillment-center"),
            r#"[{"id":156,"name":"Cicero (IL)"},{"id":157,"name":"Ontario (CA)"}]"#,
        ),
        Route::ok("POST", &format!("{V}/inventory/history:query"), empty)
            .body_has(r#""facility_id":157"#),
        Route::ok("POST", &format!("{V}/inventory/history:query"), empty)
            .body_has(r#""start_date":"2026-04-01T00:00:00Z""#),
    ])
    .await;
    let c = ShipBob::new();
    let window = pull::window((2026, 1, 1), (2026, 6, 1));
    let recs = pull::pages(
        &c,
        &creds(&m.url, TOKEN),
        "get_inventory_ledger",
        window,
        100,
        20,
    )
    .await
    .expect("pulled");
    let ids: Vec<_> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "32204:decrement",
            "32204:increment",
            "32210:decrement",
            "32230:increment",
            "32240:increment"
        ]
    );
    let asked: Vec<(i64, String, String, Option<i64>)> = m
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .map(|s| {
            let b: Value = serde_json::from_str(&s.body).unwrap();
            (
                b["facility_id"].as_i64().unwrap(),
                b["start_date"].as_str().unwrap().to_string(),
                b["end_date"].as_str().unwrap().to_string(),
                b["cursor"].as_i64(),
            )
        })
        .collect();
    let q = |fc: i64, from: &str, to: &str, cursor: Option<i64>| {
        (fc, from.to_string(), to.to_string(), cursor)
    };
    let (jan, apr, jun) = (
        "2026-01-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
        "2026-06-01T00:00:00Z",
    );
    assert_eq!(
        asked,
        [
            q(156, jan, apr, None),
            q(156, jan, apr, Some(32210)),
            q(156, apr, jun, None),
            q(157, jan, apr, None),
            q(157, apr, jun, None),
        ]
    );
}

#[tokio::test]
async fn update_inbound_shipment_cancels_the_receiving_order() {
    let refusal = r#"{"message":"Only receiving orders awaiting arrival can be cancelled."}"#;
    let m = start(vec![
        Route::ok(
            "POST",
            &format!("{V}/receiving/734411:cancel"),
            fixture("shipbob", "receiving_cancelled.json"),
        ),
        Route::ok("POST", &format!("{V}/receiving/734000:cancel"), refusal).status(422),
    ])
    .await;
    let c = ShipBob::new();
    let good = creds(&m.url, TOKEN);
    let cancel = |id: &str, body: Value| write_req("update_inbound_shipment", Some(id), body, None);
    let out = c
        .write(&good, &cancel("734411", json!({"status": "cancelled"})))
        .await
        .expect("cancelled");
    let r = &out.records[0];
    assert_eq!(r["id"], json!("734411"));
    assert_eq!(r["status"], json!("cancelled"));
    assert_eq!(r["raw_status"], json!("Cancelled"));
    assert_eq!(r["updated_date"], json!("2026-03-08T09:00:00Z"));
    // ShipBob's refusal, verbatim.
    let err = c
        .write(&good, &cancel("734000", json!({"status": "cancelled"})))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Only receiving orders awaiting arrival can be cancelled.".into(),
            status: Some(422)
        }
    );
    // Any other change is refused before ShipBob is asked: it has no call for it.
    for body in [
        json!({"status": "open"}),
        json!({"status": "cancelled", "purchase_order_number": "PO-9"}),
    ] {
        let err = c.write(&good, &cancel("734411", body)).await.unwrap_err();
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
    let sent: Vec<_> = m
        .seen()
        .into_iter()
        .map(|s| (s.method, s.target, s.body))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "POST".to_string(),
                "/2026-01/receiving/734411:cancel".to_string(),
                String::new()
            ),
            (
                "POST".to_string(),
                "/2026-01/receiving/734000:cancel".to_string(),
                String::new()
            ),
        ]
    );
}

/// A kit of a tent and two packs of stakes (both SKUs are in ShipBob), measured in inches
/// and pounds.
fn kit_body() -> Value {
    json!({
        "sku": "KIT-WEEKEND", "name": "Weekend camp kit", "gtin": "00812345000202",
        "measurements": {"length": 24.0, "width": 10.0, "height": 9.0, "unit": "in", "weight": 6.0, "weight_unit": "lb"},
        "inventory_items": [{"sku": "TENT-2P", "unit_quantity": 1}, {"sku": "STAKE-8", "unit_quantity": 2}]
    })
}

/// The SKU searches of the kit's components: ShipBob's `SKU` filter also matches SKUs that
/// contain the text, so the STAKE-8 answer leads with STAKE-8-X3.
fn sku_routes() -> Vec<Route> {
    vec![
        Route::ok(
            "GET",
            &format!("{V}/product"),
            fixture("shipbob", "products_page1.json"),
        )
        .when("SKU=TENT-2P&"),
        Route::ok(
            "GET",
            &format!("{V}/product"),
            fixture("shipbob", "product_by_sku.json"),
        )
        .when("SKU=STAKE-8&"),
        Route::ok(
            "GET",
            &format!("{V}/product"),
            r#"{"items":[],"next":null,"prev":null,"first":null,"last":null}"#,
        )
        .when("SKU=PEG-9&"),
    ]
}

#[tokio::test]
async fn create_kit_finds_component_variants_and_creates_a_bundle() {
    let mut routes = sku_routes();
    routes.push(
        Route::ok(
            "POST",
            &format!("{V}/product"),
            fixture("shipbob", "kit_created.json"),
        )
        .status(201),
    );
    let m = start(routes).await;
    let c = ShipBob::new();
    let schema = &c.descriptor().write("create_kit").expect("offered").schema;
    assert!(jsonschema::validator_for(schema)
        .expect("schema compiles")
        .is_valid(&kit_body()));
    let out = c
        .write(
            &creds(&m.url, TOKEN),
            &write_req("create_kit", None, kit_body(), None),
        )
        .await
        .expect("created");
    let sent: Vec<(String, String, Value)> = m
        .seen()
        .into_iter()
        .map(|s| {
            let body = serde_json::from_str(&s.body).unwrap_or(Value::Null);
            (s.method, s.target, body)
        })
        .collect();
    assert_eq!(
        sent,
        [
            (
                "GET".to_string(),
                "/2026-01/product?SKU=TENT-2P&PageSize=250".to_string(),
                Value::Null
            ),
            (
                "GET".into(),
                "/2026-01/product?SKU=STAKE-8&PageSize=250".into(),
                Value::Null
            ),
            (
                "POST".into(),
                "/2026-01/product".into(),
                json!({"name": "Weekend camp kit", "type_id": "2", "variants": [{
                    "name": "Weekend camp kit", "sku": "KIT-WEEKEND", "gtin": "00812345000202",
                    "bundle_definition": [{"variant_id": 88120, "quantity": 1}, {"variant_id": 88131, "quantity": 2}],
                    "dimension": {"length": 24.0, "width": 10.0, "height": 9.0}, "weight": 96.0
                }]})
            ),
        ]
    );
    assert_eq!(out.records.len(), 1);
    let kit = &out.records[0];
    assert_eq!(kit["id"], json!("88205"));
    assert_eq!(kit["sku"], json!("KIT-WEEKEND"));
    assert_eq!(kit["is_kit"], json!(true));
    assert_eq!(
        kit["inventory_items"],
        json!([
            {"inventory_item_id": "88120", "sku": "TENT-2P", "unit_quantity": 1},
            {"inventory_item_id": "88131", "sku": "STAKE-8", "unit_quantity": 2}
        ])
    );
    assert_eq!(
        kit["additional_fields"]["shipbob_product_id"],
        json!("5120090")
    );
    assert_eq!(
        kit["additional_fields"]["shipbob_product_type"],
        json!("Bundle")
    );
}

#[tokio::test]
async fn create_kit_refuses_unknown_skus_and_keeps_shipbob_refusals() {
    let refusal = r#"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"Variants[0].Sku":["A variant with SKU KIT-WEEKEND already exists."]}}"#;
    let mut routes = sku_routes();
    routes.push(Route::ok("POST", &format!("{V}/product"), refusal).status(400));
    let m = start(routes).await;
    let c = ShipBob::new();
    let good = creds(&m.url, TOKEN);
    // A component ShipBob does not know: refused, naming it, before anything is created.
    let mut body = kit_body();
    body["inventory_items"][1]["sku"] = json!("PEG-9");
    let err = c
        .write(&good, &write_req("create_kit", None, body, None))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: r#"No ShipBob product has the SKU "PEG-9" (inventory_items.1.sku); create the component first."#.into(),
            status: Some(422)
        }
    );
    assert!(m.seen().iter().all(|s| s.method == "GET"), "{:?}", m.seen());
    // ShipBob's own refusal comes back in its words.
    let err = c
        .write(&good, &write_req("create_kit", None, kit_body(), None))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: r#"{"Variants[0].Sku":["A variant with SKU KIT-WEEKEND already exists."]}"#
                .into(),
            status: Some(400)
        }
    );
    // A quantity ShipBob cannot bundle is refused without asking ShipBob.
    let asked = m.seen().len();
    let mut body = kit_body();
    body["inventory_items"][0]["unit_quantity"] = json!(0);
    let err = c
        .write(&good, &write_req("create_kit", None, body, None))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "inventory_items.0.unit_quantity must be at least 1, got 0".into(),
            status: Some(422)
        }
    );
    assert_eq!(m.seen().len(), asked);
}

#[tokio::test]
async fn a_token_without_products_cannot_create_kits() {
    let m = start(vec![Route::ok(
        "GET",
        &format!("{V}/product"),
        r#"{"message":"Insufficient scope: products_read"}"#,
    )
    .status(403)])
    .await;
    let v = ShipBob::new()
        .validate(&creds(&m.url, TOKEN))
        .await
        .expect("valid");
    let missing: Vec<(&str, &str)> = v
        .missing
        .iter()
        .map(|(f, why)| (f.as_str(), why.as_str()))
        .collect();
    let why = "Insufficient scope: products_read";
    assert_eq!(
        missing,
        [
            ("get_products", why),
            ("create_product", why),
            ("update_product", why),
            ("create_kit", why)
        ]
    );
}
