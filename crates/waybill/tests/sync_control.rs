//! Sync control through the API: connection health from a credential that lacks a
//! permission, force syncs, on-demand jobs and schedule pausing.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn install(f: &Fixture, api_key: &str) -> (String, String) {
    let ex = f
        .server
        .link_install(&f.key, json!({"api_key": api_key}))
        .await;
    (
        ex["connection_id"].as_str().unwrap().into(),
        ex["access_token"].as_str().unwrap().into(),
    )
}

/// Polls the connection until `done` holds; the API state is the signal.
async fn until(f: &Fixture, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..400 {
        let c = f
            .server
            .get(&format!("/connections/{id}"), &f.key, None)
            .await
            .ok()["data"]
            .clone();
        if done(&c) {
            return c;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}; log:\n{}", f.server.log());
}

fn schedule<'a>(c: &'a Value, f: &str) -> &'a Value {
    c["sync_schedules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["function_name"] == f)
        .unwrap()
}

both!(
    missing_permission_is_a_non_blocking_error_on_exactly_that_endpoint,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (id, token) = install(&f, "key-no-inventory").await;
        let c = until(
            &f,
            &id,
            "the error and the other functions' historical syncs",
            |c| {
                !c["errors"].as_array().unwrap().is_empty()
                    && c["historical_sync_completed"]["get_orders"] == true
            },
        )
        .await;
        let errors = c["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{c}");
        assert_eq!(
            errors[0]["affected_endpoints"],
            json!([{"endpoint": "GET /wms/inventory", "preventing_sync": false}])
        );
        assert!(errors[0]["error_message"]
            .as_str()
            .unwrap()
            .contains("inventory"));
        // Everything else syncs.
        let orders = f
            .server
            .get("/wms/orders?limit=1", &f.key, Some(&token))
            .await
            .ok();
        assert_eq!(orders["data"].as_array().unwrap().len(), 1);
    }
);

both!(force_sync_runs_the_requested_functions, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let (id, token) = install(&f, "good").await;
    until(&f, &id, "historical sync", |c| {
        c["historical_sync_completed"]["get_orders"] == true
    })
    .await;
    let s = &f.server;
    let e = s
        .post(
            "/connections/sync",
            &f.key,
            Some(&token),
            json!({"functions_to_sync": ["get_carts"]}),
        )
        .await
        .assert_error(422);
    assert!(e["detail"]["json"]["functions_to_sync.0"].is_array(), "{e}");
    s.post(
        "/connections/sync",
        &f.key,
        Some(&token),
        json!({"functions_to_sync": "get_orders"}),
    )
    .await
    .assert_error(422);
    let requested = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let r = s
        .post(
            "/connections/sync",
            &f.key,
            Some(&token),
            json!({"functions_to_sync": ["get_orders"]}),
        )
        .await
        .ok();
    assert_eq!(
        r,
        json!({"id": id, "syncing": true, "functions_to_sync": ["get_orders"]})
    );
    // The forced crawl starts after the request; a scheduled one would not come for an hour.
    let c = until(&f, &id, "the forced crawl", |c| {
        let s = schedule(c, "get_orders");
        s["last_crawl_start"]
            .as_str()
            .is_some_and(|t| t >= requested.as_str())
            && s["sync_status"] == "enabled"
    })
    .await;
    let _ = c;
});

both!(on_demand_jobs_run_and_validate, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let sb = f.sandbox("wms").await;
    let token = sb["access_token"].as_str().unwrap();
    let s = &f.server;
    let path = "/connections/on-demand-syncs";
    s.post(path, &f.key, Some(token), json!({"start_time": "2026-01-01", "end_time": "2026-01-02T00:00:00Z", "function_name": "get_orders"})).await.assert_error(422);
    s.post(path, &f.key, Some(token), json!({"start_time": "2026-01-02T00:00:00Z", "end_time": "2026-01-01T00:00:00Z", "function_name": "get_orders"})).await.assert_error(422);
    let e = s.post(path, &f.key, Some(token), json!({"start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-02T00:00:00Z", "function_name": "get_inventory"})).await.assert_error(400);
    assert_eq!(
        e["error"],
        "On-demand sync is not enabled for sandbox get_inventory"
    );
    let job = s.post(path, &f.key, Some(token), json!({"start_time": "2020-01-01T00:00:00Z", "end_time": "2030-01-01T00:00:00Z", "function_name": "get_orders"})).await.ok();
    assert_eq!(job["status"], "open");
    assert_eq!(job["function_name"], "get_orders");
    let jid = job["id"].as_str().unwrap();
    let status = s.wait_job(&f.key, token, jid).await;
    assert_eq!(status, "completed");
    s.call(
        Method::POST,
        &format!("{path}/{jid}/cancel"),
        Some(&f.key),
        Some(token),
        None,
    )
    .await
    .assert_error(400);
    s.get(&format!("{path}/job_nope"), &f.key, Some(token))
        .await
        .assert_error(404);
    // Another connection cannot see the job.
    let cart = f.sandbox("cart").await;
    s.get(
        &format!("{path}/{jid}"),
        &f.key,
        cart["access_token"].as_str(),
    )
    .await
    .assert_error(404);
});

