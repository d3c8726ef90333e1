//! Webhooks through the real binary on both backends, part one: the endpoint API (CRUD,
//! validation, tenancy, read-only keys, the SSRF guard), and delivery to a local receiver whose
//! signatures are checked with the independent `standardwebhooks` library: retries with a
//! stable id, Retry-After, rotation, resends and the delivery log, disabling failing
//! endpoints, and truncated large payloads. Part two is webhook_delivery.rs.

mod common;
mod webhook_support;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use webhook_support::receiver::{verify, Receiver, Reply};
use webhook_support::*;

both!(endpoints_crud_validation_and_tenancy, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let created = endpoint(s, &f.key, json!({"url": "http://127.0.0.1:9/hooks", "event_types": ["order.created", "order.updated"], "description": "orders"})).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("ep_"), "{created}");
    let secret = created["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("whsec_") && secret.len() >= 6 + 32,
        "{secret}"
    );
    assert_eq!(created["url"], "http://127.0.0.1:9/hooks");
    assert_eq!(
        created["event_types"],
        json!(["order.created", "order.updated"])
    );
    assert_eq!(created["connection_ids"], json!([]));
    assert_eq!(created["disabled"], false);
    assert_eq!(created["disabled_reason"], Value::Null);
    assert_eq!(created["failing_since"], Value::Null);

    let list = s.get("/webhooks/endpoints", &f.key, None).await.ok();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["data"][0]["id"], id.as_str());
    let one = s
        .get(&format!("/webhooks/endpoints/{id}"), &f.key, None)
        .await
        .ok();
    assert_eq!(one["data"]["secret"], secret);

    let patched = s
        .call(
            Method::PATCH,
            &format!("/webhooks/endpoints/{id}"),
            Some(&f.key),
            None,
            Some(json!({"description": "all", "event_types": [], "disabled": true})),
        )
        .await
        .ok();
    assert_eq!(patched["data"]["description"], "all");
    assert_eq!(patched["data"]["event_types"], json!([]));
    assert_eq!(patched["data"]["disabled"], true);
    assert_eq!(patched["data"]["url"], "http://127.0.0.1:9/hooks");

    // Validation: 422 naming the field, 400 for non-JSON.
    for (body, field) in [
        (json!({}), "url"),
        (json!({"url": "ftp://example.com/x"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (
            json!({"url": "http://127.0.0.1:9/", "event_types": ["order.exploded"]}),
            "event_types.0",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "connection_ids": ["nope"]}),
            "connection_ids.0",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "colour": "red"}),
            "colour",
        ),
        (
            json!({"url": "http://127.0.0.1:9/", "disabled": "yes"}),
            "disabled",
        ),
    ] {
        let e = s
            .post("/webhooks/endpoints", &f.key, None, body.clone())
            .await
            .assert_error(422);
        assert!(e["detail"]["json"][field].is_array(), "{body} -> {e}");
    }
    s.call_raw(
        Method::POST,
        "/webhooks/endpoints",
        Some(&f.key),
        None,
        "{nope",
    )
    .await
    .assert_error(400);
    let e = s
        .call(
            Method::PATCH,
            &format!("/webhooks/endpoints/{id}"),
            Some(&f.key),
            None,
            Some(json!({"url": "gopher://x"})),
        )
        .await
        .assert_error(422);
    assert!(e["detail"]["json"]["url"].is_array());
    s.post(
        &format!("/webhooks/endpoints/{id}/test"),
        &f.key,
        None,
        json!({"data": 5}),
    )
    .await
    .assert_error(422);

    // A connection filter accepts the organization's own connections.
    let sandbox = f.sandbox("wms").await;
    let conn = sandbox["connection_id"].as_str().unwrap();
    let filtered = endpoint(
        s,
        &f.key,
        json!({"url": "http://127.0.0.1:9/c", "connection_ids": [conn]}),
    )
    .await;
    assert_eq!(filtered["connection_ids"], json!([conn]));

    // Another organization sees none of it.
    let (_, other_key) = f.db.org("Other");
    assert_eq!(
        s.get("/webhooks/endpoints", &other_key, None).await.ok()["data"],
        json!([])
    );
    for (m, path) in [
        (Method::GET, format!("/webhooks/endpoints/{id}")),
        (Method::PATCH, format!("/webhooks/endpoints/{id}")),
        (Method::DELETE, format!("/webhooks/endpoints/{id}")),
        (
            Method::POST,
            format!("/webhooks/endpoints/{id}/rotate-secret"),
        ),
        (Method::POST, format!("/webhooks/endpoints/{id}/test")),
        (Method::GET, format!("/webhooks/endpoints/{id}/messages")),
        (Method::GET, "/webhooks/endpoints/ep_missing".to_string()),
        (
            Method::POST,
            "/webhooks/messages/msg_missing/resend".to_string(),
        ),
        (
            Method::GET,
            "/webhooks/messages/msg_missing/data".to_string(),
        ),
    ] {
        let body = (m != Method::GET && m != Method::DELETE).then(|| json!({}));
        s.call(m.clone(), &path, Some(&other_key), None, body)
            .await
            .assert_error(404);
    }
    let e = s
        .post(
            "/webhooks/endpoints",
            &other_key,
            None,
            json!({"url": "http://127.0.0.1:9/", "connection_ids": [conn]}),
        )
        .await
        .assert_error(422);
    assert!(e["detail"]["json"]["connection_ids.0"].is_array());

    // Read-only keys read without secrets and may not write.
    let ro: Value = serde_json::from_str(&f.db.cli(&[
        "api-key",
        "create",
        "--organization",
        &f.org_id,
        "--read-only",
        "--json",
    ]))
    .unwrap();
    let ro = ro["api_key"].as_str().unwrap();
    let seen = s
        .get(&format!("/webhooks/endpoints/{id}"), ro, None)
        .await
        .ok();
    assert!(seen["data"].get("secret").is_none(), "{seen}");
    assert!(s.get("/webhooks/endpoints", ro, None).await.ok()["data"][0]
        .get("secret")
        .is_none());
    s.post(
        "/webhooks/endpoints",
        ro,
        None,
        json!({"url": "http://127.0.0.1:9/"}),
    )
    .await
    .assert_error(403);
    s.call(
        Method::PATCH,
        &format!("/webhooks/endpoints/{id}"),
        Some(ro),
        None,
        Some(json!({})),
    )
    .await
    .assert_error(403);
    s.call(
        Method::DELETE,
        &format!("/webhooks/endpoints/{id}"),
        Some(ro),
        None,
        None,
    )
    .await
    .assert_error(403);
    s.post(
        &format!("/webhooks/endpoints/{id}/rotate-secret"),
        ro,
        None,
        json!({}),
    )
    .await
    .assert_error(403);
    s.call(Method::GET, "/webhooks/endpoints", None, None, None)
        .await
        .assert_error(401);

    // Delete.
    let d = s
        .call(
            Method::DELETE,
            &format!("/webhooks/endpoints/{id}"),
            Some(&f.key),
            None,
            None,
        )
        .await
        .ok();
    assert_eq!(d["data"]["deleted"], true);
    s.get(&format!("/webhooks/endpoints/{id}"), &f.key, None)
        .await
        .assert_error(404);
    s.call(
        Method::DELETE,
        &format!("/webhooks/endpoints/{id}"),
        Some(&f.key),
        None,
        None,
    )
    .await
    .assert_error(404);
    assert_eq!(
        s.get("/webhooks/endpoints", &f.key, None).await.ok()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The routes are documented.
    let doc = s
        .call(Method::GET, "/openapi.json", None, None, None)
        .await
        .ok();
    for p in [
        "/webhooks/endpoints",
        "/webhooks/endpoints/{endpoint_id}/messages",
        "/webhooks/messages/{msg_id}/resend",
    ] {
        assert!(
            doc["paths"][p].is_object(),
            "{p} missing from the OpenAPI document"
        );
    }
});

