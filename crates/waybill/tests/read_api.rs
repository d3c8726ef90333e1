//! The read API's envelope, paging and bad input: limits, page tokens bound to their
//! endpoint, connection and filters, hostile query strings, every route answering, and
//! per-token rate limits.

mod common;
use common::*;
use reqwest::Method;
use serde_json::Value;
use std::collections::HashSet;
use waybill_model::ALL_RESOURCES;

both!(every_read_route_answers_with_the_envelope, |b| async move {
    let Some(f) = Fixture::new(b).await else {
        return;
    };
    for ty in ["wms", "cart", "carrier", "freight"] {
        let sb = f.sandbox(ty).await;
        let token = sb["access_token"].as_str().unwrap();
        let wh = if ty == "wms" {
            f.server
                .get("/wms/warehouses?limit=1", &f.key, Some(token))
                .await
                .ok()["data"][0]["id"]
                .as_str()
                .unwrap()
                .to_string()
        } else {
            String::new()
        };
        for r in ALL_RESOURCES.iter().filter(|r| r.vertical.as_str() == ty) {
            let base = r.list_path().replace("{warehouse_id}", &wh);
            if !r.listable {
                // Packs: read through an order id.
                let order = f
                    .server
                    .get("/wms/orders?limit=1", &f.key, Some(token))
                    .await
                    .ok()["data"][0]["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let v = f
                    .server
                    .get(&base.replace("{order_id}", &order), &f.key, Some(token))
                    .await
                    .ok();
                assert!(v["data"]["packs"].is_array(), "{base}: {v}");
                continue;
            }
            let list = f
                .server
                .get(&format!("{base}?limit=2"), &f.key, Some(token))
                .await
                .ok();
            let data = list["data"].as_array().unwrap();
            assert!(!data.is_empty(), "{base} is empty");
            assert_eq!(list["total_count"], data.len());
            for rec in data {
                assert!(
                    rec["trackstar_created_date"].is_string()
                        && rec["trackstar_updated_date"].is_string(),
                    "{base}"
                );
                assert_eq!(
                    rec["trackstar_tags"].is_array(),
                    r.taggable,
                    "{base} trackstar_tags"
                );
            }
            let id = data[0]["id"].as_str().unwrap();
            let one = f
                .server
                .get(&format!("{base}/{id}"), &f.key, Some(token))
                .await
                .ok();
            assert_eq!(&one["data"], &data[0], "{base}/{id}");
            let e = f
                .server
                .get(&format!("{base}/no-such-id"), &f.key, Some(token))
                .await
                .assert_error(404);
            assert_eq!(e["id"], "no-such-id");
        }
    }
});

both!(
    hostile_query_strings_get_422_naming_the_parameter,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let sb = f.sandbox("wms").await;
        let t = sb["access_token"].as_str().unwrap();
        let s = &f.server;
        for (query, param) in [
            ("limit=0".to_string(), "limit"),
            ("limit=1001".into(), "limit"),
            ("limit=abc".into(), "limit"),
            ("bogus=1".into(), "bogus"),
            ("status[bogus]=open".into(), "status[bogus]"),
            ("status=shipped".into(), "status"),
            ("created_date[gte]=2026-01-01".into(), "created_date[gte]"),
            (
                "created_date[gte]=2026-01-01T00:00:00%2B00:00".into(),
                "created_date[gte]",
            ),
            ("sku=1".into(), "sku"),
            ("status[=open".into(), "status["),
            ("status]=open".into(), "status]"),
            ("status[in][x]=open".into(), "status[in][x]"),
            ("status=open&status=open".into(), "status"),
            (
                format!("order_number={}", "x".repeat(10_000)),
                "order_number",
            ),
            (
                format!(
                    "ids[in]={}",
                    (0..101)
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                "ids[in]",
            ),
            ("page_token=garbage".into(), "page_token"),
        ] {
            let r = s
                .get(&format!("/wms/orders?{query}"), &f.key, Some(t))
                .await;
            let e = r.assert_error(422);
            assert!(e["detail"]["query"].get(param).is_some(), "{query}: {e}");
        }
        // Fine: repeated values inside a list, and case-insensitive operators.
        s.get(
            "/wms/orders?status[in]=open,open,fulfilled",
            &f.key,
            Some(t),
        )
        .await
        .ok();
        s.get(
            "/wms/orders?order_number[eq-insensitive]=ABC",
            &f.key,
            Some(t),
        )
        .await
        .ok();
    }
);

both!(
    page_tokens_are_bound_to_endpoint_connection_and_filters,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let sb = f.sandbox("wms").await;
        let t = sb["access_token"].as_str().unwrap();
        let s = &f.server;
        let page = s
            .get(
                "/wms/orders?limit=5&status[in]=open,fulfilled",
                &f.key,
                Some(t),
            )
            .await
            .ok();
        let tok = page["next_token"].as_str().unwrap().to_string();
        // Same endpoint and filters: fine.
        s.get(
            &format!("/wms/orders?limit=5&status[in]=fulfilled,open&page_token={tok}"),
            &f.key,
            Some(t),
        )
        .await
        .ok();
        // Other filters, another endpoint, another connection, a tampered token.
        s.get(
            &format!("/wms/orders?limit=5&page_token={tok}"),
            &f.key,
            Some(t),
        )
        .await
        .assert_error(422);
        s.get(
            &format!("/wms/products?limit=5&page_token={tok}"),
            &f.key,
            Some(t),
        )
        .await
        .assert_error(422);
        let (_, other_key) = f.db.org("Other");
        let _ = other_key;
        let cart = f.sandbox("cart").await;
        s.get(
            &format!("/cart/orders?limit=5&page_token={tok}"),
            &f.key,
            cart["access_token"].as_str(),
        )
        .await
        .assert_error(422);
        let mut tampered = tok.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        s.get(
            &format!("/wms/orders?limit=5&status[in]=open,fulfilled&page_token={tampered}"),
            &f.key,
            Some(t),
        )
        .await
        .assert_error(422);
        // A full walk visits every record once.
        let mut seen = HashSet::new();
        let mut next: Option<String> = None;
        loop {
            let url = match &next {
                Some(p) => format!("/wms/orders?limit=37&page_token={p}"),
                None => "/wms/orders?limit=37".into(),
            };
            let v = s.get(&url, &f.key, Some(t)).await.ok();
            for r in v["data"].as_array().unwrap() {
                assert!(seen.insert(r["id"].as_str().unwrap().to_string()));
            }
            match v["next_token"].as_str() {
                Some(p) => next = Some(p.into()),
                None => break,
            }
        }
        let all = s.get("/wms/orders", &f.key, Some(t)).await.ok();
        assert_eq!(seen.len(), all["data"].as_array().unwrap().len());
    }
);

