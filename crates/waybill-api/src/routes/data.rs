//! Every read route of every resource, generated from the resource registry: the list
//! route with the filter grammar and keyset pages, and the single-record route.

use crate::auth::ConnAuth;
use crate::error::ApiError;
use crate::page_token::{self, Scope};
use crate::service::install;
use crate::state::SharedState;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use waybill_model::query::ListQuery;
use waybill_model::{Resource, ALL_RESOURCES};
use waybill_store::{ConnectionStore, RecordStore};

/// The routes of every resource.
pub fn router() -> Router<SharedState> {
    let mut r = Router::new();
    for res in ALL_RESOURCES {
        let base = res.list_path();
        if res.listable {
            r = r.route(
                &base,
                get(
                    move |s: State<SharedState>,
                          a: ConnAuth,
                          p: Path<HashMap<String, String>>,
                          q: RawQuery| list(s, a, p, q, res),
                ),
            );
            r = r.route(
                &format!("{base}/{{{}}}", res.id_param),
                get(
                    move |s: State<SharedState>, a: ConnAuth, p: Path<HashMap<String, String>>| {
                        one(s, a, p, res)
                    },
                ),
            );
        } else {
            // A per-parent document such as an order's packs: the route's id is the record's.
            r = r.route(
                &base,
                get(
                    move |s: State<SharedState>, a: ConnAuth, p: Path<HashMap<String, String>>| {
                        one(s, a, p, res)
                    },
                ),
            );
        }
    }
    r
}

fn json_response(body: String) -> Response {
    ([(CONTENT_TYPE, "application/json")], body).into_response()
}

/// Checks the connection may read the resource: right vertical, function offered.
async fn authorize(state: &SharedState, auth: &ConnAuth, res: &Resource) -> Result<(), ApiError> {
    if auth.vertical != res.vertical {
        return Err(ApiError::NotFound {
            error: format!("Connection is not a {} connection", res.vertical),
            id: None,
        });
    }
    let org = install::org(state, &auth.org.org_id).await?;
    if !install::available_actions(state, &org, res.vertical, &auth.conn.integration_name)
        .iter()
        .any(|f| f == res.function)
    {
        let connector = state
            .registry
            .get(res.vertical, &auth.conn.integration_name);
        return match connector {
            Some(c) if c.descriptor().implements(res.function) => Err(ApiError::Forbidden(
                format!("{} is disabled for this connection", res.function),
            )),
            Some(c) => Err(ApiError::NotImplemented(format!(
                "Endpoint {} is not implemented for {}",
                res.function,
                c.descriptor().display_name
            ))),
            None => Err(ApiError::NotImplemented(format!(
                "Endpoint {} is not implemented for {}",
                res.function, auth.conn.integration_name
            ))),
        };
    }
    Ok(())
}

/// Whether the historical sync of the resource's function has finished; until then lists
/// are empty rather than partial.
async fn ready(state: &SharedState, conn_id: &str, res: &Resource) -> Result<bool, ApiError> {
    let key = (conn_id.to_string(), res.function.to_string());
    if state.caches.ready.get(&key).is_some() {
        return Ok(true);
    }
    let done = state
        .store
        .schedules(conn_id)
        .await?
        .iter()
        .any(|s| s.function_name == res.function && s.historical_completed);
    if done {
        state.caches.ready.put(key, true);
    }
    Ok(done)
}

async fn list(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(params): Path<HashMap<String, String>>,
    RawQuery(raw): RawQuery,
    res: &'static Resource,
) -> Result<Response, ApiError> {
    authorize(&state, &auth, res).await?;
    let q = ListQuery::parse(res, raw.as_deref(), &[])?;
    let parent = res
        .parent
        .and_then(|p| params.get(p.name))
        .map(String::as_str);
    let scope = Scope {
        o: auth.org.org_id.clone(),
        c: auth.conn.id.clone(),
        e: format!("{}:{}", res.key, parent.unwrap_or_default()),
        f: q.filter_fingerprint(),
    };
    let after = page_token::open(&state.secrets, &scope, q.page_token.as_deref())?;
    let page = if ready(&state, &auth.conn.id, res).await? {
        state
            .store
            .list_records(&auth.conn.id, res, &q, parent, &after)
            .await?
    } else {
        waybill_store::ListPage {
            records: Vec::new(),
            has_more: false,
        }
    };
    let mut body =
        String::with_capacity(page.records.iter().map(|r| r.json.len() + 1).sum::<usize>() + 64);
    body.push_str("{\"data\":[");
    for (i, r) in page.records.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&r.json);
    }
    body.push_str("],\"next_token\":");
    match (page.has_more, page.records.last()) {
        (true, Some(last)) => {
            body.push('"');
            body.push_str(&page_token::issue(
                &state.secrets,
                &scope,
                &waybill_store::Keyset {
                    seq: last.seq,
                    key: last.created_date.clone(),
                },
            ));
            body.push('"');
        }
        _ => body.push_str("null"),
    }
    body.push_str(&format!(",\"total_count\":{}}}", page.records.len()));
    Ok(json_response(body))
}

async fn one(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(params): Path<HashMap<String, String>>,
    res: &'static Resource,
) -> Result<Response, ApiError> {
    authorize(&state, &auth, res).await?;
    let id = params.get(res.id_param).cloned().unwrap_or_default();
    let parent = res
        .parent
        .and_then(|p| params.get(p.name))
        .map(String::as_str);
    let rec = state
        .store
        .get_record(&auth.conn.id, res, &id, parent)
        .await?
        .ok_or_else(|| ApiError::not_found(&format!("{} record", res.plural), &id))?;
    Ok(json_response(format!("{{\"data\":{}}}", rec.json)))
}
