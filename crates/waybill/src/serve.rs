//! `waybill serve`: the HTTP API with graceful shutdown, plus the usage flusher.

use crate::cli::{open_store, Global};
use crate::config;
use anyhow::{Context, Result};
use clap::Args;
use std::sync::Arc;
use std::time::Duration;
use waybill_api::service::orgs;
use waybill_api::{ApiConfig, AppState};
use waybill_connect::Registry;
use waybill_connectors::sandbox::SandboxConnector;
use waybill_model::IntegrationType;
use waybill_store::{OrgStore, SqlStore};
use waybill_sync::SyncEngine;

/// Flags of `waybill serve`.
#[derive(Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "WAYBILL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Base URL clients use to reach this server (for links it hands out).
    #[arg(long, env = "WAYBILL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Lifetime of link tokens, in seconds.
    #[arg(long, env = "WAYBILL_LINK_TOKEN_TTL", default_value_t = 1800)]
    pub link_token_ttl: i64,
    /// Lifetime of auth codes, in seconds.
    #[arg(long, env = "WAYBILL_AUTH_CODE_TTL", default_value_t = 600)]
    pub auth_code_ttl: i64,
    /// GET requests per second per access token.
    #[arg(long, env = "WAYBILL_RATE_LIMIT_GET", default_value_t = 10)]
    pub rate_limit_get: u32,
    /// Write requests per second per access token.
    #[arg(long, env = "WAYBILL_RATE_LIMIT_WRITE", default_value_t = 50)]
    pub rate_limit_write: u32,
    /// Turn rate limits off (benchmarks, trusted single-tenant setups).
    #[arg(long, env = "WAYBILL_NO_RATE_LIMIT")]
    pub no_rate_limit: bool,
    /// Serve the API only; run `waybill worker` processes for syncs and deliveries
    /// (PostgreSQL only: SQLite runs everything in one process).
    #[arg(long, env = "WAYBILL_NO_WORKERS")]
    pub no_workers: bool,
}

/// Every connector this build offers, and the sandboxes among them. The sandboxes keep their
/// simulated state in `store`.
pub fn registry(store: &Arc<SqlStore>) -> (Registry, Vec<Arc<SandboxConnector>>) {
    let mut r = Registry::new();
    let state = Arc::new(waybill_api::service::sandbox_state::StoreSandboxState(
        store.clone(),
    ));
    let sandboxes: Vec<Arc<SandboxConnector>> = IntegrationType::ALL
        .iter()
        .map(|ty| Arc::new(SandboxConnector::new(*ty, state.clone())))
        .collect();
    for s in &sandboxes {
        r.register(s.clone());
    }
    r.register(Arc::new(waybill_connectors::shipbob::ShipBob::new()));
    r.register(Arc::new(waybill_connectors::shipmonk::ShipMonk::new()));
    r.register(Arc::new(waybill_connectors::shiphero::ShipHero::new()));
    r.register(Arc::new(
        waybill_connectors::shopify::ShopifyConnector::new(),
    ));
    r.register(Arc::new(
        waybill_connectors::woocommerce::WooCommerceConnector::new(),
    ));
    (r, sandboxes)
}

