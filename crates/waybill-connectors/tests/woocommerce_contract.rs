//! WooCommerce against Prism serving the wc/v3 spec: every read and write must be a
//! request the spec accepts (strict), and random valid answers (dynamic) must normalize
//! without panics or silent drops.

#[path = "support/prism.rs"]
mod prism;

use chrono::{TimeZone, Utc};
use prism::{Mode, Prism};
use serde_json::{json, Value};
use waybill_connect::{Connector, Credentials, PullRequest, WriteRequest};
use waybill_connectors::woocommerce::WooCommerceConnector;

const SPEC: &str = "woocommerce/woocommerce-openapi-3.0.x.yml";

/// Prism's own report lines of refused requests. Prism 5 prints `Violation: request.…`
/// and `Request terminated with error`, which `Prism::violations` does not match, so the
/// contract check reads the log itself.
fn refused_requests(p: &Prism) -> Vec<String> {
    p.log()
        .into_iter()
        .filter(|l| {
            l.contains("Violation")
                || l.contains("violation")
                || l.contains("Request terminated with error")
        })
        .collect()
}

/// Whether Prism received `method path` (lower-case method, as Prism logs it).
fn received(p: &Prism, call: &str) -> bool {
    p.log()
        .iter()
        .any(|l| l.contains(&format!("] {call} ")) && l.contains("Request received"))
}

fn creds(url: &str) -> Credentials {
    let mut c = Credentials::default();
    c.0.insert("store_url".into(), json!("https://shop.example"));
    c.0.insert("consumer_key".into(), json!("ck_test"));
    c.0.insert("consumer_secret".into(), json!("cs_test"));
    c.0.insert("base_url".into(), json!(url));
    c
}

async fn pull_all(c: &WooCommerceConnector, creds: &Credentials, f: &str) -> Vec<Value> {
    let mut req = PullRequest {
        function: f.into(),
        since: Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
        until: Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap(),
        cursor: None,
        page_size: 50,
    };
    let mut out = Vec::new();
    for _ in 0..20 {
        let page = c
            .pull(creds, &req)
            .await
            .unwrap_or_else(|e| panic!("{f}: {e:?}"));
        out.extend(page.records);
        match page.next_cursor {
            Some(n) => req.cursor = Some(n),
            None => break,
        }
    }
    out
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
