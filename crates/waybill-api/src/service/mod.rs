//! Operations shared by the HTTP routes and the CLI: installing connections, generating
//! sandboxes, and rendering connections. Routes parse and authorize; these do the work.

pub mod branding;
pub mod complete;
pub mod drift;
pub mod idempotency;
pub mod install;
pub mod magic_links;
pub mod orgs;
pub mod overrides;
pub mod passthrough;
pub mod sandbox_state;
pub mod tags;
pub mod views;
pub mod webhooks;
pub mod write_info;
pub mod writes;
