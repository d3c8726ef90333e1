//! Translates a validated `ListQuery` into SQL conditions over the records table's indexed
//! columns. Nothing is filtered in memory: every operator becomes a predicate the database
//! evaluates, with values bound as parameters.

use crate::db::{Backend, SqlStore};
use waybill_model::query::{Condition, FilterValue, ListQuery, TagFilter};
use waybill_model::{Column, Op};

/// A WHERE fragment with its bound values, numbered from a starting parameter index.
pub(crate) struct SqlFilter {
    pub(crate) sql: String,
    pub(crate) binds: Vec<String>,
}

/// The column of the records table that holds a registry column.
pub(crate) fn column_name(c: Column) -> String {
    match c {
        Column::CreatedDate => "created_date".into(),
        Column::UpdatedDate => "updated_date".into(),
        Column::TrackstarCreatedDate => "trackstar_created_date".into(),
        Column::TrackstarUpdatedDate => "trackstar_updated_date".into(),
        Column::WarehouseCustomerId => "warehouse_customer_id".into(),
        Column::Status => "status".into(),
        Column::Text(i) => format!("t{i}"),
        Column::Date(i) => format!("d{i}"),
    }
}

fn tag_filter_key(t: &TagFilter) -> String {
    match t {
        TagFilter::Plain(s) => s.clone(),
        TagFilter::Pair(k, v) => format!("{k}:{v}"),
    }
}

fn value_text(v: &FilterValue) -> String {
    match v {
        FilterValue::Text(s) | FilterValue::Date(s) => s.clone(),
        FilterValue::Bool(b) => b.to_string(),
    }
}

impl SqlStore {
    /// Builds the filter of `q`; parameters are numbered from `$first`.
    pub(crate) fn filter_sql(&self, q: &ListQuery, first: usize) -> SqlFilter {
        let mut b = Builder {
            store: self,
            sql: String::new(),
            binds: Vec::new(),
            first,
        };
        if let Some(ids) = &q.ids {
            let list = b.list(ids.iter().cloned());
            b.and(format!("id IN ({list})"));
            return b.finish();
        }
        for c in &q.conditions {
            b.condition(c);
        }
        for t in &q.tags_all {
            let p = b.bind(tag_filter_key(t));
            b.and(format!(
                "seq IN (SELECT record_seq FROM record_tags WHERE tag = {p})"
            ));
        }
        if !q.tags_none.is_empty() {
            let list = b.list(q.tags_none.iter().map(tag_filter_key));
            b.and(format!(
                "seq NOT IN (SELECT record_seq FROM record_tags WHERE tag IN ({list}))"
            ));
        }
        b.finish()
    }
}

struct Builder<'a> {
    store: &'a SqlStore,
    sql: String,
    binds: Vec<String>,
    first: usize,
}

impl Builder<'_> {
    fn bind(&mut self, v: String) -> String {
        self.binds.push(v);
        format!("${}", self.first + self.binds.len() - 1)
    }

    fn list(&mut self, vals: impl Iterator<Item = String>) -> String {
        vals.map(|v| self.bind(v)).collect::<Vec<_>>().join(", ")
    }

    fn and(&mut self, pred: String) {
        self.sql.push_str(" AND ");
        self.sql.push_str(&pred);
    }

    fn condition(&mut self, c: &Condition) {
        let col = column_name(c.field.column);
        let first = c.values.first().map(value_text).unwrap_or_default();
        let pred = match c.op {
            Op::Eq => format!("{col} = {}", self.bind(first)),
            // A record without the field is "not equal" to any value.
            Op::Neq => format!("({col} IS NULL OR {col} <> {})", self.bind(first)),
            Op::Gt => format!("{col} > {}", self.bind(first)),
            Op::Gte => format!("{col} >= {}", self.bind(first)),
            Op::Lt => format!("{col} < {}", self.bind(first)),
            Op::Lte => format!("{col} <= {}", self.bind(first)),
            Op::In => {
                let l = self.list(c.values.iter().map(value_text));
                format!("{col} IN ({l})")
            }
            Op::Nin => {
                let l = self.list(c.values.iter().map(value_text));
                format!("({col} IS NULL OR {col} NOT IN ({l}))")
            }
            Op::Contains => {
                let p = self.bind(first);
                self.contains(&col, &p)
            }
            Op::NotContains => {
                let p = self.bind(first);
                format!("({col} IS NULL OR NOT ({}))", self.contains(&col, &p))
            }
            Op::EqInsensitive => format!("LOWER({col}) = LOWER({})", self.bind(first)),
            Op::InInsensitive => {
                let l = c
                    .values
                    .iter()
                    .map(|v| format!("LOWER({})", self.bind(value_text(v))))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("LOWER({col}) IN ({l})")
            }
            Op::ContainsInsensitive => {
                let p = self.bind(first);
                self.contains(&format!("LOWER({col})"), &format!("LOWER({p})"))
            }
        };
        self.and(pred);
    }

    fn contains(&self, col: &str, param: &str) -> String {
        match self.store.backend {
            Backend::Sqlite => format!("instr({col}, {param}) > 0"),
            Backend::Postgres => format!("strpos({col}, {param}) > 0"),
        }
    }

    fn finish(self) -> SqlFilter {
        SqlFilter {
            sql: self.sql,
            binds: self.binds,
        }
    }
}
