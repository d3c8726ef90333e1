//! Change detection through the living sandbox: a simulated change reaches the stored copy
//! with a new `trackstar_updated_date`, unchanged records keep theirs, and a page walk under
//! concurrent syncs never repeats or skips a record.

mod common;
use common::*;
use reqwest::Method;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

async fn all_orders(s: &Server, key: &str, token: &str) -> Vec<Value> {
    s.get("/wms/orders?limit=1000", key, Some(token)).await.ok()["data"]
        .as_array()
        .unwrap()
        .clone()
}

both!(
    a_simulated_fulfilment_is_synced_as_a_real_change,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let sb = f.sandbox("wms").await;
        let token = sb["access_token"].as_str().unwrap();
        let s = &f.server;
        let before = all_orders(s, &f.key, token).await;
        let open = before
            .iter()
            .find(|o| o["status"] == "open")
            .expect("an open order")
            .clone();
        let id = open["id"].as_str().unwrap();
        // Second-precision timestamps: make sure the change lands in a later second.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let r = s
            .call(
                Method::PUT,
                &format!("/sandbox/simulate/orders/{id}/fulfill?partial=false"),
                Some(&f.key),
                None,
                None,
            )
            .await
            .ok();
        assert_eq!(r["data"]["status"], "fulfilled");
        let mut after = Value::Null;
        for _ in 0..200 {
            after = s
                .get(&format!("/wms/orders/{id}"), &f.key, Some(token))
                .await
                .ok()["data"]
                .clone();
            if after["status"] == "fulfilled" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            after["status"], "fulfilled",
            "the sync picked the change up"
        );
        assert_eq!(
            after["shipments"].as_array().unwrap().len(),
            open["shipments"].as_array().unwrap().len() + 1
        );
        assert_eq!(
            after["trackstar_created_date"],
            open["trackstar_created_date"]
        );
        assert!(after["trackstar_updated_date"].as_str() > open["trackstar_updated_date"].as_str());
        // Nothing else moved.
        let now: HashMap<String, Value> = all_orders(s, &f.key, token)
            .await
            .into_iter()
            .map(|o| (o["id"].as_str().unwrap().to_string(), o))
            .collect();
        for o in &before {
            let oid = o["id"].as_str().unwrap();
            if oid != id {
                assert_eq!(
                    now[oid]["trackstar_updated_date"], o["trackstar_updated_date"],
                    "{oid} moved without a change"
                );
            }
        }
        // Bad simulations.
        s.call(
            Method::PUT,
            &format!("/sandbox/simulate/orders/{id}/fulfill"),
            Some(&f.key),
            None,
            None,
        )
        .await
        .assert_error(422);
        s.call(
            Method::PUT,
            "/sandbox/simulate/orders/ord_nope/fulfill",
            Some(&f.key),
            None,
            None,
        )
        .await
        .assert_error(404);
        s.call(
            Method::PUT,
            &format!("/sandbox/simulate/orders/{id}/fulfill?partial=maybe"),
            Some(&f.key),
            None,
            None,
        )
        .await
        .assert_error(422);
        s.call(
            Method::POST,
            "/sandbox/simulate/cart/orders",
            Some(&f.key),
            None,
            None,
        )
        .await
        .assert_error(404);
        // Cart simulations create records.
        let cart = f.sandbox("cart").await;
        let created = s
            .call(
                Method::POST,
                "/sandbox/simulate/cart/orders",
                Some(&f.key),
                None,
                None,
            )
            .await
            .ok();
        let cid = created["data"]["id"].as_str().unwrap().to_string();
        let mut found = false;
        for _ in 0..200 {
            if s.get(
                &format!("/cart/orders/{cid}"),
                &f.key,
                cart["access_token"].as_str(),
            )
            .await
            .status
                == 200
            {
                found = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(found, "the new cart order was synced");
    }
);

both!(
    a_walk_during_concurrent_syncs_neither_repeats_nor_skips,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let sb = f.sandbox("wms").await;
        let token = sb["access_token"].as_str().unwrap().to_string();
        let s = &f.server;
        let before = all_orders(s, &f.key, &token).await;
        let open: Vec<String> = before
            .iter()
            .filter(|o| o["status"] == "open" || o["status"] == "confirmed")
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect();
        assert!(open.len() >= 20);
        let mut seen = HashSet::new();
        let mut next: Option<String> = None;
        let mut changed = HashSet::new();
        let mut page = 0;
        loop {
            // Change a record before every page: some ahead of the walk, some behind it.
            if let Some(id) = open.get(page * 3 % open.len()) {
                let r = s
                    .call(
                        Method::PUT,
                        &format!("/sandbox/simulate/orders/{id}/fulfill?partial=true"),
                        Some(&f.key),
                        None,
                        None,
                    )
                    .await;
                if r.status == 200 {
                    changed.insert(id.clone());
                }
            }
            let url = match &next {
                Some(t) => format!("/wms/orders?limit=25&page_token={t}"),
                None => "/wms/orders?limit=25".into(),
            };
            let v = s.get(&url, &f.key, Some(&token)).await.ok();
            for r in v["data"].as_array().unwrap() {
                assert!(
                    seen.insert(r["id"].as_str().unwrap().to_string()),
                    "{} returned twice",
                    r["id"]
                );
            }
            page += 1;
            match v["next_token"].as_str() {
                Some(t) => next = Some(t.to_string()),
                None => break,
            }
        }
        assert!(!changed.is_empty());
        for o in &before {
            assert!(
                seen.contains(o["id"].as_str().unwrap()),
                "{} was skipped",
                o["id"]
            );
        }
    }
);

both!(a_drifting_sandbox_changes_on_its_own, |b| async move {
    let Some(db) = Db::new(b).await else { return };
    let (_, key) = db.org("Acme");
    let s = Server::start_with(&db, &[("WAYBILL_SANDBOX_DRIFT_SECS", "0.2")]);
    let sb = s
        .post("/sandbox/generate-sandbox/cart", &key, None, Value::Null)
        .await
        .ok();
    let token = sb["access_token"].as_str().unwrap();
    let count = |v: Value| v["data"].as_array().unwrap().len();
    let orders = count(s.get("/cart/orders", &key, Some(token)).await.ok());
    let products = count(s.get("/cart/products", &key, Some(token)).await.ok());
    let mut grew = false;
    for _ in 0..200 {
        let o = count(s.get("/cart/orders", &key, Some(token)).await.ok());
        let p = count(s.get("/cart/products", &key, Some(token)).await.ok());
        if o > orders || p > products {
            grew = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        grew,
        "the drifting cart sandbox created records and they were synced"
    );
});
