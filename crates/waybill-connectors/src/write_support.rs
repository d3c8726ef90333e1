//! Helpers every connector's write path shares: decoding a body into a variant type,
//! refusing a write as a client error, cleaning request bodies and converting units. They
//! sit here rather than in one connector so that no connector borrows another's internals.

use serde::de::DeserializeOwned;
use serde_json::Value;
use waybill_connect::ConnectorError;
use waybill_model::writes::base::{LengthUnit, WeightUnit};

/// A write the vendor would refuse anyway: a permanent client error (422) with `message`,
/// so callers get the reason without a vendor round trip.
pub fn invalid(message: impl Into<String>) -> ConnectorError {
    ConnectorError::Permanent {
        message: message.into(),
        status: Some(422),
    }
}

/// Decodes a body that passed the schema into a variant type; when it still does not fit,
/// that is a client error saying `invalid body: …` (the fulfillment connectors' wording).
pub fn decode<T: DeserializeOwned>(body: &Value) -> Result<T, ConnectorError> {
    from_body(body, "invalid body: ")
}

/// Like [`decode`], but the error carries serde's message alone (the cart connectors'
/// wording, which callers already see).
pub fn parse<T: DeserializeOwned>(body: &Value) -> Result<T, ConnectorError> {
    from_body(body, "")
}

fn from_body<T: DeserializeOwned>(body: &Value, prefix: &str) -> Result<T, ConnectorError> {
    serde_json::from_value(body.clone()).map_err(|e| invalid(format!("{prefix}{e}")))
}

/// Drops `null` members of objects, recursively: vendor schemas mark most members
/// non-nullable, while the bodies are built with every optional member in place.
pub fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// A length in inches, the unit US fulfillment APIs take; lengths without a unit are
/// taken as inches already.
pub fn inches(v: f64, u: Option<LengthUnit>) -> f64 {
    match u {
        Some(LengthUnit::Cm) => v / 2.54,
        _ => v,
    }
}

/// A weight in ounces (ShipBob's unit); weights without a unit are taken as ounces.
pub fn ounces(v: f64, u: Option<WeightUnit>) -> f64 {
    match u {
        Some(WeightUnit::Kg) => v * 35.273_962,
        Some(WeightUnit::Lb) => v * 16.0,
        _ => v,
    }
}

/// A weight in pounds (ShipMonk's unit); weights without a unit are taken as pounds.
pub fn pounds(v: f64, u: Option<WeightUnit>) -> f64 {
    match u {
        Some(WeightUnit::Kg) => v * 2.204_622_6,
        Some(WeightUnit::Oz) => v / 16.0,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strip_nulls_drops_null_members_at_every_depth() {
        let v = json!({"a": null, "b": [{"c": null, "d": 1}, null], "e": {"f": null}});
        assert_eq!(strip_nulls(v), json!({"b": [{"d": 1}, null], "e": {}}));
    }

    #[test]
    fn decode_errors_are_client_errors() {
        let e = decode::<i64>(&json!("x")).unwrap_err();
        assert!(
            matches!(e, ConnectorError::Permanent { status: Some(422), ref message }
            if message.starts_with("invalid body: "))
        );
        let e = parse::<i64>(&json!("x")).unwrap_err();
        assert!(
            matches!(e, ConnectorError::Permanent { status: Some(422), ref message }
            if !message.starts_with("invalid body"))
        );
    }
}
