//! Logs: JSON lines on stderr through tracing. Secrets never reach a log: request spans
//! carry the route template rather than the path, headers are not logged, and credentials
//! have redacted Debug impls.

use crate::cli::Global;
use tracing_subscriber::EnvFilter;

/// Installs the subscriber once at start.
pub fn init(g: &Global) {
    let filter = EnvFilter::try_new(&g.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if g.log_format == "pretty" {
        builder.with_ansi(false).init();
    } else {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    }
}
