//! The Link modal's browser files: `GET /link/main.js` (the embeddable script), the modal
//! page the script puts in its iframe (`GET /link/modal`) with its CSS and JS, and the
//! initials logos the integration catalogue advertises (`GET /link/logos/{type}/{name}.svg`).
//! No authentication: these are public, like Trackstar's own CDN files.

use crate::error::ApiError;
use crate::routes::integrations::parse_type;
use crate::state::SharedState;
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use waybill_connect::IntegrationDescriptor;
use waybill_link::{Asset, PageMode};

/// The routes; merged next to the modal's session routes, outside the rate-limited group.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/link/main.js", get(main_js))
        .route("/link/modal", get(modal))
        .route("/link/modal.js", get(modal_js))
        .route("/link/modal.css", get(modal_css))
        .route("/link/logos/{integration_type}/{file}", get(logo))
}

/// Where an integration's logo is: its own, or the initials tile served here.
pub fn logo_url(state: &SharedState, d: &IntegrationDescriptor) -> String {
    d.logo_url.map(str::to_string).unwrap_or_else(|| {
        format!(
            "{}/link/logos/{}/{}.svg",
            state.config.public_url, d.integration_type, d.integration_name
        )
    })
}

/// Cache lifetime of `main.js`: host pages load it by a fixed URL, so keep it short enough
/// that an upgrade reaches them within minutes.
const MAIN_JS_CACHE: &str = "public, max-age=300";
/// Versioned modal assets never change under the same `?v=`.
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// Security headers of the modal's pages. Images may come from anywhere (an organization's
/// logo URL); scripts, styles and API calls only from Waybill itself.
pub fn page_headers(frame_ancestors: &str) -> [(HeaderName, HeaderValue); 4] {
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}"
    );
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'none'")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ]
}

/// An HTML page with the modal's security headers.
pub fn html(status: axum::http::StatusCode, frame_ancestors: &str, body: String) -> Response {
    (
        status,
        page_headers(frame_ancestors),
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn asset(a: Asset, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // Host pages on other origins load main.js, including ones that isolate themselves.
            (
                HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        a.body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct Version {
    v: Option<String>,
}

fn versioned(a: Asset, q: &Version) -> Response {
    let current = q.v.as_deref() == Some(waybill_link::version().as_str());
    asset(
        a,
        if current {
            IMMUTABLE_CACHE
        } else {
            MAIN_JS_CACHE
        },
    )
}

async fn main_js() -> Response {
    asset(waybill_link::MAIN_JS, MAIN_JS_CACHE)
}

async fn modal_js(Query(q): Query<Version>) -> Response {
    versioned(waybill_link::MODAL_JS, &q)
}

async fn modal_css(Query(q): Query<Version>) -> Response {
    versioned(waybill_link::MODAL_CSS, &q)
}

async fn modal() -> Response {
    // Any site may frame the modal: the host page is the organization's own app, and the
    // modal trusts only the origin the host announced and the parent actually has.
    html(
        axum::http::StatusCode::OK,
        "*",
        waybill_link::modal_page(PageMode::Embedded),
    )
}

async fn logo(
    State(state): State<SharedState>,
    Path((ty, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ty = parse_type(&ty)?;
    let name = file
        .strip_suffix(".svg")
        .ok_or_else(|| ApiError::not_found("Logo", &file))?;
    let c = state
        .registry
        .get(ty, name)
        .ok_or_else(|| ApiError::not_found("Logo", &file))?;
    let svg = waybill_link::initials_svg(c.descriptor().display_name);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        svg,
    )
        .into_response())
}
