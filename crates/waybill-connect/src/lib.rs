//! The contract between Waybill and the systems it connects to. A connector validates
//! credentials, pulls pages of normalized records over a time window with a cursor, and
//! performs writes and passthrough calls. Connectors never see the store: the sync engine owns storage.

pub mod compliance;
pub mod connector;
pub mod descriptor;
pub mod error;
pub mod outbound;
pub mod registry;
pub mod write;

pub use connector::{Connector, Credentials, PullPage, PullRequest, Validation};
pub use descriptor::{AuthField, InstallMethod, IntegrationDescriptor, WriteVariant};
pub use error::ConnectorError;
pub use registry::Registry;
pub use write::{FileUpload, PassthroughRequest, PassthroughResponse, WriteOutcome, WriteRequest};
pub mod secrets;
pub use secrets::Secrets;
