//! Renders the one HTML template in its three uses: the modal inside the host page's iframe,
//! the standalone magic-link page, and the page that refuses an expired or deleted link.

use crate::{version, PAGE_HTML};

/// How the modal page runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMode {
    /// Inside the iframe `main.js` creates; talks to the host page by `postMessage`.
    Embedded,
    /// Standalone at `/magic-link/{id}`; installs server-side, no host page.
    MagicLink,
}

impl PageMode {
    fn name(self) -> &'static str {
        match self {
            PageMode::Embedded => "embed",
            PageMode::MagicLink => "magic",
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn render(mode: &str, title: &str, content: &str, script: bool) -> String {
    let v = version();
    let script = if script {
        format!(r#"<script src="../link/modal.js?v={v}"></script>"#)
    } else {
        String::new()
    };
    PAGE_HTML
        .replace("{{MODE}}", mode)
        .replace("{{TITLE}}", &escape(title))
        .replace("{{VERSION}}", &v)
        .replace("{{CONTENT}}", content)
        .replace("{{SCRIPT}}", &script)
}

/// The modal page; its script takes over once loaded.
pub fn modal_page(mode: PageMode) -> String {
    let loading = r#"<h1 id="wb-title" class="wb-title" tabindex="-1">Loading…</h1><p class="wb-muted">Preparing a secure connection.</p>"#;
    render(mode.name(), "Connect your account", loading, true)
}

/// A page that explains why a link cannot be used, with no script at all.
pub fn refusal_page(title: &str, message: &str) -> String {
    let content = format!(
        r#"<h1 id="wb-title" class="wb-title" tabindex="-1">{}</h1><p class="wb-error-text" role="alert">{}</p>"#,
        escape(title),
        escape(message)
    );
    render("refused", title, &content, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_reference_versioned_assets() {
        let page = modal_page(PageMode::MagicLink);
        assert!(page.contains(&format!("modal.css?v={}", version())));
        assert!(page.contains("data-mode=\"magic\""));
        assert!(!page.contains("{{"));
    }

    #[test]
    fn refusal_escapes_and_has_no_script() {
        let page = refusal_page("Expired", "<script>x</script>");
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script"));
    }
}
