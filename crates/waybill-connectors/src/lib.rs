//! Connector implementations. The sandbox comes first: a simulated system per vertical that
//! answers credential checks, paged pulls and writes the way a real vendor does.

pub mod http;
pub mod sandbox;
pub mod shipbob;
pub mod shiphero;
pub mod shipmonk;
pub mod shopify;
pub mod values;
pub mod woocommerce;
pub mod write_support;
