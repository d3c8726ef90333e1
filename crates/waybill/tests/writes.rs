//! Writes through the real binary (SPEC §12–§14): every write route of the sandboxes, the
//! body rules (non-null at any depth, required members, types, unknown members,
//! `unused_fields`), vendor refusals passed through, idempotency keys (replay, conflict,
//! release, restart, a 20-request race counted by the sandbox), policy (read-only keys,
//! disabled functions, wrong vertical), Trackstar tags, passthrough and write discovery.

mod common;
mod webhook_support;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use webhook_support::receiver::Receiver;

/// Sends a write with optional extra headers.
async fn send(
    s: &Server,
    method: Method,
    path: &str,
    key: &str,
    token: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Resp {
    let mut req = s
        .http
        .request(method, format!("{}{}", s.base, path))
        .header("x-trackstar-api-key", key)
        .header("x-trackstar-access-token", token);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.expect("body");
    Resp {
        status,
        headers,
        text,
    }
}

fn order_body(number: &str) -> Value {
    json!({
        "order_number": number,
        "warehouse_customer_id": "cust_001",
        "ship_to_address": {"full_name": "Ada Lovelace", "address1": "1 Main St", "city": "Austin", "state": "TX", "postal_code": "78701", "country": "US"},
        "line_items": [{"product_id": "prod_000001", "quantity": 2, "unit_price": 12.5}],
        "trackstar_tags": ["rush", {"tier": "gold"}],
    })
}

async fn counter(s: &Server, key: &str, token: &str, ty: &str, name: &str) -> i64 {
    s.get(&format!("/sandbox/counters/{ty}"), key, Some(token))
        .await
        .ok()["data"][name]
        .as_i64()
        .unwrap_or(0)
}

/// The SKU of the sandbox's first product (SKUs depend on the sandbox's seed).
async fn sku_of(s: &Server, key: &str, token: &str) -> String {
    s.get("/wms/products/prod_000001", key, Some(token))
        .await
        .ok()["data"]["sku"]
        .as_str()
        .unwrap()
        .to_string()
}

fn token(sb: &Value) -> String {
    sb["access_token"].as_str().unwrap().to_string()
}

both!(
    create_order_is_stored_readable_tagged_and_announced,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let rx = Receiver::ok().await;
        webhook_support::endpoint(
            s,
            key,
            json!({"url": rx.url, "event_types": ["order.created"]}),
        )
        .await;
        let t = token(&f.sandbox("wms").await);
        let sku = sku_of(s, key, &t).await;
        let r = s
            .post("/wms/orders", key, Some(&t), order_body("WB-1"))
            .await
            .ok();
        let id = r["id"].as_str().unwrap();
        assert_eq!(r["data"]["id"], id);
        assert_eq!(r["data"]["order_number"], "WB-1");
        assert_eq!(r["data"]["status"], "open");
        assert_eq!(r["data"]["line_items"][0]["sku"], sku.as_str());
        assert_eq!(
            r["data"]["trackstar_tags"],
            json!(["rush", {"tier": "gold"}])
        );
        // The sandbox assigns merchants itself: the base member is accepted and reported.
        assert_eq!(r["unused_fields"], json!(["warehouse_customer_id"]));
        // Readable at once, identical to the write's answer.
        let got = s
            .get(&format!("/wms/orders/{id}"), key, Some(&t))
            .await
            .ok();
        assert_eq!(got["data"], r["data"]);
        // Filterable by its tags.
        let list = s
            .get(
                "/wms/orders?trackstar_tags[contains]=tier:gold",
                key,
                Some(&t),
            )
            .await
            .ok();
        assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list["data"][0]["id"], id);
        // Announced through the outbox.
        let hits = rx.wait_for(1, Duration::from_secs(30)).await;
        let ev = hits[0].json();
        assert_eq!(ev["event_type"], "order.created");
        assert_eq!(ev["data"]["id"], id);
        assert_eq!(
            ev["data"]["trackstar_tags"],
            json!(["rush", {"tier": "gold"}])
        );
    }
);

