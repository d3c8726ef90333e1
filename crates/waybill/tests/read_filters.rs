//! The read API against a brute-force oracle: for every list route, every filter field and
//! every operator it accepts, the server's answer equals a filter computed in the test over
//! the same records fetched unfiltered. Values are taken from the data itself, so every
//! check selects a non-trivial subset.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use waybill_model::{FieldKind, Op, Resource, ALL_RESOURCES};

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every record of a list, following `next_token`.
pub async fn fetch_all(s: &Server, key: &str, token: &str, path: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut page: Option<String> = None;
    loop {
        let mut q = query.to_string();
        if let Some(p) = &page {
            q.push_str(&format!("&page_token={}", enc(p)));
        }
        let url = format!("{path}?limit=1000{q}");
        let v = s.get(&url, key, Some(token)).await.ok();
        out.extend(v["data"].as_array().unwrap().iter().cloned());
        match v["next_token"].as_str() {
            Some(t) => page = Some(t.to_string()),
            None => return out,
        }
    }
}

fn text_at(r: &Value, path: &str) -> Option<String> {
    let v = path.split('.').try_fold(r, |v, k| v.get(k))?;
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

fn oracle(records: &[Value], path: &str, op: Op, vals: &[String]) -> BTreeSet<String> {
    records
        .iter()
        .filter(|r| {
            let v = text_at(r, path);
            let low = v.as_ref().map(|x| x.to_lowercase());
            let first = &vals[0];
            match op {
                Op::Eq => v.as_deref() == Some(first),
                Op::Neq => v.as_deref() != Some(first),
                Op::Gt => v.as_ref().is_some_and(|x| x > first),
                Op::Gte => v.as_ref().is_some_and(|x| x >= first),
                Op::Lt => v.as_ref().is_some_and(|x| x < first),
                Op::Lte => v.as_ref().is_some_and(|x| x <= first),
                Op::In => v.as_ref().is_some_and(|x| vals.contains(x)),
                Op::Nin => v.as_ref().is_none_or(|x| !vals.contains(x)),
                Op::Contains => v.as_ref().is_some_and(|x| x.contains(first.as_str())),
                Op::NotContains => v.as_ref().is_none_or(|x| !x.contains(first.as_str())),
                Op::EqInsensitive => low.as_deref() == Some(&first.to_lowercase()),
                Op::InInsensitive => low
                    .as_ref()
                    .is_some_and(|x| vals.iter().any(|v| v.to_lowercase() == *x)),
                Op::ContainsInsensitive => low
                    .as_ref()
                    .is_some_and(|x| x.contains(&first.to_lowercase())),
            }
        })
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Values to filter by, taken from the data: for lists several, for substrings a slice.
fn pick(records: &[Value], path: &str, op: Op, kind: FieldKind) -> Option<Vec<String>> {
    let mut present: Vec<String> = records.iter().filter_map(|r| text_at(r, path)).collect();
    present.sort();
    present.dedup();
    let mid = present.get(present.len() / 2)?.clone();
    Some(match op {
        Op::In | Op::Nin | Op::InInsensitive => {
            let mut v: Vec<String> = present
                .iter()
                .step_by((present.len() / 3).max(1))
                .take(3)
                .cloned()
                .collect();
            if op == Op::InInsensitive {
                v = v.iter().map(|s| s.to_uppercase()).collect();
            }
            v
        }
        Op::Contains | Op::NotContains | Op::ContainsInsensitive => {
            if kind == FieldKind::Date || kind == FieldKind::Bool {
                return None;
            }
            let chars: Vec<char> = mid.chars().collect();
            let sub: String = chars
                [chars.len() / 3..(chars.len() * 2 / 3).max(chars.len() / 3 + 1)]
                .iter()
                .collect();
            vec![if op == Op::ContainsInsensitive {
                sub.to_uppercase()
            } else {
                sub
            }]
        }
        Op::EqInsensitive => vec![mid.to_uppercase()],
        _ => vec![mid],
    })
}

async fn check_resource(f: &Fixture, token: &str, r: &'static Resource, path: &str) -> usize {
    let all = fetch_all(&f.server, &f.key, token, path, "").await;
    assert!(!all.is_empty(), "{path} has data");
    let mut checks = 0;
    let fields = waybill_model::resource::COMMON_FILTERS
        .iter()
        .chain(r.filters.iter());
    for field in fields {
        for &op in field.ops {
            let Some(vals) = pick(&all, field.path, op, field.kind) else {
                continue;
            };
            let expected = oracle(&all, field.path, op, &vals);
            let joined: Vec<String> = vals.iter().map(|v| enc(v)).collect();
            let q = format!("&{}[{}]={}", field.name, op.as_str(), joined.join(","));
            let got: BTreeSet<String> = fetch_all(&f.server, &f.key, token, path, &q)
                .await
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(got, expected, "{path} {q}");
            checks += 1;
        }
    }
    // ids[in] overrides every other filter.
    let ids: Vec<String> = all
        .iter()
        .take(3)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let q = format!(
        "&ids[in]={}&created_date[lt]=1970-01-01T00:00:00Z",
        ids.iter().map(|i| enc(i)).collect::<Vec<_>>().join(",")
    );
    let got: BTreeSet<String> = fetch_all(&f.server, &f.key, token, path, &q)
        .await
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        got,
        ids.iter().cloned().collect::<BTreeSet<_>>(),
        "{path} ids[in]"
    );
    checks + 1
}

both!(
    every_operator_matches_the_brute_force_oracle,
    |b| async move {
        let Some(f) = Fixture::new(b).await else {
            return;
        };
        let mut checks = 0;
        for ty in ["wms", "cart", "carrier", "freight"] {
            let sb = f.sandbox(ty).await;
            let token = sb["access_token"].as_str().unwrap().to_string();
            for r in ALL_RESOURCES
                .iter()
                .filter(|r| r.vertical.as_str() == ty && r.listable)
            {
                if r.parent.is_some() {
                    let wh = fetch_all(&f.server, &f.key, &token, "/wms/warehouses", "").await;
                    let id = wh[0]["id"].as_str().unwrap();
                    checks +=
                        check_resource(&f, &token, r, &format!("/wms/warehouses/{id}/locations"))
                            .await;
                } else {
                    checks += check_resource(&f, &token, r, &r.list_path()).await;
                }
            }
        }
        assert!(checks > 150, "only {checks} checks ran");
    }
);
