use super::decode::{component, split_name};
use super::*;
use crate::resource::{FieldKind, COMMON_FILTERS, ORDER_STATUSES};
use crate::time;
use crate::ALL_RESOURCES;

fn res(key: &str) -> &'static Resource {
    Resource::by_key(key).expect("resource")
}

fn ok(key: &str, q: &str) -> ListQuery {
    match ListQuery::parse(res(key), Some(q), &[]) {
        Ok(q) => q,
        Err(e) => panic!("{q:?} should parse: {e}"),
    }
}

fn err(key: &str, q: &str) -> BTreeMap<String, Vec<String>> {
    match ListQuery::parse(res(key), Some(q), &[]) {
        Ok(parsed) => panic!("{q:?} should fail, got {parsed:?}"),
        Err(e) => e.fields,
    }
}

fn only(key: &str, q: &str, param: &str, message: &str) {
    let fields = err(key, q);
    assert_eq!(fields.len(), 1, "{q:?}: {fields:?}");
    let messages = fields
        .get(param)
        .unwrap_or_else(|| panic!("{q:?}: {fields:?}"));
    assert_eq!(messages, &vec![message.to_owned()], "{q:?}");
}

fn text(s: &str) -> FilterValue {
    FilterValue::Text(s.to_owned())
}

// ---- decoding and grammar ----

#[test]
fn decodes_percent_escapes_and_plus() {
    assert_eq!(component("a+b%20c").as_deref(), Ok("a b c"));
    assert_eq!(component("%5Bin%5d").as_deref(), Ok("[in]"));
    assert_eq!(component("caf%C3%A9").as_deref(), Ok("café"));
    assert_eq!(component("日本").as_deref(), Ok("日本"));
    assert_eq!(component("%2B").as_deref(), Ok("+"));
    assert!(component("%").is_err());
    assert!(component("%4").is_err());
    assert!(component("%zz").is_err());
    assert!(component("%FF").is_err());
    assert!(component("%E2%82").is_err());
}

#[test]
fn name_grammar() {
    assert_eq!(split_name("status"), Some(("status", None)));
    assert_eq!(split_name("status[in]"), Some(("status", Some("in"))));
    for bad in [
        "",
        "status[",
        "status]",
        "status[in][x]",
        "[in]",
        "status[]",
        "st]atus[in]",
        "status[i[n]",
        "status[in]x",
    ] {
        assert_eq!(split_name(bad), None, "{bad:?}");
    }
}

#[test]
fn encoded_names_and_values_parse() {
    let q = ok(
        "wms.orders",
        "status%5Bin%5D=open%2Cfulfilled&order_number=A+1",
    );
    assert_eq!(q.conditions.len(), 2);
    assert_eq!(q.conditions[0].field.name, "order_number");
    assert_eq!(q.conditions[0].values, vec![text("A 1")]);
    assert_eq!(q.conditions[1].op, Op::In);
    assert_eq!(
        q.conditions[1].values,
        vec![text("fulfilled"), text("open")]
    );
}

#[test]
fn bad_escapes_are_errors_on_the_parameter() {
    only(
        "wms.orders",
        "channel=%zz",
        "channel",
        "Invalid percent-encoding.",
    );
    only("wms.orders", "channel=%C3", "channel", "Not valid UTF-8.");
    only(
        "wms.orders",
        "chan%ZZnel=x",
        "chan%ZZnel",
        "Invalid percent-encoding.",
    );
}

#[test]
fn malformed_names_are_unknown_fields() {
    for name in ["status[", "status]", "status[in][x]", "[in]", "status[]"] {
        only(
            "wms.orders",
            &format!("{name}=open"),
            name,
            "Unknown field.",
        );
    }
    only("wms.orders", "=open", "", "Unknown field.");
    only("wms.orders", "nope=1", "nope", "Unknown field.");
    only("wms.orders", "nope[eq]=1", "nope[eq]", "Unknown field.");
}

#[test]
fn empty_segments_and_missing_query_are_fine() {
    assert_eq!(
        ListQuery::parse(res("wms.orders"), None, &[]),
        Ok(ListQuery::default())
    );
    assert_eq!(ok("wms.orders", ""), ListQuery::default());
    assert_eq!(ok("wms.orders", "&&limit=5&").limit, 5);
}

