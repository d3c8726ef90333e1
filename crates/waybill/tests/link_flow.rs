//! The Link flow end to end: link token, the modal's connect route, exchange, reinstall,
//! expiry and reuse, and the connections admin routes.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn link_token(s: &Server, key: &str, body: Value) -> String {
    s.post("/link/token", key, None, body).await.ok()["link_token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn connect(s: &Server, lt: &str, api_key: &str) -> Resp {
    s.call(Method::POST, &format!("/link/sessions/{lt}/connect"), None, None, Some(json!({"integration_name": "sandbox", "integration_type": "wms", "credentials": {"api_key": api_key}}))).await
}

/// Waits for the historical sync through the API's own signal, `historical_sync_completed`.
async fn wait_synced(s: &Server, key: &str, id: &str) -> Value {
    for _ in 0..600 {
        let c = s.get(&format!("/connections/{id}"), key, None).await.ok();
        let done = c["data"]["historical_sync_completed"].as_object().unwrap();
        if !done.is_empty() && done.values().all(|v| v == true) {
            return c;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("historical sync never completed; server log:\n{}", s.log());
}

both!(
    link_exchange_creates_a_connection_that_syncs,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let lt = link_token(s, &f.key, json!({"customer_id": "cust-42"})).await;
        // The modal sees the session and the sandbox among the integrations.
        let session = s
            .call(
                Method::GET,
                &format!("/link/sessions/{lt}"),
                None,
                None,
                None,
            )
            .await
            .ok();
        assert!(session["integrations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["display_name"] == "WMS Sandbox"));
        // A wrong credential comes back with the vendor's message.
        let e = connect(s, &lt, "invalid-key").await.assert_error(400);
        assert_eq!(e["origin"], "integration");
        assert!(e["error"].as_str().unwrap().contains("Invalid API key"));
        // A missing credential is a validation error.
        let e = connect(s, &lt, "").await.assert_error(422);
        assert!(e["detail"]["json"]["credentials.api_key"].is_array(), "{e}");
        let code = connect(s, &lt, "good-key").await.ok()["auth_code"]
            .as_str()
            .unwrap()
            .to_string();
        let ex = s
            .post("/link/exchange", &f.key, None, json!({"auth_code": code}))
            .await
            .ok();
        assert_eq!(ex["integration_name"], "sandbox");
        assert_eq!(ex["customer_id"], "cust-42");
        assert!(ex["available_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "get_orders"));
        assert_eq!(ex["available_actions"], ex["available_endpoints"]);
        let id = ex["connection_id"].as_str().unwrap().to_string();
        let token = ex["access_token"].as_str().unwrap().to_string();
        // The code is single use, and so is the link session.
        s.post("/link/exchange", &f.key, None, json!({"auth_code": code}))
            .await
            .assert_error(400);
        connect(s, &lt, "good-key").await.assert_error(400);
        // Another organization cannot exchange a code.
        let lt2 = link_token(s, &f.key, json!({})).await;
        let code2 = connect(s, &lt2, "good-key").await.ok()["auth_code"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, other) = f.db.org("Other");
        s.post("/link/exchange", &other, None, json!({"auth_code": code2}))
            .await
            .assert_error(400);
        let c = wait_synced(s, &f.key, &id).await;
        let data = &c["data"];
        assert_eq!(data["connection_id"], id.as_str());
        assert_eq!(data["integration_type"], "wms");
        assert!(data["sync_schedules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["function_name"] == "get_orders" && x["sync_frequency"] == 3600));
        let orders = s
            .get("/wms/orders?limit=5", &f.key, Some(&token))
            .await
            .ok();
        assert_eq!(orders["data"].as_array().unwrap().len(), 5);
        assert_eq!(orders["total_count"], 5);
        let first = &orders["data"][0];
        let one = s
            .get(
                &format!("/wms/orders/{}", first["id"].as_str().unwrap()),
                &f.key,
                Some(&token),
            )
            .await
            .ok();
        assert_eq!(&one["data"], first);
        // Usage is counted (flushed in the background; poll the API for it).
        let mut used = 0;
        for _ in 0..100 {
            used = s
                .get(&format!("/connections/{id}"), &f.key, None)
                .await
                .ok()["data"]["times_used"]
                .as_i64()
                .unwrap();
            if used >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(used >= 2, "times_used {used}");
    }
);

both!(reinstall_keeps_id_and_token, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let lt = link_token(s, &f.key, json!({})).await;
    let code = connect(s, &lt, "first-key").await.ok()["auth_code"]
        .as_str()
        .unwrap()
        .to_string();
    let ex = s
        .post("/link/exchange", &f.key, None, json!({"auth_code": code}))
        .await
        .ok();
    let id = ex["connection_id"].as_str().unwrap();
    // A link token for a connection of another organization, or an unknown one, is a 404.
    let (_, other) = f.db.org("Other");
    s.post("/link/token", &other, None, json!({"connection_id": id}))
        .await
        .assert_error(404);
    s.post(
        "/link/token",
        &f.key,
        None,
        json!({"connection_id": "nope"}),
    )
    .await
    .assert_error(404);
    let lt = link_token(s, &f.key, json!({"connection_id": id})).await;
    let session = s
        .call(
            Method::GET,
            &format!("/link/sessions/{lt}"),
            None,
            None,
            None,
        )
        .await
        .ok();
    assert_eq!(session["reinstall"]["connection_id"], id);
    let code = connect(s, &lt, "second-key").await.ok()["auth_code"]
        .as_str()
        .unwrap()
        .to_string();
    let again = s
        .post("/link/exchange", &f.key, None, json!({"auth_code": code}))
        .await
        .ok();
    assert_eq!(again["connection_id"], ex["connection_id"]);
    assert_eq!(again["access_token"], ex["access_token"]);
    let list = s.get("/connections", &f.key, None).await.ok();
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "no second connection"
    );
});

both!(
    expired_link_tokens_and_auth_codes_are_refused,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        let (_, key) = db.org("Acme");
        // Lifetimes of zero seconds: every token is already expired when used.
        let s = Server::start_with(&db, &[("WAYBILL_LINK_TOKEN_TTL", "0")]);
        let lt = link_token(&s, &key, json!({})).await;
        let e = connect(&s, &lt, "k").await.assert_error(400);
        assert!(e["error"].as_str().unwrap().contains("expired"));
        s.call(
            Method::POST,
            "/link/sessions/wbl_unknown/connect",
            None,
            None,
            Some(json!({"integration_name": "sandbox", "credentials": {"api_key": "k"}})),
        )
        .await
        .assert_error(404);
        drop(s);
        let s = Server::start_with(&db, &[("WAYBILL_AUTH_CODE_TTL", "0")]);
        let lt = link_token(&s, &key, json!({})).await;
        let code = connect(&s, &lt, "k").await.ok()["auth_code"]
            .as_str()
            .unwrap()
            .to_string();
        s.post("/link/exchange", &key, None, json!({"auth_code": code}))
            .await
            .assert_error(400);
    }
);

both!(
    connections_can_be_listed_patched_and_deleted,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let wms = f.sandbox("wms").await;
        let cart = f.sandbox("cart").await;
        let token = wms["access_token"].as_str().unwrap();
        let list = s.get("/connections", &f.key, None).await.ok();
        assert_eq!(list["data"].as_array().unwrap().len(), 2);
        assert_eq!(list["next_token"], Value::Null);
        s.get("/connections?page_token=forged", &f.key, None)
            .await
            .assert_error(422);
        s.get("/connections?limit=abc", &f.key, None)
            .await
            .assert_error(422);
        // Another organization sees none of them.
        let (_, other) = f.db.org("Other");
        assert_eq!(
            s.get("/connections", &other, None).await.ok()["data"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        s.get(
            &format!("/connections/{}", wms["connection_id"].as_str().unwrap()),
            &other,
            None,
        )
        .await
        .assert_error(404);
        let r = s
            .call(
                Method::PATCH,
                "/connections",
                Some(&f.key),
                Some(token),
                Some(json!({"customer_id": "c-1", "webhooks_disabled": true})),
            )
            .await
            .ok();
        assert_eq!(
            r,
            json!({"id": wms["connection_id"], "object": "connection", "updated": true})
        );
        let c = s
            .get(
                &format!("/connections/{}", wms["connection_id"].as_str().unwrap()),
                &f.key,
                None,
            )
            .await
            .ok();
        assert_eq!(c["data"]["customer_id"], "c-1");
        assert_eq!(c["data"]["webhooks_disabled"], true);
        s.call(
            Method::PATCH,
            "/connections",
            Some(&f.key),
            Some(token),
            Some(json!({"customer_id": null})),
        )
        .await
        .ok();
        let c = s
            .get(
                &format!("/connections/{}", wms["connection_id"].as_str().unwrap()),
                &f.key,
                None,
            )
            .await
            .ok();
        assert_eq!(c["data"]["customer_id"], Value::Null);
        s.call(
            Method::PATCH,
            "/connections",
            Some(&f.key),
            Some(token),
            Some(json!({"webhooks_disabled": "yes"})),
        )
        .await
        .assert_error(422);
        let d = s
            .call(
                Method::DELETE,
                "/connections",
                Some(&f.key),
                Some(token),
                None,
            )
            .await
            .ok();
        assert_eq!(
            d,
            json!({"id": wms["connection_id"], "object": "connection", "deleted": true})
        );
        s.get("/wms/orders", &f.key, Some(token))
            .await
            .assert_error(401);
        let list = s.get("/connections", &f.key, None).await.ok();
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
        assert_eq!(list["data"][0]["connection_id"], cart["connection_id"]);
    }
);

both!(integrations_catalogue_lists_the_sandbox, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    for ty in ["wms", "cart", "carrier", "freight"] {
        for path in [format!("/integrations/{ty}"), format!("/{ty}/integrations")] {
            let v = f.server.get(&path, &f.key, None).await.ok();
            let sb = v["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["integration_name"] == "sandbox")
                .expect("sandbox listed")
                .clone();
            assert!(sb["display_name"].as_str().unwrap().contains("Sandbox"));
            assert_eq!(sb["install_method"], "input");
            assert!(!sb["list_operations"].as_array().unwrap().is_empty());
        }
    }
    let one = f
        .server
        .get("/integrations/wms/sandbox", &f.key, None)
        .await
        .ok();
    assert_eq!(one["data"].as_array().unwrap().len(), 1);
    assert_eq!(one["data"][0]["display_name"], "WMS Sandbox");
});
