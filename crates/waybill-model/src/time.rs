//! Timestamps on the wire are ISO-8601 UTC with a `Z` and second precision. The store keeps
//! them as text in exactly that shape so that text order is time order on both backends.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// The current time, truncated to whole seconds as the wire format requires.
pub fn now() -> DateTime<Utc> {
    let n = Utc::now();
    Utc.timestamp_opt(n.timestamp(), 0).single().unwrap_or(n)
}

/// Formats a time in the wire shape `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `fmt(now())`, the value most writes need.
pub fn now_str() -> String {
    fmt(now())
}

/// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`, the only shape filters accept.
pub fn parse_strict(s: &str) -> Option<DateTime<Utc>> {
    if s.len() != 20 || !s.ends_with('Z') {
        return None;
    }
    NaiveDateTime::parse_from_str(&s[..19], "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|n| Utc.from_utc_datetime(&n))
}

/// Parses any RFC 3339 time (vendors send offsets and fractions) into UTC.
pub fn parse_lenient(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| parse_strict(s))
}

/// Normalizes a vendor timestamp to the wire shape; `None` when it is not a time.
pub fn normalize(s: &str) -> Option<String> {
    parse_lenient(s).map(fmt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_accepts_only_the_wire_shape() {
        assert!(parse_strict("2026-01-01T00:00:00Z").is_some());
        assert!(parse_strict("2026-01-01T00:00:00+00:00").is_none());
        assert!(parse_strict("2026-01-01").is_none());
        assert!(parse_strict("2026-13-01T00:00:00Z").is_none());
        assert!(parse_strict("2026-01-01T00:00:00.5Z").is_none());
    }

    #[test]
    fn normalize_converts_offsets_to_utc() {
        assert_eq!(
            normalize("2026-01-01T02:00:00+02:00").as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
    }
}