// ---- operators ----

#[test]
fn bare_name_means_eq() {
    let q = ok("wms.orders", "status=open");
    assert_eq!(q.conditions[0].op, Op::Eq);
    assert_eq!(q, ok("wms.orders", "status[eq]=open"));
}

#[test]
fn unsupported_operators_name_the_operator() {
    only(
        "wms.orders",
        "status[foo]=open",
        "status[foo]",
        "Unsupported operator 'foo' for status.",
    );
    only(
        "wms.orders",
        "status[gt]=open",
        "status[gt]",
        "Unsupported operator 'gt' for status.",
    );
    only(
        "wms.inventory",
        "active[neq]=true",
        "active[neq]",
        "Unsupported operator 'neq' for active.",
    );
    // sku has no neq; created_date has no contains.
    only(
        "wms.products",
        "sku[neq]=a",
        "sku[neq]",
        "Unsupported operator 'neq' for sku.",
    );
    only(
        "wms.orders",
        "created_date[contains]=x",
        "created_date[contains]",
        "Unsupported operator 'contains' for created_date.",
    );
    // Insensitive ops exist only on WMS order_number / reference_id.
    assert_eq!(
        ok("wms.orders", "order_number[eq-insensitive]=a").conditions[0].op,
        Op::EqInsensitive
    );
    only(
        "cart.orders",
        "order_number[eq-insensitive]=a",
        "order_number[eq-insensitive]",
        "Unsupported operator 'eq-insensitive' for order_number.",
    );
}

#[test]
fn bare_name_without_eq_is_unsupported() {
    only(
        "wms.orders",
        "trackstar_tags=rush",
        "trackstar_tags",
        "Unsupported operator 'eq' for trackstar_tags.",
    );
}

#[test]
fn reserved_names_with_operators_are_errors() {
    only(
        "wms.orders",
        "ids[nin]=a",
        "ids[nin]",
        "Unsupported operator 'nin' for ids.",
    );
    only(
        "wms.orders",
        "limit[gt]=5",
        "limit[gt]",
        "Unsupported operator 'gt' for limit.",
    );
    only(
        "wms.orders",
        "trackstar_tags[in]=a",
        "trackstar_tags[in]",
        "Unsupported operator 'in' for trackstar_tags.",
    );
}

#[test]
fn parent_path_parameter_is_not_a_query_filter() {
    only(
        "wms.warehouse_locations",
        "warehouse_id=w1",
        "warehouse_id",
        "Unknown field.",
    );
    assert_eq!(
        ok("wms.warehouse_locations", "type=bin").conditions.len(),
        1
    );
}

#[test]
fn common_filters_apply_everywhere() {
    for r in ALL_RESOURCES {
        let q = ListQuery::parse(
            r,
            Some("trackstar_updated_date[gte]=2026-01-01T00:00:00Z"),
            &[],
        );
        assert!(q.is_ok(), "{}", r.key);
    }
}

// ---- reserved parameters ----

#[test]
fn limit_rules() {
    assert_eq!(ok("wms.orders", "").limit, 1000);
    assert_eq!(ok("wms.orders", "limit=1").limit, 1);
    assert_eq!(ok("wms.orders", "limit=1000").limit, 1000);
    assert_eq!(ok("wms.orders", "limit=007").limit, 7);
    for bad in ["0", "1001", "-1", "99999999999999999999999"] {
        only(
            "wms.orders",
            &format!("limit={bad}"),
            "limit",
            "Must be between 1 and 1000.",
        );
    }
    for bad in ["", "abc", "1.5", "1e3", "+5", "5%20", "-", "١"] {
        only(
            "wms.orders",
            &format!("limit={bad}"),
            "limit",
            "Not a valid integer.",
        );
    }
    only("wms.orders", "limit", "limit", "Not a valid integer.");
}

#[test]
fn page_token_is_opaque() {
    assert_eq!(
        ok("wms.orders", "page_token=abc%3D%3D")
            .page_token
            .as_deref(),
        Some("abc==")
    );
    assert_eq!(ok("wms.orders", "page_token=").page_token, None);
}

