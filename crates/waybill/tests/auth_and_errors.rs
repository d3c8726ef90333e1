//! Authentication failures, the error shape, unknown routes and methods, request ids,
//! health, the OpenAPI document, and secrets staying out of logs.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;

both!(keys_and_tokens_are_checked, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let sb = f.sandbox("wms").await;
    let token = sb["access_token"].as_str().unwrap();
    // Missing, malformed and wrong keys.
    s.call(Method::GET, "/connections", None, None, None)
        .await
        .assert_error(401);
    s.get("/connections", "", None).await.assert_error(401);
    s.get("/connections", "nonsense", None)
        .await
        .assert_error(401);
    s.get("/connections", "wbk_000000000000_xxxxxxxx", None)
        .await
        .assert_error(401);
    let mut forged = f.key.clone();
    forged.push('x');
    s.get("/connections", &forged, None).await.assert_error(401);
    // Missing and wrong tokens.
    s.get("/wms/orders", &f.key, None).await.assert_error(401);
    s.get("/wms/orders", &f.key, Some("wbt_nope"))
        .await
        .assert_error(401);
    // A token used with another organization's key.
    let (_, other_key) = f.db.org("Other");
    let e = s
        .get("/wms/orders", &other_key, Some(token))
        .await
        .assert_error(401);
    assert!(e["error"].as_str().unwrap().contains("organization"));
    // A non-UTF-8 header value.
    let r = s
        .http
        .get(format!("{}/connections", s.base))
        .header(
            "x-trackstar-api-key",
            reqwest::header::HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A token of the wrong vertical.
    let cart = f.sandbox("cart").await;
    let e = s
        .get("/wms/orders", &f.key, cart["access_token"].as_str())
        .await
        .assert_error(404);
    assert!(e["error"]
        .as_str()
        .unwrap()
        .contains("not a wms connection"));
});

both!(
    unknown_routes_methods_and_bodies_get_json_errors,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let r = s.get("/no/such/route", &f.key, None).await;
        r.assert_error(404);
        let r = s
            .call(Method::DELETE, "/link/token", Some(&f.key), None, None)
            .await;
        r.assert_error(405);
        // Bodies that are not JSON, wrong types, unknown members.
        s.call_raw(Method::POST, "/link/token", Some(&f.key), None, "{not json")
            .await
            .assert_error(400);
        s.call_raw(Method::POST, "/link/token", Some(&f.key), None, "[1,2]")
            .await
            .assert_error(422);
        let e = s
            .post("/link/token", &f.key, None, json!({"connection_id": 5}))
            .await
            .assert_error(422);
        assert!(e["detail"]["json"]["connection_id"].is_array(), "{e}");
        let e = s
            .post("/link/token", &f.key, None, json!({"bogus": 1}))
            .await
            .assert_error(422);
        assert!(e["detail"]["json"]["bogus"].is_array(), "{e}");
        let e = s
            .post("/link/exchange", &f.key, None, json!({}))
            .await
            .assert_error(422);
        assert!(e.to_string().contains("auth_code"), "{e}");
        // Bad path parameters.
        s.post("/sandbox/generate-sandbox/boats", &f.key, None, json!(null))
            .await
            .assert_error(422);
        s.get("/integrations/boats", &f.key, None)
            .await
            .assert_error(422);
        s.get("/integrations/wms/nope", &f.key, None)
            .await
            .assert_error(404);
        s.get("/connections/does-not-exist", &f.key, None)
            .await
            .assert_error(404);
        // Last, because the server closes the connection: a huge body is refused, not buffered forever.
        let big = format!("{{\"customer_id\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
        s.call_raw(Method::POST, "/link/token", Some(&f.key), None, &big)
            .await
            .assert_error(413);
    }
);

both!(health_openapi_request_ids_and_clean_logs, |b| async move {
    let Some(mut f) = Fixture::new(b).await else {
        return;
    };
    let h = f
        .server
        .call(Method::GET, "/healthz", None, None, None)
        .await;
    assert_eq!(h.ok()["status"], "ok");
    let a = f
        .server
        .call(Method::GET, "/healthz", None, None, None)
        .await;
    let (ida, idh) = (
        a.headers["x-request-id"].clone(),
        h.headers["x-request-id"].clone(),
    );
    assert_ne!(ida, idh, "request ids are unique");
    let doc = f
        .server
        .call(Method::GET, "/openapi.json", None, None, None)
        .await
        .ok();
    for p in [
        "/link/token",
        "/link/exchange",
        "/connections",
        "/wms/orders",
        "/wms/orders/{order_id}",
        "/sandbox/generate-sandbox/{integration_type}",
    ] {
        assert!(doc["paths"].get(p).is_some(), "openapi lacks {p}");
    }
    let sb = f.sandbox("wms").await;
    let token = sb["access_token"].as_str().unwrap().to_string();
    let lt = f
        .server
        .post("/link/token", &f.key, None, json!({}))
        .await
        .ok()["link_token"]
        .as_str()
        .unwrap()
        .to_string();
    f.server
        .post(&format!("/link/sessions/{lt}/connect"), &f.key, None, json!({"integration_name": "sandbox", "credentials": {"api_key": "super-secret-vendor-key"}}))
        .await
        .ok();
    f.server
        .get("/wms/orders?limit=1", &f.key, Some(&token))
        .await
        .ok();
    assert!(f.server.stop().success());
    let log = f.server.log();
    assert!(log.contains("\"route\""), "request logs are written: {log}");
    for secret in [
        f.key.as_str(),
        token.as_str(),
        lt.as_str(),
        "super-secret-vendor-key",
    ] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
});
