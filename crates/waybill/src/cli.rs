//! The command line. Every flag falls back to a `WAYBILL_*` environment variable.

use crate::{config, serve};
use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use waybill_api::service::{install, orgs};
use waybill_model::IntegrationType;
use waybill_store::{OrgStore, SqlStore};

/// Waybill: a self-hostable, Trackstar-compatible unified logistics API.
#[derive(Parser)]
#[command(name = "waybill", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Args)]
pub struct Global {
    /// Database URL: sqlite://path or postgres://…  [default: SQLite in the data dir]
    #[arg(long, env = "WAYBILL_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and the master key file.
    #[arg(
        long,
        env = "WAYBILL_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Master key (64 hex chars); defaults to the key file in the data dir.
    #[arg(
        long,
        env = "WAYBILL_MASTER_KEY",
        global = true,
        hide_env_values = true
    )]
    pub master_key: Option<String>,
    /// Log filter, e.g. `info` or `waybill=debug`.
    #[arg(
        long,
        env = "WAYBILL_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
    /// `json` (default) or `pretty`.
    #[arg(
        long,
        env = "WAYBILL_LOG_FORMAT",
        default_value = "json",
        global = true
    )]
    pub log_format: String,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the API server (and, unless --no-workers, the background workers).
    Serve(serve::ServeArgs),
    /// Run the background workers (syncs, webhook deliveries) without the API.
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage organizations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(KeyCommand),
    /// Manage sandboxes.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Benchmark helpers (hidden).
    #[command(subcommand, hide = true)]
    Bench(crate::bench::BenchCommand),
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organization and its first API key.
    Create {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set the branding the Link modal shows (an empty value removes it).
    SetBranding {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// Name shown in the modal's header instead of the organization's name.
        #[arg(long)]
        name: Option<String>,
        /// Logo URL (http:// or https://).
        #[arg(long)]
        logo_url: Option<String>,
        /// Accent colour of buttons and focus rings, #RRGGBB.
        #[arg(long)]
        accent_color: Option<String>,
    },
    /// Set how many days of history new connections pull in their historical sync.
    SetLookback {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// Days, from 1 to 1,098 (three years). The default is 30.
        #[arg(long)]
        days: i64,
    },
    /// Turn a function off for every connection of an integration type: its routes answer
    /// 403 without contacting the vendor and it leaves `available_actions`.
    DisableFunction {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// wms, cart, carrier or freight.
        #[arg(long)]
        integration_type: String,
        /// Function name, e.g. create_order or get_inventory.
        #[arg(long)]
        function: String,
    },
    /// Turn a disabled function back on.
    EnableFunction {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// wms, cart, carrier or freight.
        #[arg(long)]
        integration_type: String,
        /// Function name.
        #[arg(long)]
        function: String,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Create an API key.
    Create {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// The key may only make GET requests.
        #[arg(long)]
        read_only: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke an API key by its prefix (`wbk_<12 hex>` or the 12 hex characters).
    Revoke {
        /// The key's prefix.
        key_prefix: String,
    },
}

#[derive(Subcommand)]
pub enum SandboxCommand {
    /// Create or regenerate an organization's sandbox connection and sync it.
    Generate {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// wms, cart, carrier or freight.
        #[arg(long = "type", default_value = "wms")]
        integration_type: String,
        /// How many orders to generate (up to millions, for benchmarks).
        #[arg(long, default_value_t = waybill_connectors::sandbox::DEFAULT_ORDERS)]
        orders: u64,
        /// Sync only these functions (comma-separated), e.g. for benchmarks; the others
        /// stay paused.
        #[arg(long, value_delimiter = ',')]
        functions: Option<Vec<String>>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Opens the store and applies migrations.
pub async fn open_store(g: &Global) -> Result<Arc<SqlStore>> {
    let url = match &g.database_url {
        Some(u) if !u.is_empty() => u.clone(),
        _ => {
            config::ensure_data_dir(&g.data_dir)?;
            config::default_database_url(&g.data_dir)
        }
    };
    let store = SqlStore::connect(&url)
        .await
        .context("cannot open the database")?;
    store.migrate().await.context("migrations failed")?;
    Ok(Arc::new(store))
}

/// Runs a parsed command line.
/// `waybill org disable-function` / `enable-function`: prints the organization's new list.
async fn toggle_function(
    g: &Global,
    organization: &str,
    integration_type: &str,
    function: &str,
    disable: bool,
) -> Result<()> {
    let ty: waybill_model::IntegrationType = integration_type
        .parse()
        .map_err(|e: String| anyhow::anyhow!(e))?;
    let store = open_store(g).await?;
    let list = waybill_api::service::orgs::set_function_disabled(
        &store,
        organization,
        ty,
        function,
        disable,
    )
    .await?;
    println!(
        "{}",
        serde_json::json!({"organization_id": organization, "integration_type": ty, "disabled_functions": list})
    );
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    let g = cli.global;
    match cli.command {
        Command::Serve(args) => serve::run(&g, args).await,
        Command::Worker => serve::run_worker(&g).await,
        Command::Bench(cmd) => crate::bench::run(&g, cmd).await,
        Command::Migrate => {
            open_store(&g).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Org(OrgCommand::Create { name, json }) => {
            let store = open_store(&g).await?;
            let (org, key) = orgs::create_org(&store, &name).await?;
            if json {
                println!("{}", json!({"organization_id": org.id, "api_key": key.key}));
            } else {
                println!(
                    "organization_id: {}\napi_key: {}\n(store the key now: it is not shown again)",
                    org.id, key.key
                );
            }
            Ok(())
        }
        Command::Org(OrgCommand::SetBranding {
            organization,
            name,
            logo_url,
            accent_color,
        }) => {
            let store = open_store(&g).await?;
            let change = waybill_api::service::branding::BrandingChange {
                name,
                logo_url,
                accent_color,
            };
            let branding =
                waybill_api::service::branding::set_branding(&store, &organization, &change)
                    .await?;
            println!(
                "{}",
                json!({"organization_id": organization, "branding": branding})
            );
            Ok(())
        }
        Command::Org(OrgCommand::DisableFunction {
            organization,
            integration_type,
            function,
        }) => toggle_function(&g, &organization, &integration_type, &function, true).await,
        Command::Org(OrgCommand::EnableFunction {
            organization,
            integration_type,
            function,
        }) => toggle_function(&g, &organization, &integration_type, &function, false).await,
        Command::Org(OrgCommand::SetLookback { organization, days }) => {
            if !(1..=waybill_api::routes::connections::MAX_LOOKBACK_DAYS).contains(&days) {
                bail!(
                    "--days must be between 1 and {}",
                    waybill_api::routes::connections::MAX_LOOKBACK_DAYS
                );
            }
            let store = open_store(&g).await?;
            if !store.set_org_lookback(&organization, days).await? {
                bail!("no organization {organization}");
            }
            println!("historical lookback of {organization}: {days} days");
            Ok(())
        }
        Command::ApiKey(KeyCommand::Create {
            organization,
            read_only,
            json,
        }) => {
            let store = open_store(&g).await?;
            if store.get_org(&organization).await?.is_none() {
                bail!("no organization {organization}");
            }
            let key = orgs::create_key(&store, &organization, read_only).await?;
            if json {
                println!(
                    "{}",
                    json!({"organization_id": organization, "api_key": key.key, "key_prefix": format!("wbk_{}", key.prefix), "read_only": read_only})
                );
            } else {
                println!("api_key: {}\nkey_prefix: wbk_{}", key.key, key.prefix);
            }
            Ok(())
        }
        Command::ApiKey(KeyCommand::Revoke { key_prefix }) => {
            let store = open_store(&g).await?;
            let p = key_prefix.strip_prefix("wbk_").unwrap_or(&key_prefix);
            let p = p.split('_').next().unwrap_or(p);
            if !store.revoke_api_key(p).await? {
                bail!("no live API key with prefix {key_prefix}");
            }
            println!("revoked wbk_{p}");
            Ok(())
        }
        Command::Sandbox(SandboxCommand::Generate {
            organization,
            integration_type,
            orders,
            functions,
            json,
        }) => {
            let ty: IntegrationType = integration_type.parse().map_err(anyhow::Error::msg)?;
            let store = open_store(&g).await?;
            let org = store
                .get_org(&organization)
                .await?
                .with_context(|| format!("no organization {organization}"))?;
            let defaults = serve::ServeArgs::defaults();
            let state = serve::state(&g, store, None, &defaults)?;
            let bar = if json || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                ProgressBar::hidden()
            } else {
                ProgressBar::new_spinner()
            };
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {pos} records ({per_sec})")
                    .expect("valid template"),
            );
            let report = |function: &str, n: u64| {
                bar.set_message(function.to_string());
                bar.inc(n);
            };
            let body =
                install::generate_sandbox(&state, &org, ty, orders, functions.as_deref(), &report)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            bar.finish_and_clear();
            if json {
                println!("{body}");
            } else {
                println!("{}", serde_json::to_string_pretty(&body)?);
            }
            Ok(())
        }
    }
}
