//! The CLI and the first start: organizations, API keys, migrations, the first-start banner.

mod common;
use common::*;
use serde_json::Value;

both!(
    org_and_key_commands_work_and_revocation_takes_effect,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        assert!(db.cli(&["migrate"]).contains("migrations applied"));
        let (org, key) = db.org("Acme");
        assert!(org.starts_with("org_"));
        assert!(key.starts_with("wbk_") && key.len() > 50, "key {key}");
        let v: Value = serde_json::from_str(&db.cli(&[
            "api-key",
            "create",
            "--organization",
            &org,
            "--read-only",
            "--json",
        ]))
        .unwrap();
        let ro = v["api_key"].as_str().unwrap().to_string();
        assert_eq!(v["read_only"], true);
        let prefix = v["key_prefix"].as_str().unwrap().to_string();
        let extra: Value =
            serde_json::from_str(&db.cli(&["api-key", "create", "--organization", &org, "--json"]))
                .unwrap();
        let extra_key = extra["api_key"].as_str().unwrap().to_string();
        // Revoke the extra key before the server ever sees it, so no cache could hide the revocation.
        db.cli(&["api-key", "revoke", extra["key_prefix"].as_str().unwrap()]);
        let s = Server::start(&db);
        s.get("/connections", &key, None).await.ok();
        s.get("/connections", &ro, None).await.ok();
        let e = s
            .get("/connections", &extra_key, None)
            .await
            .assert_error(401);
        assert!(e["error"].as_str().unwrap().contains("revoked"));
        // Read-only keys may not write.
        let e = s
            .post("/link/token", &ro, None, serde_json::json!({}))
            .await
            .assert_error(403);
        assert!(e["error"].as_str().unwrap().contains("read-only"));
        // Unknown organization and unknown prefix fail loudly.
        assert!(!db
            .cli_raw(&["api-key", "create", "--organization", "org_nope"])
            .status
            .success());
        assert!(!db
            .cli_raw(&["api-key", "revoke", "wbk_000000000000"])
            .status
            .success());
        // Revoking works once; the second time there is no live key to revoke.
        assert!(db.cli_raw(&["api-key", "revoke", &prefix]).status.success());
        assert!(!db.cli_raw(&["api-key", "revoke", &prefix]).status.success());
    }
);

both!(
    first_serve_creates_a_default_org_and_prints_its_key_once,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        let mut s = Server::start(&db);
        let banner = s.stdout_lines.join("\n");
        let key = s
            .stdout_lines
            .iter()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("wbk_")
                    .map(|rest| format!("wbk_{rest}"))
            })
            .unwrap_or_else(|| panic!("no key in banner: {banner}"));
        assert!(banner.contains("curl"), "{banner}");
        s.get("/connections", &key, None).await.ok();
        assert!(s.stop().success(), "graceful shutdown exits 0");
        // The key never reaches the log.
        assert!(!s.log().contains(&key));
        // A second start prints no key.
        let s2 = Server::start(&db);
        assert!(!s2.stdout_lines.iter().any(|l| l.contains("wbk_")));
    }
);

both!(
    sandbox_generate_cli_prints_the_exchange_body,
    |b| async move {
        let Some(db) = Db::new(b).await else { return };
        let (org, key) = db.org("Acme");
        let out = db.cli(&[
            "sandbox",
            "generate",
            "--organization",
            &org,
            "--type",
            "wms",
            "--orders",
            "120",
            "--json",
        ]);
        let v: Value = serde_json::from_str(&out).unwrap();
        for k in [
            "access_token",
            "connection_id",
            "integration_name",
            "customer_id",
            "available_actions",
            "available_endpoints",
        ] {
            assert!(v.get(k).is_some(), "missing {k}: {v}");
        }
        assert_eq!(v["integration_name"], "sandbox");
        let s = Server::start(&db);
        let token = v["access_token"].as_str().unwrap();
        let mut ids = std::collections::HashSet::new();
        let mut page: Option<String> = None;
        loop {
            let path = match &page {
                Some(p) => format!("/wms/orders?limit=50&page_token={p}"),
                None => "/wms/orders?limit=50".into(),
            };
            let body = s.get(&path, &key, Some(token)).await.ok();
            for o in body["data"].as_array().unwrap() {
                assert!(
                    ids.insert(o["id"].as_str().unwrap().to_string()),
                    "duplicate {}",
                    o["id"]
                );
            }
            match body["next_token"].as_str() {
                Some(t) => page = Some(t.to_string()),
                None => break,
            }
        }
        assert_eq!(ids.len(), 120, "every generated order is readable");
        // Regenerating keeps the connection id and token.
        let again: Value = serde_json::from_str(&db.cli(&[
            "sandbox",
            "generate",
            "--organization",
            &org,
            "--orders",
            "10",
            "--json",
        ]))
        .unwrap();
        assert_eq!(again["connection_id"], v["connection_id"]);
        assert_eq!(again["access_token"], v["access_token"]);
        let body = s.get("/wms/orders", &key, Some(token)).await.ok();
        assert_eq!(
            body["data"].as_array().unwrap().len(),
            10,
            "old data was wiped"
        );
    }
);