both!(
    bodies_are_checked_before_the_vendor_sees_them,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let t = token(&f.sandbox("wms").await);
        let cases: Vec<(Value, &str)> = vec![
            // A null at depth 3.
            (
                json!({"line_items": [{"product_id": "prod_000001", "quantity": 1, "sku": null}]}),
                "line_items.0.sku",
            ),
            (
                json!({"ship_to_address": {"city": "None"}}),
                "ship_to_address.city",
            ),
            (json!({"service_level": ""}), "service_level"),
            (
                json!({"trackstar_tags": [{"a": "1", "b": "2"}]}),
                "trackstar_tags.0",
            ),
        ];
        for (patch, path) in cases {
            let mut body = order_body("WB-2");
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            let e = s
                .post("/wms/orders", key, Some(&t), body)
                .await
                .assert_error(422);
            assert_eq!(e["origin"], "trackstar");
            assert!(e["detail"]["json"][path].is_array(), "{path}: {e}");
        }
        // Missing required members (the sandbox's variant requires order_number).
        let mut body = order_body("x");
        body.as_object_mut().unwrap().remove("order_number");
        let e = s
            .post("/wms/orders", key, Some(&t), body)
            .await
            .assert_error(422);
        assert!(e["detail"]["json"]["order_number"].is_array(), "{e}");
        // Wrong types and enum values.
        let mut body = order_body("WB-3");
        body["line_items"][0]["quantity"] = json!("2");
        let e = s
            .post("/wms/orders", key, Some(&t), body)
            .await
            .assert_error(422);
        assert!(
            e["detail"]["json"]["line_items.0.quantity"].is_array(),
            "{e}"
        );
        let e = send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000001",
            key,
            &t,
            Some(json!({"status": "teleported"})),
            &[],
        )
        .await
        .assert_error(422);
        assert!(e["detail"]["json"]["status"].is_array(), "{e}");
        // Members neither the base schema nor the integration knows.
        let mut body = order_body("WB-4");
        body["ship_to_address"]["planet"] = json!("Mars");
        let e = s
            .post("/wms/orders", key, Some(&t), body)
            .await
            .assert_error(422);
        assert!(
            e["detail"]["json"]["ship_to_address.planet"].is_array(),
            "{e}"
        );
        // Malformed JSON and bodies on body-less routes.
        s.call_raw(
            Method::POST,
            "/wms/orders",
            Some(key),
            Some(&t),
            "{\"order_number\":",
        )
        .await
        .assert_error(400);
        let e = send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000001/cancel",
            key,
            &t,
            Some(json!({"why": "x"})),
            &[],
        )
        .await
        .assert_error(422);
        assert!(e["detail"]["json"]["why"].is_array(), "{e}");
        // An over-long idempotency key.
        let long = "k".repeat(256);
        let e = send(
            s,
            Method::POST,
            "/wms/orders",
            key,
            &t,
            Some(order_body("WB-5")),
            &[("Idempotency-Key", &long)],
        )
        .await
        .assert_error(422);
        assert!(e["detail"]["headers"]["Idempotency-Key"].is_array(), "{e}");
        // None of these reached the simulated vendor.
        assert_eq!(
            counter(s, key, &t, "wms", "writes.wms.create_order").await,
            0
        );
        assert_eq!(
            counter(s, key, &t, "wms", "writes.wms.cancel_order").await,
            0
        );
    }
);

both!(
    vendor_refusals_come_back_verbatim_with_their_status,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let t = token(&f.sandbox("wms").await);
        // A duplicate order number (generated orders are numbered from #1001).
        let e = s
            .post("/wms/orders", key, Some(&t), order_body("#1001"))
            .await
            .assert_error(409);
        assert_eq!(e["origin"], "integration");
        assert_eq!(
            e["error"],
            "An order with order_number \"#1001\" already exists."
        );
        // An unknown SKU.
        let e = s
            .post(
                "/wms/returns",
                key,
                Some(&t),
                json!({"line_items": [{"sku": "NOPE-1", "quantity": 1}]}),
            )
            .await
            .assert_error(422);
        assert_eq!(e["origin"], "integration");
        assert!(
            e["error"]
                .as_str()
                .unwrap()
                .contains("unknown SKU \"NOPE-1\""),
            "{e}"
        );
        // A missing warehouse.
        let e = send(
            s,
            Method::PUT,
            "/wms/inventory/inv_000001/adjust",
            key,
            &t,
            Some(json!({"quantity": 1, "adjustment_type": "increase", "warehouse_id": "wh_999"})),
            &[],
        )
        .await
        .assert_error(422);
        assert_eq!(e["origin"], "integration");
        assert!(e["error"].as_str().unwrap().contains("wh_999"), "{e}");
        // Cancelling a shipped order.
        let shipped = s
            .get("/wms/orders?status=fulfilled&limit=1", key, Some(&t))
            .await
            .ok()["data"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let e = send(
            s,
            Method::PUT,
            &format!("/wms/orders/{shipped}/cancel"),
            key,
            &t,
            None,
            &[],
        )
        .await
        .assert_error(422);
        assert_eq!(e["origin"], "integration");
        assert!(
            e["error"].as_str().unwrap().contains("cannot be cancelled"),
            "{e}"
        );
        // A target Waybill has never seen is a 404 before the vendor is asked.
        let e = send(
            s,
            Method::PUT,
            "/wms/orders/ord_does_not_exist/cancel",
            key,
            &t,
            None,
            &[],
        )
        .await
        .assert_error(404);
        assert_eq!(e["id"], "ord_does_not_exist");
        assert_eq!(e["origin"], "trackstar");
        assert_eq!(
            counter(s, key, &t, "wms", "writes.wms.cancel_order").await,
            1
        );
    }
);

