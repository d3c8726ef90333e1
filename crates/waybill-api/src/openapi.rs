//! The OpenAPI document served at `/openapi.json`, built from the same registry that builds
//! the routes, so it cannot drift from what the server answers.

use serde_json::{json, Map, Value};
use waybill_model::resource::COMMON_FILTERS;
use waybill_model::{FieldKind, ALL_RESOURCES};

fn op(summary: &str, tag: &str, token: bool, params: Vec<Value>, body: bool) -> Value {
    let mut p = vec![
        json!({"name": "x-trackstar-api-key", "in": "header", "required": true, "schema": {"type": "string"}}),
    ];
    if token {
        p.push(json!({"name": "x-trackstar-access-token", "in": "header", "required": true, "schema": {"type": "string"}}));
    }
    p.extend(params);
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "parameters": p,
        "responses": {
            "200": {"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"},
        }
    });
    if body {
        o["requestBody"] = json!({"content": {"application/json": {"schema": {"type": "object"}}}});
    }
    o
}

fn path_param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

fn query(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema})
}

/// Builds the document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut add = |path: &str, method: &str, v: Value| {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = v;
    };
    add(
        "/healthz",
        "get",
        json!({"summary": "Liveness and database check", "responses": {"200": {"description": "OK"}}}),
    );
    add(
        "/link/token",
        "post",
        op("Create a link token", "Link", false, vec![], true),
    );
    add(
        "/link/exchange",
        "post",
        op(
            "Exchange an auth code for an access token",
            "Link",
            false,
            vec![],
            true,
        ),
    );
    add(
        "/connections",
        "get",
        op(
            "List connections",
            "Connections",
            false,
            vec![query("page_token", json!({"type": "string"}))],
            false,
        ),
    );
    add(
        "/connections",
        "patch",
        op(
            "Update the connection of the access token",
            "Connections",
            true,
            vec![],
            true,
        ),
    );
    add(
        "/connections",
        "delete",
        op(
            "Delete the connection of the access token",
            "Connections",
            true,
            vec![],
            false,
        ),
    );
    add(
        "/connections/{connection_id}",
        "get",
        op(
            "Get a connection",
            "Connections",
            false,
            vec![path_param("connection_id")],
            false,
        ),
    );
    for p in [
        "/integrations/{integration_type}",
        "/{integration_type}/integrations",
    ] {
        add(
            p,
            "get",
            op(
                "List integrations of a type",
                "Integrations",
                false,
                vec![path_param("integration_type")],
                false,
            ),
        );
    }
    for p in [
        "/integrations/{integration_type}/{integration_name}",
        "/{integration_type}/integrations/{integration_name}",
    ] {
        add(
            p,
            "get",
            op(
                "Get one integration",
                "Integrations",
                false,
                vec![
                    path_param("integration_type"),
                    path_param("integration_name"),
                ],
                false,
            ),
        );
    }
    add(
        "/sandbox/generate-sandbox/{integration_type}",
        "post",
        op(
            "Create or regenerate the organization's sandbox",
            "Sandbox",
            false,
            vec![path_param("integration_type")],
            false,
        ),
    );
    let (ep, msg) = (path_param("endpoint_id"), path_param("msg_id"));
    add(
        "/webhooks/endpoints",
        "get",
        op("List webhook endpoints", "Webhooks", false, vec![], false),
    );
    add(
        "/webhooks/endpoints",
        "post",
        op(
            "Create a webhook endpoint (the answer carries its signing secret)",
            "Webhooks",
            false,
            vec![],
            true,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}",
        "get",
        op(
            "Get a webhook endpoint",
            "Webhooks",
            false,
            vec![ep.clone()],
            false,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}",
        "patch",
        op(
            "Update a webhook endpoint (url, event_types, connection_ids, description, disabled)",
            "Webhooks",
            false,
            vec![ep.clone()],
            true,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}",
        "delete",
        op(
            "Delete a webhook endpoint",
            "Webhooks",
            false,
            vec![ep.clone()],
            false,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}/rotate-secret",
        "post",
        op(
            "Rotate the signing secret; the old one keeps signing for 24 hours",
            "Webhooks",
            false,
            vec![ep.clone()],
            false,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}/test",
        "post",
        op(
            "Send a webhook.test event to this endpoint only",
            "Webhooks",
            false,
            vec![ep.clone()],
            true,
        ),
    );
    add(
        "/webhooks/endpoints/{endpoint_id}/messages",
        "get",
        op(
            "The endpoint's delivery log, newest first, with every attempt",
            "Webhooks",
            false,
            vec![
                ep,
                query(
                    "limit",
                    json!({"type": "integer", "minimum": 1, "maximum": 250, "default": 50}),
                ),
                query("page_token", json!({"type": "string"})),
            ],
            false,
        ),
    );
    add(
        "/webhooks/messages/{msg_id}/resend",
        "post",
        op(
            "Deliver a message again, from the start of the retry schedule",
            "Webhooks",
            false,
            vec![msg.clone()],
            true,
        ),
    );
    add(
        "/webhooks/messages/{msg_id}/data",
        "get",
        op(
            "The full event of a truncated delivery, with a presigned download URL",
            "Webhooks",
            false,
            vec![msg],
            false,
        ),
    );
    for r in ALL_RESOURCES {
        let tag = r.vertical.as_str().to_uppercase();
        let mut base_params: Vec<Value> = r
            .route
            .split('/')
            .filter(|s| s.starts_with('{'))
            .map(|s| path_param(s.trim_matches(|c| c == '{' || c == '}')))
            .collect();
        if r.listable {
            let mut params = base_params.clone();
            params.push(query(
                "limit",
                json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}),
            ));
            params.push(query("page_token", json!({"type": "string"})));
            params.push(query("ids[in]", json!({"type": "string", "description": "Comma-separated ids, at most 100; overrides every other filter."})));
            params.push(query("trackstar_tags[contains]", json!({"type": "string"})));
            params.push(query(
                "trackstar_tags[not_contains]",
                json!({"type": "string"}),
            ));
            for f in COMMON_FILTERS.iter().chain(r.filters.iter()) {
                let schema = match f.kind {
                    FieldKind::Date => json!({"type": "string", "format": "date-time"}),
                    FieldKind::Bool => json!({"type": "boolean"}),
                    FieldKind::Enum(values) => json!({"type": "string", "enum": values}),
                    FieldKind::Text => json!({"type": "string"}),
                };
                for o in f.ops {
                    params.push(query(
                        &format!("{}[{}]", f.name, o.as_str()),
                        schema.clone(),
                    ));
                }
            }
            add(
                &r.list_path(),
                "get",
                op(
                    &format!("List {}", r.plural.replace('_', " ")),
                    &tag,
                    true,
                    params,
                    false,
                ),
            );
            base_params.push(path_param(r.id_param));
            add(
                &format!("{}/{{{}}}", r.list_path(), r.id_param),
                "get",
                op(
                    &format!("Get one of {}", r.plural.replace('_', " ")),
                    &tag,
                    true,
                    base_params,
                    false,
                ),
            );
        } else {
            add(
                &r.list_path(),
                "get",
                op(
                    &format!("Get {}", r.plural.replace('_', " ")),
                    &tag,
                    true,
                    base_params,
                    false,
                ),
            );
        }
    }
    write_paths(&mut add);
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Waybill", "version": env!("CARGO_PKG_VERSION"), "description": "A self-hostable, Trackstar-compatible unified logistics API."},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {"type": "object", "required": ["error", "origin"], "properties": {
                    "error": {"type": "string"},
                    "origin": {"type": "string", "enum": ["trackstar", "integration"]},
                    "id": {"type": "string"},
                    "detail": {"type": "object"}
                }}
            },
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
        }
    })
}