both!(schedules_pause_and_resume, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    let sb = f.sandbox("wms").await;
    let token = sb["access_token"].as_str().unwrap();
    let id = sb["connection_id"].as_str().unwrap();
    let s = &f.server;
    let r = s
        .call(
            Method::PATCH,
            "/schedules/get_orders/toggle",
            Some(&f.key),
            Some(token),
            Some(json!({"paused": true})),
        )
        .await
        .ok();
    assert_eq!(
        r,
        json!({"id": id, "object": "connection", "updated": true})
    );
    let c = s
        .get(&format!("/connections/{id}"), &f.key, None)
        .await
        .ok()["data"]
        .clone();
    assert_eq!(schedule(&c, "get_orders")["sync_status"], "disabled");
    assert_ne!(schedule(&c, "get_products")["sync_status"], "disabled");
    s.call(
        Method::PATCH,
        "/schedules/toggle-all",
        Some(&f.key),
        Some(token),
        Some(json!({"paused": true})),
    )
    .await
    .ok();
    let c = s
        .get(&format!("/connections/{id}"), &f.key, None)
        .await
        .ok()["data"]
        .clone();
    assert!(c["sync_schedules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["sync_status"] == "disabled"));
    s.call(
        Method::PATCH,
        "/schedules/toggle-all",
        Some(&f.key),
        Some(token),
        Some(json!({"paused": false})),
    )
    .await
    .ok();
    let c = s
        .get(&format!("/connections/{id}"), &f.key, None)
        .await
        .ok()["data"]
        .clone();
    assert!(c["sync_schedules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["sync_status"] != "disabled"));
    s.call(
        Method::PATCH,
        "/schedules/get_nothing/toggle",
        Some(&f.key),
        Some(token),
        Some(json!({"paused": true})),
    )
    .await
    .assert_error(404);
    s.call(
        Method::PATCH,
        "/schedules/get_orders/toggle",
        Some(&f.key),
        Some(token),
        Some(json!({"paused": "yes"})),
    )
    .await
    .assert_error(422);
    s.call(
        Method::PATCH,
        "/schedules/get_orders/toggle",
        Some(&f.key),
        Some(token),
        Some(json!({})),
    )
    .await
    .assert_error(422);
});

both!(historical_lookback_is_configurable, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    // Organization-wide, through the CLI: a 3-day lookback pulls only the last 3 days.
    f.db.cli(&[
        "org",
        "set-lookback",
        "--organization",
        &f.org_id,
        "--days",
        "3",
    ]);
    assert!(!f
        .db
        .cli_raw(&[
            "org",
            "set-lookback",
            "--organization",
            &f.org_id,
            "--days",
            "5000"
        ])
        .status
        .success());
    let (id, token) = install(&f, "key").await;
    until(&f, &id, "historical sync", |c| {
        c["historical_sync_completed"]["get_orders"] == true
    })
    .await;
    let orders = f
        .server
        .get("/wms/orders?limit=1000", &f.key, Some(&token))
        .await
        .ok();
    let oldest = orders["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["updated_date"].as_str())
        .min()
        .unwrap()
        .to_string();
    let three_days_ago =
        (chrono::Utc::now() - chrono::Duration::days(3) - chrono::Duration::minutes(1))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
    assert!(
        oldest >= three_days_ago,
        "oldest {oldest} is older than the lookback"
    );
    // Per connection, through PATCH /connections.
    let s = &f.server;
    s.call(
        Method::PATCH,
        "/connections",
        Some(&f.key),
        Some(&token),
        Some(json!({"historical_lookback_days": 0})),
    )
    .await
    .assert_error(422);
    s.call(
        Method::PATCH,
        "/connections",
        Some(&f.key),
        Some(&token),
        Some(json!({"historical_lookback_days": 90})),
    )
    .await
    .ok();
    s.call(
        Method::PATCH,
        "/connections",
        Some(&f.key),
        Some(&token),
        Some(json!({"historical_lookback_days": null})),
    )
    .await
    .ok();
});

both!(
    a_revoked_credential_blocks_syncs_until_a_reinstall,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let (id, _token) = install(&f, "key-revoked").await;
        let c = until(&f, &id, "the blocking error", |c| {
            !c["errors"].as_array().unwrap().is_empty()
        })
        .await;
        let e = &c["errors"][0];
        assert!(
            e["error_message"].as_str().unwrap().contains("revoked"),
            "{e}"
        );
        let endpoints = e["affected_endpoints"].as_array().unwrap();
        assert!(
            endpoints.len() > 5 && endpoints.iter().all(|x| x["preventing_sync"] == true),
            "{e}"
        );
        // Reinstall with a working key: the error clears and the historical sync completes.
        let s = &f.server;
        let lt = s
            .post("/link/token", &f.key, None, json!({"connection_id": id}))
            .await
            .ok()["link_token"]
            .as_str()
            .unwrap()
            .to_string();
        let body = json!({"integration_name": "sandbox", "integration_type": "wms", "credentials": {"api_key": "fresh-key"}});
        let code = s
            .call(
                Method::POST,
                &format!("/link/sessions/{lt}/connect"),
                None,
                None,
                Some(body),
            )
            .await
            .ok()["auth_code"]
            .as_str()
            .unwrap()
            .to_string();
        s.post("/link/exchange", &f.key, None, json!({"auth_code": code}))
            .await
            .ok();
        let c = until(&f, &id, "recovery", |c| {
            c["errors"].as_array().unwrap().is_empty()
                && c["historical_sync_completed"]["get_orders"] == true
        })
        .await;
        assert_eq!(c["connection_id"], id.as_str());
    }
);
