//! Webhooks through the real binary on both backends: the endpoint API (CRUD, validation,
//! tenancy, read-only keys, the SSRF guard), and delivery to local receivers whose signatures
//! are checked with the independent `standardwebhooks` library: retries with a stable id,
//! Retry-After, rotation, resends, the delivery log, disabling failing endpoints, truncated
//! large payloads, fan-out of the outbox, isolation of slow endpoints, and redelivery after
//! the server is killed with SIGKILL mid-burst.

mod common;
mod receiver;

use common::*;
use receiver::{verify, Receiver, Reply};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A server with extra environment and one organization.
struct Setup {
    server: Server,
    db: Db,
    org_id: String,
    key: String,
}

async fn setup(b: Backend, env: &[(&str, &str)]) -> Option<Setup> {
    let db = Db::new(b).await?;
    let (org_id, key) = db.org("Acme Logistics");
    let server = Server::start_with(&db, env);
    Some(Setup {
        server,
        db,
        org_id,
        key,
    })
}

/// Creates an endpoint and returns it.
async fn endpoint(s: &Server, key: &str, body: Value) -> Value {
    s.post("/webhooks/endpoints", key, None, body).await.ok()["data"].clone()
}

/// Appends synthetic events through another process (`waybill bench emit-events`) without
/// blocking the runtime the receivers run on.
async fn emit(db: &Db, org: &str, rate: u32, seconds: u32) -> String {
    let mut cmd = db.command();
    cmd.args([
        "bench",
        "emit-events",
        "--organization",
        org,
        "--rate",
        &rate.to_string(),
        "--seconds",
        &seconds.to_string(),
    ]);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .unwrap()
        .expect("run waybill");
    assert!(
        out.status.success(),
        "emit-events failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Fires a `webhook.test` event at one endpoint; returns the message id.
async fn fire(s: &Server, key: &str, ep: &str, body: Value) -> String {
    let r = s
        .post(&format!("/webhooks/endpoints/{ep}/test"), key, None, body)
        .await
        .ok();
    r["data"]["id"].as_str().unwrap().to_string()
}

/// Every message of an endpoint's log, following page tokens.
async fn all_messages(s: &Server, key: &str, ep: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut path = format!("/webhooks/endpoints/{ep}/messages?limit=250");
    loop {
        let page = s.get(&path, key, None).await.ok();
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_token"].as_str() {
            Some(t) => path = format!("/webhooks/endpoints/{ep}/messages?limit=250&page_token={t}"),
            None => return out,
        }
    }
}

/// Polls `f` until it returns `Some`, for at most `timeout`.
async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

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

both!(
    outbox_events_fan_out_to_matching_endpoints,
    |b| async move {
        let Some(st) = setup(b, &[("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2")]).await else {
            return;
        };
        let s = &st.server;
        let (all, typed, other) = (
            Receiver::ok().await,
            Receiver::ok().await,
            Receiver::ok().await,
        );
        let all_ep = endpoint(s, &st.key, json!({"url": all.url})).await;
        endpoint(
            s,
            &st.key,
            json!({"url": typed.url, "event_types": ["connection.created"]}),
        )
        .await;
        let disabled = Receiver::ok().await;
        endpoint(s, &st.key, json!({"url": disabled.url, "disabled": true})).await;
        let (_, other_key) = st.db.org("Other");
        endpoint(s, &other_key, json!({"url": other.url})).await;
        // Another process appends 40 events to the outbox.
        let out = emit(&st.db, &st.org_id, 40, 1).await;
        assert!(out.contains("\"events\":40"), "{out}");
        let hits = all.wait_for(40, Duration::from_secs(30)).await;
        let ids: HashSet<String> = hits.iter().map(|h| h.id()).collect();
        assert_eq!(ids.len(), 40);
        assert!(hits
            .iter()
            .all(|h| verify(all_ep["secret"].as_str().unwrap(), h)));
        assert!(hits
            .iter()
            .all(|h| h.json()["event_type"] == "order.updated"));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            typed.hits().is_empty(),
            "the event-type filter let order.updated through"
        );
        assert!(
            disabled.hits().is_empty(),
            "a disabled endpoint received events"
        );
        assert!(
            other.hits().is_empty(),
            "another organization received events"
        );
        assert_eq!(
            all.hits().len(),
            40,
            "an event was delivered twice without a failure"
        );
    }
);