/// The write, tag, passthrough and write-discovery routes (SPEC §12–§14).
fn write_paths(add: &mut dyn FnMut(&str, &str, Value)) {
    use waybill_model::writes::{BodyKind, WRITE_ACTIONS};
    let idem = json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 255}, "description": "Replays the first successful answer for 24 hours (scoped to the connection)."});
    for a in WRITE_ACTIONS {
        let mut params = vec![idem.clone()];
        if let Some(p) = a.route.split('{').nth(1).and_then(|r| r.split('}').next()) {
            params.push(path_param(p));
        }
        let mut o = op(a.summary, "Writes", true, params, false);
        o["operationId"] = json!(format!("{}_{}", a.function, a.vertical));
        o["requestBody"] = match a.body {
            BodyKind::Json => {
                json!({"required": true, "content": {"application/json": {"schema": (a.base)()}}})
            }
            BodyKind::Empty => {
                json!({"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false}}}})
            }
            BodyKind::Multipart => {
                json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "file_name": {"type": "string"}, "file_url": {"type": "string"}}}}}})
            }
        };
        o["description"] = json!("The base schema; each integration's own schema is in GET /integrations/{type}/{name}/write-info. Returns {data, id, unused_fields}.");
        add(&a.path(), &a.method.to_ascii_lowercase(), o);
    }
    for r in ALL_RESOURCES.iter().filter(|r| r.taggable) {
        let mut o = op(
            &format!(
                "Replace the Trackstar tags of one of {}",
                r.plural.replace('_', " ")
            ),
            "Trackstar tags",
            true,
            vec![idem.clone(), path_param(r.id_param)],
            false,
        );
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": waybill_model::writes::schema::schema_of::<waybill_model::writes::base::TagsBody>()}}});
        add(
            &format!("{}/{{{}}}/trackstar-tags", r.list_path(), r.id_param),
            "put",
            o,
        );
    }
    for v in ["wms", "cart"] {
        let mut o = op(
            "Call the integration's own API with the connection's credentials",
            "Passthrough",
            true,
            vec![],
            false,
        );
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["method", "path"], "additionalProperties": false, "properties": {
            "method": {"type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
            "path": {"type": "string", "description": "A path under the integration's base URL."},
            "params": {"type": "object"}, "headers": {"type": "object", "additionalProperties": {"type": "string"}}, "data": {}}}}}});
        add(&format!("/{v}/passthrough"), "post", o);
    }
    let mut o = op(
        "An OpenAPI document of one integration's writes",
        "Integrations",
        false,
        vec![
            path_param("integration_type"),
            path_param("integration_name"),
        ],
        false,
    );
    if let Some(p) = o["parameters"].as_array_mut() {
        p.push(json!({"name": "x-trackstar-access-token", "in": "header", "required": false, "schema": {"type": "string"}, "description": "Fills the connection's own values (warehouses, shipping methods)."}));
    }
    add(
        "/integrations/{integration_type}/{integration_name}/write-info",
        "get",
        o,
    );
    for res in ["orders", "products", "kits", "returns", "inbound-shipments"] {
        let method = query("method", json!({"type": "string", "enum": ["POST", "PUT"]}));
        add(
            &format!("/wms/{res}/meta"),
            "get",
            op(
                "The connection's JSON Schema of a write",
                "Writes",
                true,
                vec![method.clone()],
                false,
            ),
        );
        add(
            &format!("/wms/{res}/meta/{{integration_name}}"),
            "get",
            op(
                "An integration's JSON Schema of a write",
                "Writes",
                false,
                vec![method, path_param("integration_name")],
                false,
            ),
        );
    }
}
