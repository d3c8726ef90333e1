//! Assembles the router and its cross-cutting layers: request ids, JSON errors for unknown
//! routes and methods, panic containment, and request logs that never carry secrets (the
//! logged path is the route template, so tokens in paths stay out of logs).

use crate::error::{error_body, ApiError};
use crate::routes;
use crate::state::SharedState;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The complete application.
pub fn build(state: SharedState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| "<unmatched>".into());
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            tracing::info_span!("request", method = %req.method(), route, request_id = id)
        })
        .on_request(())
        .on_response(
            |res: &Response, latency: std::time::Duration, _span: &tracing::Span| {
                tracing::info!(
                    status = res.status().as_u16(),
                    latency_ms = latency.as_secs_f64() * 1000.0,
                    "response"
                );
            },
        );
    let limited = Router::new()
        .merge(routes::link::router())
        .merge(routes::magic_links::router())
        .merge(routes::connections::router())
        .merge(routes::integrations::router())
        .merge(routes::sandbox::router())
        .merge(routes::sync::router())
        .merge(routes::simulate::router())
        .merge(routes::webhooks::router())
        .merge(routes::webhook_messages::router())
        .merge(routes::data::router())
        .merge(routes::writes::router())
        .merge(routes::write_info::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::rate_limit::limit,
        ));
    Router::new()
        .merge(routes::system::router())
        .merge(routes::link::modal_router())
        .merge(routes::link_ui::router())
        .merge(routes::magic_link_page::router())
        .merge(limited)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

async fn not_found() -> ApiError {
    ApiError::NotFound {
        error: "Not found: no route matches this path.".into(),
        id: None,
    }
}

async fn method_not_allowed() -> Response {
    error_body(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed on this route.",
    )
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = msg, "handler panicked");
    error_body(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.").into_response()
}
