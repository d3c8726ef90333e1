//! JSON Schemas of write bodies: generated from Rust types, merged base-over-variant, and
//! described as the catalogue's `write_operations` (SPEC §12.3–§12.4).
//!
//! A variant is an integration's own closed schema of one write: the base members it uses,
//! the ones it requires, and members of its own. Base members it does not declare are
//! accepted, type-checked against the base, dropped before the vendor sees them, and reported
//! in `unused_fields`.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// The schema of `T` with every subschema inlined and `Option` fields plain (nulls are
/// refused before validation by the non-null rule, so schemas need not mention them).
pub fn schema_of<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut v = generator.into_root_schema_for::<T>().to_value();
    if let Value::Object(m) = &mut v {
        m.remove("$schema");
        m.remove("title");
        m.remove("description");
    }
    tidy(&mut v);
    v
}

/// Drops what `Option` adds (`null` types, `anyOf` with `null`) and schemars' numeric
/// `format`s (`int64`, `double`), which say nothing to a client.
fn tidy(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if matches!(
                m.get("format").and_then(Value::as_str),
                Some("int64" | "double" | "uint64" | "int32" | "uint32" | "float")
            ) {
                m.remove("format");
            }
            if let Some(Value::Array(types)) = m.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    m.insert("type".into(), t);
                }
            }
            if let Some(Value::Array(e)) = m.get_mut("enum") {
                e.retain(|x| !x.is_null());
            }
            let single = m.get("anyOf").and_then(Value::as_array).and_then(|a| {
                let rest: Vec<&Value> = a
                    .iter()
                    .filter(|x| x.get("type") != Some(&Value::from("null")))
                    .collect();
                (rest.len() == 1 && a.len() == 2).then(|| rest[0].clone())
            });
            if let Some(Value::Object(inner)) = single {
                m.remove("anyOf");
                for (k, x) in inner {
                    m.insert(k, x);
                }
            }
            for (_, c) in m.iter_mut() {
                tidy(c);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(tidy),
        _ => {}
    }
}

fn props(s: &Value) -> Option<&Map<String, Value>> {
    s.get("properties").and_then(Value::as_object)
}

fn items(s: &Value) -> Option<&Value> {
    s.get("items").filter(|i| i.is_object())
}

