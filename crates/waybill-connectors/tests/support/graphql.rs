//! A vendor's GraphQL schema as a test oracle: every request document a connector sends is
//! parsed and validated against it (with its variables coerced to the declared input types),
//! fixture answers are checked to hold only fields the request selected, and random answers
//! shaped by the request's selection set drive robustness runs.
//!
//! The schema comes from the vendor specs folder at run time (see `prism::specs_dir`); when
//! that is absent, [`Oracle::load`] prints why and returns `None`, and the test skips.

#![allow(dead_code)]

use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::response::JsonMap;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};

/// A parsed, valid vendor schema.
pub struct Oracle {
    schema: Valid<Schema>,
}

/// A request body's parts.
struct Request {
    query: String,
    operation: Option<String>,
    variables: Value,
}

fn request(body: &str) -> Result<Request, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("body is not JSON: {e}"))?;
    let query = v
        .get("query")
        .and_then(Value::as_str)
        .ok_or("body has no `query` string")?
        .to_string();
    let operation = v
        .get("operationName")
        .and_then(Value::as_str)
        .map(str::to_string);
    let variables = v.get("variables").cloned().unwrap_or(json!({}));
    Ok(Request {
        query,
        operation,
        variables,
    })
}

impl Oracle {
    /// The schema at `vendor/file` in the specs folder; `None` (reason printed) when absent.
    pub fn load(spec: &str) -> Option<Arc<Oracle>> {
        let Some(dir) = super::prism::specs_dir() else {
            eprintln!(
                "skipping: vendor specs folder not found (set WAYBILL_VENDOR_SPECS_DIR or place shared/vendor-specs beside the repository)"
            );
            return None;
        };
        let path = dir.join(spec);
        let Ok(src) = std::fs::read_to_string(&path) else {
            eprintln!("skipping: {} not found", path.display());
            return None;
        };
        let schema = Schema::parse_and_validate(src, spec)
            .unwrap_or_else(|e| panic!("the vendor schema itself is invalid: {}", e.errors));
        Some(Arc::new(Oracle { schema }))
    }

    /// Validates a GraphQL document (and its variables, when given) against the schema.
    pub fn check_document(
        &self,
        query: &str,
        operation: Option<&str>,
        variables: Option<&Value>,
    ) -> Result<(), String> {
        let doc = ExecutableDocument::parse_and_validate(&self.schema, query, "request.graphql")
            .map_err(|e| format!("invalid against the schema:\n{}", e.errors))?;
        let op = doc
            .operations
            .get(operation)
            .map_err(|e| format!("operation: {}", e.message()))?;
        let Some(variables) = variables else {
            return Ok(());
        };
        let vars: JsonMap = serde_json::from_value(variables.clone())
            .map_err(|e| format!("variables are not an object: {e}"))?;
        apollo_compiler::request::coerce_variable_values(&self.schema, op, &vars)
            .map_err(|e| format!("variables do not fit the declared types: {}", e.message()))?;
        Ok(())
    }

    /// Validates a request body `{"query", "operationName", "variables"}`.
    pub fn check_body(&self, body: &str) -> Result<(), String> {
        let r = request(body)?;
        self.check_document(&r.query, r.operation.as_deref(), Some(&r.variables))
    }

    fn selection(&self, body: &str) -> Result<(Valid<ExecutableDocument>, Option<String>), String> {
        let r = request(body)?;
        let doc = ExecutableDocument::parse_and_validate(&self.schema, r.query, "request.graphql")
            .map_err(|e| format!("invalid against the schema:\n{}", e.errors))?;
        Ok((doc, r.operation))
    }

    /// Checks that an answer's `data` holds only fields the request selected, with the
    /// schema's shapes (objects where objects, lists where lists), so fixtures cannot carry
    /// what ShipHero would never send for that query.
    pub fn check_answer(&self, body: &str, answer: &Value) -> Result<(), String> {
        let (doc, op) = self.selection(body)?;
        let op = doc
            .operations
            .get(op.as_deref())
            .map_err(|e| e.message().to_string())?;
        match answer.get("data") {
            Some(Value::Null) | None => Ok(()),
            Some(d) => shape(&op.selection_set, d, "data"),
        }
    }