#[test]
fn ids_from_either_spelling() {
    let a = ok("wms.orders", "ids=b,a,b");
    assert_eq!(a.ids, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(a, ok("wms.orders", "ids[in]=a,b"));
    assert_eq!(ok("wms.orders", "ids=x%2Cy").ids.map(|i| i.len()), Some(2));
    only(
        "wms.orders",
        "ids=a&ids[in]=b",
        "ids[in]",
        "Give only one of ids and ids[in].",
    );
    only(
        "wms.orders",
        "ids=a,,b",
        "ids",
        "List items must not be empty.",
    );
    only("wms.orders", "ids=", "ids", "List items must not be empty.");
}

#[test]
fn ids_do_not_skip_validation_of_other_filters() {
    let e = err("wms.orders", "ids=a&status=nope");
    assert!(e.contains_key("status"), "{e:?}");
    let q = ok("wms.orders", "ids=a&status=open");
    assert_eq!(q.conditions.len(), 1);
}

#[test]
fn extra_allowed_names_are_skipped() {
    let r = res("carrier.files");
    let q = ListQuery::parse(
        r,
        Some("start_time=whatever&start_time=again&partial=1&file_type=csv"),
        &["start_time", "partial"],
    );
    assert_eq!(q.map(|q| q.conditions.len()), Ok(1));
    assert!(ListQuery::parse(r, Some("start_time=x"), &[]).is_err());
}

#[test]
fn repeated_parameters_are_errors() {
    only(
        "wms.orders",
        "status=open&status=fulfilled",
        "status",
        "Parameter given more than once.",
    );
    only(
        "wms.orders",
        "limit=1&limit=1",
        "limit",
        "Parameter given more than once.",
    );
    // The same name spelled with escapes is still the same parameter.
    only(
        "wms.orders",
        "status[in]=open&status%5Bin%5D=open",
        "status[in]",
        "Parameter given more than once.",
    );
    // Different names on the same field are distinct filters.
    assert_eq!(
        ok("wms.orders", "status=open&status[eq]=open")
            .conditions
            .len(),
        1
    );
}

// ---- lists ----

#[test]
fn list_limits() {
    let hundred: Vec<String> = (0..100).map(|i| format!("id{i}")).collect();
    assert_eq!(
        ok("wms.orders", &format!("ids={}", hundred.join(",")))
            .ids
            .map(|i| i.len()),
        Some(100)
    );
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    only(
        "wms.orders",
        &format!("ids[in]={}", many.join(",")),
        "ids[in]",
        "At most 100 values are allowed.",
    );
    only(
        "wms.orders",
        &format!("channel[nin]={}", many.join(",")),
        "channel[nin]",
        "At most 100 values are allowed.",
    );
    only(
        "wms.orders",
        &format!("trackstar_tags[contains]={}", many.join(",")),
        "trackstar_tags[contains]",
        "At most 100 values are allowed.",
    );
    only(
        "wms.orders",
        "channel[in]=a,",
        "channel[in]",
        "List items must not be empty.",
    );
    only(
        "wms.orders",
        "channel[in]=,a",
        "channel[in]",
        "List items must not be empty.",
    );
}

#[test]
fn list_items_are_not_trimmed() {
    let q = ok("wms.orders", "channel[in]=a,%20b");
    assert_eq!(q.conditions[0].values, vec![text(" b"), text("a")]);
}

#[test]
fn scalar_ops_keep_commas() {
    let q = ok("wms.orders", "channel=a,b&order_number[contains]=x,y");
    assert_eq!(q.conditions[0].values, vec![text("a,b")]);
    assert_eq!(q.conditions[1].values, vec![text("x,y")]);
}

#[test]
fn empty_scalars_are_errors() {
    only("wms.orders", "channel=", "channel", "Must not be empty.");
    only("wms.orders", "channel", "channel", "Must not be empty.");
    only(
        "wms.orders",
        "order_number[contains]=",
        "order_number[contains]",
        "Must not be empty.",
    );
}

// ---- kinds ----

#[test]
fn dates_must_be_strict() {
    let q = ok("wms.orders", "updated_date[gte]=2026-01-01T00:00:00Z&updated_date[in]=2026-01-02T00:00:00Z,2026-01-01T00:00:00Z");
    assert_eq!(
        q.conditions[0].values,
        vec![FilterValue::Date("2026-01-01T00:00:00Z".into())]
    );
    assert_eq!(q.conditions[1].op, Op::In);
    assert_eq!(q.conditions[1].values.len(), 2);
    const MSG: &str = "Not a valid datetime. Use YYYY-MM-DDTHH:MM:SSZ.";
    for bad in [
        "2026-01-01",
        "2026-01-01T00:00:00%2B00:00",
        "2026-13-01T00:00:00Z",
        "2026-01-01T00:00:00.5Z",
        "yesterday",
    ] {
        only(
            "wms.orders",
            &format!("created_date[lt]={bad}"),
            "created_date[lt]",
            MSG,
        );
    }
    only(
        "wms.orders",
        "created_date[in]=2026-01-01T00:00:00Z,nope,also-nope",
        "created_date[in]",
        MSG,
    );
}

#[test]
fn bools_are_true_or_false() {
    let q = ok("wms.inventory", "active=false");
    assert_eq!(q.conditions[0].values, vec![FilterValue::Bool(false)]);
    assert_eq!(q.conditions[0].values[0].as_str(), None);
    for bad in ["True", "1", "yes", "false%20"] {
        only(
            "wms.inventory",
            &format!("active={bad}"),
            "active",
            "Must be true or false.",
        );
    }
}

#[test]
fn enums_validate_except_for_substring_ops() {
    let allowed = format!("Must be one of: {}.", ORDER_STATUSES.join(", "));
    only("wms.orders", "status=shipped", "status", &allowed);
    only("wms.orders", "status[neq]=OPEN", "status[neq]", &allowed);
    only(
        "wms.orders",
        "status[nin]=open,shipped",
        "status[nin]",
        &allowed,
    );
    only(
        "wms.orders",
        "type[in]=d2c,x",
        "type[in]",
        "Must be one of: d2c, b2b, dropship, transfer.",
    );
    assert_eq!(
        ok("wms.orders", "status[contains]=ful").conditions[0].values,
        vec![text("ful")]
    );
    assert_eq!(
        ok("wms.orders", "status[not_contains]=zzz")
            .conditions
            .len(),
        1
    );
    only(
        "wms.orders",
        "status[contains]=",
        "status[contains]",
        "Must not be empty.",
    );
}

#[test]
fn long_values_are_rejected() {
    let ok_len = "é".repeat(1000);
    assert_eq!(
        ok("wms.orders", &format!("channel={ok_len}"))
            .conditions
            .len(),
        1
    );
    let long = "x".repeat(1001);
    only(
        "wms.orders",
        &format!("channel={long}"),
        "channel",
        "Value too long.",
    );
    only(
        "wms.orders",
        &format!("channel[in]=a,{long}"),
        "channel[in]",
        "Value too long.",
    );
    only(
        "wms.orders",
        &format!("ids={long}"),
        "ids",
        "Value too long.",
    );
    only(
        "wms.orders",
        &format!("trackstar_tags[contains]=k:{long}"),
        "trackstar_tags[contains]",
        "Value too long.",
    );
    let huge = "y".repeat(10_000);
    only(
        "wms.orders",
        &format!("order_number[contains]={huge}"),
        "order_number[contains]",
        "Value too long.",
    );
}

#[test]
fn nul_bytes_are_rejected() {
    only(
        "wms.orders",
        "channel=a%00b",
        "channel",
        "Must not contain NUL characters.",
    );
}

// ---- tags ----

#[test]
fn tag_items() {
    let q = ok(
        "wms.orders",
        "trackstar_tags[contains]=rush,tier:gold,a:b:c,:x,y:&trackstar_tags[not_contains]=hold",
    );
    assert_eq!(
        q.tags_all,
        vec![
            TagFilter::Plain(":x".into()),
            TagFilter::Plain("rush".into()),
            TagFilter::Plain("y:".into()),
            TagFilter::Pair("a".into(), "b:c".into()),
            TagFilter::Pair("tier".into(), "gold".into()),
        ]
    );
    assert_eq!(q.tags_none, vec![TagFilter::Plain("hold".into())]);
    assert_eq!(
        TagFilter::parse("tier:gold").to_json(),
        serde_json::json!({"tier": "gold"})
    );
    assert_eq!(
        TagFilter::parse("rush").to_json(),
        serde_json::json!("rush")
    );
    only(
        "wms.orders",
        "trackstar_tags[contains]=a,,b",
        "trackstar_tags[contains]",
        "List items must not be empty.",
    );
    only(
        "wms.orders",
        "trackstar_tags[not_contains]=",
        "trackstar_tags[not_contains]",
        "List items must not be empty.",
    );
}

// ---- errors as a whole ----

#[test]
fn all_errors_are_reported() {
    let e = err(
        "wms.orders",
        "limit=0&status=bad&nope=1&created_date=x&status[foo]=1&channel=ok&channel=again",
    );
    let keys: Vec<&str> = e.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "channel",
            "created_date",
            "limit",
            "nope",
            "status",
            "status[foo]"
        ]
    );
}

