//! Routers by family.

pub mod connections;
pub mod data;
pub mod integrations;
pub mod link;
pub mod link_ui;
pub mod magic_link_page;
pub mod magic_links;
pub mod sandbox;
pub mod simulate;
pub mod sync;
pub mod system;
pub mod webhook_messages;
pub mod webhooks;
pub mod write_info;
pub mod writes;
