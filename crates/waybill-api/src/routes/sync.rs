//! Sync control: force syncs, on-demand sync jobs and schedule pausing (SPEC §9.2, §10.3,
//! §10.4). Each acts on the connection its access token selects.

use crate::auth::ConnAuth;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::state::SharedState;
use axum::extract::{Path, State};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use waybill_model::{time, Resource};
use waybill_store::{ConnectionStore, SyncJobRow, SyncStateStore};
use waybill_sync::events::EventContext;
use waybill_sync::{force, jobs};

/// The routes.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/connections/sync", post(force_sync))
        .route("/connections/on-demand-syncs", post(create_job))
        .route("/connections/on-demand-syncs/{sync_job_id}", get(get_job))
        .route(
            "/connections/on-demand-syncs/{sync_job_id}/cancel",
            post(cancel_job),
        )
        .route("/schedules/toggle-all", patch(toggle_all))
        .route("/schedules/{function_name}/toggle", patch(toggle))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForceBody {
    #[serde(default)]
    functions_to_sync: Vec<String>,
}

async fn force_sync(
    State(state): State<SharedState>,
    auth: ConnAuth,
    JsonBody(b): JsonBody<ForceBody>,
) -> Result<Json<Value>, ApiError> {
    let scheduled: Vec<String> = state
        .store
        .schedules(&auth.conn.id)
        .await?
        .into_iter()
        .map(|s| s.function_name)
        .collect();
    for (i, f) in b.functions_to_sync.iter().enumerate() {
        if Resource::by_function(auth.vertical, f).is_none() {
            return Err(ApiError::invalid(
                "json",
                &format!("functions_to_sync.{i}"),
                format!("{f} is not a {} read function.", auth.vertical),
            ));
        }
        if !scheduled.contains(f) {
            return Err(ApiError::invalid(
                "json",
                &format!("functions_to_sync.{i}"),
                format!("{f} is not synced for this connection."),
            ));
        }
    }
    force::request(&state.sync, &auth.conn, &b.functions_to_sync)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    state.sync_wake.notify_one();
    Ok(Json(
        json!({"id": auth.conn.id, "syncing": true, "functions_to_sync": b.functions_to_sync}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JobBody {
    start_time: String,
    end_time: String,
    function_name: String,
}

fn job_view(j: &SyncJobRow) -> Value {
    jobs::job_data(j)
}

async fn create_job(
    State(state): State<SharedState>,
    auth: ConnAuth,
    JsonBody(b): JsonBody<JobBody>,
) -> Result<Json<Value>, ApiError> {
    let start = time::parse_strict(&b.start_time).ok_or_else(|| {
        ApiError::invalid(
            "json",
            "start_time",
            "Not a valid datetime. Use YYYY-MM-DDTHH:MM:SSZ.",
        )
    })?;
    let end = time::parse_strict(&b.end_time).ok_or_else(|| {
        ApiError::invalid(
            "json",
            "end_time",
            "Not a valid datetime. Use YYYY-MM-DDTHH:MM:SSZ.",
        )
    })?;
    if start >= end {
        return Err(ApiError::invalid(
            "json",
            "start_time",
            "start_time must be before end_time.",
        ));
    }
    let connector = state
        .registry
        .get(auth.vertical, &auth.conn.integration_name);
    let eligible = connector.as_ref().is_some_and(|c| {
        c.descriptor()
            .on_demand_functions
            .contains(&b.function_name.as_str())
    });
    if !eligible {
        return Err(ApiError::BadRequest(format!(
            "On-demand sync is not enabled for {} {}",
            auth.conn.integration_name, b.function_name
        )));
    }
    let now = time::now_str();
    let job = SyncJobRow {
        id: format!("job_{}", uuid::Uuid::new_v4().simple()),
        connection_id: auth.conn.id.clone(),
        function_name: b.function_name,
        status: "open".into(),
        requested_start_time: time::fmt(start),
        requested_end_time: time::fmt(end),
        created_at: now.clone(),
        updated_at: now,
    };
    state.store.create_job(&job).await?;
    state.sync_wake.notify_one();
    Ok(Json(job_view(&job)))
}

async fn load_job(state: &SharedState, auth: &ConnAuth, id: &str) -> Result<SyncJobRow, ApiError> {
    state
        .store
        .get_job(id)
        .await?
        .filter(|j| j.connection_id == auth.conn.id)
        .ok_or_else(|| ApiError::not_found("Sync job", id))
}

async fn get_job(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(job_view(&load_job(&state, &auth, &id).await?)))
}

async fn cancel_job(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let mut job = load_job(&state, &auth, &id).await?;
    if !state
        .store
        .finish_job(&id, "cancelled", &time::now_str())
        .await?
    {
        return Err(ApiError::BadRequest(format!(
            "Only open jobs can be cancelled; this one is {}.",
            job.status
        )));
    }
    job.status = "cancelled".into();
    let ev = EventContext::from(&auth.conn).event(
        "connection.sync-job-cancelled",
        jobs::job_data(&job),
        None,
    );
    state.store.append_events(&[ev]).await?;
    state.events_notify.notify_one();
    Ok(Json(job_view(&job)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ToggleBody {
    paused: bool,
}

async fn toggle(
    State(state): State<SharedState>,
    auth: ConnAuth,
    Path(function): Path<String>,
    JsonBody(b): JsonBody<ToggleBody>,
) -> Result<Json<Value>, ApiError> {
    if state
        .store
        .set_paused(&auth.conn.id, Some(&function), b.paused)
        .await?
        == 0
    {
        return Err(ApiError::not_found("Schedule", &function));
    }
    if !b.paused {
        state
            .store
            .make_due(
                &auth.conn.id,
                std::slice::from_ref(&function),
                &time::now_str(),
            )
            .await?;
        state.sync_wake.notify_one();
    }
    Ok(Json(
        json!({"id": auth.conn.id, "object": "connection", "updated": true}),
    ))
}

async fn toggle_all(
    State(state): State<SharedState>,
    auth: ConnAuth,
    JsonBody(b): JsonBody<ToggleBody>,
) -> Result<Json<Value>, ApiError> {
    state
        .store
        .set_paused(&auth.conn.id, None, b.paused)
        .await?;
    if !b.paused {
        state
            .store
            .make_due(&auth.conn.id, &[], &time::now_str())
            .await?;
        state.sync_wake.notify_one();
    }
    Ok(Json(
        json!({"id": auth.conn.id, "object": "connection", "updated": true}),
    ))
}
