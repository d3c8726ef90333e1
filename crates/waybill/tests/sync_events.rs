//! Change detection as subscribers see it: a simulated fulfilment fires `order.updated` with
//! `previous_attributes` as dot paths and `order.shipment.created` with the shipments before;
//! the historical sync fires no resource events but `connection.created` and
//! `connection.historical-sync-completed`; `webhooks_disabled` silences resource events.

mod common;
mod webhook_support;

use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use webhook_support::receiver::{verify, Receiver};
use webhook_support::*;

fn types(hits: &[webhook_support::receiver::Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| {
            h.json()["event_type"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

both!(
    fulfilment_fires_updated_and_shipment_events_with_previous_attributes,
    |b| async move {
        let Some(st) = setup(b, &[]).await else {
            return;
        };
        let (s, key) = (&st.server, st.key.as_str());
        let rx = Receiver::ok().await;
        let ep = endpoint(s, key, json!({"url": rx.url})).await;
        let secret = ep["secret"].as_str().unwrap().to_string();
        let sb = s
            .post("/sandbox/generate-sandbox/wms", key, None, Value::Null)
            .await
            .ok();
        let token = sb["access_token"].as_str().unwrap();
        // The sandbox's creation and historical sync: admin events only.
        let hits = rx.wait_for(1, Duration::from_secs(30)).await;
        let got = types(&hits);
        assert!(got.contains(&"connection.created".to_string()), "{got:?}");
        let created = hits
            .iter()
            .find(|h| h.json()["event_type"] == "connection.created")
            .unwrap()
            .json();
        assert_eq!(created["data"]["access_token"], sb["access_token"]);
        let orders = s
            .get("/wms/orders?status=open&limit=1", key, Some(token))
            .await
            .ok();
        let order = orders["data"][0].clone();
        let id = order["id"].as_str().unwrap();
        let before = rx.hits().len();
        s.call(
            Method::PUT,
            &format!("/sandbox/simulate/orders/{id}/fulfill"),
            Some(key),
            None,
            None,
        )
        .await
        .ok();
        let hits = eventually(Duration::from_secs(30), "order events", || async {
            let h = rx.hits();
            let t = types(&h[before..]);
            (t.contains(&"order.updated".to_string())
                && t.contains(&"order.shipment.created".to_string()))
            .then_some(h)
        })
        .await;
        let all = types(&hits);
        assert!(
            !all.iter().any(|t| t == "order.created"),
            "no resource events from the historical sync: {all:?}"
        );
        assert!(
            all.iter()
                .any(|t| t == "connection.historical-sync-completed"),
            "{all:?}"
        );
        let updated = hits
            .iter()
            .find(|h| h.json()["event_type"] == "order.updated")
            .unwrap();
        assert!(verify(&secret, updated));
        let u = updated.json();
        assert_eq!(u["connection_id"], sb["connection_id"]);
        assert_eq!(u["integration_name"], "sandbox");
        assert_eq!(u["integration_type"], "wms");
        assert_eq!(u["data"]["id"], id);
        assert_eq!(u["data"]["status"], "fulfilled");
        assert_eq!(u["previous_attributes"]["status"], "open");
        assert!(
            u["previous_attributes"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with("line_items.")),
            "dot paths into arrays: {}",
            u["previous_attributes"]
        );
        let shipment = hits
            .iter()
            .find(|h| h.json()["event_type"] == "order.shipment.created")
            .unwrap()
            .json();
        assert_eq!(
            shipment["previous_attributes"]["shipments"],
            order["shipments"]
        );
    }
);

both!(
    webhooks_disabled_silences_resource_events_only,
    |b| async move {
        let Some(st) = setup(b, &[]).await else {
            return;
        };
        let (s, key) = (&st.server, st.key.as_str());
        let rx = Receiver::ok().await;
        endpoint(s, key, json!({"url": rx.url})).await;
        let sb = s
            .post("/sandbox/generate-sandbox/wms", key, None, Value::Null)
            .await
            .ok();
        let token = sb["access_token"].as_str().unwrap();
        s.call(
            Method::PATCH,
            "/connections",
            Some(key),
            Some(token),
            Some(json!({"webhooks_disabled": true})),
        )
        .await
        .ok();
        let orders = s
            .get("/wms/orders?status=open&limit=2", key, Some(token))
            .await
            .ok();
        let first = orders["data"][0]["id"].as_str().unwrap().to_string();
        s.call(
            Method::PUT,
            &format!("/sandbox/simulate/orders/{first}/fulfill"),
            Some(key),
            None,
            None,
        )
        .await
        .ok();
        // The change is synced (the stored copy moves) but announces nothing.
        eventually(Duration::from_secs(30), "the synced change", || async {
            let o = s
                .get(&format!("/wms/orders/{first}"), key, Some(token))
                .await
                .ok();
            (o["data"]["status"] == "fulfilled").then_some(())
        })
        .await;
        // Re-enable and change another order: now its events arrive, and the first's never did.
        s.call(
            Method::PATCH,
            "/connections",
            Some(key),
            Some(token),
            Some(json!({"webhooks_disabled": false})),
        )
        .await
        .ok();
        let second = orders["data"][1]["id"].as_str().unwrap().to_string();
        s.call(
            Method::PUT,
            &format!("/sandbox/simulate/orders/{second}/fulfill"),
            Some(key),
            None,
            None,
        )
        .await
        .ok();
        let hits = eventually(
            Duration::from_secs(30),
            "the second order's event",
            || async {
                let h = rx.hits();
                h.iter()
                    .any(|x| {
                        x.json()["event_type"] == "order.updated"
                            && x.json()["data"]["id"] == second.as_str()
                    })
                    .then_some(h)
            },
        )
        .await;
        assert!(
            !hits.iter().any(|x| x.json()["data"]["id"] == first.as_str()
                && x.json()["event_type"] == "order.updated")
        );
    }
);