both!(rate_limits_are_per_token_with_headers, |b| async move {
    let Some(db) = Db::new(b).await else { return };
    let (org, key) = db.org("Acme");
    let wms: Value = serde_json::from_str(&db.cli(&[
        "sandbox",
        "generate",
        "--organization",
        &org,
        "--orders",
        "20",
        "--json",
    ]))
    .unwrap();
    let cart: Value = serde_json::from_str(&db.cli(&[
        "sandbox",
        "generate",
        "--organization",
        &org,
        "--type",
        "cart",
        "--orders",
        "20",
        "--json",
    ]))
    .unwrap();
    let s = Server::start_with(
        &db,
        &[
            ("WAYBILL_RATE_LIMIT_GET", "3"),
            ("WAYBILL_RATE_LIMIT_WRITE", "2"),
        ],
    );
    let (tw, tc) = (
        wms["access_token"].as_str().unwrap(),
        cart["access_token"].as_str().unwrap(),
    );
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let r = s.get("/wms/orders?limit=1", &key, Some(tw)).await;
        assert_eq!(r.headers["x-ratelimit-limit"], "3");
        assert!(
            r.headers.contains_key("x-ratelimit-remaining")
                && r.headers.contains_key("x-ratelimit-reset")
                && r.headers.contains_key("retry-after")
        );
        statuses.push(r.status.as_u16());
        if r.status.as_u16() == 429 {
            let e = r.assert_error(429);
            assert!(e["error"].as_str().unwrap().contains("Rate limit"));
            assert!(
                r.headers["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
                    >= 1
            );
        }
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    // Another token has its own budget.
    s.get("/cart/orders?limit=1", &key, Some(tc)).await.ok();
    // Writes have their own class.
    let r = s
        .call(
            Method::PATCH,
            "/connections",
            Some(&key),
            Some(tw),
            Some(serde_json::json!({"webhooks_disabled": false})),
        )
        .await;
    assert_eq!(r.headers["x-ratelimit-limit"], "2");
});

both!(
    a_created_date_range_walks_in_created_order_without_gaps,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let sb = f.sandbox("wms").await;
        let t = sb["access_token"].as_str().unwrap();
        let s = &f.server;
        let all = s.get("/wms/orders", &f.key, Some(t)).await.ok()["data"]
            .as_array()
            .unwrap()
            .clone();
        let mut dates: Vec<String> = all
            .iter()
            .map(|o| o["created_date"].as_str().unwrap().to_string())
            .collect();
        dates.sort();
        let (lo, hi) = (
            dates[dates.len() / 4].clone(),
            dates[dates.len() * 3 / 4].clone(),
        );
        let filter = format!("created_date[gte]={lo}&created_date[lte]={hi}&status[nin]=cancelled");
        let expected: HashSet<String> = all
            .iter()
            .filter(|o| {
                let c = o["created_date"].as_str().unwrap();
                c >= lo.as_str() && c <= hi.as_str() && o["status"] != "cancelled"
            })
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect();
        let mut seen = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let url = match &next {
                Some(p) => format!("/wms/orders?limit=7&{filter}&page_token={p}"),
                None => format!("/wms/orders?limit=7&{filter}"),
            };
            let v = s.get(&url, &f.key, Some(t)).await.ok();
            for r in v["data"].as_array().unwrap() {
                seen.push((
                    r["created_date"].as_str().unwrap().to_string(),
                    r["id"].as_str().unwrap().to_string(),
                ));
            }
            match v["next_token"].as_str() {
                Some(p) => next = Some(p.to_string()),
                None => break,
            }
        }
        let ids: HashSet<String> = seen.iter().map(|(_, id)| id.clone()).collect();
        assert_eq!(ids.len(), seen.len(), "no record twice");
        assert_eq!(ids, expected);
        assert!(
            seen.windows(2).all(|w| w[0].0 <= w[1].0),
            "pages come in created-date order"
        );
    }
);
