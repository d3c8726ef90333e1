//! Magic links over HTTP: the API-key routes, their validation, tenancy, the hosted page's
//! refusals, and a server-side install through the page's own routes (the browser version of
//! that install is in link_browser.rs).

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn create(s: &Server, key: &str, body: Value) -> Value {
    s.post("/magic-links", key, None, body).await.ok()["magic_link"].clone()
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

both!(
    magic_links_can_be_created_read_listed_and_deleted,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let plain = create(s, &f.key, json!({})).await;
        let id = plain["id"].as_str().unwrap().to_string();
        assert!(is_hex32(&id), "id {id}");
        assert_eq!(plain["integration_type"], "wms");
        assert_eq!(plain["integration_allow_list"], json!([]));
        assert_eq!(plain["integration_block_list"], json!([]));
        assert_eq!(plain["integrations_with_endpoints"], json!([]));
        assert_eq!(plain["disabled_functions"], json!([]));
        assert_eq!(plain["enabled_functions"], json!([]));
        assert_eq!(plain["customer_id"], Value::Null);
        assert_eq!(plain["url"], format!("{}/magic-link/{id}", s.base));
        // Seven days by default.
        let expires =
            chrono::DateTime::parse_from_rfc3339(plain["expires_at"].as_str().unwrap()).unwrap();
        let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
        assert!((7 * 24 - 1..=7 * 24).contains(&days), "expires in {days} h");
        let full = create(
        s,
        &f.key,
        json!({"integration_type": "cart", "link_duration": 2, "customer_id": "cust-9", "integration_block_list": ["shopify"],
               "integrations_with_endpoints": ["get_orders"], "disabled_functions": ["get_products"], "enabled_functions": [], "connection_id": null}),
    )
    .await;
        assert_eq!(full["integration_type"], "cart");
        assert_eq!(full["customer_id"], "cust-9");
        assert_eq!(full["integration_block_list"], json!(["shopify"]));
        assert_eq!(full["integrations_with_endpoints"], json!(["get_orders"]));
        assert_eq!(full["disabled_functions"], json!(["get_products"]));
        let full_id = full["id"].as_str().unwrap().to_string();
        // Reading one returns the same object.
        let one = s
            .get(&format!("/magic-links/{full_id}"), &f.key, None)
            .await
            .ok();
        assert_eq!(one, json!({"magic_link": full}));
        let list = s.get("/magic-links", &f.key, None).await.ok();
        let ids: Vec<&str> = list["magic_links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&id.as_str()) && ids.contains(&full_id.as_str()));
        // Read-only keys may read but not create or delete.
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
        s.get("/magic-links", ro, None).await.ok();
        s.post("/magic-links", ro, None, json!({}))
            .await
            .assert_error(403);
        s.call(
            Method::DELETE,
            &format!("/magic-links/{id}"),
            Some(ro),
            None,
            None,
        )
        .await
        .assert_error(403);
        let d = s
            .call(
                Method::DELETE,
                &format!("/magic-links/{id}"),
                Some(&f.key),
                None,
                None,
            )
            .await
            .ok();
        assert_eq!(
            d,
            json!({"id": id, "object": "magic_link", "deleted": true})
        );
        s.get(&format!("/magic-links/{id}"), &f.key, None)
            .await
            .assert_error(404);
        s.call(
            Method::DELETE,
            &format!("/magic-links/{id}"),
            Some(&f.key),
            None,
            None,
        )
        .await
        .assert_error(404);
        let list = s.get("/magic-links", &f.key, None).await.ok();
        assert_eq!(list["magic_links"].as_array().unwrap().len(), 1);
        s.call(Method::GET, "/magic-links", None, None, None)
            .await
            .assert_error(401);
    }
);

both!(magic_link_bodies_are_validated, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let key = f.key.as_str();
    let bad = |body: Value| async move {
        s.post("/magic-links", key, None, body)
            .await
            .assert_error(422)
    };
    let e = bad(json!({"integration_allow_list": ["a"], "integration_block_list": ["b"]})).await;
    assert!(
        e["detail"]["json"]["integration_allow_list"].is_array(),
        "{e}"
    );
    let e = bad(
        json!({"integration_allow_list": ["a"], "integrations_with_endpoints": ["get_orders"]}),
    )
    .await;
    assert!(
        e["detail"]["json"]["integration_allow_list"].is_array(),
        "{e}"
    );
    let e = bad(json!({"link_url": "x"})).await;
    assert!(
        e["detail"]["json"]["link_url"].is_array(),
        "unknown member: {e}"
    );
    let e = bad(json!({"link_duration": "7"})).await;
    assert!(e["detail"]["json"]["link_duration"].is_array(), "{e}");
    let e = bad(json!({"link_duration": 1.5})).await;
    assert!(e["detail"]["json"]["link_duration"].is_array(), "{e}");
    bad(json!({"link_duration": -1})).await;
    bad(json!({"link_duration": 100000})).await;
    let e = bad(json!({"integration_allow_list": "sandbox"})).await;
    assert!(
        e["detail"]["json"]["integration_allow_list"].is_array(),
        "{e}"
    );
    bad(json!({"integration_block_list": [1]})).await;
    let e = bad(json!({"integration_type": "boat"})).await;
    assert!(e["detail"]["json"]["integration_type"].is_array(), "{e}");
    bad(json!({"customer_id": 5})).await;
    bad(json!({"disabled_functions": [""]})).await;
    // Allow list with block list empty is fine; block list with endpoints too.
    create(
        s,
        &f.key,
        json!({"integration_allow_list": ["sandbox"], "integration_block_list": []}),
    )
    .await;
    create(
        s,
        &f.key,
        json!({"integration_block_list": ["x"], "integrations_with_endpoints": ["get_orders"]}),
    )
    .await;
    // A body that is not JSON is a 400.
    s.call_raw(Method::POST, "/magic-links", Some(&f.key), None, "{nope")
        .await
        .assert_error(400);
    // A reinstall link needs a connection of this organization, of the same type.
    s.post(
        "/magic-links",
        &f.key,
        None,
        json!({"connection_id": "nope"}),
    )
    .await
    .assert_error(404);
    let sandbox = f.sandbox("wms").await;
    let conn = sandbox["connection_id"].as_str().unwrap();
    bad(json!({"connection_id": conn, "integration_type": "cart"})).await;
    let re = create(s, &f.key, json!({"connection_id": conn})).await;
    assert_eq!(re["connection_id"], conn);
    assert_eq!(re["integration_type"], "wms");
    let (_, other) = f.db.org("Other");
    s.post("/magic-links", &other, None, json!({"connection_id": conn}))
        .await
        .assert_error(404);
});