both!(every_wms_write_route_works, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let (s, key) = (&f.server, f.key.as_str());
    let t = token(&f.sandbox("wms").await);
    let sku = sku_of(s, key, &t).await;
    let put = |path: String, body: Value| {
        let t = t.clone();
        async move {
            send(s, Method::PUT, &path, key, &t, Some(body), &[])
                .await
                .ok()
        }
    };
    let order = s
        .post("/wms/orders", key, Some(&t), order_body("WB-10"))
        .await
        .ok();
    let oid = order["id"].as_str().unwrap().to_string();
    let u = put(format!("/wms/orders/{oid}"), json!({"service_level": "Express", "ship_to_address": {"city": "Dallas"}, "status": "confirmed"})).await;
    assert_eq!(u["data"]["service_level"], "Express");
    assert_eq!(u["data"]["ship_to_address"]["city"], "Dallas");
    assert_eq!(u["data"]["ship_to_address"]["address1"], "1 Main St");
    assert_eq!(u["data"]["status"], "confirmed");
    let shipped = s.post(&format!("/wms/orders/{oid}/shipments"), key, Some(&t), json!({
        "shipped_date": "2026-11-20T10:00:00Z", "tracking_number": "1Z999", "shipping_cost": 7.5, "warehouse_id": "wh_001",
        "measurements": {"length": 10, "width": 8, "height": 4, "unit": "in", "weight": 2, "weight_unit": "lb"},
    })).await.ok();
    assert_eq!(shipped["data"]["status"], "fulfilled");
    assert_eq!(
        shipped["data"]["shipments"][0]["packages"][0]["tracking_number"],
        "1Z999"
    );
    // Attach a file (multipart).
    let form = reqwest::multipart::Form::new()
        .text("file_name", "invoice.pdf")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec())
                .file_name("invoice.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let r = s
        .http
        .post(format!("{}/wms/orders/{oid}/file", s.base))
        .header("x-trackstar-api-key", key)
        .header("x-trackstar-access-token", &t)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v,
        json!({"data": "success", "id": oid, "unused_fields": []})
    );
    let again = s
        .get(&format!("/wms/orders/{oid}"), key, Some(&t))
        .await
        .ok();
    assert_eq!(
        again["data"]["additional_fields"]["files"][0]["file_name"],
        "invoice.pdf"
    );
    // Cancel an open order.
    let open = s
        .post("/wms/orders", key, Some(&t), order_body("WB-11"))
        .await
        .ok();
    let c = send(
        s,
        Method::PUT,
        &format!("/wms/orders/{}/cancel", open["id"].as_str().unwrap()),
        key,
        &t,
        None,
        &[],
    )
    .await
    .ok();
    assert_eq!(c["data"]["status"], "cancelled");
    // Products and kits.
    let p = s
        .post(
            "/wms/products",
            key,
            Some(&t),
            json!({"sku": "NEW-SKU-1", "name": "New thing", "gtin": "00012345678905"}),
        )
        .await
        .ok();
    let pid = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["data"]["sku"], "NEW-SKU-1");
    let p2 = put(
        format!("/wms/products/{pid}"),
        json!({"name": "Renamed thing"}),
    )
    .await;
    assert_eq!(p2["data"]["name"], "Renamed thing");
    let dup = s
        .post(
            "/wms/products",
            key,
            Some(&t),
            json!({"sku": "NEW-SKU-1", "name": "Again"}),
        )
        .await
        .assert_error(409);
    assert_eq!(dup["origin"], "integration");
    let kit = s.post("/wms/kits", key, Some(&t), json!({"sku": "KIT-NEW-1", "name": "Bundle", "gtin": "00012345678912",
        "measurements": {"length": 1, "width": 1, "height": 1, "unit": "cm", "weight": 1, "weight_unit": "kg"},
        "inventory_items": [{"sku": "NEW-SKU-1", "unit_quantity": 2}, {"sku": sku.as_str(), "unit_quantity": 1}]})).await.ok();
    assert_eq!(kit["data"]["is_kit"], true);
    assert_eq!(kit["data"]["inventory_items"].as_array().unwrap().len(), 2);
    let kid = kit["id"].as_str().unwrap().to_string();
    let k2 = put(
        format!("/wms/kits/{kid}"),
        json!({"inventory_items": [{"sku": sku.as_str(), "unit_quantity": 3}]}),
    )
    .await;
    assert_eq!(k2["data"]["inventory_items"][0]["unit_quantity"], 3);
    // Inbound shipments.
    let asn = s.post("/wms/inbound-shipments", key, Some(&t), json!({"supplier": "Acme Supply", "purchase_order_number": "PO-1",
        "expected_arrival_date": "2026-12-01T00:00:00Z", "warehouse_id": "wh_001", "tracking_number": "TRK-1",
        "line_items": [{"sku": sku.as_str(), "expected_quantity": 10}]})).await.ok();
    let aid = asn["id"].as_str().unwrap().to_string();
    assert_eq!(asn["data"]["status"], "open");
    let a2 = put(
        format!("/wms/inbound-shipments/{aid}"),
        json!({"purchase_order_number": "PO-1b"}),
    )
    .await;
    assert_eq!(a2["data"]["purchase_order_number"], "PO-1b");
    let a3 = put(format!("/wms/inbound-shipments/{aid}/receive"), json!({"line_items": [{"sku": sku.as_str(), "quantity": 10}], "warehouse_location_id": "loc_0001"})).await;
    assert_eq!(a3["data"]["status"], "received");
    assert_eq!(a3["data"]["receipts"].as_array().unwrap().len(), 1);
    // Returns.
    let ret = s.post("/wms/returns", key, Some(&t), json!({"warehouse_id": "wh_001", "order_id": oid, "line_items": [{"sku": sku.as_str(), "quantity": 1}]})).await.ok();
    let rid = ret["id"].as_str().unwrap().to_string();
    assert_eq!(ret["data"]["order_id"], oid);
    let r2 = put(
        format!("/wms/returns/{rid}"),
        json!({"line_items": [{"sku": sku.as_str(), "quantity": 2}]}),
    )
    .await;
    assert_eq!(r2["data"]["line_items"][0]["expected_quantity"], 2);
    let r3 = send(
        s,
        Method::PUT,
        &format!("/wms/returns/{rid}/cancel"),
        key,
        &t,
        None,
        &[],
    )
    .await
    .ok();
    assert_eq!(r3["data"]["status"], "cancelled");
    // Inventory.
    let before = s.get("/wms/inventory/inv_000001", key, Some(&t)).await.ok()["data"]["onhand"]
        .as_i64()
        .unwrap();
    let inv = put(
        "/wms/inventory/inv_000001/adjust".into(),
        json!({"quantity": 5, "adjustment_type": "increase", "warehouse_id": "wh_001"}),
    )
    .await;
    assert_eq!(inv["data"]["onhand"].as_i64().unwrap(), before + 5);
    let got = s.get("/wms/inventory/inv_000001", key, Some(&t)).await.ok();
    assert_eq!(got["data"]["onhand"].as_i64().unwrap(), before + 5);
});