/// Builds the application state.
pub fn state(
    g: &Global,
    store: Arc<SqlStore>,
    public_url: Option<String>,
    args: &ServeArgs,
) -> Result<Arc<AppState>> {
    let secrets = config::master_key(g.master_key.as_deref(), &g.data_dir)?;
    let (registry, sandboxes) = registry(&store);
    let events_notify = Arc::new(tokio::sync::Notify::new());
    let hook = events_notify.clone();
    let sync = SyncEngine::new(store.clone(), registry.clone(), secrets.clone())
        .with_event_hook(Arc::new(move || hook.notify_one()));
    let mut cfg = ApiConfig::default();
    if let Some(u) = public_url {
        cfg.public_url = u.trim_end_matches('/').to_string();
    }
    cfg.link_token_ttl = args.link_token_ttl;
    cfg.auth_code_ttl = args.auth_code_ttl;
    cfg.webhooks = waybill_webhooks::DispatcherConfig::from_env(&cfg.public_url)?;
    let limiter = (!args.no_rate_limit).then(|| {
        waybill_api::rate_limit::Limiter::new(waybill_api::rate_limit::Limits {
            read: args.rate_limit_get,
            write: args.rate_limit_write,
        })
    });
    Ok(Arc::new(AppState {
        store,
        registry,
        secrets,
        sync,
        config: cfg,
        usage: Default::default(),
        limiter,
        sandboxes,
        caches: Default::default(),
        sync_wake: Arc::new(tokio::sync::Notify::new()),
        events_notify,
    }))
}

/// Runs the server until SIGTERM or Ctrl-C.
pub async fn run(g: &Global, args: ServeArgs) -> Result<()> {
    let store = open_store(g).await?;
    if let Err(e) = store.optimize().await {
        tracing::warn!(error = %e, "could not refresh planner statistics");
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let local = listener.local_addr()?;
    let public = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let state = state(g, store.clone(), Some(public.clone()), &args)?;
    if store.count_orgs().await? == 0 {
        let (org, key) = orgs::create_org(&store, "Default organization").await?;
        println!(
            "First start: created organization {} with this API key (shown once, store it now):",
            org.id
        );
        println!("  {}", key.key);
        println!("Try it:");
        println!(
            "  curl -s -X POST {public}/sandbox/generate-sandbox/wms -H 'x-trackstar-api-key: {}'",
            key.key
        );
    }
    tracing::info!(addr = %local, "listening");
    println!("Waybill listening on http://{local}");
    let flusher = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(2));
            loop {
                tick.tick().await;
                state.usage.flush(&state.store).await;
                if let Some(l) = &state.limiter {
                    l.forget_idle();
                }
            }
        })
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = if args.no_workers {
        Vec::new()
    } else {
        spawn_workers(&state, stop_rx.clone())
    };
    let app = waybill_api::build(state.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    flusher.abort();
    state.usage.flush(&state.store).await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Starts the background workers of this process: the sync worker (historical, scheduled,
/// force and on-demand syncs) and the webhook dispatcher.
pub fn spawn_workers(
    state: &Arc<AppState>,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = vec![
        tokio::spawn(waybill_sync::worker::run(
            state.sync.clone(),
            state.sync_wake.clone(),
            stop.clone(),
        )),
        crate::webhooks::spawn_dispatcher(state, stop.clone()),
    ];
    // The drifting sandbox, when asked for: every sandbox changes on its own every N seconds.
    if let Some(secs) = std::env::var("WAYBILL_SANDBOX_DRIFT_SECS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
    {
        let every = std::time::Duration::from_secs_f64(secs);
        tasks.push(tokio::spawn(waybill_api::service::drift::run(
            state.clone(),
            every,
            stop,
        )));
    }
    tasks
}

/// `waybill worker`: the background workers without the API, until SIGTERM.
pub async fn run_worker(g: &Global) -> Result<()> {
    let store = open_store(g).await?;
    let defaults = ServeArgs::defaults();
    // Links the worker hands out (webhook `data_url`s) must point at the API processes.
    let public_url = std::env::var("WAYBILL_PUBLIC_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let state = state(g, store.clone(), public_url, &defaults)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = spawn_workers(&state, stop_rx);
    tracing::info!("worker started");
    println!("Waybill worker running");
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    store.close().await;
    Ok(())
}

impl ServeArgs {
    /// The defaults, for commands that build state without serving.
    pub fn defaults() -> Self {
        Self {
            addr: String::new(),
            public_url: None,
            link_token_ttl: 1800,
            auth_code_ttl: 600,
            rate_limit_get: 10,
            rate_limit_write: 50,
            no_rate_limit: true,
            no_workers: true,
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}