#[test]
fn messages_are_not_duplicated() {
    let e = err("wms.orders", "created_date[in]=x,y,z,,");
    assert_eq!(
        e["created_date[in]"],
        vec![
            "Not a valid datetime. Use YYYY-MM-DDTHH:MM:SSZ.".to_owned(),
            "List items must not be empty.".to_owned()
        ]
    );
}

#[test]
fn error_detail_and_display() {
    let e = QueryError::single(
        "page_token",
        "Filters changed since this page token was issued.",
    );
    assert_eq!(
        e.detail(),
        serde_json::json!({"query": {"page_token": ["Filters changed since this page token was issued."]}})
    );
    let e = ListQuery::parse(res("wms.orders"), Some("a=1&b=2"), &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid query parameters: a: Unknown field.; b: Unknown field."
    );
}

// ---- canonical form and fingerprint ----

#[test]
fn equal_filter_sets_compare_equal() {
    let a = ok(
        "wms.orders",
        "status[in]=open,fulfilled&channel=web&trackstar_tags[contains]=b,a&limit=5",
    );
    let b = ok(
        "wms.orders",
        "trackstar_tags[contains]=a,b&channel=web&status[in]=fulfilled,open,open&limit=5",
    );
    assert_eq!(a, b);
    assert_eq!(a.filter_fingerprint(), b.filter_fingerprint());
}

