//! WooCommerce against Prism serving the wc/v3 spec: every read and write must be a
//! request the spec accepts (strict), and random valid answers (dynamic) must normalize
//! without panics or silent drops.

#[path = "support/contract.rs"]
mod contract;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/pull.rs"]
mod pull;

use chrono::{TimeZone, Utc};
use contract::{pull_all, received, refused_requests};
use prism::{Mode, Prism};
use serde_json::{json, Value};
use waybill_connect::{Connector, Credentials, PullRequest, WriteRequest};
use waybill_connectors::woocommerce::WooCommerceConnector;

const SPEC: &str = "woocommerce/woocommerce-openapi-3.0.x.yml";

fn creds(url: &str) -> Credentials {
    let mut c = Credentials::default();
    c.0.insert("store_url".into(), json!("https://shop.example"));
    c.0.insert("consumer_key".into(), json!("ck_test"));
    c.0.insert("consumer_secret".into(), json!("cs_test"));
    c.0.insert("base_url".into(), json!(url));
    c
}

fn write(function: &str, id: &str, body: Value, current: Option<Value>) -> WriteRequest {
    WriteRequest {
        function: function.into(),
        id: Some(id.into()),
        body,
        current,
        file: None,
    }
}

#[tokio::test]
async fn every_call_is_valid_by_the_woocommerce_spec() {
    let Some(prism) = Prism::start(SPEC, Mode::Strict) else {
        return;
    };
    let c = WooCommerceConnector::new();
    let creds = creds(&prism.url);
    let v = c
        .validate(&creds)
        .await
        .expect("validates against the mock");
    assert!(v.me.contains_key("store_url"));
    for f in ["get_orders", "get_products"] {
        pull_all(&c, &creds, f).await;
        // Pages of one: Prism's example fills each page in one (unreadable) modified
        // second, so the walk goes on to read that second on its own, by id with an
        // offset; Prism (`--errors`) refuses that request too if the spec does not allow it.
        let mut req = PullRequest {
            function: f.into(),
            since: Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
            until: Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap(),
            cursor: None,
            page_size: 1,
        };
        let mut modes = Vec::new();
        for _ in 0..3 {
            let page = c
                .pull(&creds, &req)
                .await
                .unwrap_or_else(|e| panic!("{f}: {e:?}"));
            let Some(next) = page.next_cursor else { break };
            let cursor: Value = serde_json::from_str(&next).unwrap();
            modes.push(cursor["walk"]["mode"].as_str().unwrap().to_string());
            req.cursor = Some(next);
        }
        assert_eq!(
            modes.first().map(String::as_str),
            Some("second"),
            "{f}: {modes:?}"
        );
        assert!(
            modes.len() >= 2,
            "{f}: the second was never read: {modes:?}"
        );
    }
    let writes = [
        write(
            "adjust_inventory",
            "95",
            json!({"quantity": 2, "adjustment_type": "increase"}),
            Some(json!({"parent_product_id": "93"})),
        ),
        write(
            "adjust_inventory",
            "101",
            json!({"quantity": 1, "adjustment_type": "decrease"}),
            None,
        ),
        write(
            "batch_adjust_inventory",
            "",
            json!({"adjustments": [{"product_id": "101", "quantity": 1, "adjustment_type": "increase"}]}),
            None,
        ),
        write(
            "create_order_shipment",
            "727",
            json!({"requested_shipping_method": "Standard", "tracking_number": "1Z1", "carrier_name": "UPS"}),
            None,
        ),
        write(
            "refund_order",
            "727",
            json!({"amount": 4.5, "reason": "Damaged", "api_refund": false}),
            None,
        ),
    ];
    for w in &writes {
        let out = c
            .write(&creds, w)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", w.function));
        assert!(!out.records.is_empty(), "{}", w.function);
    }
    for call in [
        "get /orders",
        "get /products",
        "put /products/93/variations/95",
        "put /products/101",
        "post /orders/727/notes",
        "put /orders/727",
        "post /orders/727/refunds",
    ] {
        assert!(received(&prism, call), "{call} never reached the mock");
    }
    let violations = refused_requests(&prism);
    assert!(
        violations.is_empty(),
        "requests violate the WooCommerce spec:\n{}",
        violations.join("\n")
    );
}

#[tokio::test]
async fn random_valid_answers_normalize_without_loss() {
    let Some(prism) = Prism::start(SPEC, Mode::Dynamic) else {
        return;
    };
    let c = WooCommerceConnector::new();
    let creds = creds(&prism.url);
    for _ in 0..5 {
        for f in ["get_orders", "get_products"] {
            for r in pull_all(&c, &creds, f).await {
                assert!(r["id"].as_str().is_some_and(|s| !s.is_empty()), "{f}: {r}");
                let status = r["status"].as_str().unwrap_or("open");
                assert!(
                    waybill_model::resource::CART_ORDER_STATUSES.contains(&status),
                    "{f}: {status}"
                );
            }
        }
    }
    assert_eq!(c.skipped(), 0);
    let violations = refused_requests(&prism);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