    /// A random answer shaped by the request's selection set: nulls where nullable, lists of
    /// 0–3 items, scalars of their types (strings sometimes dates, sometimes junk).
    pub fn random_answer(&self, body: &str, rng: &mut rand::rngs::StdRng) -> Value {
        let Ok((doc, op)) = self.selection(body) else {
            return json!({"errors": [{"message": "bad request"}]});
        };
        let Ok(op) = doc.operations.get(op.as_deref()) else {
            return json!({"errors": [{"message": "bad operation"}]});
        };
        json!({"data": random_set(&op.selection_set, rng, 0)})
    }
}

fn shape(set: &SelectionSet, v: &Value, at: &str) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err(format!("{at}: expected an object, got {v}"));
    };
    for (k, val) in m {
        let field = set.selections.iter().find_map(|s| match s {
            Selection::Field(f) if f.response_key().as_str() == k => Some(f),
            _ => None,
        });
        let Some(f) = field else {
            return Err(format!("{at}.{k}: not selected by the request"));
        };
        if val.is_null() {
            if f.definition.ty.is_non_null() {
                return Err(format!("{at}.{k}: null for a non-null field"));
            }
            continue;
        }
        let path = format!("{at}.{k}");
        let check_one = |x: &Value| -> Result<(), String> {
            if f.selection_set.selections.is_empty() {
                if x.is_object() || x.is_array() {
                    return Err(format!("{path}: a scalar field holds {x}"));
                }
                Ok(())
            } else if x.is_null() {
                Ok(())
            } else {
                shape(&f.selection_set, x, &path)
            }
        };
        if f.definition.ty.is_list() {
            let Value::Array(items) = val else {
                return Err(format!("{path}: expected a list"));
            };
            for x in items {
                check_one(x)?;
            }
        } else {
            check_one(val)?;
        }
    }
    Ok(())
}

fn random_set(set: &SelectionSet, rng: &mut rand::rngs::StdRng, depth: usize) -> Value {
    let mut m = Map::new();
    for s in &set.selections {
        if let Selection::Field(f) = s {
            let ty = &f.definition.ty;
            let one = |rng: &mut rand::rngs::StdRng| -> Value {
                if !f.selection_set.selections.is_empty() {
                    if depth > 8 {
                        Value::Null
                    } else {
                        random_set(&f.selection_set, rng, depth + 1)
                    }
                } else {
                    random_scalar(ty.inner_named_type().as_str(), f.name.as_str(), rng)
                }
            };
            let v = if !ty.is_non_null() && rng.gen_bool(0.15) {
                Value::Null
            } else if ty.is_list() {
                let n = rng.gen_range(0..4);
                Value::Array((0..n).map(|_| one(rng)).collect())
            } else {
                one(rng)
            };
            m.insert(f.response_key().to_string(), v);
        }
    }
    Value::Object(m)
}

fn random_scalar(ty: &str, name: &str, rng: &mut rand::rngs::StdRng) -> Value {
    match ty {
        // Credits spent stay small so the connector's own credit estimate never throttles
        // a robustness run.
        "Int" if name == "complexity" => json!(rng.gen_range(1..50)),
        "Int" | "BigInt" => json!(rng.gen_range(-5..5000)),
        "Float" => json!(rng.gen_range(-10.0..5000.0)),
        "Boolean" => json!(rng.gen_bool(0.5)),
        "DateTime" => match rng.gen_range(0..4) {
            0 => json!("not a date"),
            1 => json!("2026-03-15"),
            _ => json!(format!(
                "2026-03-{:02}T{:02}:{:02}:00+00:00",
                rng.gen_range(1..29),
                rng.gen_range(0..24),
                rng.gen_range(0..60)
            )),
        },
        _ if name == "endCursor" => json!(format!("c{}", rng.gen::<u32>())),
        _ => match rng.gen_range(0..5) {
            0 => json!(""),
            1 => json!(format!("{}", rng.gen::<u16>())),
            2 => json!("2026-03-10T10:00:00Z"),
            _ => json!(format!("{name}-{}", rng.gen::<u32>())),
        },
    }
}

/// A seeded generator shared by a mock's responder.
pub fn seeded(seed: u64) -> Arc<Mutex<rand::rngs::StdRng>> {
    Arc::new(Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)))
}