both!(
    private_addresses_are_refused_unless_allowed,
    |b| async move {
        let Some(st) = setup(b, &[("WAYBILL_WEBHOOKS_ALLOW_PRIVATE", "false")]).await else {
            return;
        };
        let s = &st.server;
        for url in [
            "http://127.0.0.1:9/hook",
            "http://10.0.0.5/hook",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
            "http://localhost:8080/",
            "http://2130706433/",
        ] {
            let e = s
                .post("/webhooks/endpoints", &st.key, None, json!({"url": url}))
                .await
                .assert_error(422);
            assert!(e["detail"]["json"]["url"].is_array(), "{url}: {e}");
        }
        let ok = endpoint(s, &st.key, json!({"url": "https://hooks.example.com/hook"})).await;
        let id = ok["id"].as_str().unwrap();
        s.call(
            Method::PATCH,
            &format!("/webhooks/endpoints/{id}"),
            Some(&st.key),
            None,
            Some(json!({"url": "http://10.1.1.1/"})),
        )
        .await
        .assert_error(422);
    }
);

both!(
    deliveries_are_signed_and_retried_with_a_stable_id,
    |b| async move {
        let Some(st) = setup(
            b,
            &[("WAYBILL_WEBHOOK_RETRY_SCHEDULE", "0,0.5,0.5,0.5,0.5")],
        )
        .await
        else {
            return;
        };
        let s = &st.server;
        let rx = Receiver::start(Arc::new(|n| {
            if n < 3 {
                Reply::status(500, "down for maintenance")
            } else {
                Reply::ok()
            }
        }))
        .await;
        let ep = endpoint(s, &st.key, json!({"url": rx.url})).await;
        let (ep_id, secret) = (ep["id"].as_str().unwrap(), ep["secret"].as_str().unwrap());
        let msg = fire(s, &st.key, ep_id, json!({"data": {"hello": "world"}})).await;
        assert!(msg.starts_with("msg_"));
        let hits = rx.wait_for(4, Duration::from_secs(30)).await;
        for h in &hits {
            assert_eq!(h.header("svix-id"), msg);
            assert_eq!(h.header("webhook-id"), msg);
            assert_eq!(h.header("svix-timestamp"), h.header("webhook-timestamp"));
            assert_eq!(h.header("svix-signature"), h.header("webhook-signature"));
            assert!(h.header("svix-signature").starts_with("v1,"));
            assert_eq!(h.header("content-type"), "application/json");
            assert!(verify(secret, h), "signature does not verify");
            let body = h.json();
            assert_eq!(body["event_type"], "webhook.test");
            assert_eq!(body["data"], json!({"hello": "world"}));
            assert!(body.get("connection_id").is_some());
        }
        // Same body on every attempt; only the timestamp and signature may change.
        assert!(hits.iter().all(|h| h.body == hits[0].body));

        let log = eventually(
            Duration::from_secs(10),
            "the log to show success",
            || async {
                let page = s
                    .get(
                        &format!("/webhooks/endpoints/{ep_id}/messages"),
                        &st.key,
                        None,
                    )
                    .await
                    .ok();
                (page["data"][0]["status"] == "succeeded").then_some(page)
            },
        )
        .await;
        let m = &log["data"][0];
        assert_eq!(m["id"], msg.as_str());
        assert_eq!(m["event_type"], "webhook.test");
        assert_eq!(m["attempts_count"], 4);
        assert_eq!(m["next_attempt_at"], Value::Null);
        let attempts = m["attempts"].as_array().unwrap();
        let codes: Vec<i64> = attempts
            .iter()
            .map(|a| a["status_code"].as_i64().unwrap())
            .collect();
        assert_eq!(codes, vec![500, 500, 500, 200]);
        assert_eq!(attempts[0]["response"], "down for maintenance");
        assert_eq!(attempts[0]["succeeded"], false);
        assert_eq!(attempts[3]["succeeded"], true);
        assert_eq!(
            attempts
                .iter()
                .map(|a| a["attempt"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        assert!(attempts
            .iter()
            .all(|a| a["latency_ms"].as_i64().unwrap() >= 0
                && a["started_at"].as_str().unwrap().ends_with('Z')));
        // The endpoint recovered, so it is not failing.
        let ep = s
            .get(&format!("/webhooks/endpoints/{ep_id}"), &st.key, None)
            .await
            .ok();
        assert_eq!(ep["data"]["failing_since"], Value::Null);
    }
);

both!(retry_after_is_honoured, |b| async move {
    let Some(st) = setup(b, &[("WAYBILL_WEBHOOK_RETRY_SCHEDULE", "0,0.2,0.2")]).await else {
        return;
    };
    let s = &st.server;
    let rx = Receiver::start(Arc::new(|n| {
        if n == 0 {
            Reply {
                retry_after: Some("2".into()),
                ..Reply::status(503, "busy")
            }
        } else {
            Reply::ok()
        }
    }))
    .await;
    let ep = endpoint(s, &st.key, json!({"url": rx.url})).await;
    fire(s, &st.key, ep["id"].as_str().unwrap(), json!({})).await;
    let hits = rx.wait_for(2, Duration::from_secs(20)).await;
    let gap = hits[1].at - hits[0].at;
    assert!(
        gap >= Duration::from_millis(1900),
        "retried after {gap:?} despite Retry-After: 2"
    );
    assert_eq!(hits[0].id(), hits[1].id());
});

both!(rotation_signs_with_both_secrets, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let rx = Receiver::ok().await;
    let ep = endpoint(s, &f.key, json!({"url": rx.url})).await;
    let id = ep["id"].as_str().unwrap();
    let old = ep["secret"].as_str().unwrap().to_string();
    let rotated = s
        .post(
            &format!("/webhooks/endpoints/{id}/rotate-secret"),
            &f.key,
            None,
            json!({}),
        )
        .await
        .ok()["data"]
        .clone();
    let new = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(old, new);
    let until = chrono::DateTime::parse_from_rfc3339(
        rotated["previous_secret_expires_at"].as_str().unwrap(),
    )
    .unwrap();
    let hours =
        (until.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes() as f64 / 60.0;
    assert!((23.9..=24.1).contains(&hours), "grace period {hours} h");
    fire(s, &f.key, id, json!({})).await;
    let hit = &rx.wait_for(1, Duration::from_secs(20)).await[0];
    assert_eq!(
        hit.header("svix-signature").split(' ').count(),
        2,
        "{}",
        hit.header("svix-signature")
    );
    assert!(verify(&new, hit), "new secret does not verify");
    assert!(
        verify(&old, hit),
        "old secret does not verify during the grace period"
    );
    let stranger = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    assert!(!verify(stranger, hit));
});

both!(resend_and_the_delivery_log, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let rx = Receiver::ok().await;
    let ep = endpoint(
        s,
        &f.key,
        json!({"url": rx.url, "event_types": ["webhook.test"]}),
    )
    .await;
    let id = ep["id"].as_str().unwrap();
    let first = fire(s, &f.key, id, json!({})).await;
    rx.wait_for(1, Duration::from_secs(20)).await;
    let r = s
        .post(
            &format!("/webhooks/messages/{first}/resend"),
            &f.key,
            None,
            json!({}),
        )
        .await
        .ok();
    assert_eq!(r["data"]["endpoint_ids"], json!([id]));
    let hits = rx.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(hits[1].id(), first);
    // Resend to a named endpoint.
    let r = s
        .post(
            &format!("/webhooks/messages/{first}/resend"),
            &f.key,
            None,
            json!({"endpoint_id": id}),
        )
        .await
        .ok();
    assert_eq!(r["data"]["endpoint_ids"], json!([id]));
    rx.wait_for(3, Duration::from_secs(20)).await;
    let log = eventually(
        Duration::from_secs(10),
        "three successful attempts",
        || async {
            let page = s
                .get(&format!("/webhooks/endpoints/{id}/messages"), &f.key, None)
                .await
                .ok();
            (page["data"][0]["attempts"].as_array().unwrap().len() == 3
                && page["data"][0]["status"] == "succeeded")
                .then_some(page)
        },
    )
    .await;
    assert_eq!(log["data"][0]["attempts_count"], 3);
    s.post(
        &format!("/webhooks/messages/{first}/resend"),
        &f.key,
        None,
        json!({"endpoint_id": "ep_nope"}),
    )
    .await
    .assert_error(422);
    s.post(
        &format!("/webhooks/messages/{first}/resend"),
        &f.key,
        None,
        json!({"extra": 1}),
    )
    .await
    .assert_error(422);

    // Paging, newest first.
    let mut ids = vec![first.clone()];
    for _ in 0..3 {
        ids.push(fire(s, &f.key, id, json!({})).await);
    }
    let p1 = s
        .get(
            &format!("/webhooks/endpoints/{id}/messages?limit=3"),
            &f.key,
            None,
        )
        .await
        .ok();
    let got: Vec<&str> = p1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![ids[3].as_str(), ids[2].as_str(), ids[1].as_str()]);
    let token = p1["next_token"].as_str().unwrap();
    let p2 = s
        .get(
            &format!("/webhooks/endpoints/{id}/messages?limit=3&page_token={token}"),
            &f.key,
            None,
        )
        .await
        .ok();
    assert_eq!(p2["data"].as_array().unwrap().len(), 1);
    assert_eq!(p2["data"][0]["id"], first.as_str());
    assert_eq!(p2["next_token"], Value::Null);
    for q in [
        "limit=0",
        "limit=abc",
        "limit=251",
        "colour=red",
        "page_token=forged.token",
    ] {
        s.get(
            &format!("/webhooks/endpoints/{id}/messages?{q}"),
            &f.key,
            None,
        )
        .await
        .assert_error(422);
    }
});

both!(
    failing_endpoints_are_disabled_and_can_be_reenabled,
    |b| async move {
        let env = [
            ("WAYBILL_WEBHOOK_RETRY_SCHEDULE", "0,0.3,0.3"),
            ("WAYBILL_WEBHOOK_DISABLE_AFTER", "3"),
        ];
        let Some(st) = setup(b, &env).await else {
            return;
        };
        let s = &st.server;
        let healthy = Arc::new(AtomicBool::new(false));
        let h = healthy.clone();
        let rx = Receiver::start(Arc::new(move |_| {
            if h.load(Ordering::SeqCst) {
                Reply::ok()
            } else {
                Reply::status(500, "boom")
            }
        }))
        .await;
        let ep = endpoint(s, &st.key, json!({"url": rx.url})).await;
        let id = ep["id"].as_str().unwrap();
        let first = fire(s, &st.key, id, json!({})).await;
        // Three attempts, then the message has failed for good.
        let log = eventually(Duration::from_secs(20), "the message to fail", || async {
            let page = s
                .get(&format!("/webhooks/endpoints/{id}/messages"), &st.key, None)
                .await
                .ok();
            (page["data"][0]["status"] == "failed").then_some(page)
        })
        .await;
        assert_eq!(log["data"][0]["id"], first.as_str());
        assert_eq!(log["data"][0]["attempts_count"], 3);
        assert_eq!(log["data"][0]["next_attempt_at"], Value::Null);
        let e = s
            .get(&format!("/webhooks/endpoints/{id}"), &st.key, None)
            .await
            .ok();
        assert!(e["data"]["failing_since"].is_string(), "{e}");
        // Failing on for longer than the limit disables it, with the reason recorded.
        tokio::time::sleep(Duration::from_millis(3200)).await;
        fire(s, &st.key, id, json!({})).await;
        let e = eventually(
            Duration::from_secs(20),
            "the endpoint to be disabled",
            || async {
                let e = s
                    .get(&format!("/webhooks/endpoints/{id}"), &st.key, None)
                    .await
                    .ok();
                (e["data"]["disabled"] == true).then_some(e)
            },
        )
        .await;
        assert!(
            e["data"]["disabled_reason"]
                .as_str()
                .unwrap()
                .contains("failed"),
            "{e}"
        );
        // While disabled nothing is sent; re-enabled, the waiting message goes out.
        let before = rx.hits().len();
        let waiting = fire(s, &st.key, id, json!({})).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            rx.hits().len(),
            before,
            "a disabled endpoint received a delivery"
        );
        healthy.store(true, Ordering::SeqCst);
        let e = s
            .call(
                Method::PATCH,
                &format!("/webhooks/endpoints/{id}"),
                Some(&st.key),
                None,
                Some(json!({"disabled": false})),
            )
            .await
            .ok();
        assert_eq!(e["data"]["disabled_reason"], Value::Null);
        assert_eq!(e["data"]["failing_since"], Value::Null);
        let hits = rx.wait_for(before + 1, Duration::from_secs(20)).await;
        assert!(hits[before..].iter().any(|h| h.id() == waiting));
    }
);

