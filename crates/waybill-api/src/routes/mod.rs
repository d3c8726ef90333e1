//! Routers by family.

pub mod connections;
pub mod data;
pub mod integrations;
pub mod link;
pub mod sandbox;
pub mod system;
