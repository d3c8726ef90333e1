//! ShipMonk connector: exact normalization of fixture answers, the compliance kit, credential
//! and permission handling, rate limits, writes, and contract/robustness runs against Prism
//! serving ShipMonk's spec.

#[path = "support/mock.rs"]
mod mock;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/pull.rs"]
mod pull;

use chrono::Utc;
use mock::{assert_snapshot, fixture, Mock, Route};
use serde_json::{json, Value};
use std::time::Duration;
use waybill_connect::{compliance, Connector, ConnectorError, Credentials, WriteRequest};
use waybill_connectors::shipmonk::ShipMonk;

const KEY: &str = "sm-test-key";
const UNAUTHORIZED: &str = r#"{"status":401,"message":"Invalid API key provided."}"#;
const INVENTORY_SEARCH: &str = "/v1/integrations/products/search";
const INVENTORY_PAGES: &str = "/v1/integrations/products/search/paginate";
/// The cursors of the fixture product search (`inventory_search.json`, `inventory_page1.json`).
const PAGE1: &str = "c2lzLTkxMjItcGFnZS0x";
const PAGE2: &str = "c2lzLTkxMjItcGFnZS0y";

fn creds(url: &str, key: &str) -> Credentials {
    let mut m = serde_json::Map::new();
    m.insert("api_key".into(), json!(key));
    m.insert("store_id".into(), json!("7310"));
    m.insert("base_url".into(), json!(url));
    Credentials(m)
}

