//! Discovering write shapes (SPEC §12.4): `write_operations` in the catalogue, the
//! per-integration OpenAPI document of `write-info`, and the older draft-07 `meta` documents.
//! With a connection, members whose values come from the account (warehouses, shipping
//! methods, and whatever the connector reports) carry those values as enums; without one
//! they carry a placeholder.

use crate::error::ApiError;
use crate::state::AppState;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use waybill_connect::Connector;
use waybill_model::query::ListQuery;
use waybill_model::writes::{schema, WriteAction};
use waybill_model::Resource;
use waybill_store::{ConnectionRow, Keyset, RecordStore};

/// The enum placeholder of connection-specific members when no connection is given.
pub const PLACEHOLDER: &str = "N/A - Connect an account to see options";

/// Body members whose values are the ids of a stored resource of the connection.
const FROM_STORE: [(&str, &str); 4] = [
    ("warehouse_id", "wms.warehouses"),
    ("shipping_method_id", "wms.shipping_methods"),
    ("warehouse_location_id", "wms.warehouse_locations"),
    ("location_id", "wms.warehouse_locations"),
];

/// The `write_operations` entries of an integration.
pub fn operations(c: &Arc<dyn Connector>) -> Vec<Value> {
    let d = c.descriptor();
    d.writes
        .iter()
        .filter_map(|w| {
            let a = WriteAction::find(d.integration_type, w.function)?;
            Some(schema::describe(
                w.function,
                &a.label(),
                &w.schema,
                &(a.base)(),
            ))
        })
        .collect()
}

/// Values of connection-specific members, by member name or dotted path.
pub async fn connection_values(
    state: &AppState,
    c: &Arc<dyn Connector>,
    conn: &ConnectionRow,
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for (member, key) in FROM_STORE {
        let Some(res) = Resource::by_key(key) else {
            continue;
        };
        if res.vertical != c.descriptor().integration_type || !res.listable {
            continue;
        }
        let q = ListQuery::parse(res, Some("limit=1000"), &[])?;
        let page = state
            .store
            .list_records(&conn.id, res, &q, None, &Keyset::default())
            .await?;
        let ids: Vec<Value> = page
            .records
            .iter()
            .filter_map(|r| {
                serde_json::from_str::<Value>(&r.json)
                    .ok()?
                    .get("id")
                    .cloned()
            })
            .collect();
        if !ids.is_empty() {
            out.insert(member.to_string(), Value::Array(ids));
        }
    }
    let creds = state
        .secrets
        .decrypt(&conn.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    match c.write_values(&creds).await {
        Ok(m) => out.extend(m),
        Err(e) => tracing::warn!(error = %e, "could not read the connection's write values"),
    }
    Ok(out)
}

/// Whether a schema has members whose values depend on the connection.
pub fn has_connection_specific(schema: &Value, extra: &Map<String, Value>) -> bool {
    let mut found = false;
    walk(&mut schema.clone(), "", &mut |name, path, _| {
        if FROM_STORE.iter().any(|(m, _)| *m == name) || extra.contains_key(path) {
            found = true;
        }
    });
    found
}

fn walk(s: &mut Value, at: &str, f: &mut dyn FnMut(&str, &str, &mut Value)) {
    if let Some(Value::Object(props)) = s.get_mut("properties") {
        for (k, v) in props.iter_mut() {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            f(k, &path, v);
            walk(v, &path, f);
        }
    }
    if let Some(items) = s.get_mut("items").filter(|i| i.is_object()) {
        walk(items, at, f);
    }
}

/// Fills connection-specific enums: the connection's values, or the placeholder.
pub fn fill(schema: &mut Value, values: Option<&Map<String, Value>>) {
    let extra = values.cloned().unwrap_or_default();
    walk(schema, "", &mut |name, path, v| {
        let specific = FROM_STORE.iter().any(|(m, _)| *m == name) || extra.contains_key(path);
        if !specific || !v.is_object() {
            return;
        }
        let list = match values {
            Some(m) => m
                .get(path)
                .or_else(|| m.get(name))
                .cloned()
                .unwrap_or(Value::Array(vec![])),
            None => json!([PLACEHOLDER]),
        };
        if list.as_array().is_some_and(|a| !a.is_empty()) {
            v["enum"] = list;
        }
    });
}

/// The OpenAPI 3.1 document of an integration's writes.
pub fn openapi(c: &Arc<dyn Connector>, values: Option<&Map<String, Value>>) -> Value {
    let d = c.descriptor();
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for w in &d.writes {
        let Some(a) = WriteAction::find(d.integration_type, w.function) else {
            continue;
        };
        let mut s = w.schema.clone();
        fill(&mut s, values);
        let name = w.function.to_string();
        schemas.insert(name.clone(), s);
        let body = if a.body == waybill_model::writes::BodyKind::Multipart {
            json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "file_name": {"type": "string"}, "file_url": {"type": "string"}}}}}})
        } else {
            json!({"required": a.body == waybill_model::writes::BodyKind::Json, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}})
        };
        let mut params = vec![
            json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255}}),
        ];
        if let Some(p) = a.route.split('{').nth(1).and_then(|r| r.split('}').next()) {
            params.push(
                json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
        let op = json!({
            "operationId": name,
            "summary": a.summary,
            "parameters": params,
            "requestBody": body,
            "responses": {"200": {"description": "The record after the write: {data, id, unused_fields}."}},
        });
        let entry = paths.entry(a.path()).or_insert_with(|| json!({}));
        entry[a.method.to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": format!("{} writes", d.display_name), "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The draft-07 document of the `meta` routes.
pub fn meta(
    c: &Arc<dyn Connector>,
    function: &str,
    values: Option<&Map<String, Value>>,
) -> Option<Value> {
    let w = c.descriptor().write(function)?;
    let mut s = w.schema.clone();
    fill(&mut s, values);
    let name = format!("{}--{}", function, c.descriptor().integration_name);
    let mut defs = Map::new();
    defs.insert(name.clone(), s);
    Some(
        json!({"$schema": "http://json-schema.org/draft-07/schema#", "definitions": defs, "$ref": format!("#/definitions/{name}")}),
    )
}
