//! `waybill bench emit-events` (hidden): appends synthetic events to the outbox at a steady
//! rate, for the webhook delivery benchmark (`bench/webhooks.sh`). Each envelope carries
//! `data.emitted_at_ms`, so a receiver can measure change-to-delivery latency.
//! `waybill bench change-sandbox` (hidden): changes a share of a sandbox's records, for the
//! resync benchmark (`bench/resync.sh` with `CHANGED_PERCENT`).

use crate::cli::{open_store, Global};
use anyhow::{bail, Result};
use clap::Subcommand;
use serde_json::json;
use std::time::{Duration, Instant};
use waybill_model::time;
use waybill_store::{NewEvent, SqlStore};

/// Benchmark helpers; not part of the supported command line.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Append synthetic `order.updated` events to an organization's outbox at a steady rate.
    EmitEvents {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// Events per second.
        #[arg(long, default_value_t = 1000)]
        rate: u64,
        /// For how long.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Filler bytes in each event's `data`.
        #[arg(long, default_value_t = 0)]
        payload_bytes: usize,
    },
    /// Change a share of an organization's sandbox records, as the simulated vendor would,
    /// for the benchmark of a resync where some records changed (`bench/resync.sh` with
    /// `CHANGED_PERCENT`).
    ChangeSandbox {
        /// Organization id.
        #[arg(long)]
        organization: String,
        /// Integration type of the sandbox.
        #[arg(long, default_value = "wms")]
        r#type: String,
        /// Function whose records change.
        #[arg(long, default_value = "get_orders")]
        function: String,
        /// Share of the records to change, in percent (every `100 / percent`-th record).
        #[arg(long, default_value_t = 1.0)]
        percent: f64,
    },
}

/// Runs a bench subcommand.
pub async fn run(g: &Global, cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::ChangeSandbox {
            organization,
            r#type,
            function,
            percent,
        } => {
            if !(percent > 0.0 && percent <= 100.0) {
                bail!("--percent must be in (0, 100]");
            }
            let ty: waybill_model::IntegrationType = r#type.parse().map_err(anyhow::Error::msg)?;
            let store = open_store(g).await?;
            let conn = waybill_store::ConnectionStore::sandbox_connection(
                store.as_ref(),
                &organization,
                ty.as_str(),
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("no {ty} sandbox in {organization}"))?;
            let state = crate::serve::state(g, store, None, &crate::serve::ServeArgs::defaults())?;
            let creds = state
                .secrets
                .decrypt(&conn.credentials)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let sandbox = state
                .sandboxes
                .iter()
                .find(|s| waybill_connect::Connector::descriptor(s.as_ref()).integration_type == ty)
                .ok_or_else(|| anyhow::anyhow!("no {ty} sandbox connector"))?;
            let step = (100.0 / percent).round() as u64;
            let changed = sandbox
                .change_every(&creds, &function, step)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!("{}", json!({"changed": changed, "every": step}));
            Ok(())
        }
        BenchCommand::EmitEvents {
            organization,
            rate,
            seconds,
            payload_bytes,
        } => {
            let store = open_store(g).await?;
            let started = Instant::now();
            let n = emit_events(&store, &organization, rate, seconds, payload_bytes).await?;
            println!(
                "{}",
                json!({"events": n, "seconds": started.elapsed().as_secs_f64()})
            );
            Ok(())
        }
    }
}

/// Appends `rate` events per second for `seconds` seconds to `organization`'s outbox, in
/// batches every 10 ms; returns how many were appended.
pub async fn emit_events(
    store: &SqlStore,
    organization: &str,
    rate: u64,
    seconds: u64,
    payload_bytes: usize,
) -> Result<u64> {
    if rate == 0 || seconds == 0 {
        bail!("--rate and --seconds must be positive");
    }
    let tick = Duration::from_millis(10);
    let total = rate * seconds;
    let start = Instant::now();
    let mut sent = 0u64;
    let filler = "x".repeat(payload_bytes);
    while sent < total {
        let due = ((start.elapsed().as_secs_f64() * rate as f64) as u64 + 1).min(total);
        if due > sent {
            let now_ms = chrono::Utc::now().timestamp_millis();
            let created = time::now_str();
            let batch: Vec<NewEvent> = (sent..due)
                .map(|i| {
                    let envelope = json!({
                        "event_type": "order.updated",
                        "connection_id": null,
                        "integration_name": "bench",
                        "integration_type": "wms",
                        "customer_id": null,
                        "data": {"id": format!("bench-{i}"), "emitted_at_ms": now_ms, "filler": filler},
                        "previous_attributes": {"status": "open"},
                    });
                    NewEvent {
                        id: NewEvent::new_id(),
                        organization_id: organization.to_string(),
                        connection_id: None,
                        event_type: "order.updated".into(),
                        payload: envelope.to_string(),
                        created_at: created.clone(),
                    }
                })
                .collect();
            store.append_events(&batch).await?;
            sent = due;
        }
        tokio::time::sleep(tick).await;
    }
    Ok(sent)
}
