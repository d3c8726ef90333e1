//! One connection's Shopify client: the base URL from the shop domain (or the `base_url`
//! credential), the access-token header, and every call paced by the connection's bucket.

use super::throttle::{Throttle, MAX_INLINE_WAIT};
use crate::http::VendorHttp;
use reqwest::Method;
use serde_json::Value;
use std::hash::{Hash, Hasher};
use waybill_connect::{ConnectorError, Credentials};

/// The Admin REST version this connector speaks.
pub const API_VERSION: &str = "2025-01";

/// A Shopify client for one call's credentials.
pub struct ShopifyClient<'a> {
    /// The shared HTTP client with the token header.
    pub http: VendorHttp,
    /// The shop's handle (`acme` of `acme.myshopify.com`), for admin links.
    pub shop: String,
    /// The shop's host root, where the unversioned OAuth endpoints live (or the
    /// `base_url` override).
    oauth: VendorHttp,
    key: String,
    throttle: &'a Throttle,
}

/// The shop handle of a `shop` credential: accepts `acme`, `acme.myshopify.com` or a URL.
pub fn shop_handle(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    let s = s
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let s = s.split('/').next().unwrap_or_default();
    let s = s.trim_end_matches(".myshopify.com");
    let ok =
        !s.is_empty() && s.len() <= 100 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    ok.then(|| s.to_string())
}

impl<'a> ShopifyClient<'a> {
    /// A client for these credentials; a missing or malformed shop or token is an auth
    /// error the customer can fix in the Link form.
    pub fn new(creds: &Credentials, throttle: &'a Throttle) -> Result<Self, ConnectorError> {
        let shop = creds.get_str("shop").and_then(shop_handle).ok_or_else(|| {
            ConnectorError::Auth("The shop domain must look like your-store.myshopify.com.".into())
        })?;
        let token = creds
            .get_str("access_token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ConnectorError::Auth("An Admin API access token is required.".into()))?;
        let default = format!("https://{shop}.myshopify.com/admin/api/{API_VERSION}");
        let http = VendorHttp::new(creds, &default).header("X-Shopify-Access-Token", token);
        let oauth = VendorHttp::new(creds, &format!("https://{shop}.myshopify.com"))
            .header("X-Shopify-Access-Token", token);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        token.hash(&mut h);
        let key = format!("{}#{:x}", http.base(), h.finish());
        Ok(Self {
            http,
            shop,
            oauth,
            key,
            throttle,
        })
    }

    /// Waits for room in the connection's bucket; a long wait is handed back to the sync
    /// engine as a rate limit instead of holding a worker.
    async fn pace(&self) -> Result<(), ConnectorError> {
        let wait = self.throttle.reserve(&self.key);
        if wait > MAX_INLINE_WAIT {
            return Err(ConnectorError::RateLimited {
                retry_after: Some(wait),
            });
        }
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }

    /// Sends a call under the bucket and decodes its JSON.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, ConnectorError> {
        self.pace().await?;
        let mut rb = self.http.request(method, path);
        if !query.is_empty() {
            rb = rb.query(query);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb.send().await.map_err(crate::http::transport)?;
        if let Some(h) = resp
            .headers()
            .get("x-shopify-shop-api-call-limit")
            .and_then(|v| v.to_str().ok())
        {
            self.throttle.observe(&self.key, h);
        }
        let resp = crate::http::check(resp).await?;
        let text = resp.text().await.map_err(crate::http::transport)?;
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| {
            ConnectorError::Transient(format!("Shopify answered with invalid JSON: {e}"))
        })
    }

    /// `GET path?query`.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, ConnectorError> {
        self.send(Method::GET, path, query, None).await
    }

    /// The access scopes of the token (`/admin/oauth/access_scopes.json`, outside the
    /// versioned API path on the shop's own host).
    pub async fn access_scopes(&self) -> Result<Value, ConnectorError> {
        self.pace().await?;
        let rb = self
            .oauth
            .request(Method::GET, "/admin/oauth/access_scopes.json");
        let resp = rb.send().await.map_err(crate::http::transport)?;
        let resp = crate::http::check(resp).await?;
        resp.json::<Value>().await.map_err(|e| {
            ConnectorError::Transient(format!("Shopify answered with invalid JSON: {e}"))
        })
    }

    /// Forwards a passthrough call under the connection's bucket.
    pub async fn passthrough(
        &self,
        req: &waybill_connect::PassthroughRequest,
    ) -> Result<waybill_connect::PassthroughResponse, ConnectorError> {
        self.pace().await?;
        let r = self.http.passthrough(req).await?;
        if let Some(h) = r
            .headers
            .get("x-shopify-shop-api-call-limit")
            .and_then(Value::as_str)
        {
            self.throttle.observe(&self.key, h);
        }
        Ok(r)
    }

    /// A link into the shop's admin.
    pub fn admin_url(&self, what: &str, id: &str) -> String {
        format!("https://admin.shopify.com/store/{}/{what}/{id}", self.shop)
    }
}
