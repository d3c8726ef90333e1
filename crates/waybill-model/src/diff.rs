//! `previous_attributes` (SPEC §11.2): a flat map of dot paths into the new record whose
//! values are what stood there before. Objects recurse; arrays of equal length compare
//! index by index, otherwise the whole old array is reported; a key that did not exist
//! reports `null`. Waybill's own bookkeeping fields are not changes a subscriber cares about.

use serde_json::{Map, Value};

/// Fields that never count as a change of the source record.
pub const IGNORED_FIELDS: &[&str] = &[
    "trackstar_updated_date",
    "trackstar_created_date",
    "trackstar_tags",
];

/// Computes `previous_attributes` for a change from `old` to `new`; empty when equal.
pub fn previous_attributes(old: &Value, new: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, nv) in n {
                if IGNORED_FIELDS.contains(&k.as_str()) {
                    continue;
                }
                walk(k.clone(), o.get(k), nv, &mut out);
            }
            for (k, ov) in o {
                if !n.contains_key(k) && !IGNORED_FIELDS.contains(&k.as_str()) {
                    out.insert(k.clone(), ov.clone());
                }
            }
        }
        _ if old != new => {
            out.insert(String::new(), old.clone());
        }
        _ => {}
    }
    out
}

fn walk(path: String, old: Option<&Value>, new: &Value, out: &mut Map<String, Value>) {
    let Some(old) = old else {
        out.insert(path, Value::Null);
        return;
    };
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, nv) in n {
                walk(format!("{path}.{k}"), o.get(k), nv, out);
            }
            for (k, ov) in o {
                if !n.contains_key(k) {
                    out.insert(format!("{path}.{k}"), ov.clone());
                }
            }
        }
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => {
            for (i, (ov, nv)) in o.iter().zip(n).enumerate() {
                walk(format!("{path}.{i}"), Some(ov), nv, out);
            }
        }
        _ if old != new => {
            out.insert(path, old.clone());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_paths_and_array_indexes() {
        let old = json!({"status": "open", "line_items": [{"q": 1}, {"q": 2}], "a": {"b": 1}});
        let new = json!({"status": "fulfilled", "line_items": [{"q": 1}, {"q": 3}], "a": {"b": 1, "c": 2}});
        let d = previous_attributes(&old, &new);
        assert_eq!(d.get("status"), Some(&json!("open")));
        assert_eq!(d.get("line_items.1.q"), Some(&json!(2)));
        assert_eq!(d.get("a.c"), Some(&Value::Null));
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn arrays_of_other_length_report_the_whole_old_array() {
        let old = json!({"shipments": []});
        let new = json!({"shipments": [{"id": 1}]});
        let d = previous_attributes(&old, &new);
        assert_eq!(d.get("shipments"), Some(&json!([])));
    }

    #[test]
    fn bookkeeping_fields_are_not_changes() {
        let old = json!({"x": 1, "trackstar_updated_date": "a", "trackstar_tags": []});
        let new = json!({"x": 1, "trackstar_updated_date": "b", "trackstar_tags": ["t"]});
        assert!(previous_attributes(&old, &new).is_empty());
    }
}