fn routes() -> Vec<Route> {
    let f = |n| fixture("shipmonk", n);
    let orders = "/v1/integrations/orders-list";
    vec![
        Route::ok("GET", "/v1/integrations/warehouses", f("warehouses.json")),
        Route::ok("GET", orders, f("orders_page2.json")).when("page=2&"),
        Route::ok("GET", orders, r#"{"status":200,"data":{"orders":[]}}"#).when("page=3&"),
        Route::ok("GET", orders, f("orders_page1.json")),
        Route::ok("GET", "/v1/products", f("products_page2.json")).when("page=2&"),
        Route::ok("GET", "/v1/products", f("products_page1.json")),
        Route::ok("POST", INVENTORY_SEARCH, f("inventory_search.json")),
        Route::ok("GET", INVENTORY_PAGES, f("inventory_page2.json"))
            .when(&format!("cursor={PAGE2}&")),
        Route::ok("GET", INVENTORY_PAGES, f("inventory_page1.json"))
            .when(&format!("cursor={PAGE1}&")),
        Route::ok(
            "GET",
            "/v1/integrations/receivings-list",
            f("receivings.json"),
        ),
        Route::ok("GET", "/v1/integrations/returns-list", f("returns.json")),
    ]
}

async fn start(extra: Vec<Route>) -> Mock {
    let mut r = extra;
    r.extend(routes());
    Mock::start(r, ("api-key", KEY), UNAUTHORIZED).await
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

fn write(function: &str, id: Option<&str>, body: Value) -> WriteRequest {
    WriteRequest {
        function: function.into(),
        id: id.map(Into::into),
        body,
        current: None,
        file: None,
    }
}

#[tokio::test]
async fn fixtures_normalize_exactly() {
    let m = start(vec![]).await;
    let c = ShipMonk::new();
    let good = creds(&m.url, KEY);
    for f in c.descriptor().read_functions.clone() {
        let recs = pull_all(&c, &good, f, 2, 50)
            .await
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert_snapshot("shipmonk", &format!("{f}.json"), &Value::Array(recs));
    }
    // The product without a SKU was reported (once by products, once by inventory), not
    // silently dropped.
    assert_eq!(c.unmapped(), 2);
    let seen = m.seen();
    let orders: Vec<_> = seen
        .iter()
        .filter(|s| s.target.starts_with("/v1/integrations/orders-list?"))
        .collect();
    // Two full pages, then the short (empty) third ends the walk: the order list has no
    // paginator.
    assert_eq!(orders.len(), 3, "{orders:?}");
    assert!(
        orders[0]
            .target
            .contains("updatedAtStart=2026-03-01T00%3A00%3A00Z")
            && orders[0]
                .target
                .contains("updatedAtEnd=2026-04-01T00%3A00%3A00Z"),
        "{}",
        orders[0].target
    );
    // Products stop at the reported page count and filter by update time; the inventory
    // snapshot no longer pages the product list …
    let products: Vec<_> = seen
        .iter()
        .filter(|s| s.target.starts_with("/v1/products?"))
        .collect();
    assert_eq!(products.len(), 2, "{products:?}");
    assert!(products
        .iter()
        .all(|p| p.target.contains("dateUpdatedStart=")));
    // … but fixes one product search (every status, by id) and follows its cursor until
    // ShipMonk's `next_cursor` runs out.
    let searches: Vec<_> = seen
        .iter()
        .filter(|s| s.method == "POST" && s.target == INVENTORY_SEARCH)
        .collect();
    assert_eq!(searches.len(), 1, "{searches:?}");
    assert_eq!(
        serde_json::from_str::<Value>(&searches[0].body).unwrap(),
        json!({"sort": {"sort_by": "id", "sort_order": "ASC"}})
    );
    let pages: Vec<_> = seen
        .iter()
        .filter(|s| s.target.starts_with(INVENTORY_PAGES))
        .map(|s| s.target.clone())
        .collect();
    assert_eq!(
        pages,
        vec![
            format!("{INVENTORY_PAGES}?cursor={PAGE1}&pageSize=2"),
            format!("{INVENTORY_PAGES}?cursor={PAGE2}&pageSize=2"),
        ]
    );
    assert!(seen.iter().any(
        |s| s.target.contains("receivings-list?") && s.target.contains("updatedAt=2026-03-01")
    ));
    assert!(seen
        .iter()
        .any(|s| s.target.contains("returns-list?") && s.target.contains("updated_at=2026-03-01")));
}

#[tokio::test]
async fn passes_the_compliance_kit() {
    let m = start(vec![]).await;
    let c = ShipMonk::new();
    let (since, until) = window();
    let report = compliance::check(
        &c,
        &creds(&m.url, KEY),
        &creds(&m.url, "wrong"),
        since,
        until,
        2,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.functions, 6);
    assert_eq!(report.records, 15, "{report:?}");
}

#[tokio::test]
async fn credentials_permissions_and_rate_limits() {
    let c = ShipMonk::new();
    let m = start(vec![]).await;
    match c.validate(&creds(&m.url, "revoked")).await {
        Err(ConnectorError::Auth(msg)) => assert_eq!(msg, "Invalid API key provided."),
        other => panic!("{other:?}"),
    }
    let mut no_store = creds(&m.url, KEY);
    no_store.0.insert("store_id".into(), json!("main"));
    assert!(matches!(
        c.validate(&no_store).await,
        Err(ConnectorError::Auth(m)) if m.contains("store id")
    ));
    let v = c.validate(&creds(&m.url, KEY)).await.expect("valid");
    assert!(v.missing.is_empty(), "{:?}", v.missing);
    assert_eq!(v.me.get("store_id"), Some(&json!("7310")));
    assert_eq!(
        v.me.get("store_name"),
        Some(&json!("Northbound Coffee (Shopify)"))
    );
    assert_eq!(v.me.get("warehouse_ids"), Some(&json!(["CA1", "PA1"])));

    let denied = r#"{"status":403,"message":"This API key may not read returns."}"#;
    let m2 = start(vec![Route::ok(
        "GET",
        "/v1/integrations/returns-list",
        denied,
    )
    .status(403)])
    .await;
    let v = c.validate(&creds(&m2.url, KEY)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![
            (
                "get_returns".to_string(),
                "This API key may not read returns.".to_string()
            ),
            (
                "create_return".to_string(),
                "This API key may not read returns.".to_string()
            ),
        ]
    );

    // The inventory snapshot's product search is probed on its own: a key denied it loses
    // `get_inventory` and nothing else (the product list still serves products) …
    let denied = r#"{"status":403,"message":"Access to inventory sync is not enabled."}"#;
    let m4 = start(vec![Route::ok("POST", INVENTORY_SEARCH, denied).status(403)]).await;
    let v = c.validate(&creds(&m4.url, KEY)).await.expect("valid");
    assert_eq!(
        v.missing,
        vec![(
            "get_inventory".to_string(),
            "Access to inventory sync is not enabled.".to_string()
        )]
    );
    // … and a key denied receivings loses their reads and both receiving writes.
    let denied = r#"{"status":403,"message":"No access to receivings."}"#;
    let m5 = start(vec![Route::ok(
        "GET",
        "/v1/integrations/receivings-list",
        denied,
    )
    .status(403)])
    .await;
    let v = c.validate(&creds(&m5.url, KEY)).await.expect("valid");
    let missing: Vec<&str> = v.missing.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        missing,
        [
            "get_inbound_shipments",
            "create_inbound_shipment",
            "update_inbound_shipment"
        ]
    );

    // ShipMonk's Retry-After is an HTTP date.
    let at = Utc::now() + chrono::Duration::seconds(30);
    let m3 = start(vec![Route::ok(
        "GET",
        "/v1/integrations/receivings-list",
        r#"{"message":"Too many requests"}"#,
    )
    .status(429)
    .header(
        "Retry-After",
        &at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    )])
    .await;
    match pull_all(&c, &creds(&m3.url, KEY), "get_inbound_shipments", 10, 1).await {
        Err(ConnectorError::RateLimited {
            retry_after: Some(d),
        }) => assert!(
            d > Duration::from_secs(20) && d <= Duration::from_secs(30),
            "{d:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_order_list_budget_is_per_connection_and_apart() {
    let m = start(vec![]).await;
    let c = ShipMonk::new();
    let a = creds(&m.url, KEY);
    let mut spent = 0;
    let wait = loop {
        match pull_all(&c, &a, "get_orders", 100, 1).await {
            Ok(_) => spent += 1,
            Err(ConnectorError::RateLimited { retry_after }) => break retry_after,
            Err(e) => panic!("{e}"),
        }
        assert!(spent <= 40, "the order list budget never ran out");
    };
    assert_eq!(spent, 40);
    assert!(
        wait.is_some_and(|w| w <= Duration::from_secs(2)),
        "{wait:?}"
    );
    // Only the throttled list waits: other reads of the same connection go on …
    assert!(pull_all(&c, &a, "get_warehouses", 10, 1).await.is_ok());
    // … and another connection's order list is untouched (the mock refuses its key, which
    // proves the request was sent rather than held back).
    let b = creds(&m.url, "another-key");
    assert!(matches!(
        pull_all(&c, &b, "get_orders", 100, 1).await,
        Err(ConnectorError::Auth(_))
    ));
}

#[tokio::test]
async fn writes_send_shipmonk_bodies_and_keep_refusals_verbatim() {
    let order: Value = serde_json::from_str(&fixture("shipmonk", "orders_page1.json")).unwrap();
    let first = json!({"status": 200, "data": order["data"]["orders"][0]}).to_string();
    let refusal = r#"{"status":400,"message":"Warehouse XX9 does not exist."}"#;
    let m = start(vec![
        Route::ok("POST", "/v1/integrations/order", r#"{"message":"ok"}"#),
        Route::ok("GET", "/v1/integrations/orders", first),
        Route::ok("POST", "/v1/integrations/receiving", refusal).status(400),
        Route::ok(
            "POST",
            "/v1/integrations/returns",
            r#"{"status":200,"data":{"message":"ok","id":31877}}"#,
        ),
        Route::ok(
            "POST",
            "/v1/integrations/product",
            r#"{"status":200,"data":{"message":"ok"}}"#,
        ),
    ])
    .await;
    let c = ShipMonk::new();
    let good = creds(&m.url, KEY);
    let body = json!({
        "reference_id": "shopify-5512093847", "order_number": "#NB1042", "shipping_method": "Standard",
        "ship_to_address": {"full_name": "Mara Lind", "address1": "48 Orchard Ln", "city": "Burlington", "state": "VT", "postal_code": "05401", "country": "US", "email_address": "mara.lind@example.com"},
        "line_items": [{"sku": "NB-BEAN-12OZ", "quantity": 2, "unit_price": 16.5}, {"product_id": "NB-MUG-WHT", "quantity": 1}],
        "order_type": "direct_to_consumer", "ordered_at": "2026-03-02T14:05:11Z", "warehouse": "PA1"
    });
    let out = c
        .write(&good, &write("create_order", None, body))
        .await
        .expect("created");
    assert_eq!(out.records[0]["id"], json!("shopify-5512093847"));
    let posted = |m: &Mock, path: &str| -> Vec<Value> {
        m.seen()
            .into_iter()
            .filter(|s| s.method == "POST" && s.target == path)
            .map(|s| serde_json::from_str(&s.body).unwrap())
            .collect()
    };
    let sent = &posted(&m, "/v1/integrations/order")[0];
    assert_eq!(
        sent,
        &json!({
            "store_id": 7310, "order_key": "shopify-5512093847", "order_number": "#NB1042",
            "order_status": "unfulfilled", "ordered_at": "2026-03-02T14:05:11Z",
            "requested_shipping_service": "Standard", "customer_email": "mara.lind@example.com",
            "ship_to": {"name": "Mara Lind", "street1": "48 Orchard Ln", "city": "Burlington", "state": "VT", "zip": "05401", "country_code": "US"},
            "items": [{"sku": "NB-BEAN-12OZ", "quantity": 2, "price": 16.5}, {"sku": "NB-MUG-WHT", "quantity": 1}],
            "order_type": "direct_to_consumer", "warehouse": "PA1"
        })
    );
    // Cancelling re-posts ShipMonk's copy of the order with the cancelled status.
    c.write(
        &good,
        &write("cancel_order", Some("shopify-5512093847"), json!({})),
    )
    .await
    .expect("cancelled");
    let sent = &posted(&m, "/v1/integrations/order")[1];
    assert_eq!(sent["order_status"], json!("cancelled"));
    assert_eq!(sent["items"][0]["line_key"], json!("14120991"));
    assert_eq!(sent["requested_shipping_service"], json!("Standard"));
    assert!(m
        .seen()
        .iter()
        .any(|s| s.target == "/v1/integrations/orders?orderKey=shopify-5512093847&storeId=7310"));
    // Statuses ShipMonk cannot set are refused before ShipMonk is asked.
    let err = c
        .write(
            &good,
            &write(
                "update_order",
                Some("shopify-5512093847"),
                json!({"status": "packed"}),
            ),
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

    let err = c
        .write(
            &good,
            &write(
                "create_inbound_shipment",
                None,
                json!({"warehouse_id": "XX9", "purchase_order_number": "ASN-1", "supplier": "Acme", "expected_arrival_date": "2026-04-02T15:00:00Z", "line_items": [{"sku": "NB-MUG-WHT", "expected_quantity": 10}]}),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Warehouse XX9 does not exist.".into(),
            status: Some(400)
        }
    );
    assert_eq!(
        posted(&m, "/v1/integrations/receiving")[0]["estimated_delivery"],
        json!("2026-04-02")
    );

    let out = c
        .write(
            &good,
            &write(
                "create_return",
                None,
                json!({"warehouse_id": "PA1", "order_id": "shopify-5512093847", "rma": "RMA-NB-1042", "line_items": [{"sku": "NB-MUG-WHT", "quantity": 1}], "desired_action": "damaged_not_resellable"}),
            ),
        )
        .await
        .expect("return created");
    assert_eq!(out.records[0]["id"], json!("31877"));
    let sent = &posted(&m, "/v1/integrations/returns")[0];
    assert_eq!(sent["store_id"], json!(7310));
    assert_eq!(sent["return_reason"], json!("reason_unknown"));
    assert_eq!(
        sent["items"][0]["desired_action"],
        json!("damaged_not_resellable")
    );

    let out = c
        .write(
            &good,
            &write(
                "create_product",
                None,
                json!({"sku": "NB-MUG-WHT", "name": "Enamel Mug White", "gtin": "00850012345688", "required_packaging": "box", "fragile": true, "replacement_cost": 4.0, "customs_declaration_value": 14.0, "country_of_origin": "CN", "measurements": {"length": 10.0, "width": 10.0, "height": 5.08, "unit": "cm", "weight": 0.5, "weight_unit": "kg"}}),
            ),
        )
        .await
        .expect("product created");
    assert_eq!(out.records[0]["id"], json!("NB-MUG-WHT"));
    assert_eq!(
        out.records[0]["additional_fields"]["shipmonk_product_id"],
        json!("400122")
    );
    let sent = &posted(&m, "/v1/integrations/product")[0];
    assert_eq!(sent["product_key"], json!("NB-MUG-WHT"));
    assert_eq!(sent["barcodes"], json!(["00850012345688"]));
    assert_eq!(sent["dimensions_in"]["height"], json!(2.0));
    assert_eq!(sent["weight_lb"], json!(1.102311));
}

/// Receiving `id` as Waybill stores it after a pull: the normalized fixture record.
fn stored_receiving(id: &str) -> Value {
    let all: Value =
        serde_json::from_str(&fixture("shipmonk", "expected/get_inbound_shipments.json")).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(id))
        .cloned()
        .unwrap_or_else(|| panic!("no stored receiving {id}"))
}

/// A receiving of `receivings.json`, as `GET /v1/integrations/receiving` answers it.
fn vendor_receiving(i: usize) -> String {
    let all: Value = serde_json::from_str(&fixture("shipmonk", "receivings.json")).unwrap();
    all["data"][i].to_string()
}

#[tokio::test]
async fn update_inbound_shipment_re_sends_the_stored_receiving() {
    let receiving = "/v1/integrations/receiving";
    let m = start(vec![
        Route::ok("POST", receiving, r#"{"message":"Receiving updated."}"#),
        Route::ok("GET", receiving, vendor_receiving(0)).when("asn=ASN-NB-0311"),
        Route::ok("GET", receiving, vendor_receiving(1)).when("asn=ASN-NB-0325"),
    ])
    .await;
    let c = ShipMonk::new();
    let good = creds(&m.url, KEY);
    let update = |id: &str, body: Value, current: Option<Value>| WriteRequest {
        current,
        ..write("update_inbound_shipment", Some(id), body)
    };
    let posted = |m: &Mock| -> Vec<Value> {
        m.seen()
            .into_iter()
            .filter(|s| s.method == "POST" && s.target == receiving)
            .map(|s| serde_json::from_str(&s.body).unwrap())
            .collect()
    };

    // New date, unit count and lines: the first line keeps the stored line's key and lot (so
    // ShipMonk updates that line), the new SKU comes with its own lot; the ASN, receiving
    // key, supplier, unit type, description, custom data and pallets come from the stored
    // copy, because the upsert replaces the receiving.
    let out = c
        .write(
            &good,
            &update(
                "90211",
                json!({
                    "expected_arrival_date": "2026-03-28T12:00:00Z", "handling_unit_quantity": 3,
                    "line_items": [
                        {"sku": "NB-BEAN-12OZ", "expected_quantity": 720},
                        {"sku": "NB-MUG-WHT", "expected_quantity": 24, "lot_id": "M1", "lot_expiration_date": "2027-01-31"}
                    ]
                }),
                Some(stored_receiving("90211")),
            ),
        )
        .await
        .expect("updated");
    assert_eq!(
        posted(&m)[0],
        json!({
            "warehouse": "PA1", "asn": "ASN-NB-0311", "receiving_key": "po-2026-0311",
            "supplier_name": "Cafe Huila Cooperative", "estimated_delivery": "2026-03-28",
            "handling_unit_type": "single_sku_pallet", "handling_unit_quantity": 3,
            "description": "Spring harvest, 2 pallets",
            "custom_data": [{"name": "erp_po", "value": "4500012"}],
            "pallets": [{"pallet_key": "P1", "identifiers": [{"type": "SSCC", "value": "008500123400000017"}]}],
            "items": [
                {"sku": "NB-BEAN-12OZ", "expected_quantity": 720, "line_key": "1",
                 "lot": {"lot_number": "L2603", "expiration_date": "2026-10-31"}},
                {"sku": "NB-MUG-WHT", "expected_quantity": 24,
                 "lot": {"lot_number": "M1", "expiration_date": "2027-01-31"}}
            ]
        })
    );
    // The answer is the canonical receiving as ShipMonk holds it afterwards.
    assert_eq!(out.records, vec![stored_receiving("90211")]);

    // Nothing but a supplier: every other member, the lines included, is the stored copy's.
    let out = c
        .write(
            &good,
            &update(
                "90240",
                json!({"supplier_object": {"supplier_name": "Enamelware Ltd."}, "supplier": "ignored"}),
                Some(stored_receiving("90240")),
            ),
        )
        .await
        .expect("updated");
    assert_eq!(
        posted(&m)[1],
        json!({
            "warehouse": "CA1", "asn": "ASN-NB-0325", "supplier_name": "Enamelware Ltd.",
            "estimated_delivery": "2026-04-06", "handling_unit_type": "small_boxes",
            "handling_unit_quantity": 6, "bol_number": "BOL-88311",
            "items": [{"sku": "NB-MUG-WHT", "expected_quantity": 144}]
        })
    );
    assert_eq!(out.records[0]["id"], json!("90240"));
    assert!(m
        .seen()
        .iter()
        .any(|s| s.method == "GET" && s.target == format!("{receiving}?asn=ASN-NB-0325")));

    // Refused before ShipMonk is asked: no stored copy (no ASN to upsert by), and a new SKU
    // without a quantity to expect.
    let err = c
        .write(&good, &update("90240", json!({}), None))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectorError::Permanent { status: Some(422), message } if message.contains("pull get_inbound_shipments")),
        "{err:?}"
    );
    let err = c
        .write(
            &good,
            &update(
                "90240",
                json!({"line_items": [{"sku": "NB-NEW", "expected_quantity": null}]}),
                Some(stored_receiving("90240")),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "line_items.0.expected_quantity is needed: the stored receiving has no single line of NB-NEW to take it from".into(),
            status: Some(422)
        }
    );
    assert_eq!(posted(&m).len(), 2, "refused writes reached ShipMonk");

    // A stale stored copy whose ASN ShipMonk now gives another receiving: the update landed
    // there, which is reported instead of answering receiving 90240 as 90999.
    let mut stale = stored_receiving("90240");
    stale["id"] = json!("90999");
    let err = c
        .write(&good, &update("90999", json!({}), Some(stale)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectorError::Permanent { status: Some(409), message } if message.contains("receiving 90240 (ASN ASN-NB-0325), not 90999")),
        "{err:?}"
    );

    // ShipMonk's refusal comes back in its words.
    let refusal = r#"{"status":400,"message":"Receiving ASN-NB-0325 can no longer be updated."}"#;
    let m2 = start(vec![Route::ok("POST", receiving, refusal).status(400)]).await;
    let err = c
        .write(
            &creds(&m2.url, KEY),
            &update(
                "90240",
                json!({"handling_unit_type": "mixed_sku_pallet"}),
                Some(stored_receiving("90240")),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorError::Permanent {
            message: "Receiving ASN-NB-0325 can no longer be updated.".into(),
            status: Some(400)
        }
    );
    assert_eq!(
        posted(&m2)[0]["handling_unit_type"],
        json!("mixed_sku_pallet")
    );
}

fn write_bodies() -> Vec<(&'static str, Option<&'static str>, Value)> {
    vec![
        (
            "create_order",
            None,
            json!({
                "reference_id": "W-1", "shipping_method": "Standard",
                "ship_to_address": {"full_name": "A B", "address1": "1 Main St", "city": "Reno", "country": "US", "postal_code": "89501", "phone_number": "+1 775 555 0100"},
                "line_items": [{"sku": "SKU-1", "quantity": 2, "unit_price": 3.5}],
                "total_tax": 1.0, "total_shipping": 4.0, "invoice_currency_code": "USD",
                "order_type": "retail", "submit_at": "2026-04-02T09:00:00Z", "gift_message": "hi"
            }),
        ),
        (
            "update_order",
            Some("W-1"),
            json!({"shipping_method": "Expedited", "status": "exception", "customer_notes": "hold please"}),
        ),
        ("cancel_order", Some("W-1"), json!({})),
        (
            "create_product",
            None,
            json!({"sku": "SKU-9", "name": "Thing", "gtin": "00812345000127", "required_packaging": "poly_mailer", "replacement_cost": 2.0, "customs_declaration_value": 9.5, "country_of_origin": "US", "currency_code": "USD", "hs_code": "6109.10", "measurements": {"length": 10.0, "width": 5.0, "height": 2.0, "unit": "in", "weight": 3.0, "weight_unit": "oz"}}),
        ),
        (
            "create_inbound_shipment",
            None,
            json!({"warehouse_id": "PA1", "purchase_order_number": "ASN-1", "supplier": "Acme", "expected_arrival_date": "2026-04-02", "tracking_number": "1Z1", "line_items": [{"sku": "SKU-9", "expected_quantity": 10}], "handling_unit_type": "mixed_sku_pallet", "handling_unit_quantity": 1, "receiving_key": "po-1", "bol_number": "B1"}),
        ),
        (
            "update_inbound_shipment",
            Some("90211"),
            json!({"warehouse_id": "PA1", "supplier": "Acme", "expected_arrival_date": "2026-04-09T00:00:00Z", "handling_unit_type": "single_sku_pallet", "handling_unit_quantity": 2, "line_items": [{"sku": "NB-BEAN-12OZ", "expected_quantity": 700}, {"sku": "SKU-9", "expected_quantity": 5, "lot_id": "L9", "lot_expiration_date": "2027-05-01"}]}),
        ),
        (
            "create_return",
            None,
            json!({"warehouse_id": "PA1", "order_id": "W-1", "rma": "RMA-1", "line_items": [{"sku": "SKU-9", "quantity": 1}], "return_reason": "reason_exchange", "tracking_number": "9400", "note": "n"}),
        ),
    ]
}

#[tokio::test]
async fn contract_against_the_shipmonk_spec() {
    let Some(p) = prism::Prism::start("shipmonk/shipmonk-openapi.json", prism::Mode::Strict) else {
        return;
    };
    let c = ShipMonk::new().with_rate(100_000, 1_000);
    let good = creds(&p.url, KEY);
    // Prism refuses to serve examples that break ShipMonk's own spec; those calls still had
    // their request validated, which is what this test is for.
    let tolerated = |r: Result<(), ConnectorError>, what: &str| match r {
        Ok(()) => {}
        Err(ConnectorError::Transient(m)) if prism::Prism::is_spec_example_error(&m) => {
            eprintln!("{what}: Prism could not serve the spec's own example")
        }
        Err(e) => panic!("{what}: {e}\n{}", p.log().join("\n")),
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
        // The receiving update starts from the stored receiving (lots, line keys, custom data
        // and pallets included), so the whole re-sent receiving is checked against the spec.
        let current = (f == "update_inbound_shipment").then(|| stored_receiving("90211"));
        let outcome = c
            .write(
                &good,
                &WriteRequest {
                    current,
                    ..write(f, id, body)
                },
            )
            .await
            .map(|_| ());
        match outcome {
            // Prism's made-up receiving is never 90211: the read-back guard answers 409
            // after the upsert was sent (and validated).
            Err(ConnectorError::Permanent {
                status: Some(409), ..
            }) if f == "update_inbound_shipment" => {}
            other => tolerated(other, f),
        }
    }
    let v = p.violations();
    assert!(
        v.is_empty(),
        "requests violating ShipMonk's spec:\n{}",
        v.join("\n")
    );
}

#[tokio::test]
async fn robust_against_random_valid_answers() {
    let Some(p) = prism::Prism::start("shipmonk/shipmonk-openapi.json", prism::Mode::Dynamic)
    else {
        return;
    };
    let c = ShipMonk::new().with_rate(100_000, 1_000);
    let good = creds(&p.url, KEY);
    for round in 0..3 {
        for f in c.descriptor().read_functions.clone() {
            let recs = pull_all(&c, &good, f, 20, 3)
                .await
                .unwrap_or_else(|e| panic!("round {round} {f}: {e}"));
            for r in recs {
                assert!(r["id"].is_string(), "{f}: {r}");
            }
        }
        // A receiving update against random receivings: the stored copy's upsert is sent, and
        // the random read-back is either the target or reported as another receiving.
        let req = WriteRequest {
            current: Some(stored_receiving("90211")),
            ..write(
                "update_inbound_shipment",
                Some("90211"),
                json!({"handling_unit_quantity": 4}),
            )
        };
        match c.write(&good, &req).await {
            Ok(out) => assert_eq!(out.records[0]["id"], json!("90211")),
            Err(ConnectorError::Permanent {
                status: Some(409),
                message,
            }) => assert!(message.contains("not 90211"), "{message}"),
            Err(e) => panic!("round {round} update_inbound_shipment: {e}"),
        }
    }
    assert!(p.violations().is_empty(), "{:?}", p.violations());
}