both!(other_organizations_links_are_unknown, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let s = &f.server;
    let m = create(s, &f.key, json!({})).await;
    let id = m["id"].as_str().unwrap();
    let (_, other) = f.db.org("Other");
    let e = s
        .get(&format!("/magic-links/{id}"), &other, None)
        .await
        .assert_error(404);
    assert_eq!(e["id"], id);
    s.call(
        Method::DELETE,
        &format!("/magic-links/{id}"),
        Some(&other),
        None,
        None,
    )
    .await
    .assert_error(404);
    assert_eq!(
        s.get("/magic-links", &other, None).await.ok()["magic_links"],
        json!([])
    );
    s.get(
        "/magic-links/0123456789abcdef0123456789abcdef",
        &f.key,
        None,
    )
    .await
    .assert_error(404);
    s.get("/magic-links/not-an-id", &f.key, None)
        .await
        .assert_error(404);
    // Still there for its owner.
    s.get(&format!("/magic-links/{id}"), &f.key, None)
        .await
        .ok();
});

/// GETs the hosted page: (status, body).
async fn page(s: &Server, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let r = s.call(Method::GET, path, None, None, None).await;
    (r.status.as_u16(), r.text, r.headers)
}

both!(
    the_hosted_page_refuses_deleted_expired_and_unknown_links,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let m = create(s, &f.key, json!({"integration_allow_list": ["sandbox"]})).await;
        let id = m["id"].as_str().unwrap();
        let (status, html, headers) = page(s, &format!("/magic-link/{id}")).await;
        assert_eq!(status, 200);
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert!(html.contains("data-mode=\"magic\"") && html.contains("modal.js?v="));
        // Deleted: the page refuses, and so does its session route.
        s.call(
            Method::DELETE,
            &format!("/magic-links/{id}"),
            Some(&f.key),
            None,
            None,
        )
        .await
        .ok();
        let (status, html, _) = page(s, &format!("/magic-link/{id}")).await;
        assert_eq!(status, 410);
        assert!(html.contains("This link is no longer active"), "{html}");
        assert!(!html.contains("<script"));
        let e = s
            .call(
                Method::POST,
                &format!("/magic-link/{id}/session"),
                None,
                None,
                None,
            )
            .await
            .assert_error(404);
        assert!(e["error"].as_str().unwrap().contains("no longer active"));
        // Expired: a duration of zero days expires at once.
        let expired = create(s, &f.key, json!({"link_duration": 0})).await;
        let eid = expired["id"].as_str().unwrap();
        let (status, html, _) = page(s, &format!("/magic-link/{eid}")).await;
        assert_eq!(status, 410);
        assert!(html.contains("This link has expired"), "{html}");
        let e = s
            .call(
                Method::POST,
                &format!("/magic-link/{eid}/session"),
                None,
                None,
                None,
            )
            .await
            .assert_error(400);
        assert!(e["error"].as_str().unwrap().contains("expired"));
        // It is still listed, with its expiry, until deleted.
        s.get(&format!("/magic-links/{eid}"), &f.key, None)
            .await
            .ok();
        // Unknown ids.
        let (status, html, _) = page(s, "/magic-link/0123456789abcdef0123456789abcdef").await;
        assert_eq!(status, 404);
        assert!(html.contains("This link is not valid"));
        assert_eq!(page(s, "/magic-link/%3Cscript%3E").await.0, 404);
    }
);

