//! The lexical layer of the query string: `application/x-www-form-urlencoded` decoding of
//! one name or value, and the `field` / `field[op]` name grammar. Hand-written because
//! this crate takes no URL dependency; it is strict where common decoders are lenient
//! (a bad escape is an error, not a literal `%`), so malformed input is reported instead of
//! being matched against something the client did not mean.

const BAD_ESCAPE: &str = "Invalid percent-encoding.";
const BAD_UTF8: &str = "Not valid UTF-8.";

/// Decodes one name or value: `+` is a space, `%XX` is a byte, and the bytes must form
/// UTF-8. Errors are the message to report on the parameter.
pub(super) fn component(raw: &str) -> Result<String, &'static str> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(raw.to_owned());
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex(*b));
                let lo = bytes.get(i + 2).and_then(|b| hex(*b));
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(BAD_ESCAPE);
                };
                out.push(hi << 4 | lo);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| BAD_UTF8)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a decoded parameter name into its base and optional operator text. `None` for
/// anything outside the grammar: an empty name or operator, a stray or unclosed bracket,
/// or more than one bracket pair.
pub(super) fn split_name(name: &str) -> Option<(&str, Option<&str>)> {
    let Some(open) = name.find('[') else {
        return (!name.is_empty() && !name.contains(']')).then_some((name, None));
    };
    let base = &name[..open];
    let op = name[open + 1..].strip_suffix(']')?;
    let well_formed =
        !base.is_empty() && !base.contains(']') && !op.is_empty() && !op.contains(['[', ']']);
    well_formed.then_some((base, Some(op)))
}
