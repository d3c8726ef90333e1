//! Lenient readers of vendor JSON shared by the cart connectors: vendors send ids as
//! numbers or strings, money as strings, and nulls anywhere, so every reader returns an
//! `Option` and normalization never panics on a shape it did not expect.

use chrono::{NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

/// A string member, or a number rendered as text; empty strings count as absent.
pub fn text(v: &Value, key: &str) -> Option<String> {
    as_text(v.get(key)?)
}

/// A scalar as text (ids arrive as numbers or strings).
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A money or decimal member: strings like `"12.50"` or numbers.
pub fn money(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// An integer member (numbers or numeric strings).
pub fn int(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean member.
pub fn boolean(v: &Value, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

/// An array member, empty when absent.
pub fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A timestamp normalized to the wire shape. Offsets and fractions are accepted; a time
/// without a zone (WooCommerce's `_gmt` fields) is read as UTC.
pub fn time(v: &Value, key: &str) -> Option<String> {
    let s = v.get(key)?.as_str()?.trim();
    if let Some(t) = waybill_model::time::normalize(s) {
        return Some(t);
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    Some(waybill_model::time::fmt(Utc.from_utc_datetime(&naive)))
}

/// The later of two wire timestamps (they compare as text).
pub fn later(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a >= b { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// `first last`, trimmed; `None` when both are empty.
pub fn full_name(v: &Value, first: &str, last: &str) -> Option<String> {
    let n = format!(
        "{} {}",
        text(v, first).unwrap_or_default(),
        text(v, last).unwrap_or_default()
    );
    let n = n.trim();
    (!n.is_empty()).then(|| n.to_string())
}

/// Copies the listed members that are present and not null into `out`.
pub fn keep(out: &mut serde_json::Map<String, Value>, v: &Value, keys: &[&str]) {
    for k in keys {
        if let Some(x) = v.get(*k).filter(|x| !x.is_null()) {
            out.insert((*k).to_string(), x.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_accept_vendor_shapes() {
        let v = json!({"id": 12, "p": "3.50", "q": "7", "t": "2024-05-01T10:00:00-04:00",
                       "g": "2024-05-01T10:00:00", "bad": "soon", "e": ""});
        assert_eq!(text(&v, "id").as_deref(), Some("12"));
        assert_eq!(text(&v, "e"), None);
        assert_eq!(money(&v, "p"), Some(3.5));
        assert_eq!(int(&v, "q"), Some(7));
        assert_eq!(time(&v, "t").as_deref(), Some("2024-05-01T14:00:00Z"));
        assert_eq!(time(&v, "g").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(time(&v, "bad"), None);
    }
}