#[test]
fn fingerprint_ignores_paging_only() {
    let base = ok("wms.orders", "status=open");
    let fp = base.filter_fingerprint();
    assert_eq!(fp.len(), 16);
    assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        fp,
        ok("wms.orders", "status=open&limit=3&page_token=zz").filter_fingerprint()
    );
    let different = [
        "status=fulfilled",
        "status[neq]=open",
        "status=open&channel=web",
        "status=open&ids=a",
        "status=open&trackstar_tags[contains]=a",
        "status=open&trackstar_tags[not_contains]=a",
        "status=open&trackstar_tags[contains]=a:b",
        "status=open&trackstar_tags[contains]=a%3Ab",
    ];
    let mut seen = BTreeSet::from([fp.clone()]);
    for q in different {
        let f = ok("wms.orders", q).filter_fingerprint();
        // a:b and a%3Ab decode to the same thing and must agree; everything else differs.
        if q.ends_with("a%3Ab") {
            assert!(seen.contains(&f), "{q}");
        } else {
            assert!(seen.insert(f), "{q}");
        }
    }
    // Empty ids list differs from no ids; length prefixes avoid concatenation collisions.
    let ab = ok("wms.orders", "channel[in]=ab,c").filter_fingerprint();
    let a_bc = ok("wms.orders", "channel[in]=a,bc").filter_fingerprint();
    assert_ne!(ab, a_bc);
    assert_eq!(
        ListQuery::default().filter_fingerprint(),
        ok("wms.orders", "limit=9").filter_fingerprint()
    );
}

