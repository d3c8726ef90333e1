//! Checking a write body before any vendor sees it (SPEC §12.3, §12.5, §13): the non-null
//! rule, Trackstar tag shapes, and the merged JSON Schema of the integration's variant.

use super::schema;
use serde_json::Value;

/// One problem with a body: the dotted path of the member (`line_items.0.quantity`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path, array indexes included; empty for the body itself.
    pub path: String,
    /// What is wrong, for a person.
    pub message: String,
}

/// A body ready for the vendor: what to forward, the tags to keep in Waybill, and the base
/// members the integration ignores.
#[derive(Debug, Clone)]
pub struct CheckedBody {
    /// The body without ignored base members and without `trackstar_tags`.
    pub forward: Value,
    /// `trackstar_tags` of the body, stored by Waybill only.
    pub tags: Option<Vec<Value>>,
    /// Dot paths of ignored base members.
    pub unused_fields: Vec<String>,
}

/// Values the non-null rule treats as null (compared case-insensitively).
const NULL_LIKE: [&str; 4] = ["null", "none", "nil", "undefined"];

fn join(at: &str, k: &str) -> String {
    if at.is_empty() {
        k.to_string()
    } else {
        format!("{at}.{k}")
    }
}

/// Every null, empty or null-like member, recursively.
pub fn null_like(v: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    walk_nulls(v, "", &mut out);
    out
}

