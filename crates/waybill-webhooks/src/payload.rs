//! Oversized events: a body over the limit goes out with `data` reduced to `{"id": …}`,
//! `data_truncated: true` and a `data_url` where the receiver fetches the full event with its
//! API key.

use serde_json::{json, Value};

/// The route of `data_url`, below the server's public URL.
pub fn data_path(msg_id: &str) -> String {
    format!("/webhooks/messages/{msg_id}/data")
}

/// The body to send for an event envelope: the envelope itself when it fits in `max` bytes,
/// else its truncated form. `previous_attributes` is dropped too when even the truncated
/// body would not fit (the full event stays available at `data_url`).
pub fn body_for(payload: &str, msg_id: &str, public_url: &str, max: usize) -> String {
    if payload.len() <= max {
        return payload.to_string();
    }
    let Ok(Value::Object(mut env)) = serde_json::from_str::<Value>(payload) else {
        // Not an envelope Waybill wrote; send it as stored rather than invent one.
        return payload.to_string();
    };
    let id = env
        .get("data")
        .and_then(|d| d.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    env.insert("data".into(), json!({ "id": id }));
    env.insert("data_truncated".into(), Value::Bool(true));
    env.insert(
        "data_url".into(),
        Value::String(format!("{public_url}{}", data_path(msg_id))),
    );
    let body = Value::Object(env.clone()).to_string();
    if body.len() <= max {
        return body;
    }
    env.remove("previous_attributes");
    Value::Object(env).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_events_pass_through_and_large_ones_are_truncated() {
        let small = r#"{"event_type":"order.created","data":{"id":"o1"}}"#;
        assert_eq!(body_for(small, "msg_1", "http://w", 1000), small);
        let big = json!({"event_type": "order.created", "connection_id": "c", "data": {"id": "o1", "blob": "x".repeat(2000)}, "previous_attributes": {"blob": "y".repeat(2000)}}).to_string();
        let out: Value = serde_json::from_str(&body_for(&big, "msg_1", "http://w", 1000)).unwrap();
        assert_eq!(out["data"], json!({"id": "o1"}));
        assert_eq!(out["data_truncated"], true);
        assert_eq!(out["data_url"], "http://w/webhooks/messages/msg_1/data");
        assert_eq!(out["connection_id"], "c");
        assert!(out.get("previous_attributes").is_none());
    }
}