fn required(s: &Value) -> Vec<&str> {
    s.get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The schema a body is validated against: the variant, with the base's members it lacks
/// added (so their types are still checked), closed at every level the variant is.
pub fn merged(variant: &Value, base: &Value) -> Value {
    if let (Some(vp), Some(bp)) = (props(variant), props(base)) {
        let mut out = variant.clone();
        let mut p = vp.clone();
        for (k, b) in bp {
            match vp.get(k) {
                Some(v) => {
                    p.insert(k.clone(), merged(v, b));
                }
                None => {
                    p.insert(k.clone(), b.clone());
                }
            }
        }
        out["properties"] = Value::Object(p);
        return out;
    }
    if let (Some(vi), Some(bi)) = (items(variant), items(base)) {
        let mut out = variant.clone();
        out["items"] = merged(vi, bi);
        return out;
    }
    variant.clone()
}

/// Removes from `body` the base members the variant does not declare and returns their dot
/// paths (array indexes left out, each path once), in body order.
pub fn strip_unused(body: &mut Value, variant: &Value, base: &Value) -> Vec<String> {
    let mut out = Vec::new();
    strip_into(body, variant, base, "", &mut out);
    out
}

fn strip_into(body: &mut Value, variant: &Value, base: &Value, at: &str, out: &mut Vec<String>) {
    match body {
        Value::Object(m) => {
            let (Some(vp), Some(bp)) = (props(variant), props(base)) else {
                return;
            };
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match (vp.get(&k), bp.get(&k)) {
                    (None, Some(_)) => {
                        m.remove(&k);
                        if !out.contains(&path) {
                            out.push(path);
                        }
                    }
                    (Some(v), Some(b)) => {
                        if let Some(child) = m.get_mut(&k) {
                            strip_into(child, v, b, &path, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Array(a) => {
            if let (Some(vi), Some(bi)) = (items(variant), items(base)) {
                for el in a {
                    strip_into(el, vi, bi, at, out);
                }
            }
        }
        _ => {}
    }
}

/// Every member of a schema as a dot path, with whether its parent requires it; arrays of
/// objects contribute their items' members (`line_items.quantity`).
fn members(s: &Value, at: &str, out: &mut Vec<(String, bool, Value)>) {
    let Some(p) = props(s) else {
        if let Some(i) = items(s) {
            members(i, at, out);
        }
        return;
    };
    let req = required(s);
    for (k, v) in p {
        let path = if at.is_empty() {
            k.clone()
        } else {
            format!("{at}.{k}")
        };
        out.push((path.clone(), req.contains(&k.as_str()), v.clone()));
        if props(v).is_some() || items(v).is_some_and(|i| props(i).is_some()) {
            members(v, &path, out);
        }
    }
}

/// A `write_operations` entry of the catalogue (SPEC §12.4): which base fields the variant
/// requires, which it accepts optionally, and its own fields as a JSON Schema object.
pub fn describe(action: &str, url: &str, variant: &Value, base: &Value) -> Value {
    let mut vm = Vec::new();
    members(variant, "", &mut vm);
    let mut bm = Vec::new();
    members(base, "", &mut bm);
    let in_base = |p: &str| bm.iter().any(|(b, _, _)| b == p);
    // A nested member is required when it and every ancestor are.
    let required_path = |p: &str| {
        let parts: Vec<&str> = p.split('.').collect();
        (1..=parts.len()).all(|n| {
            let prefix = parts[..n].join(".");
            vm.iter().any(|(q, r, _)| *q == prefix && *r)
        })
    };
    let mut req = Vec::new();
    let mut opt = Vec::new();
    let mut specific = Map::new();
    let mut specific_required = Vec::new();
    for (path, _, schema) in &vm {
        if in_base(path) {
            if required_path(path) {
                req.push(json!(path));
            } else {
                opt.push(json!(path));
            }
        } else if !path.contains('.') || in_base(path.rsplit_once('.').map_or("", |(a, _)| a)) {
            specific.insert(path.clone(), schema.clone());
            if required_path(path) {
                specific_required.push(json!(path));
            }
        }
    }
    json!({
        "action": action,
        "url": url,
        "required_base_schema_fields": req,
        "optional_base_schema_fields": opt,
        "integration_specific_fields": {
            "type": "object",
            "properties": specific,
            "required_fields": specific_required,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Value {
        json!({"type": "object", "additionalProperties": false, "properties": {
            "a": {"type": "string"}, "b": {"type": "number"},
            "items": {"type": "array", "items": {"type": "object", "additionalProperties": false, "properties": {"x": {"type": "string"}, "y": {"type": "number"}}}}
        }})
    }

    fn variant() -> Value {
        json!({"type": "object", "additionalProperties": false, "required": ["a", "items"], "properties": {
            "a": {"type": "string", "maxLength": 5}, "own": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["x"], "properties": {"x": {"type": "string"}}}}
        }})
    }

    #[test]
    fn strips_base_members_the_variant_lacks() {
        let mut body = json!({"a": "1", "b": 2, "own": "o", "items": [{"x": "1", "y": 2}, {"x": "2", "y": 3}]});
        let unused = strip_unused(&mut body, &variant(), &base());
        assert_eq!(unused, vec!["b", "items.y"]);
        assert_eq!(
            body,
            json!({"a": "1", "own": "o", "items": [{"x": "1"}, {"x": "2"}]})
        );
    }

    #[test]
    fn merged_keeps_variant_rules_and_base_types() {
        let m = merged(&variant(), &base());
        assert_eq!(m["properties"]["a"]["maxLength"], 5);
        assert_eq!(m["properties"]["b"]["type"], "number");
        assert_eq!(
            m["properties"]["items"]["items"]["properties"]["y"]["type"],
            "number"
        );
        assert_eq!(m["properties"]["items"]["items"]["required"], json!(["x"]));
    }

    #[test]
    fn describes_required_optional_and_own_fields() {
        let d = describe("create_thing", "POST /wms/things", &variant(), &base());
        assert_eq!(
            d["required_base_schema_fields"],
            json!(["a", "items", "items.x"])
        );
        assert_eq!(d["optional_base_schema_fields"], json!([]));
        assert_eq!(
            d["integration_specific_fields"]["properties"]["own"]["type"],
            "string"
        );
    }
}
