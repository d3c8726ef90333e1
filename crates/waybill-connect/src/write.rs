//! What crosses the connector interface for writes (SPEC §12) and passthrough (SPEC §14).
//! Bodies arrive already checked against the integration's schema, with the members it
//! ignores and Waybill's own tags removed, so a connector only translates and calls.

use serde_json::{Map, Value};

/// A file attached to an order (`POST /wms/orders/{id}/file`).
#[derive(Debug, Clone, Default)]
pub struct FileUpload {
    /// The name the client gave, or the upload's own file name.
    pub file_name: Option<String>,
    /// The upload's content type.
    pub content_type: Option<String>,
    /// The bytes, when a file was uploaded.
    pub bytes: Option<Vec<u8>>,
    /// A URL to fetch the file from, when one was given instead.
    pub file_url: Option<String>,
}

/// One write.
#[derive(Debug, Clone)]
pub struct WriteRequest {
    /// The write function, e.g. `create_order`.
    pub function: String,
    /// The target record's id, for routes that name one.
    pub id: Option<String>,
    /// The checked body, as the integration's schema describes it.
    pub body: Value,
    /// Waybill's stored copy of the target, when it has one: connectors that must send whole
    /// records, or read-modify-write, start from it.
    pub current: Option<Value>,
    /// The attached file (`attach_order_file` only).
    pub file: Option<FileUpload>,
}

/// What a write did: the normalized records it produced, the target first. Waybill stores
/// them, announces them and returns the first as `data`.
#[derive(Debug, Clone, Default)]
pub struct WriteOutcome {
    /// Canonical documents of the route's resource, without `trackstar_*` fields.
    pub records: Vec<Value>,
}

/// A call to the vendor's own API on behalf of a connection (SPEC §14).
#[derive(Debug, Clone)]
pub struct PassthroughRequest {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// A path under the integration's base URL, used verbatim.
    pub path: String,
    /// Query parameters.
    pub params: Map<String, Value>,
    /// Headers merged over the ones the connector adds.
    pub headers: Map<String, Value>,
    /// JSON body for `POST`, `PUT` and `PATCH`.
    pub data: Option<Value>,
}

/// The vendor's answer to a passthrough call, wrapped as it is.
#[derive(Debug, Clone)]
pub struct PassthroughResponse {
    /// The vendor's status code.
    pub status_code: u16,
    /// The vendor's response headers.
    pub headers: Map<String, Value>,
    /// Parsed JSON, or the text when it is not JSON.
    pub body: Value,
}

/// Why a passthrough path was refused before any call.
pub fn check_passthrough_path(path: &str) -> Result<(), String> {
    let lower = path.to_ascii_lowercase();
    if !path.starts_with('/') {
        return Err(
            "Must be a path starting with \"/\", relative to the integration's API.".into(),
        );
    }
    if path.starts_with("//") || path.starts_with("/\\") {
        return Err("Must not name another host.".into());
    }
    if lower.contains("://") || path.contains('@') || path.contains('\\') {
        return Err("Must be a path, not a URL.".into());
    }
    if path.chars().any(|c| c.is_control() || c == ' ') {
        return Err("Must not contain spaces or control characters.".into());
    }
    if path.split(['/', '?']).any(|seg| {
        let s = seg.to_ascii_lowercase();
        s == ".." || s == "%2e%2e" || s == ".%2e" || s == "%2e."
    }) || lower.contains("%2f")
    {
        return Err("Must not leave the integration's API path.".into());
    }
    Ok(())
}

/// Headers a client may not set on a passthrough call: they would redirect it or break
/// the request framing.
pub fn forbidden_passthrough_header(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "host"
            | "content-length"
            | "transfer-encoding"
            | "connection"
            | "x-forwarded-host"
            | "forwarded"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_under_the_base_url() {
        assert!(check_passthrough_path("/orders?limit=5").is_ok());
        assert!(check_passthrough_path("/1.0/order/123").is_ok());
        for bad in [
            "orders",
            "//evil.example/x",
            "http://evil.example/x",
            "/x/../../admin",
            "/x/%2e%2e/admin",
            "/@evil.example",
            "/x\\..\\y",
            "/a%2Fb",
        ] {
            assert!(check_passthrough_path(bad).is_err(), "{bad}");
        }
    }
}
