//! Value rules: `limit`, comma lists, and the per-kind checks every filter value passes
//! before it reaches the store.

use super::{FilterValue, QueryError, MAX_LIMIT, MAX_LIST_ITEMS, MAX_VALUE_CHARS};
use crate::resource::{FieldKind, FilterField, Op};
use crate::time;

const NOT_INTEGER: &str = "Not a valid integer.";
const LIMIT_RANGE: &str = "Must be between 1 and 1000.";
const TOO_MANY: &str = "At most 100 values are allowed.";
const EMPTY: &str = "Must not be empty.";
const EMPTY_ITEM: &str = "List items must not be empty.";
const TOO_LONG: &str = "Value too long.";
const NUL: &str = "Must not contain NUL characters.";
const BAD_DATE: &str = "Not a valid datetime. Use YYYY-MM-DDTHH:MM:SSZ.";
const BAD_BOOL: &str = "Must be true or false.";

/// `limit`: an integer in `1..=MAX_LIMIT`. A well-formed integer of any size is reported
/// as out of range rather than as "not an integer".
pub(super) fn parse_limit(value: &str) -> Result<u32, &'static str> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NOT_INTEGER);
    }
    match value.parse::<i64>() {
        Ok(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => Ok(n as u32),
        _ => Err(LIMIT_RANGE),
    }
}

/// Splits a comma list, checking the item count and each item with `check`. Every problem
/// is added under `name`; `None` when there was any.
pub(super) fn list_items(
    value: &str,
    name: &str,
    errors: &mut QueryError,
    check: impl Fn(&str) -> Option<String>,
) -> Option<Vec<String>> {
    let before = errors.fields.get(name).map_or(0, Vec::len);
    let items: Vec<&str> = value.split(',').collect();
    if items.len() > MAX_LIST_ITEMS {
        errors.add(name, TOO_MANY);
    }
    for item in &items {
        if item.is_empty() {
            errors.add(name, EMPTY_ITEM);
        } else if let Some(message) = check(item) {
            errors.add(name, &message);
        }
    }
    let after = errors.fields.get(name).map_or(0, Vec::len);
    (after == before).then(|| items.into_iter().map(str::to_owned).collect())
}

/// Rules every textual value obeys, whatever the field.
pub(super) fn check_text(value: &str) -> Result<(), String> {
    if value.is_empty() {
        Err(EMPTY.to_owned())
    } else if value.contains('\0') {
        Err(NUL.to_owned())
    } else if value.chars().count() > MAX_VALUE_CHARS {
        Err(TOO_LONG.to_owned())
    } else {
        Ok(())
    }
}

/// Checks one value (a scalar or one list item) against the field's kind.
pub(super) fn check_item(field: &FilterField, op: Op, value: &str) -> Result<(), String> {
    check_text(value)?;
    match field.kind {
        FieldKind::Text => Ok(()),
        FieldKind::Date if time::parse_strict(value).is_some() => Ok(()),
        FieldKind::Date => Err(BAD_DATE.to_owned()),
        FieldKind::Bool if value == "true" || value == "false" => Ok(()),
        FieldKind::Bool => Err(BAD_BOOL.to_owned()),
        FieldKind::Enum(_)
            if matches!(op, Op::Contains | Op::NotContains | Op::ContainsInsensitive) =>
        {
            Ok(())
        }
        FieldKind::Enum(allowed) => {
            let insensitive = matches!(op, Op::EqInsensitive | Op::InInsensitive);
            let ok = allowed
                .iter()
                .any(|a| *a == value || (insensitive && a.eq_ignore_ascii_case(value)));
            if ok {
                Ok(())
            } else {
                Err(format!("Must be one of: {}.", allowed.join(", ")))
            }
        }
    }
}

/// Types an already-checked value by the field's kind.
pub(super) fn typed(field: &FilterField, value: &str) -> FilterValue {
    match field.kind {
        FieldKind::Date => FilterValue::Date(value.to_owned()),
        FieldKind::Bool => FilterValue::Bool(value == "true"),
        FieldKind::Text | FieldKind::Enum(_) => FilterValue::Text(value.to_owned()),
    }
}
