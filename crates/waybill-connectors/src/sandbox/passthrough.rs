//! The simulated system's own HTTP API, for passthrough (SPEC §14): a few read routes over
//! the sandbox's data, answered in process, so passthrough can be tried without a vendor.
//!
//! Routes: `GET /v1/orders/{id}`, `GET /v1/products/{id}`, `GET /v1/inventory/{id}` (WMS),
//! `GET /v1/orders/{id}` and `GET /v1/products/{id}` (cart), `GET /v1/ping`. Anything else
//! answers as a vendor would: 404 or 405, wrapped like every passthrough reply.

use super::SandboxConnector;
use serde_json::{json, Map, Value};
use waybill_connect::{ConnectorError, Credentials, PassthroughRequest, PassthroughResponse};

/// The simulated API's base URL; nothing listens there, the sandbox answers in process.
pub const BASE_URL: &str = "https://api.sandbox.waybill.invalid";

fn reply(status: u16, body: Value) -> PassthroughResponse {
    let mut headers = Map::new();
    headers.insert("content-type".into(), json!("application/json"));
    PassthroughResponse {
        status_code: status,
        headers,
        body,
    }
}

impl SandboxConnector {
    /// Answers a passthrough call from the simulated system's data.
    pub async fn answer_passthrough(
        &self,
        creds: &Credentials,
        req: &PassthroughRequest,
    ) -> Result<PassthroughResponse, ConnectorError> {
        Self::check_key(creds)?;
        let spec = Self::spec(creds)?;
        let path = req.path.split('?').next().unwrap_or_default();
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        if !req.method.eq_ignore_ascii_case("GET") {
            return Ok(reply(
                405,
                json!({"message": "The sandbox API is read-only."}),
            ));
        }
        let function = match parts.as_slice() {
            ["v1", "ping"] => {
                return Ok(reply(
                    200,
                    json!({"ok": true, "integration": self.descriptor.display_name}),
                ))
            }
            ["v1", "orders", _] => "get_orders",
            ["v1", "products", _] => "get_products",
            ["v1", "inventory", _]
                if self.descriptor.integration_type == waybill_model::IntegrationType::Wms =>
            {
                "get_inventory"
            }
            _ => return Ok(reply(404, json!({"message": format!("No route {path}.")}))),
        };
        match self.current(&spec, function, parts[2]).await {
            Ok(doc) => Ok(reply(200, doc)),
            Err(super::simulate::SimError::NotFound(id)) => {
                Ok(reply(404, json!({"message": format!("{id} not found.")})))
            }
            Err(e) => Err(ConnectorError::Transient(format!("{e:?}"))),
        }
    }
}
