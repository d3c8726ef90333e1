//! One connection's WooCommerce client: `{store}/wp-json/wc/v3` (or the `base_url`
//! credential) with the consumer key and secret as HTTP Basic over HTTPS.

use crate::http::VendorHttp;
use base64::Engine;
use reqwest::Method;
use serde_json::Value;
use waybill_connect::{ConnectorError, Credentials};

/// A WooCommerce client for one call's credentials.
pub struct WooClient {
    /// The shared HTTP client with the Basic auth header.
    pub http: VendorHttp,
    /// The store's root URL, for admin links.
    pub store: String,
}

/// The store root of a `store_url` credential: `https://` is assumed; plain `http://` is
/// refused because Basic auth would travel in clear text.
pub fn store_root(raw: &str) -> Result<String, ConnectorError> {
    let s = raw.trim().trim_end_matches('/');
    if s.is_empty() {
        return Err(ConnectorError::Auth("The store URL is required.".into()));
    }
    if s.to_ascii_lowercase().starts_with("http://") {
        return Err(ConnectorError::Auth(
            "The store URL must use HTTPS: WooCommerce keys are sent with HTTP Basic auth.".into(),
        ));
    }
    let s = if s.to_ascii_lowercase().starts_with("https://") {
        s.to_string()
    } else {
        format!("https://{s}")
    };
    Ok(s)
}

impl WooClient {
    /// A client for these credentials.
    pub fn new(creds: &Credentials) -> Result<Self, ConnectorError> {
        let store = store_root(creds.get_str("store_url").unwrap_or_default())?;
        let key = creds
            .get_str("consumer_key")
            .map(str::trim)
            .unwrap_or_default();
        let secret = creds
            .get_str("consumer_secret")
            .map(str::trim)
            .unwrap_or_default();
        if key.is_empty() || secret.is_empty() {
            return Err(ConnectorError::Auth(
                "A consumer key and consumer secret are required.".into(),
            ));
        }
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
        let http = VendorHttp::new(creds, &format!("{store}/wp-json/wc/v3"))
            .header("Authorization", format!("Basic {basic}"));
        Ok(Self { http, store })
    }

    /// Sends a call and decodes its JSON with the response headers (paging totals).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<(Value, reqwest::header::HeaderMap), ConnectorError> {
        let mut rb = self.http.request(method, path);
        if !query.is_empty() {
            rb = rb.query(query);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        self.http.json(rb).await
    }

    /// `GET path?query`.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, ConnectorError> {
        Ok(self.send(Method::GET, path, query, None).await?.0)
    }
}
