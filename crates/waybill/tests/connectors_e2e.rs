//! Real connectors end to end through the binary (issue 7): a WMS (ShipMonk) and a cart
//! (WooCommerce) connection are linked with the vendor's credentials through the Link flow,
//! synced, read through the API, written to, and the write's webhook is delivered. The
//! vendors are local mocks serving the connectors' checked-in fixtures (written from the
//! vendors' published specs), so the run needs no network.

mod common;
#[path = "../../waybill-connectors/tests/support/mock.rs"]
mod mock;
mod webhook_support;

use base64::Engine;
use common::*;
use mock::{Mock, Route};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use webhook_support::receiver::Receiver;

fn fixture(vendor: &str, name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../waybill-connectors/tests/fixtures")
        .join(vendor)
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Installs a connection through the Link flow with the vendor's own credentials.
async fn link(s: &Server, key: &str, ty: &str, name: &str, credentials: Value) -> Value {
    let lt = s.post("/link/token", key, None, json!({})).await.ok()["link_token"]
        .as_str()
        .unwrap()
        .to_string();
    let body =
        json!({"integration_name": name, "integration_type": ty, "credentials": credentials});
    let r = s
        .call(
            Method::POST,
            &format!("/link/sessions/{lt}/connect"),
            None,
            None,
            Some(body),
        )
        .await;
    let code = r.ok()["auth_code"].as_str().unwrap().to_string();
    s.post("/link/exchange", key, None, json!({"auth_code": code}))
        .await
        .ok()
}

/// Waits for the historical sync through the API's own signal.
async fn wait_synced(s: &Server, key: &str, id: &str) -> Value {
    for _ in 0..1200 {
        let c = s.get(&format!("/connections/{id}"), key, None).await.ok();
        let done = c["data"]["historical_sync_completed"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        if !done.is_empty() && done.values().all(|v| v == true) {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("historical sync never completed; server log:\n{}", s.log());
}

/// The routes a ShipMonk connection's reads use, serving the fixtures, with `orders_page1` and
/// `orders_page2` as the two pages of the order list (the third is empty).
fn shipmonk_reads(orders_page1: String, orders_page2: String) -> Vec<Route> {
    let f = |n| fixture("shipmonk", n);
    let orders = "/v1/integrations/orders-list";
    let search = "/v1/integrations/products/search/paginate";
    vec![
        Route::ok("GET", "/v1/integrations/warehouses", f("warehouses.json")),
        Route::ok("GET", orders, orders_page2).when("page=2&"),
        Route::ok("GET", orders, r#"{"status":200,"data":{"orders":[]}}"#).when("page=3&"),
        Route::ok("GET", orders, orders_page1),
        Route::ok("GET", "/v1/products", f("products_page2.json")).when("page=2&"),
        Route::ok("GET", "/v1/products", f("products_page1.json")),
        Route::ok(
            "POST",
            "/v1/integrations/products/search",
            f("inventory_search.json"),
        ),
        Route::ok("GET", search, f("inventory_page2.json")).when("cursor=c2lzLTkxMjItcGFnZS0y&"),
        Route::ok("GET", search, f("inventory_page1.json")),
        Route::ok(
            "GET",
            "/v1/integrations/receivings-list",
            f("receivings.json"),
        ),
        Route::ok("GET", "/v1/integrations/returns-list", f("returns.json")),
    ]
}

/// A server whose organization looks back three years, so the fixtures' dates are synced.
async fn setup(b: Backend) -> Option<(Db, Server, String)> {
    let db = Db::new(b).await?;
    let (org, key) = db.org("Acme Logistics");
    db.set_lookback(&org, 1098);
    let s = Server::start(&db);
    Some((db, s, key))
}

both!(
    shipmonk_links_syncs_reads_writes_and_announces,
    |b| async move {
        let Some((_db, s, key)) = setup(b).await else {
            return;
        };
        let f = |n| fixture("shipmonk", n);
        let page1: Value = serde_json::from_str(&f("orders_page1.json")).unwrap();
        let mut created = page1["data"]["orders"][0].clone();
        created["order_key"] = json!("e2e-1001");
        created["order_number"] = json!("#E2E1001");
        let mut routes = shipmonk_reads(f("orders_page1.json"), f("orders_page2.json"));
        routes.extend([
            Route::ok("POST", "/v1/integrations/order", r#"{"message":"ok"}"#),
            Route::ok(
                "POST",
                "/v1/integrations/receiving",
                r#"{"message":"upstream down"}"#,
            )
            .status(503),
            Route::ok(
                "GET",
                "/v1/integrations/orders",
                json!({"status": 200, "data": created}).to_string(),
            ),
        ]);
        let m = Mock::start(
            routes,
            ("api-key", "sm-e2e-key"),
            r#"{"status":401,"message":"Invalid API key provided."}"#,
        )
        .await;
        // The catalogue offers it, with its real credential fields.
        let cat = s.get("/integrations/wms/shipmonk", &key, None).await.ok();
        let fields: Vec<&str> = cat["data"][0]["auth_fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"api_key") && fields.contains(&"store_id"),
            "{fields:?}"
        );
        let rx = Receiver::ok().await;
        webhook_support::endpoint(
            &s,
            &key,
            json!({"url": rx.url, "event_types": ["order.created"]}),
        )
        .await;
        // A wrong key is refused with the vendor's words.
        let lt = s.post("/link/token", &key, None, json!({})).await.ok()["link_token"]
            .as_str()
            .unwrap()
            .to_string();
        let bad = s.call(Method::POST, &format!("/link/sessions/{lt}/connect"), None, None, Some(json!({"integration_name": "shipmonk", "integration_type": "wms", "credentials": {"api_key": "wrong", "store_id": "7310", "base_url": m.url}}))).await;
        assert!(bad.status.is_client_error(), "{}", bad.text);
        assert!(
            bad.text.contains("Invalid API key provided."),
            "{}",
            bad.text
        );
        let ex = link(
            &s,
            &key,
            "wms",
            "shipmonk",
            json!({"api_key": "sm-e2e-key", "store_id": "7310", "base_url": m.url}),
        )
        .await;
        assert!(ex["available_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("create_order")));
        let t = ex["access_token"].as_str().unwrap().to_string();
        wait_synced(&s, &key, ex["connection_id"].as_str().unwrap()).await;
        let list = s.get("/wms/orders", &key, Some(&t)).await.ok();
        let ids: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"shopify-5512093847"), "{ids:?}");
        let one = s
            .get("/wms/orders/shopify-5512093847", &key, Some(&t))
            .await
            .ok();
        assert!(one["data"]["raw_status"].is_string());
        assert!(!s.get("/wms/products", &key, Some(&t)).await.ok()["data"]
            .as_array()
            .unwrap()
            .is_empty());
        // A write goes to ShipMonk, is stored and announced.
        let w = s.post("/wms/orders", &key, Some(&t), json!({
        "reference_id": "e2e-1001", "order_number": "#E2E1001", "shipping_method": "Standard",
        "ship_to_address": {"full_name": "Mara Lind", "address1": "48 Orchard Ln", "city": "Burlington", "state": "VT", "postal_code": "05401", "country": "US"},
        "line_items": [{"sku": "NB-BEAN-12OZ", "quantity": 2}],
        "trackstar_tags": ["e2e"],
    })).await.ok();
        assert_eq!(w["id"], "e2e-1001");
        let sent: Vec<Value> = m
            .seen()
            .into_iter()
            .filter(|r| r.method == "POST" && r.target == "/v1/integrations/order")
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["order_key"], "e2e-1001");
        // Trackstar tags stay in Waybill.
        assert!(!m
            .seen()
            .iter()
            .any(|r| r.body.contains("trackstar_tags") || r.body.contains("\"e2e\"")));
        assert_eq!(w["data"]["trackstar_tags"], json!(["e2e"]));
        assert_eq!(
            s.get("/wms/orders/e2e-1001", &key, Some(&t)).await.ok()["data"]["order_number"],
            "#E2E1001"
        );
        let hits = rx.wait_for(1, Duration::from_secs(30)).await;
        let ev = hits
            .iter()
            .map(|h| h.json())
            .find(|e| e["data"]["id"] == "e2e-1001")
            .expect("order.created for the write");
        assert_eq!(ev["event_type"], "order.created");
        assert_eq!(ev["integration_name"], "shipmonk");
        // A write ShipMonk's API cannot do is a 501 that names it, and nothing is sent.
        let before = m.seen().len();
        let e = s
            .post(
                "/wms/kits",
                &key,
                Some(&t),
                json!({"sku": "K-1", "name": "Kit"}),
            )
            .await
            .assert_error(501);
        assert_eq!(
            e["error"],
            "Endpoint create_kit is not implemented for ShipMonk"
        );
        assert_eq!(m.seen().len(), before);
        // A vendor failure on its side is a 502 with origin integration.
        let e = s.post("/wms/inbound-shipments", &key, Some(&t), json!({
        "purchase_order_number": "PO-9", "supplier": "Acme Beans", "warehouse_id": "PA1", "expected_arrival_date": "2026-12-01T00:00:00Z",
        "line_items": [{"sku": "NB-BEAN-12OZ", "expected_quantity": 5}],
    })).await;
        let v = e.assert_error(502);
        assert_eq!(v["origin"], "integration");
        // Passthrough reaches ShipMonk's own API with the stored key.
        let p = s
            .post(
                "/wms/passthrough",
                &key,
                Some(&t),
                json!({"method": "GET", "path": "/v1/integrations/warehouses"}),
            )
            .await
            .ok();
        assert_eq!(p["status_code"], 200);
    }
);

both!(
    woocommerce_links_syncs_reads_writes_and_announces,
    |b| async move {
        let Some((_db, s, key)) = setup(b).await else {
            return;
        };
        let f = |n| fixture("woocommerce", n);
        let products: Value = serde_json::from_str(&f("products.json")).unwrap();
        let simple = products
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == 101)
            .unwrap()
            .clone();
        let mut adjusted = simple.clone();
        adjusted["stock_quantity"] = json!(simple["stock_quantity"].as_i64().unwrap() + 3);
        adjusted["date_modified_gmt"] = json!("2026-11-20T10:00:00");
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("ck_e2e:cs_e2e")
        );
        let m = Mock::start(
        vec![
            Route::ok("GET", "/system_status", r#"{"environment":{"site_url":"https://shop.example","version":"9.8.1"},"settings":{"currency":"USD"}}"#),
            // The connector walks by modified time; the fixtures are one short page.
            Route::ok("GET", "/orders", f("orders.json")).when("orderby=modified"),
            Route::ok("GET", "/orders", "[]"),
            Route::ok("GET", "/products", f("products.json")).when("orderby=modified"),
            Route::ok("GET", "/products", "[]"),
            Route::ok("GET", "/products/93/variations", f("variations.json")).when("page=1"),
            Route::ok("GET", "/products/93/variations", "[]"),
            Route::ok("GET", "/products/120/variations", "[]"),
            Route::ok("GET", "/products/101", simple.to_string()),
            Route::ok("PUT", "/products/101", adjusted.to_string()),
        ],
        ("authorization", &auth),
        r#"{"code":"woocommerce_rest_authentication_error","message":"Consumer key is invalid.","data":{"status":401}}"#,
    )
    .await;
        let rx = Receiver::ok().await;
        webhook_support::endpoint(
            &s,
            &key,
            json!({"url": rx.url, "event_types": ["cart-product.updated"]}),
        )
        .await;
        let ex = link(&s, &key, "cart", "woocommerce", json!({"store_url": "https://shop.example", "consumer_key": "ck_e2e", "consumer_secret": "cs_e2e", "base_url": m.url})).await;
        let t = ex["access_token"].as_str().unwrap().to_string();
        wait_synced(&s, &key, ex["connection_id"].as_str().unwrap()).await;
        let orders = s.get("/cart/orders", &key, Some(&t)).await.ok();
        let ids: Vec<&str> = orders["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"727"), "{ids:?}");
        let before = s.get("/cart/products/101", &key, Some(&t)).await.ok();
        assert_eq!(before["data"]["inventory"], simple["stock_quantity"]);
        let w = s
            .call(
                Method::PUT,
                "/cart/products/101/adjust-inventory",
                Some(&key),
                Some(&t),
                Some(json!({"quantity": 3, "adjustment_type": "increase"})),
            )
            .await
            .ok();
        assert_eq!(w["data"]["inventory"], adjusted["stock_quantity"]);
        let put: Vec<Value> = m
            .seen()
            .into_iter()
            .filter(|r| r.method == "PUT")
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        assert_eq!(put.len(), 1);
        assert_eq!(put[0]["stock_quantity"], adjusted["stock_quantity"]);
        let hits = rx.wait_for(1, Duration::from_secs(30)).await;
        let ev = hits[0].json();
        assert_eq!(ev["event_type"], "cart-product.updated");
        assert_eq!(ev["data"]["id"], "101");
        assert_eq!(
            ev["previous_attributes"]["inventory"],
            simple["stock_quantity"]
        );
    }
);

both!(
    vendor_urls_cannot_point_inside_the_network,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        let (_, key) = db.org("Acme Logistics");
        let s = Server::start_with(&db, &[("WAYBILL_CONNECTORS_ALLOW_PRIVATE", "false")]);
        for (name, ty, creds) in [
            (
                "shipmonk",
                "wms",
                json!({"api_key": "k", "store_id": "1", "base_url": "http://127.0.0.1:9/"}),
            ),
            (
                "shipmonk",
                "wms",
                json!({"api_key": "k", "store_id": "1", "base_url": "http://169.254.169.254/latest"}),
            ),
            (
                "woocommerce",
                "cart",
                json!({"store_url": "https://localhost", "consumer_key": "ck", "consumer_secret": "cs"}),
            ),
            (
                "woocommerce",
                "cart",
                json!({"store_url": "http://[::1]:8080", "consumer_key": "ck", "consumer_secret": "cs"}),
            ),
        ] {
            let lt = s.post("/link/token", &key, None, json!({})).await.ok()["link_token"]
                .as_str()
                .unwrap()
                .to_string();
            let body =
                json!({"integration_name": name, "integration_type": ty, "credentials": creds});
            let e = s
                .call(
                    Method::POST,
                    &format!("/link/sessions/{lt}/connect"),
                    None,
                    None,
                    Some(body),
                )
                .await
                .assert_error(422);
            let detail = e["detail"]["json"].as_object().unwrap();
            assert!(
                detail
                    .keys()
                    .any(|k| k == "credentials.base_url" || k == "credentials.store_url"),
                "{e}"
            );
        }
    }
);

both!(
    a_record_returned_twice_in_one_crawl_keeps_its_newest_copy,
    |b| async move {
        let Some((_db, s, key)) = setup(b).await else {
            return;
        };
        // The vendor moves an order while it is being paged through: page 1 has its old
        // copy, page 2 its new one. Pages are stored concurrently, so this checks that a
        // page sharing a record with one still being stored waits for it.
        let f = |n| fixture("shipmonk", n);
        let mut page1: Value = serde_json::from_str(&f("orders_page1.json")).unwrap();
        let mut page2: Value = serde_json::from_str(&f("orders_page2.json")).unwrap();
        let first = page1["data"]["orders"][0].clone();
        // A full page (ShipMonk's largest, 100 orders), so the connector asks for the next.
        let orders1 = page1["data"]["orders"].as_array_mut().unwrap();
        orders1.truncate(1);
        for i in 1..100 {
            let mut o = first.clone();
            o["order_key"] = json!(format!("e2e-fill-{i}"));
            o["order_number"] = json!(format!("#FILL{i}"));
            orders1.push(o);
        }
        let mut moved = first.clone();
        moved["order_number"] = json!("#NB1042-MOVED");
        moved["updated_at"] = json!("2026-03-05T09:00:00+00:00");
        page2["data"]["orders"].as_array_mut().unwrap().push(moved);
        let m = Mock::start(
            shipmonk_reads(page1.to_string(), page2.to_string()),
            ("api-key", "sm-e2e-key"),
            r#"{"status":401,"message":"Invalid API key provided."}"#,
        )
        .await;
        let ex = link(
            &s,
            &key,
            "wms",
            "shipmonk",
            json!({"api_key": "sm-e2e-key", "store_id": "7310", "base_url": m.url}),
        )
        .await;
        let t = ex["access_token"].as_str().unwrap().to_string();
        wait_synced(&s, &key, ex["connection_id"].as_str().unwrap()).await;
        let number = |o: Value| o["data"]["order_number"].clone();
        let path = "/wms/orders/shopify-5512093847";
        let asked: Vec<String> = m
            .seen()
            .into_iter()
            .filter(|r| r.target.contains("orders-list"))
            .map(|r| r.target)
            .collect();
        assert_eq!(
            number(s.get(path, &key, Some(&t)).await.ok()),
            json!("#NB1042-MOVED"),
            "{asked:?}"
        );
        // An on-demand sync (which fires events, so stores page by page) ends the same way.
        let job = s
            .post(
                "/connections/on-demand-syncs",
                &key,
                Some(&t),
                json!({"function_name": "get_orders", "start_time": "2023-01-01T00:00:00Z", "end_time": "2030-01-01T00:00:00Z"}),
            )
            .await
            .ok();
        let status = s.wait_job(&key, &t, job["id"].as_str().unwrap()).await;
        assert_eq!(status, "completed", "{}", s.log());
        assert_eq!(
            number(s.get(path, &key, Some(&t)).await.ok()),
            json!("#NB1042-MOVED")
        );
        let list = s.get("/wms/orders?limit=1000", &key, Some(&t)).await.ok();
        let mut ids: Vec<&str> = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 102, "one copy of each order");
        assert_eq!(list["data"].as_array().unwrap().len(), 102);
    }
);
