//! Reading a few top-level members out of a JSON object's text without parsing the rest.
//!
//! Change detection needs only a record's id (and the sync engine its `updated_date`) before
//! it knows whether the record changed; parsing a 3 KB document into a `serde_json::Value`
//! just to read them costs more than everything else a resync does. The scanner here walks
//! the object's top level byte by byte, skipping nested values by bracket depth, and stops as
//! soon as every wanted member is found.
//!
//! It does not validate what it skips. Callers use it on text that is validated before it is
//! stored (a full parse of new and changed documents), or that is byte-identical to text that
//! was (an unchanged document, by hash). On anything it does not understand (escaped keys,
//! malformed text) it answers `None` and callers fall back to a real parser.

/// The raw text of the top-level members `names` of the JSON object `text` (first occurrence
/// of each), or `None` when the text is not a simple JSON object.
pub fn members<'t, const N: usize>(
    text: &'t str,
    names: [&str; N],
) -> Option<[Option<&'t str>; N]> {
    let b = text.as_bytes();
    let mut out: [Option<&'t str>; N] = [None; N];
    let mut found = 0;
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(b, i)?;
        let key = &b[i + 1..key_end - 1];
        if key.contains(&b'\\') {
            return None;
        }
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = ws(b, i + 1);
        let end = value_end(b, i)?;
        if let Some(k) = names.iter().position(|n| n.as_bytes() == key) {
            if out[k].is_none() {
                // `i..end` starts and ends on ASCII bytes, so it is a char boundary.
                out[k] = Some(&text[i..end]);
                found += 1;
                if found == N {
                    return Some(out);
                }
            }
        }
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

/// A raw member as a string: the contents of a JSON string without escapes, or the decoded
/// string otherwise; `None` when it is not a string.
pub fn as_str(raw: &str) -> Option<std::borrow::Cow<'_, str>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(raw).ok().map(Into::into)
    } else {
        Some(inner.into())
    }
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// The index just past the string starting at `i` (an opening quote).
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    None
}

/// The index just past the value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{as_str, members};

    #[test]
    fn finds_members_and_skips_nested_values() {
        let t = r#"{"a":{"id":"x","b":[1,{"c":"}"}]},"id":"ord_1","n":-1.5e3,"s":"q\"}","z":null}"#;
        let [id, n, s, z, missing] = members(t, ["id", "n", "s", "z", "nope"]).unwrap();
        assert_eq!(id, Some(r#""ord_1""#));
        assert_eq!(n, Some("-1.5e3"));
        assert_eq!(s, Some(r#""q\"}""#));
        assert_eq!(z, Some("null"));
        assert_eq!(missing, None);
        assert_eq!(as_str(id.unwrap()).as_deref(), Some("ord_1"));
        assert_eq!(as_str(s.unwrap()).as_deref(), Some("q\"}"));
        assert_eq!(as_str("12"), None);
    }

    #[test]
    fn whitespace_first_occurrence_and_early_stop() {
        let t = " { \"id\" : 7 , \"id\" : 8 , \"rest\": [ ";
        assert_eq!(members(t, ["id"]).unwrap(), [Some("7")]);
        assert_eq!(members("{}", ["id"]).unwrap(), [None]);
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert_eq!(members("[1]", ["id"]), None);
        assert_eq!(members(r#"{"i\u0064":"x"}"#, ["id"]), None);
        assert_eq!(members(r#"{"id" "x"}"#, ["id"]), None);
        assert_eq!(members(r#"{"a":"x""#, ["id"]), None);
    }
}