#[test]
fn fingerprint_is_stable_across_builds() {
    // Page tokens outlive a deploy, so the fingerprint of a fixed query must never change.
    assert_eq!(
        ListQuery::default().filter_fingerprint(),
        ListQuery::default().filter_fingerprint()
    );
    let q = ok(
        "wms.orders",
        "status[in]=open,fulfilled&trackstar_tags[contains]=tier:gold",
    );
    // Cross-checked against an independent FNV-1a over the same encoding.
    assert_eq!(q.filter_fingerprint(), "dad699a5309fd715");
}

// ---- the registry ----

fn valid_value(kind: FieldKind, list: bool) -> String {
    let items: Vec<String> = match kind {
        FieldKind::Text => vec!["abc".into(), "d e".into()],
        FieldKind::Date => vec!["2026-01-01T00:00:00Z".into(), "2026-02-03T04:05:06Z".into()],
        FieldKind::Bool => vec!["true".into(), "false".into()],
        FieldKind::Enum(values) => values.iter().take(2).map(|v| (*v).to_owned()).collect(),
    };
    let items = if list { &items[..] } else { &items[..1] };
    items.join(",").replace(' ', "+")
}

#[test]
fn every_declared_field_and_op_parses() {
    let mut checked = 0;
    for r in ALL_RESOURCES {
        for field in COMMON_FILTERS.iter().chain(r.filters) {
            for &op in field.ops {
                let value = valid_value(field.kind, op.takes_list());
                let mut names = vec![format!("{}[{}]", field.name, op.as_str())];
                if op == Op::Eq {
                    names.push(field.name.to_owned());
                }
                for name in names {
                    let q = format!("{name}={value}");
                    let parsed = ListQuery::parse(r, Some(&q), &[])
                        .unwrap_or_else(|e| panic!("{} {q}: {e}", r.key));
                    assert_eq!(parsed.conditions.len(), 1, "{} {q}", r.key);
                    let c = &parsed.conditions[0];
                    assert_eq!((c.field.name, c.op), (field.name, op), "{} {q}", r.key);
                    let expected = if op.takes_list() {
                        value.split(',').count()
                    } else {
                        1
                    };
                    assert_eq!(c.values.len(), expected, "{} {q}", r.key);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked}");
}

// ---- the property test ----

/// xorshift64*: deterministic, so a failure reproduces from the printed iteration.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NOISE: &[&str] = &[
    "[",
    "]",
    "=",
    "&",
    "%",
    ",",
    ":",
    "+",
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    " ",
    "%5B",
    "%5D",
    "%2C",
    "%3A",
    "%26",
    "%3D",
    "%00",
    "%FF",
    "%C3%A9",
    "%E2%82",
    "%e6%97%a5",
    "%G1",
    "%2",
    "é",
    "日本",
    "🚚",
    "\u{0}",
    "status",
    "limit",
    "ids",
    "page_token",
    "trackstar_tags",
    "created_date",
    "sku",
    "active",
    "channel",
    "warehouse_id",
    "eq",
    "in",
    "nin",
    "gte",
    "contains",
    "not_contains",
    "in-insensitive",
    "true",
    "open",
    "1000",
    "1001",
    "-1",
    "2026-01-01T00:00:00Z",
];

const OPS: &[&str] = &[
    "",
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "nin",
    "contains",
    "not_contains",
    "eq-insensitive",
    "in-insensitive",
    "contains-insensitive",
    "bogus",
];

const VALUES: &[&str] = &[
    "open",
    "fulfilled",
    "d2c",
    "true",
    "false",
    "abc",
    "x:y",
    "2026-01-01T00:00:00Z",
    "2026-01-01",
    "",
    ",",
    "1",
    "1000",
    "0",
    "é",
    "%20",
    "%2C",
    "+",
];

fn noise(rng: &mut Rng) -> String {
    (0..rng.below(12)).map(|_| rng.pick(NOISE)).collect()
}

fn segment(rng: &mut Rng, r: &Resource) -> String {
    match rng.below(10) {
        0 | 1 => noise(rng),
        2 => format!(
            "limit={}",
            rng.pick(&["1", "50", "1000", "0", "1001", "x", ""])
        ),
        3 => format!(
            "{}={}",
            rng.pick(&[
                "ids",
                "ids[in]",
                "trackstar_tags[contains]",
                "trackstar_tags[not_contains]",
                "page_token"
            ]),
            list(rng)
        ),
        _ => {
            let fields: Vec<&str> = COMMON_FILTERS
                .iter()
                .chain(r.filters)
                .map(|f| f.name)
                .collect();
            let name = rng.pick(&fields);
            let op = rng.pick(OPS);
            let name = if op.is_empty() {
                name.to_owned()
            } else {
                format!("{name}[{op}]")
            };
            let value = if rng.below(4) == 0 {
                noise(rng)
            } else {
                list(rng)
            };
            format!("{name}={value}")
        }
    }
}

fn list(rng: &mut Rng) -> String {
    let n = if rng.below(20) == 0 {
        95 + rng.below(10)
    } else {
        1 + rng.below(3)
    };
    (0..n)
        .map(|_| rng.pick(VALUES))
        .collect::<Vec<_>>()
        .join(",")
}

fn check_invariants(q: &ListQuery) {
    assert!((1..=MAX_LIMIT).contains(&q.limit));
    if let Some(ids) = &q.ids {
        assert!(!ids.is_empty() && ids.len() <= MAX_LIST_ITEMS);
        assert!(ids
            .iter()
            .all(|i| !i.is_empty() && i.chars().count() <= MAX_VALUE_CHARS));
    }
    for c in &q.conditions {
        assert!(c.field.ops.contains(&c.op));
        assert!(!c.values.is_empty() && c.values.len() <= MAX_LIST_ITEMS);
        if !c.op.takes_list() {
            assert_eq!(c.values.len(), 1);
        }
        for v in &c.values {
            match (v, c.field.kind) {
                (FilterValue::Date(s), FieldKind::Date) => assert!(time::parse_strict(s).is_some()),
                (FilterValue::Bool(_), FieldKind::Bool) => {}
                (FilterValue::Text(s), FieldKind::Text | FieldKind::Enum(_)) => {
                    assert!(
                        !s.is_empty() && !s.contains('\0') && s.chars().count() <= MAX_VALUE_CHARS
                    );
                }
                other => panic!("value of the wrong kind: {other:?}"),
            }
        }
    }
    assert!(q
        .conditions
        .windows(2)
        .all(|w| w[0].canonical_cmp(&w[1]).is_lt()));
    for tags in [&q.tags_all, &q.tags_none] {
        assert!(tags.len() <= MAX_LIST_ITEMS);
        for t in tags.iter() {
            match t {
                TagFilter::Plain(s) => assert!(!s.is_empty()),
                TagFilter::Pair(k, v) => assert!(!k.is_empty() && !v.is_empty()),
            }
        }
    }
}

#[test]
fn random_queries_never_panic_and_keep_invariants() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let listable: Vec<&Resource> = ALL_RESOURCES.iter().collect();
    let (mut oks, mut errs) = (0, 0);
    for i in 0..20_000 {
        let r = listable[rng.below(listable.len())];
        let query: String = (0..rng.below(6))
            .map(|_| segment(&mut rng, r))
            .collect::<Vec<_>>()
            .join("&");
        let outcome = std::panic::catch_unwind(|| {
            let parsed = ListQuery::parse(r, Some(&query), &["partial"]);
            if let Ok(q) = &parsed {
                check_invariants(q);
                // Parsing is deterministic and the fingerprint is a pure function of it.
                let again = ListQuery::parse(r, Some(&query), &["partial"]);
                assert_eq!(again.as_ref(), Ok(q));
                assert_eq!(
                    q.filter_fingerprint(),
                    again.map(|a| a.filter_fingerprint()).unwrap_or_default()
                );
            }
            if let Err(e) = &parsed {
                assert!(!e.fields.is_empty());
                assert!(e.fields.values().all(|m| !m.is_empty()));
                let _ = e.to_string();
                let _ = e.detail();
            }
            parsed.is_ok()
        });
        match outcome {
            Ok(true) => oks += 1,
            Ok(false) => errs += 1,
            Err(_) => panic!("iteration {i}: parse panicked on {} {query:?}", r.key),
        }
    }
    // Both outcomes must be exercised for the invariants to mean anything.
    assert!(oks > 2_000 && errs > 2_000, "ok {oks}, err {errs}");
}
