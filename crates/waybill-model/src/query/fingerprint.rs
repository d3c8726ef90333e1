//! The filter fingerprint that binds a page token to the filters it was issued for.

use super::{FilterValue, ListQuery, TagFilter};

/// FNV-1a 64 over a length-prefixed encoding of the canonical filter set, as 16 hex digits.
pub(super) fn of(q: &ListQuery) -> String {
    let mut h = Fnv::new();
    h.str("waybill.filters.v1");
    match &q.ids {
        None => h.byte(0),
        Some(ids) => {
            h.byte(1);
            h.len(ids.len());
            ids.iter().for_each(|id| h.str(id));
        }
    }
    h.len(q.conditions.len());
    for c in &q.conditions {
        h.str(c.field.name);
        h.str(c.op.as_str());
        h.len(c.values.len());
        for v in &c.values {
            match v {
                FilterValue::Text(s) => {
                    h.byte(b't');
                    h.str(s);
                }
                FilterValue::Date(s) => {
                    h.byte(b'd');
                    h.str(s);
                }
                FilterValue::Bool(b) => {
                    h.byte(b'b');
                    h.byte(u8::from(*b));
                }
            }
        }
    }
    for tags in [&q.tags_all, &q.tags_none] {
        h.len(tags.len());
        for t in tags {
            match t {
                TagFilter::Plain(s) => {
                    h.byte(b'p');
                    h.str(s);
                }
                TagFilter::Pair(k, v) => {
                    h.byte(b'k');
                    h.str(k);
                    h.str(v);
                }
            }
        }
    }
    format!("{:016x}", h.0)
}

/// FNV-1a 64: tiny, dependency-free and stable, which is all a filter fingerprint needs
/// (it detects accidental mismatches; it is not a security boundary).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn len(&mut self, n: usize) {
        (n as u64).to_le_bytes().iter().for_each(|b| self.byte(*b));
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        s.bytes().for_each(|b| self.byte(b));
    }
}
