//! Waybill's canonical vocabulary: integration types, the resource registry that ties a
//! resource to its routes, functions, events and filters, timestamps, and the
//! `previous_attributes` diff. Every other crate speaks these types; this crate does no IO.

pub mod diff;
pub mod jsontext;
pub mod query;
pub mod resource;
pub mod time;
pub mod vertical;
pub mod writes;

pub use query::{Condition, FilterValue, ListQuery, QueryError, TagFilter};
pub use resource::{
    Column, FieldKind, FilterField, Op, Resource, ALL_RESOURCES, DATE_OPS, STRING_OPS,
};
pub use vertical::IntegrationType;
pub mod records;
