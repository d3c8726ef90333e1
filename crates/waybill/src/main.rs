//! `waybill`: the one binary. Its subcommands run the server, migrate the database, and
//! administer organizations, API keys and sandboxes.

mod bench;
mod cli;
mod config;
mod serve;
mod telemetry;
mod webhooks;

use clap::Parser;

/// Sync and serving allocate many short-lived JSON values; mimalloc handles that churn far
/// better than the system allocator (measured in BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    telemetry::init(&cli.global);
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
