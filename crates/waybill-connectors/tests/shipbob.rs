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
use waybill_connect::{compliance, Connector, ConnectorError, Credentials, WriteRequest};
use waybill_connectors::shipbob::ShipBob;

const TOKEN: &str = "pat-test-token";
const V: &str = "/2026-01";

fn creds(url: &str, token: &str) -> Credentials {
    let mut m = serde_json::Map::new();
    m.insert("access_token".into(), json!(token));
    m.insert("base_url".into(), json!(url));
    Credentials(m)
}

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
    // The variant without an id was reported, not silently dropped.
    assert_eq!(c.unmapped(), 1);
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
    assert_eq!(report.functions, 8);
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
    let writes: Vec<_> = write_bodies().into_iter().skip(4).collect();
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
