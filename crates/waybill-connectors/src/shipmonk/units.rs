//! ShipMonk's measurement objects (`{value, unit}` with kg/g/lb/oz and m/cm/mm/ft/in) in
//! Waybill's units (kg/oz/lb and cm/in): grams become kilograms, metres and millimetres
//! centimetres, feet inches; the rest pass through.

use crate::values::{num, text};
use serde_json::Value;
use waybill_model::records::Measurements;

/// A weight object at `path` as `(value, unit)` in a canonical unit.
pub fn weight(v: &Value, path: &str) -> Option<(f64, String)> {
    let value = num(v, &format!("{path}/value"))?;
    let unit = text(v, &format!("{path}/unit"))?;
    Some(match unit.as_str() {
        "g" => (value / 1000.0, "kg".into()),
        "kg" | "lb" | "oz" => (value, unit),
        _ => return None,
    })
}

/// A dimensions object at `path` (`length`/`width`/`height` + `unit`) with a weight object at
/// `weight_path` as canonical measurements.
pub fn measurements(v: &Value, path: &str, weight_path: &str) -> Measurements {
    let unit = text(v, &format!("{path}/unit"));
    let (factor, canonical) = match unit.as_deref() {
        Some("cm") => (1.0, Some("cm")),
        Some("mm") => (0.1, Some("cm")),
        Some("m") => (100.0, Some("cm")),
        Some("in") => (1.0, Some("in")),
        Some("ft") => (12.0, Some("in")),
        _ => (1.0, None),
    };
    let dim = |k: &str| canonical.and(num(v, &format!("{path}/{k}")).map(|x| round(x * factor)));
    let w = weight(v, weight_path);
    Measurements {
        length: dim("length"),
        width: dim("width"),
        height: dim("height"),
        unit: dim("length").and(canonical.map(str::to_string)),
        weight: w.as_ref().map(|(x, _)| round(*x)),
        weight_unit: w.map(|(_, u)| u),
    }
}

/// Six decimals: enough for any unit conversion, stable in snapshots.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