both!(a_slow_endpoint_does_not_delay_another, |b| async move {
    let env = [
        ("WAYBILL_WEBHOOK_TIMEOUT", "10"),
        ("WAYBILL_WEBHOOK_LEASE", "30"),
        ("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2"),
    ];
    let Some(st) = setup(b, &env).await else {
        return;
    };
    let s = &st.server;
    let slow = Receiver::start(Arc::new(|_| Reply {
        delay: Duration::from_secs(3),
        ..Reply::ok()
    }))
    .await;
    let fast = Receiver::ok().await;
    endpoint(s, &st.key, json!({"url": slow.url})).await;
    endpoint(s, &st.key, json!({"url": fast.url})).await;
    let started = Instant::now();
    emit(&st.db, &st.org_id, 40, 1).await;
    fast.wait_for(40, Duration::from_secs(15)).await;
    let took = started.elapsed();
    // The slow endpoint takes 3 s per request, 8 at a time: it has not seen half yet.
    assert!(
        slow.hits().len() < 40,
        "the slow endpoint kept up ({} hits), so this proves nothing",
        slow.hits().len()
    );
    assert!(
        took < Duration::from_secs(6),
        "the fast endpoint waited {took:?} behind the slow one"
    );
});

both!(killed_server_redelivers_every_event, |b| async move {
    let env = [
        (
            "WAYBILL_WEBHOOK_RETRY_SCHEDULE",
            "0,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
        ),
        ("WAYBILL_WEBHOOK_TIMEOUT", "2"),
        ("WAYBILL_WEBHOOK_LEASE", "4"),
        ("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.2"),
    ];
    let Some(mut st) = setup(b, &env).await else {
        return;
    };
    let rx = Receiver::start(Arc::new(|_| Reply {
        delay: Duration::from_millis(60),
        ..Reply::ok()
    }))
    .await;
    let ep = endpoint(&st.server, &st.key, json!({"url": rx.url})).await;
    let ep_id = ep["id"].as_str().unwrap().to_string();
    let emitted = emit(&st.db, &st.org_id, 300, 1).await;
    assert!(emitted.contains("\"events\":300"), "{emitted}");
    rx.wait_for(20, Duration::from_secs(30)).await;
    st.server.child.kill().unwrap();
    st.server.child.wait().unwrap();
    let delivered_before = rx.hits().len();
    assert!(
        delivered_before < 300,
        "the burst finished before the kill; nothing was tested"
    );
    let restarted = Server::start_with(&st.db, &env);
    let ids = eventually(
        Duration::from_secs(60),
        "every event to be delivered",
        || async {
            let ids: HashSet<String> = rx.hits().iter().map(|h| h.id()).collect();
            (ids.len() >= 300).then_some(ids)
        },
    )
    .await;
    assert_eq!(ids.len(), 300);
    let messages = eventually(
        Duration::from_secs(20),
        "the log to show 300 successes",
        || async {
            let m = all_messages(&restarted, &st.key, &ep_id).await;
            (m.len() == 300 && m.iter().all(|x| x["status"] == "succeeded")).then_some(m)
        },
    )
    .await;
    let logged: HashSet<String> = messages
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        logged, ids,
        "a delivered id is not an event id, or an event was lost"
    );
    let secret = ep["secret"].as_str().unwrap();
    assert!(rx.hits().iter().all(|h| verify(secret, h)));
});

both!(two_servers_share_the_queue_without_double_delivery, |b| async move {
    let env = [("WAYBILL_WEBHOOK_POLL_INTERVAL", "0.1")];
    let Some(st) = setup(b, &env).await else { return };
    let second = Server::start_with(&st.db, &env);
    let rx = Receiver::start(Arc::new(|_| Reply { delay: Duration::from_millis(5), ..Reply::ok() })).await;
    endpoint(&st.server, &st.key, json!({"url": rx.url})).await;
    emit(&st.db, &st.org_id, 200, 1).await;
    let hits = rx.wait_for(200, Duration::from_secs(30)).await;
    let ids: HashSet<String> = hits.iter().map(|h| h.id()).collect();
    assert_eq!(ids.len(), 200);
    // Both dispatchers fanned out and claimed concurrently; none took another's work.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(rx.hits().len(), 200, "an event was delivered twice although no attempt failed");
    drop(second);
});
