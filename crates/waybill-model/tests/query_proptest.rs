//! Property test of the list query parser: for any query string, on any resource, parsing
//! never panics and either fails with named parameters (a 422) or yields a query that keeps
//! the grammar's invariants (a 200).

use proptest::prelude::*;
use waybill_model::query::ListQuery;
use waybill_model::ALL_RESOURCES;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("status".to_string()),
        Just("created_date".to_string()),
        Just("order_number".to_string()),
        Just("limit".to_string()),
        Just("ids".to_string()),
        Just("page_token".to_string()),
        Just("trackstar_tags".to_string()),
        Just("[in]".to_string()),
        Just("[eq-insensitive]".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("=".to_string()),
        Just("&".to_string()),
        Just(",".to_string()),
        Just("%".to_string()),
        Just("%5B".to_string()),
        Just("%ZZ".to_string()),
        Just("2026-01-01T00:00:00Z".to_string()),
        "[a-z0-9_:+-]{0,12}",
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_and_keeps_invariants(parts in prop::collection::vec(fragment(), 0..24), which in 0..ALL_RESOURCES.len()) {
        let q: String = parts.concat();
        let r = &ALL_RESOURCES[which];
        match ListQuery::parse(r, Some(&q), &[]) {
            Ok(lq) => {
                prop_assert!((1..=1000).contains(&lq.limit));
                if let Some(ids) = &lq.ids {
                    prop_assert!(!ids.is_empty() && ids.len() <= 100);
                }
                for c in &lq.conditions {
                    prop_assert!(c.field.ops.contains(&c.op));
                    prop_assert!(!c.values.is_empty() && c.values.len() <= 100);
                }
                prop_assert!(lq.tags_all.len() <= 100 && lq.tags_none.len() <= 100);
            }
            Err(e) => prop_assert!(!e.fields.is_empty(), "an error names at least one parameter"),
        }
    }

    #[test]
    fn long_values_are_refused_not_accepted(len in 1001usize..12000) {
        let q = format!("order_number={}", "a".repeat(len));
        let r = ALL_RESOURCES.iter().find(|r| r.key == "wms.orders").unwrap();
        prop_assert!(ListQuery::parse(r, Some(&q), &[]).is_err());
    }
}