both!(every_cart_write_route_works, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let (s, key) = (&f.server, f.key.as_str());
    let t = token(&f.sandbox("cart").await);
    let products = s.get("/cart/products?limit=50", key, Some(&t)).await.ok();
    let variant = products["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["parent_product_id"] != p["id"])
        .expect("a variant")
        .clone();
    let vid = variant["id"].as_str().unwrap().to_string();
    let stock = variant["inventory"].as_i64().unwrap_or(0);
    let r = send(
        s,
        Method::PUT,
        &format!("/cart/products/{vid}/adjust-inventory"),
        key,
        &t,
        Some(json!({"quantity": 3, "adjustment_type": "increase", "warehouse_id": "ignored"})),
        &[],
    )
    .await
    .ok();
    assert_eq!(r["data"]["inventory"].as_i64().unwrap(), stock + 3);
    assert_eq!(r["unused_fields"], json!(["warehouse_id"]));
    let batch = send(s, Method::PUT, "/cart/products/batch-adjust-inventory", key, &t, Some(json!({"adjustments": [{"product_id": vid, "quantity": 1, "adjustment_type": "decrease"}]})), &[]).await.ok();
    assert_eq!(batch["data"][0]["inventory"].as_i64().unwrap(), stock + 2);
    let bad = send(s, Method::PUT, "/cart/products/batch-adjust-inventory", key, &t, Some(json!({"adjustments": [{"product_id": vid, "quantity": 1, "adjustment_type": "decrease"}, {"product_id": "nope", "quantity": 1, "adjustment_type": "increase"}]})), &[]).await.assert_error(422);
    assert_eq!(bad["origin"], "integration");
    // Nothing of the refused batch was applied.
    let now = s
        .get(&format!("/cart/products/{vid}"), key, Some(&t))
        .await
        .ok();
    assert_eq!(now["data"]["inventory"].as_i64().unwrap(), stock + 2);
    let orders = s
        .get("/cart/orders?status=open&limit=1", key, Some(&t))
        .await
        .ok();
    let oid = orders["data"][0]["id"].as_str().unwrap().to_string();
    let shipped = s.post(&format!("/cart/orders/{oid}/shipments"), key, Some(&t), json!({"tracking_number": "9400", "tracking_url": "https://t.example/9400", "carrier_name": "USPS", "requested_shipping_method": "Ground"})).await.ok();
    assert_eq!(shipped["data"]["status"], "fulfilled");
    assert_eq!(
        shipped["data"]["shipments"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["tracking_number"],
        "9400"
    );
    let refund = s
        .post(
            &format!("/cart/orders/{oid}/refund"),
            key,
            Some(&t),
            json!({"amount": 1.0, "reason": "damaged"}),
        )
        .await
        .ok();
    assert_eq!(
        refund["data"]["additional_fields"]["refunds"][0]["amount"],
        1.0
    );
    let too_much = s
        .post(
            &format!("/cart/orders/{oid}/refund"),
            key,
            Some(&t),
            json!({"amount": 1.0e9}),
        )
        .await
        .assert_error(422);
    assert_eq!(too_much["origin"], "integration");
});

both!(
    idempotency_keys_replay_conflict_release_and_survive_restarts,
    |b| async move {
        let Some(mut f) = Fixture::new(b).await else {
            return;
        };
        let key = f.key.clone();
        let t = token(&f.sandbox("wms").await);
        let s = &f.server;
        let h = [("Idempotency-Key", "order-WB-20")];
        let first = send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(order_body("WB-20")),
            &h,
        )
        .await;
        assert_eq!(first.status, 200, "{}", first.text);
        assert!(first.headers.get("idempotent-replayed").is_none());
        // Key order in the body does not matter.
        let reordered: Value =
            serde_json::from_str(&serde_json::to_string(&order_body("WB-20")).unwrap()).unwrap();
        let again = send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(reordered),
            &h,
        )
        .await;
        assert_eq!(again.status, 200);
        assert_eq!(again.headers["idempotent-replayed"], "true");
        assert_eq!(again.text, first.text);
        assert_eq!(
            counter(s, &key, &t, "wms", "writes.wms.create_order").await,
            1
        );
        // Same key, other body or route: refused.
        send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(order_body("WB-21")),
            &h,
        )
        .await
        .assert_error(400);
        send(
            s,
            Method::POST,
            "/wms/returns",
            &key,
            &t,
            Some(json!({})),
            &h,
        )
        .await
        .assert_error(400);
        // A failed first attempt releases its key.
        let hk = [("Idempotency-Key", "retry-me")];
        send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(order_body("#1001")),
            &hk,
        )
        .await
        .assert_error(409);
        let ok = send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(order_body("WB-22")),
            &hk,
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        // Keys are per connection: another connection may use the same key.
        let other = s
            .post("/sandbox/generate-sandbox/cart", &key, None, Value::Null)
            .await
            .ok();
        let ot = token(&other);
        let products = s.get("/cart/products?limit=50", &key, Some(&ot)).await.ok();
        let vid = products["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["parent_product_id"] != p["id"])
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = send(
            s,
            Method::PUT,
            &format!("/cart/products/{vid}/adjust-inventory"),
            &key,
            &ot,
            Some(json!({"quantity": 1, "adjustment_type": "increase"})),
            &h,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        // A replay after a restart answers from the store.
        f.server.stop();
        f.server = Server::start(&f.db);
        let s = &f.server;
        let after = send(
            s,
            Method::POST,
            "/wms/orders",
            &key,
            &t,
            Some(order_body("WB-20")),
            &h,
        )
        .await;
        assert_eq!(after.status, 200);
        assert_eq!(after.headers["idempotent-replayed"], "true");
        assert_eq!(after.text, first.text);
        assert_eq!(
            counter(s, &key, &t, "wms", "writes.wms.create_order").await,
            3
        );
    }
);