both!(
    a_magic_link_install_creates_the_connection_server_side,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let s = &f.server;
        let m = create(s, &f.key, json!({"integration_allow_list": ["sandbox"], "customer_id": "cust-7", "disabled_functions": ["get_returns"]})).await;
        let id = m["id"].as_str().unwrap();
        let started = s
            .call(
                Method::POST,
                &format!("/magic-link/{id}/session"),
                None,
                None,
                None,
            )
            .await
            .ok();
        assert_eq!(
            started["config"]["integrationAllowList"],
            json!(["sandbox"])
        );
        assert_eq!(started["config"]["sandbox"], true);
        let lt = started["link_token"].as_str().unwrap();
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
        let names: Vec<(&str, &str)> = session["integrations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["integration_type"].as_str().unwrap(),
                    i["integration_name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(names, vec![("wms", "sandbox")], "only what the link offers");
        let offered = &session["integrations"][0];
        assert!(!offered["available_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "get_returns"));
        assert!(offered["logo_url"]
            .as_str()
            .unwrap()
            .ends_with("/link/logos/wms/sandbox.svg"));
        // The link's rules hold on the server too.
        let connect_path = format!("/link/sessions/{lt}/connect");
        let connect = |body: Value| s.call(Method::POST, &connect_path, None, None, Some(body));
        connect(json!({"integration_name": "sandbox", "integration_type": "cart", "credentials": {"api_key": "k"}})).await.assert_error(422);
        let code = connect(json!({"integration_name": "sandbox", "integration_type": "wms", "credentials": {"api_key": "good"}})).await.ok()["auth_code"].as_str().unwrap().to_string();
        // Another magic link cannot complete this install.
        let other = create(s, &f.key, json!({})).await;
        let oid = other["id"].as_str().unwrap();
        s.call(
            Method::POST,
            &format!("/magic-link/{oid}/complete"),
            None,
            None,
            Some(json!({"auth_code": code})),
        )
        .await
        .assert_error(400);
        // That attempt burned the code; a fresh one completes.
        let code = connect(json!({"integration_name": "sandbox", "integration_type": "wms", "credentials": {"api_key": "good"}})).await.ok()["auth_code"].as_str().unwrap().to_string();
        let done = s
            .call(
                Method::POST,
                &format!("/magic-link/{id}/complete"),
                None,
                None,
                Some(json!({"auth_code": code})),
            )
            .await
            .ok();
        assert_eq!(
            done,
            json!({"connected": true, "integration_name": "sandbox"})
        );
        assert!(
            !done.to_string().contains("wbt_"),
            "the customer never sees the access token"
        );
        s.call(
            Method::POST,
            &format!("/magic-link/{id}/complete"),
            None,
            None,
            Some(json!({"auth_code": code})),
        )
        .await
        .assert_error(400);
        let list = s.get("/connections", &f.key, None).await.ok();
        let conns = list["data"].as_array().unwrap();
        assert_eq!(conns.len(), 1);
        assert_eq!(conns[0]["customer_id"], "cust-7");
        assert_eq!(conns[0]["integration_name"], "sandbox");
        let actions = conns[0]["available_actions"].as_array().unwrap();
        assert!(actions.iter().any(|a| a == "get_orders"));
        assert!(
            !actions.iter().any(|a| a == "get_returns"),
            "disabled_functions apply: {actions:?}"
        );
        assert!(!conns[0]["sync_schedules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["function_name"] == "get_returns"));
        // The link stays usable for more installs until it expires.
        s.call(
            Method::POST,
            &format!("/magic-link/{id}/session"),
            None,
            None,
            None,
        )
        .await
        .ok();
    }
);

both!(
    branding_set_by_the_cli_reaches_the_modal_session,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let out: Value = serde_json::from_str(&f.db.cli(&[
            "org",
            "set-branding",
            "--organization",
            &f.org_id,
            "--name",
            "Acme Shipping",
            "--logo-url",
            "https://acme.example/logo.png",
            "--accent-color",
            "#0A7F5C",
        ]))
        .unwrap();
        assert_eq!(
            out["branding"],
            json!({"name": "Acme Shipping", "logo_url": "https://acme.example/logo.png", "accent_color": "#0a7f5c"})
        );
        // Partial updates keep the rest; an empty value removes one.
        f.db.cli(&[
            "org",
            "set-branding",
            "--organization",
            &f.org_id,
            "--logo-url",
            "",
        ]);
        assert!(!f
            .db
            .cli_raw(&[
                "org",
                "set-branding",
                "--organization",
                &f.org_id,
                "--accent-color",
                "green"
            ])
            .status
            .success());
        assert!(!f
            .db
            .cli_raw(&[
                "org",
                "set-branding",
                "--organization",
                "org_nope",
                "--name",
                "x"
            ])
            .status
            .success());
        let lt = f
            .server
            .post("/link/token", &f.key, None, json!({}))
            .await
            .ok()["link_token"]
            .as_str()
            .unwrap()
            .to_string();
        let session = f
            .server
            .call(
                Method::GET,
                &format!("/link/sessions/{lt}"),
                None,
                None,
                None,
            )
            .await
            .ok();
        assert_eq!(session["organization"]["name"], "Acme Logistics");
        assert_eq!(
            session["organization"]["branding"],
            json!({"name": "Acme Shipping", "accent_color": "#0a7f5c"})
        );
    }
);
