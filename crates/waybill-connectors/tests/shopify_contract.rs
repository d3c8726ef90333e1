//! Shopify against Prism serving the Admin REST spec: every read and write must be a
//! request the spec accepts (strict), and random valid answers (dynamic) must normalize
//! without panics or silent drops.

#[path = "support/contract.rs"]
mod contract;
#[path = "support/prism.rs"]
mod prism;
#[path = "support/pull.rs"]
mod pull;

use contract::{pull_all, received, refused_requests};
use prism::{Mode, Prism};
use serde_json::json;
use waybill_connect::{Connector, Credentials, WriteRequest};
use waybill_connectors::shopify::ShopifyConnector;

const SPEC: &str = "shopify/shopify-admin-rest-api-openapi.yml";

fn creds(url: &str) -> Credentials {
    let mut c = Credentials::default();
    c.0.insert("shop".into(), json!("northbound-goods.myshopify.com"));
    c.0.insert("access_token".into(), json!("shpat_test"));
    c.0.insert("base_url".into(), json!(url));
    c
}

#[tokio::test]
async fn every_call_is_valid_by_the_shopify_spec() {
    let Some(prism) = Prism::start(SPEC, Mode::Strict) else {
        return;
    };
    let c = ShopifyConnector::new();
    let creds = creds(&prism.url);
    let v = c
        .validate(&creds)
        .await
        .expect("validates against the mock");
    assert!(v.me.contains_key("shop"));
    for f in ["get_orders", "get_products", "get_warehouses"] {
        pull_all(&c, &creds, f).await;
    }
    // Writes: whatever ids the mock answers with, the requests must satisfy the spec.
    let products = pull_all(&c, &creds, "get_products").await;
    let variant = products
        .iter()
        .find(|p| p["id"] != p["parent_product_id"])
        .cloned()
        .unwrap_or_else(|| json!({"id": "0", "parent_product_id": "0"}));
    let adjust = WriteRequest {
        function: "adjust_inventory".into(),
        id: variant["id"].as_str().map(str::to_string),
        body: json!({"quantity": 3, "adjustment_type": "increase", "warehouse_id": "61001", "reason": "received"}),
        current: Some(variant.clone()),
        file: None,
    };
    let out = c.write(&creds, &adjust).await.expect("adjust_inventory");
    assert!(!out.records.is_empty());
    let ship = WriteRequest {
        function: "create_order_shipment".into(),
        id: Some("5512340001".into()),
        body: json!({"tracking_number": "1Z999", "tracking_url": "https://ups.example/1Z999",
                     "shipping_groups": [{"shipping_group_id": "0"}]}),
        current: None,
        file: None,
    };
    let out = c.write(&creds, &ship).await.expect("create_order_shipment");
    assert!(!out.records.is_empty());
    for call in [
        "get /shop.json",
        "get /admin/oauth/access_scopes.json",
        "get /orders.json",
        "get /products.json",
        "get /inventory_levels.json",
        "get /locations.json",
        "post /inventory_levels/set.json",
        "post /fulfillments.json",
    ] {
        assert!(received(&prism, call), "{call} never reached the mock");
    }
    let violations = refused_requests(&prism);
    assert!(
        violations.is_empty(),
        "requests violate the Shopify spec:\n{}",
        violations.join("\n")
    );
}

#[tokio::test]
async fn random_valid_answers_normalize_without_loss() {
    let Some(prism) = Prism::start(SPEC, Mode::Dynamic) else {
        return;
    };
    let c = ShopifyConnector::new();
    let creds = creds(&prism.url);
    for _ in 0..5 {
        for f in ["get_orders", "get_products", "get_warehouses"] {
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
    // Prism's schema-valid ids are never absent, so nothing may have been skipped.
    assert_eq!(c.skipped(), 0);
    let violations = refused_requests(&prism);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
