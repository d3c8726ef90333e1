//! The browser side of Link, compiled into the binary so a self-hosted Waybill needs no
//! separate web server or CDN: `main.js` (the script a host page embeds), the modal page that
//! runs inside its iframe or standalone for magic links, the modal's CSS and JS, and the
//! initials logos of integrations that ship no logo.
//!
//! The HTTP routes live in `waybill-api`; this crate only owns the bytes and how pages are
//! rendered, so the assets can be checked (size, content) without a server.

mod logo;
mod page;

pub use logo::{initials, initials_svg};
pub use page::{modal_page, refusal_page, PageMode};

/// A static file served to browsers.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// The file's text.
    pub body: &'static str,
    /// Its `Content-Type`, so browsers accept it under `X-Content-Type-Options: nosniff`.
    pub content_type: &'static str,
}

/// The embeddable script defining `window.Trackstar`.
pub const MAIN_JS: Asset = Asset {
    body: include_str!("../assets/main.js"),
    content_type: "text/javascript; charset=utf-8",
};
/// The modal's behaviour: steps, validation, the `postMessage` protocol.
pub const MODAL_JS: Asset = Asset {
    body: include_str!("../assets/modal.js"),
    content_type: "text/javascript; charset=utf-8",
};
/// The modal's look, shared by the iframe and the hosted magic-link page.
pub const MODAL_CSS: Asset = Asset {
    body: include_str!("../assets/modal.css"),
    content_type: "text/css; charset=utf-8",
};
/// The page template both modes render from.
pub(crate) const PAGE_HTML: &str = include_str!("../assets/page.html");

/// Looks up a file of the modal by its name under `/link/`, for the asset route.
pub fn asset(name: &str) -> Option<Asset> {
    match name {
        "main.js" => Some(MAIN_JS),
        "modal.js" => Some(MODAL_JS),
        "modal.css" => Some(MODAL_CSS),
        _ => None,
    }
}

/// Every asset a browser downloads for Link, for size budgets and checks.
pub fn all_assets() -> [(&'static str, &'static str); 4] {
    [
        ("main.js", MAIN_JS.body),
        ("modal.js", MODAL_JS.body),
        ("modal.css", MODAL_CSS.body),
        ("page.html", PAGE_HTML),
    ]
}

const fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut p = 0;
    while p < parts.len() {
        let bytes = parts[p];
        let mut i = 0;
        while i < bytes.len() {
            h ^= bytes[i] as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
            i += 1;
        }
        p += 1;
    }
    h
}

const VERSION_HASH: u64 = fnv1a(&[MODAL_JS.body.as_bytes(), MODAL_CSS.body.as_bytes()]);

/// A fingerprint of the modal's CSS and JS. Pages reference them as `?v={version}`, so
/// the files can be cached for a long time and still change with every release.
pub fn version() -> String {
    format!("{VERSION_HASH:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_found_by_name() {
        assert!(asset("main.js").is_some_and(|a| a.body.contains("Trackstar")));
        assert!(asset("modal.css").is_some_and(|a| a.content_type.starts_with("text/css")));
        assert!(asset("../secret").is_none());
    }

    #[test]
    fn no_asset_loads_anything_from_elsewhere() {
        for (name, body) in all_assets() {
            for needle in ["https://", "http://", "//fonts.", "@import"] {
                assert!(!body.contains(needle), "{name} references {needle}");
            }
        }
    }

    #[test]
    fn version_is_stable_hex() {
        assert_eq!(version().len(), 16);
        assert_eq!(version(), version());
    }
}