both!(
    twenty_concurrent_identical_requests_write_once,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let t = token(&f.sandbox("wms").await);
        let h = [("Idempotency-Key", "race-1")];
        let calls = (0..20).map(|_| {
            send(
                s,
                Method::POST,
                "/wms/orders",
                key,
                &t,
                Some(order_body("WB-30")),
                &h,
            )
        });
        let results = futures_join_all(calls).await;
        let ok: Vec<&Resp> = results.iter().filter(|r| r.status == 200).collect();
        assert!(!ok.is_empty());
        for r in &results {
            assert!(
                r.status == 200 || r.status == 409,
                "{} {}",
                r.status,
                r.text
            );
        }
        let ids: std::collections::HashSet<String> = ok
            .iter()
            .map(|r| r.json()["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), 1, "{ids:?}");
        assert_eq!(
            counter(s, key, &t, "wms", "writes.wms.create_order").await,
            1
        );
        let list = s
            .get("/wms/orders?order_number=WB-30", key, Some(&t))
            .await
            .ok();
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
    }
);

/// Runs futures concurrently on this task.
async fn futures_join_all<F: std::future::Future<Output = Resp>>(
    fs: impl Iterator<Item = F>,
) -> Vec<Resp> {
    let mut set = Vec::new();
    for f in fs {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    let mut done: Vec<Option<Resp>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, p) in pending.iter_mut().enumerate() {
            if let Some(fut) = p {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(r) => {
                        done[i] = Some(r);
                        *p = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    for d in done {
        out.push(d.unwrap());
    }
    out
}

both!(
    policy_is_enforced_without_contacting_the_vendor,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        let (org, key) = db.org("Acme Logistics");
        let ro: Value = serde_json::from_str(&db.cli(&[
            "api-key",
            "create",
            "--organization",
            &org,
            "--read-only",
            "--json",
        ]))
        .unwrap();
        let ro = ro["api_key"].as_str().unwrap().to_string();
        let out = db.cli(&[
            "org",
            "disable-function",
            "--organization",
            &org,
            "--integration-type",
            "wms",
            "--function",
            "cancel_order",
        ]);
        assert!(out.contains("cancel_order"), "{out}");
        let bad = db.cli_raw(&[
            "org",
            "disable-function",
            "--organization",
            &org,
            "--integration-type",
            "wms",
            "--function",
            "launch_rocket",
        ]);
        assert!(!bad.status.success());
        let s = Server::start(&db);
        let sb = s
            .post("/sandbox/generate-sandbox/wms", &key, None, Value::Null)
            .await
            .ok();
        let t = token(&sb);
        assert!(!sb["available_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("cancel_order")));
        let e = send(
            &s,
            Method::PUT,
            "/wms/orders/ord_000000001/cancel",
            &key,
            &t,
            None,
            &[],
        )
        .await
        .assert_error(403);
        assert_eq!(e["error"], "cancel_order is disabled for this connection");
        let e = send(
            &s,
            Method::POST,
            "/wms/orders",
            &ro,
            &t,
            Some(order_body("WB-40")),
            &[],
        )
        .await
        .assert_error(403);
        assert!(e["error"].as_str().unwrap().contains("read-only"), "{e}");
        send(
            &s,
            Method::PUT,
            "/wms/orders/ord_000000001/trackstar-tags",
            &ro,
            &t,
            Some(json!({"trackstar_tags": []})),
            &[],
        )
        .await
        .assert_error(403);
        assert_eq!(
            counter(&s, &key, &t, "wms", "writes.wms.cancel_order").await,
            0
        );
        assert_eq!(
            counter(&s, &key, &t, "wms", "writes.wms.create_order").await,
            0
        );
        // A cart connection on a WMS write route.
        let cart = token(
            &s.post("/sandbox/generate-sandbox/cart", &key, None, Value::Null)
                .await
                .ok(),
        );
        send(
            &s,
            Method::POST,
            "/wms/orders",
            &key,
            &cart,
            Some(order_body("WB-41")),
            &[],
        )
        .await
        .assert_error(404);
        // Turned back on, it works.
        db.cli(&[
            "org",
            "enable-function",
            "--organization",
            &org,
            "--integration-type",
            "wms",
            "--function",
            "cancel_order",
        ]);
        drop(s);
        let s = Server::start(&db);
        let open = s
            .post("/wms/orders", &key, Some(&t), order_body("WB-42"))
            .await
            .ok();
        send(
            &s,
            Method::PUT,
            &format!("/wms/orders/{}/cancel", open["id"].as_str().unwrap()),
            &key,
            &t,
            None,
            &[],
        )
        .await
        .ok();
    }
);

both!(
    trackstar_tags_replace_bump_announce_and_filter,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let rx = Receiver::ok().await;
        webhook_support::endpoint(
            s,
            key,
            json!({"url": rx.url, "event_types": ["order.updated"]}),
        )
        .await;
        let t = token(&f.sandbox("wms").await);
        let before = s.get("/wms/orders/ord_000000002", key, Some(&t)).await.ok()["data"].clone();
        let r = send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000002/trackstar-tags",
            key,
            &t,
            Some(json!({"trackstar_tags": ["vip", {"region": "west"}]})),
            &[],
        )
        .await
        .ok();
        assert_eq!(r["id"], "ord_000000002");
        assert_eq!(r["unused_fields"], json!([]));
        assert_eq!(
            r["data"]["trackstar_tags"],
            json!(["vip", {"region": "west"}])
        );
        assert!(
            r["data"]["trackstar_updated_date"].as_str().unwrap()
                >= before["trackstar_updated_date"].as_str().unwrap()
        );
        let hits = rx.wait_for(1, Duration::from_secs(30)).await;
        let ev = hits[0].json();
        assert_eq!(ev["event_type"], "order.updated");
        assert_eq!(ev["previous_attributes"], json!({"trackstar_tags": []}));
        let found = s
            .get(
                "/wms/orders?trackstar_tags[contains]=region:west",
                key,
                Some(&t),
            )
            .await
            .ok();
        assert_eq!(found["data"].as_array().unwrap().len(), 1);
        let not = s
            .get(
                "/wms/orders?trackstar_tags[not_contains]=vip&limit=1000",
                key,
                Some(&t),
            )
            .await
            .ok();
        assert!(not["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != "ord_000000002"));
        // Replacing with an empty list clears them.
        let cleared = send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000002/trackstar-tags",
            key,
            &t,
            Some(json!({"trackstar_tags": []})),
            &[],
        )
        .await
        .ok();
        assert_eq!(cleared["data"]["trackstar_tags"], json!([]));
        let found = s
            .get("/wms/orders?trackstar_tags[contains]=vip", key, Some(&t))
            .await
            .ok();
        assert_eq!(found["data"].as_array().unwrap().len(), 0);
        // Bad tags and unknown records.
        let e = send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000002/trackstar-tags",
            key,
            &t,
            Some(json!({"trackstar_tags": [{}]})),
            &[],
        )
        .await
        .assert_error(422);
        assert!(e["detail"]["json"]["trackstar_tags.0"].is_array(), "{e}");
        send(
            s,
            Method::PUT,
            "/wms/orders/ord_000000002/trackstar-tags",
            key,
            &t,
            Some(json!({})),
            &[],
        )
        .await
        .assert_error(422);
        send(
            s,
            Method::PUT,
            "/wms/orders/nope/trackstar-tags",
            key,
            &t,
            Some(json!({"trackstar_tags": ["x"]})),
            &[],
        )
        .await
        .assert_error(404);
        // Every taggable resource of every vertical.
        for path in [
            "/wms/products/prod_000001",
            "/wms/inventory/inv_000001",
            "/wms/warehouses/wh_001",
            "/wms/returns",
            "/wms/inbound-shipments",
        ] {
            let id = if path.ends_with('s') {
                s.get(&format!("{path}?limit=1"), key, Some(&t)).await.ok()["data"][0]["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            } else {
                path.rsplit('/').next().unwrap().to_string()
            };
            let base = if path.ends_with('s') {
                path.to_string()
            } else {
                path.rsplit_once('/').unwrap().0.to_string()
            };
            let r = send(
                s,
                Method::PUT,
                &format!("{base}/{id}/trackstar-tags"),
                key,
                &t,
                Some(json!({"trackstar_tags": ["x"]})),
                &[],
            )
            .await
            .ok();
            assert_eq!(r["data"]["trackstar_tags"], json!(["x"]), "{path}");
        }
        for (ty, res) in [
            ("cart", "orders"),
            ("cart", "products"),
            ("cart", "warehouses"),
            ("carrier", "invoice-line-items"),
        ] {
            let tk = token(
                &s.post(
                    &format!("/sandbox/generate-sandbox/{ty}"),
                    key,
                    None,
                    Value::Null,
                )
                .await
                .ok(),
            );
            let id = s
                .get(&format!("/{ty}/{res}?limit=1"), key, Some(&tk))
                .await
                .ok()["data"][0]["id"]
                .as_str()
                .unwrap()
                .to_string();
            let r = send(
                s,
                Method::PUT,
                &format!("/{ty}/{res}/{id}/trackstar-tags"),
                key,
                &tk,
                Some(json!({"trackstar_tags": [{"k": "v"}]})),
                &[],
            )
            .await
            .ok();
            assert_eq!(
                r["data"]["trackstar_tags"],
                json!([{"k": "v"}]),
                "{ty} {res}"
            );
            let got = s
                .get(
                    &format!("/{ty}/{res}?trackstar_tags[contains]=k:v"),
                    key,
                    Some(&tk),
                )
                .await
                .ok();
            assert_eq!(got["data"][0]["id"], id.as_str());
        }
    }
);

both!(
    passthrough_reaches_the_integration_and_cannot_escape_it,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (s, key) = (&f.server, f.key.as_str());
        let t = token(&f.sandbox("wms").await);
        let r = s
            .post(
                "/wms/passthrough",
                key,
                Some(&t),
                json!({"method": "GET", "path": "/v1/orders/ord_000000003"}),
            )
            .await
            .ok();
        assert_eq!(r["status_code"], 200);
        assert_eq!(r["body"]["id"], "ord_000000003");
        assert!(r["headers"].is_object());
        // The vendor's own failures are results, not errors.
        let r = s
            .post(
                "/wms/passthrough",
                key,
                Some(&t),
                json!({"method": "GET", "path": "/v1/unknown"}),
            )
            .await
            .ok();
        assert_eq!(r["status_code"], 404);
        for path in [
            "http://169.254.169.254/latest",
            "//evil.example/x",
            "/v1/../../admin",
            "/v1/%2e%2e/admin",
            "@evil.example/x",
            "v1/orders",
            "/v1/orders\\..\\x",
        ] {
            let e = s
                .post(
                    "/wms/passthrough",
                    key,
                    Some(&t),
                    json!({"method": "GET", "path": path}),
                )
                .await
                .assert_error(422);
            assert!(e["detail"]["json"]["path"].is_array(), "{path}: {e}");
        }
        let e = s
            .post(
                "/wms/passthrough",
                key,
                Some(&t),
                json!({"method": "GET", "path": "/v1/ping", "headers": {"Host": "evil.example"}}),
            )
            .await
            .assert_error(422);
        assert!(e["detail"]["json"]["headers.Host"].is_array(), "{e}");
        s.post(
            "/wms/passthrough",
            key,
            Some(&t),
            json!({"method": "TRACE", "path": "/v1/ping"}),
        )
        .await
        .assert_error(422);
        s.post(
            "/wms/passthrough",
            key,
            Some(&t),
            json!({"path": "/v1/ping"}),
        )
        .await
        .assert_error(422);
        // A cart token on the WMS route, and a vertical without an HTTP API.
        let ct = token(&f.sandbox("cart").await);
        s.post(
            "/wms/passthrough",
            key,
            Some(&ct),
            json!({"method": "GET", "path": "/v1/ping"}),
        )
        .await
        .assert_error(404);
        let r = s
            .post(
                "/cart/passthrough",
                key,
                Some(&ct),
                json!({"method": "GET", "path": "/v1/ping"}),
            )
            .await
            .ok();
        assert_eq!(r["status_code"], 200);
    }
);

both!(write_shapes_are_discoverable, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let (s, key) = (&f.server, f.key.as_str());
    let info = s.get("/integrations/wms/sandbox", key, None).await.ok();
    let ops = info["data"][0]["write_operations"].as_array().unwrap();
    let create = ops.iter().find(|o| o["action"] == "create_order").unwrap();
    assert_eq!(create["url"], "POST /wms/orders");
    let req = create["required_base_schema_fields"].as_array().unwrap();
    assert!(
        req.contains(&json!("order_number")) && req.contains(&json!("line_items.quantity")),
        "{create}"
    );
    assert!(ops.iter().any(|o| o["action"] == "adjust_inventory"
        && o["url"] == "PUT /wms/inventory/{inventory_id}/adjust"));
    // Without a connection, connection-specific members carry a placeholder.
    let doc = s
        .get("/integrations/wms/sandbox/write-info", key, None)
        .await
        .ok();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/wms/orders"]["post"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["adjust_inventory"]["properties"]["warehouse_id"]["enum"],
        json!(["N/A - Connect an account to see options"])
    );
    // With one, they carry the connection's warehouses.
    let t = token(&f.sandbox("wms").await);
    let doc = s
        .get("/integrations/wms/sandbox/write-info", key, Some(&t))
        .await
        .ok();
    let wh = doc["components"]["schemas"]["adjust_inventory"]["properties"]["warehouse_id"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    assert!(wh.contains(&json!("wh_001")), "{wh:?}");
    // The served OpenAPI document lists the write routes.
    let api = s
        .call(Method::GET, "/openapi.json", None, None, None)
        .await
        .ok();
    for (path, method) in [
        ("/wms/orders", "post"),
        ("/wms/orders/{order_id}/cancel", "put"),
        ("/cart/products/batch-adjust-inventory", "put"),
        ("/wms/passthrough", "post"),
        ("/cart/orders/{order_id}/trackstar-tags", "put"),
        (
            "/integrations/{integration_type}/{integration_name}/write-info",
            "get",
        ),
    ] {
        assert!(api["paths"][path][method].is_object(), "{method} {path}");
    }
    s.get("/integrations/wms/nope/write-info", key, None)
        .await
        .assert_error(404);
    // The older meta routes.
    let meta = s
        .get("/wms/orders/meta/sandbox?method=POST", key, None)
        .await
        .ok();
    assert_eq!(meta["$schema"], "http://json-schema.org/draft-07/schema#");
    let name = meta["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert!(meta["definitions"][&name]["properties"]["order_number"].is_object());
    assert!(meta["has_connection_specific_fields"].is_boolean());
    s.get("/wms/orders/meta/sandbox", key, None)
        .await
        .assert_error(422);
    s.get("/wms/orders/meta/nope?method=POST", key, None)
        .await
        .assert_error(404);
    let meta = s
        .get("/wms/inbound-shipments/meta?method=POST", key, Some(&t))
        .await
        .ok();
    let name = meta["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    assert!(
        meta["definitions"][&name]["properties"]["warehouse_id"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("wh_001"))
    );
});

/// Two API processes on one PostgreSQL database share idempotency keys: a race split across
/// them still writes once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_hold_across_api_processes_on_postgres() {
    let Some(f) = Fixture::new(Backend::Postgres).await else {
        return;
    };
    let key = f.key.as_str();
    let t = token(&f.sandbox("wms").await);
    let second = Server::start_with(&f.db, &[("WAYBILL_NO_WORKERS", "true")]);
    let h = [("Idempotency-Key", "two-processes")];
    let servers = [&f.server, &second];
    let calls = (0..20).map(|i| {
        send(
            servers[i % 2],
            Method::POST,
            "/wms/orders",
            key,
            &t,
            Some(order_body("WB-50")),
            &h,
        )
    });
    let results = futures_join_all(calls).await;
    for r in &results {
        assert!(
            r.status == 200 || r.status == 409,
            "{} {}",
            r.status,
            r.text
        );
    }
    let ok: Vec<&Resp> = results.iter().filter(|r| r.status == 200).collect();
    assert!(!ok.is_empty());
    assert!(ok.iter().all(|r| r.text == ok[0].text));
    assert_eq!(
        counter(&f.server, key, &t, "wms", "writes.wms.create_order").await,
        1
    );
    // Once finished, the other process replays it.
    let again = send(
        &second,
        Method::POST,
        "/wms/orders",
        key,
        &t,
        Some(order_body("WB-50")),
        &h,
    )
    .await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
}