fn walk_nulls(v: &Value, at: &str, out: &mut Vec<Problem>) {
    let bad = match v {
        Value::Null => Some("Field may not be null."),
        Value::String(s) if s.trim().is_empty() => Some("Field may not be empty."),
        Value::String(s) if NULL_LIKE.iter().any(|n| s.trim().eq_ignore_ascii_case(n)) => {
            Some("Field may not be a null-like value.")
        }
        _ => None,
    };
    if let Some(m) = bad {
        out.push(Problem {
            path: at.to_string(),
            message: format!("{m} Leave the field out to keep the current value."),
        });
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                walk_nulls(c, &join(at, k), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                walk_nulls(c, &join(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// Checks a `trackstar_tags` list: strings, or objects of exactly one string pair.
pub fn tags(v: &Value, at: &str) -> Vec<Problem> {
    let Some(list) = v.as_array() else {
        return vec![Problem {
            path: at.into(),
            message: "Must be a list of tags.".into(),
        }];
    };
    let mut out = Vec::new();
    for (i, t) in list.iter().enumerate() {
        let ok = match t {
            Value::String(s) => !s.is_empty(),
            Value::Object(m) => m.len() == 1 && m.values().all(|x| x.is_string()),
            _ => false,
        };
        if !ok {
            out.push(Problem {
                path: join(at, &i.to_string()),
                message: "A tag is a string or an object with exactly one string value.".into(),
            });
        }
    }
    out
}

/// One integration's check of one write: its variant merged over the base and compiled once,
/// since validating a body is on every write's path and compiling a schema is not cheap.
pub struct Checker {
    variant: Value,
    base: Value,
    validator: jsonschema::Validator,
}

impl Checker {
    /// Compiles the check of `variant` over `base`; fails when the schemas are not valid JSON
    /// Schema (a connector bug, not a client error).
    pub fn new(variant: &Value, base: &Value) -> Result<Self, String> {
        let validator = jsonschema::validator_for(&schema::merged(variant, base))
            .map_err(|e| format!("the integration's write schema is invalid: {e}"))?;
        Ok(Self {
            variant: variant.clone(),
            base: base.clone(),
            validator,
        })
    }

    /// Validates `body`, then splits it into what goes to the vendor, the tags, and the
    /// ignored base members.
    pub fn check(&self, body: &Value) -> Result<CheckedBody, Vec<Problem>> {
        if !body.is_object() {
            return Err(vec![Problem {
                path: String::new(),
                message: "The body must be a JSON object.".into(),
            }]);
        }
        let mut problems = null_like(body);
        if let Some(t) = body.get("trackstar_tags") {
            problems.extend(tags(t, "trackstar_tags"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut problems: Vec<Problem> = self
            .validator
            .iter_errors(body)
            .flat_map(|e| to_problem(body, e))
            .collect();
        problems.dedup();
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut forward = body.clone();
        let tags = forward
            .as_object_mut()
            .and_then(|m| m.remove("trackstar_tags"))
            .and_then(|t| t.as_array().cloned());
        let unused_fields = schema::strip_unused(&mut forward, &self.variant, &self.base)
            .into_iter()
            .filter(|p| p != "trackstar_tags")
            .collect();
        Ok(CheckedBody {
            forward,
            tags,
            unused_fields,
        })
    }
}

fn pointer_to_dots(p: &str) -> String {
    p.trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

fn to_problem(body: &Value, e: jsonschema::ValidationError<'_>) -> Vec<Problem> {
    let at = pointer_to_dots(e.instance_path().as_str());
    match e.kind() {
        // An object that may hold no members at all (a body-less route) is reported at the
        // object, not at its members: name every member as unknown.
        jsonschema::error::ValidationErrorKind::FalseSchema
            if body
                .pointer(e.instance_path().as_str())
                .is_some_and(Value::is_object) =>
        {
            body.pointer(e.instance_path().as_str())
                .and_then(Value::as_object)
                .map(|m| {
                    m.keys()
                        .map(|k| Problem {
                            path: join(&at, k),
                            message: "Unknown field.".into(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        jsonschema::error::ValidationErrorKind::Required { property } => vec![Problem {
            path: join(&at, property.as_str().unwrap_or_default()),
            message: "Missing data for required field.".into(),
        }],
        jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|u| Problem {
                path: join(&at, u),
                message: "Unknown field.".into(),
            })
            .collect(),
        _ => vec![Problem {
            path: at,
            message: e.to_string(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_like_values_are_found_at_depth() {
        let p = null_like(&json!({"a": {"b": [{"c": null}, {"c": "None"}]}, "d": "", "e": "ok"}));
        let paths: Vec<&str> = p.iter().map(|x| x.path.as_str()).collect();
        assert_eq!(paths, vec!["a.b.0.c", "a.b.1.c", "d"]);
    }

    #[test]
    fn a_checker_strips_ignored_members_and_reports_problems() {
        let base = json!({"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "trackstar_tags": {"type": "array"}}});
        let variant = json!({"type": "object", "additionalProperties": false, "required": ["a"], "properties": {"a": {"type": "string"}, "trackstar_tags": {"type": "array"}}});
        let c = Checker::new(&variant, &base).unwrap();
        let ok = c
            .check(&json!({"a": "x", "b": 1, "trackstar_tags": ["t"]}))
            .unwrap();
        assert_eq!(ok.forward, json!({"a": "x"}));
        assert_eq!(ok.unused_fields, vec!["b"]);
        assert_eq!(ok.tags, Some(vec![json!("t")]));
        let empty = Checker::new(
            &json!({"type": "object", "additionalProperties": false}),
            &json!({"type": "object", "additionalProperties": false}),
        )
        .unwrap();
        let e = empty.check(&json!({"why": "x", "who": "y"})).unwrap_err();
        let paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, vec!["why", "who"]);
        let bad = c.check(&json!({"b": "no", "c": 1})).unwrap_err();
        let paths: Vec<&str> = bad.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"a") && paths.contains(&"b") && paths.contains(&"c"),
            "{paths:?}"
        );
    }

    #[test]
    fn tags_must_be_strings_or_single_pairs() {
        assert!(tags(&json!(["a", {"k": "v"}]), "t").is_empty());
        let p = tags(&json!([{}, {"a": "1", "b": "2"}, 3]), "t");
        assert_eq!(p.len(), 3);
    }
}
