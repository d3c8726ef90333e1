//! Small readers over vendor JSON shared by every connector's mapping tables: vendors send
//! ids as numbers or strings, dates with offsets and fractions, and nulls anywhere, so the
//! mappings read through these instead of trusting the shape.

use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// The value at a `/`-separated path (`"recipient/address/city"`), `None` when absent or null.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for seg in path.split('/') {
        cur = cur.get(seg)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// Text at a path: strings as they are, numbers and booleans printed (vendor ids are often
/// numbers), empty strings as absent.
pub fn text(v: &Value, path: &str) -> Option<String> {
    match at(v, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number at a path, also when sent as text.
pub fn num(v: &Value, path: &str) -> Option<f64> {
    match at(v, path)? {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// An integer at a path (fractions truncated, out-of-range values absent).
pub fn int(v: &Value, path: &str) -> Option<i64> {
    match at(v, path)? {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A boolean at a path.
pub fn flag(v: &Value, path: &str) -> Option<bool> {
    at(v, path)?.as_bool()
}

/// A vendor time at a path in the wire shape; `None` when absent or not a time.
/// Besides RFC 3339, the space-separated `2025-07-24 14:53:00` and bare dates some vendors
/// send are read as UTC.
pub fn date(v: &Value, path: &str) -> Option<String> {
    let s = text(v, path)?;
    waybill_model::time::normalize(&s).or_else(|| {
        let s = s.trim();
        naive_utc(s, &["%Y-%m-%d %H:%M:%S"]).or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| {
                    waybill_model::time::fmt(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
                })
        })
    })
}

/// A cart timestamp at a path in the wire shape; `None` when absent or not a time.
/// Unlike [`date`], it reads only strings and, besides RFC 3339, takes zoneless
/// `2024-05-01T10:00:00` times (WooCommerce's `_gmt` fields, optionally with a fraction)
/// and the space-separated form as UTC, but no bare dates: the cart connectors relied on
/// exactly that set before the readers were merged.
pub fn time(v: &Value, path: &str) -> Option<String> {
    let s = at(v, path)?.as_str()?.trim();
    waybill_model::time::normalize(s).or_else(|| {
        naive_utc(
            s,
            &[
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S",
            ],
        )
    })
}

/// Reads a zoneless time in the first of `formats` that fits as UTC, in the wire shape:
/// the fallback both [`date`] and [`time`] use after RFC 3339.
fn naive_utc(s: &str, formats: &[&str]) -> Option<String> {
    formats
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| waybill_model::time::fmt(t.and_utc()))
}

/// The array at a path, empty when absent.
pub fn list<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The latest of some wire-shape times (their text order is time order).
pub fn latest<I: IntoIterator<Item = Option<String>>>(dates: I) -> Option<String> {
    dates.into_iter().flatten().max()
}

/// A scalar as text, for values reached without a path (array items, metadata values):
/// strings as they are and numbers printed, empty strings and booleans absent, as the
/// cart connectors read tracking numbers and order metadata.
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `first last` from two members, trimmed; `None` when both are empty. Carts split
/// customer names in two while the canonical address holds one name.
pub fn full_name(v: &Value, first: &str, last: &str) -> Option<String> {
    let n = format!(
        "{} {}",
        text(v, first).unwrap_or_default(),
        text(v, last).unwrap_or_default()
    );
    let n = n.trim();
    (!n.is_empty()).then(|| n.to_string())
}

/// Copies the named members of a vendor object that have no canonical home into
/// `additional_fields`, skipping nulls.
pub fn keep(v: &Value, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| {
            v.get(*k)
                .filter(|x| !x.is_null())
                .map(|x| (k.to_string(), x.clone()))
        })
        .collect()
}

/// A canonical record as JSON; the typed records always serialize.
pub fn to_json<T: serde::Serialize>(record: &T) -> Value {
    serde_json::to_value(record).expect("canonical records serialize")
}

/// Sets members a vendor never dates to `null` rather than inventing a time.
pub fn undated(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        for k in ["created_date", "updated_date"] {
            if m.get(k).and_then(Value::as_str) == Some("") {
                m.insert(k.into(), Value::Null);
            }
        }
    }
    v
}

/// Vendor records that could not be normalized (no id): each is logged with
/// `tracing::warn` and counted here, never dropped silently.
#[derive(Debug, Default)]
pub struct Unmapped(AtomicU64);

impl Unmapped {
    /// Reports one record of `function` that could not be normalized.
    pub fn report(&self, integration: &str, function: &str, why: &str) {
        self.0.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(
            integration,
            function,
            why,
            "vendor record skipped: not normalizable"
        );
    }

    /// How many records were reported so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Maps each vendor item with `f`; items `f` cannot map (it returns `None`) are reported.
pub fn map_all<F: Fn(&Value) -> Option<Value>>(
    items: &[Value],
    unmapped: &Unmapped,
    integration: &str,
    function: &str,
    f: F,
) -> Vec<Value> {
    items
        .iter()
        .filter_map(|it| {
            let r = f(it);
            if r.is_none() {
                unmapped.report(integration, function, "the record carries no id");
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn readers_tolerate_vendor_shapes() {
        let v =
            json!({"a": {"id": 12, "s": " ", "d": "2026-01-02T03:04:05.123+01:00", "n": "3.5"}});
        assert_eq!(text(&v, "a/id").as_deref(), Some("12"));
        assert_eq!(text(&v, "a/s"), None);
        assert_eq!(date(&v, "a/d").as_deref(), Some("2026-01-02T02:04:05Z"));
        let w = json!({"s": "2025-07-24 14:53:00", "d": "2025-07-24", "x": "soon"});
        assert_eq!(date(&w, "s").as_deref(), Some("2025-07-24T14:53:00Z"));
        assert_eq!(date(&w, "d").as_deref(), Some("2025-07-24T00:00:00Z"));
        assert_eq!(date(&w, "x"), None);
        assert_eq!(num(&v, "a/n"), Some(3.5));
        assert_eq!(int(&v, "a/missing"), None);
        assert!(list(&v, "a/none").is_empty());
    }

    #[test]
    fn cart_readers_accept_cart_shapes() {
        let v = json!({"id": 12, "p": "3.50", "q": "7", "t": "2024-05-01T10:00:00-04:00",
                       "g": "2024-05-01T10:00:00", "f": "2024-05-01T10:00:00.25",
                       "bad": "soon", "day": "2024-05-01", "e": "",
                       "first": "Ada", "last": " "});
        assert_eq!(time(&v, "t").as_deref(), Some("2024-05-01T14:00:00Z"));
        assert_eq!(time(&v, "g").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(time(&v, "f").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(time(&v, "bad"), None);
        assert_eq!(time(&v, "day"), None);
        assert_eq!(time(&v, "id"), None);
        assert_eq!(as_text(&v["id"]).as_deref(), Some("12"));
        assert_eq!(as_text(&v["e"]), None);
        assert_eq!(as_text(&json!(true)), None);
        assert_eq!(full_name(&v, "first", "last").as_deref(), Some("Ada"));
        assert_eq!(full_name(&v, "e", "missing"), None);
        assert_eq!(num(&v, "p"), Some(3.5));
        assert_eq!(int(&v, "q"), Some(7));
    }
}
