//! Operations shared by the HTTP routes and the CLI: installing connections, generating
//! sandboxes, and rendering connections. Routes parse and authorize; these do the work.

pub mod install;
pub mod orgs;
pub mod views;
