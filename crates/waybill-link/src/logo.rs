//! Initials logos: integrations without a logo file get a coloured tile with their initials,
//! generated here so nothing is fetched from elsewhere.

use crate::page::escape;

/// Up to two initials of a display name: the first letter or digit of its first two words
/// ("WMS Sandbox" → "WS", "shipbob" → "S"); `?` for a name without any.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
}

/// A hue picked from the name, so each integration keeps its colour across pages.
fn hue(name: &str) -> u32 {
    name.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360
}

/// An SVG tile with the initials of `name`, labelled with the name for screen readers.
pub fn initials_svg(name: &str) -> String {
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="{label}">"##,
            r##"<rect width="64" height="64" rx="14" fill="hsl({hue},45%,38%)"/>"##,
            r##"<text x="32" y="33" dominant-baseline="middle" text-anchor="middle" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="26" font-weight="600" fill="#fff">{initials}</text></svg>"##
        ),
        label = escape(name),
        hue = hue(name),
        initials = escape(&initials(name)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_two_words() {
        assert_eq!(initials("WMS Sandbox"), "WS");
        assert_eq!(initials("shipbob"), "S");
        assert_eq!(initials("extensiv-3pl-central"), "E3");
        assert_eq!(initials("  "), "?");
    }

    #[test]
    fn svg_escapes_the_name() {
        let svg = initials_svg("A<b>&\"c");
        assert!(svg.contains("aria-label=\"A&lt;b&gt;&amp;&quot;c\""));
        assert!(!svg.contains("<b>"));
    }
}