both!(
    large_payloads_are_truncated_with_a_data_url,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let rx = Receiver::ok().await;
        let ep = endpoint(s, &f.key, json!({"url": rx.url})).await;
        let secret = ep["secret"].as_str().unwrap();
        let blob = "x".repeat(300 * 1024);
        let msg = fire(
            s,
            &f.key,
            ep["id"].as_str().unwrap(),
            json!({"data": {"id": "big-1", "blob": blob}}),
        )
        .await;
        let hit = &rx.wait_for(1, Duration::from_secs(20)).await[0];
        assert!(
            hit.body.len() < 4096,
            "truncated body is {} bytes",
            hit.body.len()
        );
        assert!(verify(secret, hit));
        let body = hit.json();
        assert_eq!(body["data"], json!({"id": "big-1"}));
        assert_eq!(body["data_truncated"], true);
        assert_eq!(body["event_type"], "webhook.test");
        let data_url = body["data_url"].as_str().unwrap();
        assert_eq!(data_url, format!("{}/webhooks/messages/{msg}/data", s.base));
        let path = data_url.strip_prefix(&s.base).unwrap();
        let full = s.get(path, &f.key, None).await.ok();
        assert_eq!(
            full["event"]["data"]["blob"].as_str().unwrap().len(),
            blob.len()
        );
        assert_eq!(full["id"], msg.as_str());
        assert!(full["expires_at"].as_str().unwrap().ends_with('Z'));
        let download = full["download_url"].as_str().unwrap();
        let got: Value = reqwest::get(download).await.unwrap().json().await.unwrap();
        assert_eq!(got, full["event"]);
        let tampered = download.replace("signature=", "signature=A");
        assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);
        let forged_expiry = download.replace("expires=", "expires=1");
        assert_eq!(reqwest::get(&forged_expiry).await.unwrap().status(), 403);
        s.call(Method::GET, path, None, None, None)
            .await
            .assert_error(401);
        let (_, other) = f.db.org("Other");
        s.get(path, &other, None).await.assert_error(404);
    }
);
