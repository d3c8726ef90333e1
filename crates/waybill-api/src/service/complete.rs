//! Turns a consumed auth code into a connection. Shared by `POST /link/exchange` (the client
//! backend exchanges the code) and magic-link installs (there is no client backend, so the
//! hosted page completes the install itself).

use crate::error::ApiError;
use crate::service::install::{self, NewConnection};
use crate::service::overrides::{self, FunctionOverrides};
use crate::state::SharedState;
use serde_json::{Map, Value};
use waybill_model::IntegrationType;
use waybill_store::{AuthCodeRow, ConnectionRow, ConnectionStore, Organization};

/// Creates, reuses (the organization's sandbox) or reinstalls (same id and token, new
/// credentials) the connection an auth code describes, and starts the historical sync of a
/// new one. The code must already be consumed and its link session marked used.
pub async fn install_from_code(
    state: &SharedState,
    org: &Organization,
    code: &AuthCodeRow,
    customer_id: Option<String>,
) -> Result<ConnectionRow, ApiError> {
    let ty: IntegrationType = code
        .integration_type
        .parse()
        .unwrap_or(IntegrationType::Wms);
    let customer_id = customer_id.or(code.customer_id.clone());
    let creds = state
        .secrets
        .decrypt(&code.credentials)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let me: Map<String, Value> = serde_json::from_str(&code.me).unwrap_or_default();
    // With function overrides the schedules are rewritten right after the insert, so the
    // worker must not pick up the first ones meanwhile.
    let due = FunctionOverrides::from_settings(&code.settings).is_empty();
    let conn = match &code.connection_id {
        // A reinstall keeps the id and the token and replaces the credentials in place.
        Some(id) => {
            let conn = state
                .store
                .get_connection(id)
                .await?
                .ok_or_else(|| ApiError::not_found("Connection", id))?;
            state
                .store
                .replace_credentials(id, &code.credentials, &code.me)
                .await?;
            // A reinstall clears credential errors and resumes every schedule.
            waybill_sync::health::credentials_replaced(&state.sync, &conn)
                .await
                .map_err(|e| ApiError::Internal(e.into()))?;
            state.sync_wake.notify_one();
            if customer_id.is_some() {
                state
                    .store
                    .patch_connection(id, Some(customer_id.clone()), None)
                    .await?;
            }
            conn
        }
        None if code.integration_name == "sandbox" => {
            match state.store.sandbox_connection(&org.id, ty.as_str()).await? {
                Some(c) => c,
                None => {
                    let n = NewConnection {
                        org,
                        ty,
                        integration_name: "sandbox",
                        credentials: &creds,
                        me,
                        customer_id,
                        is_sandbox: true,
                        due,
                    };
                    created(
                        state,
                        org,
                        code,
                        install::create_connection(state, n).await?,
                    )
                    .await?
                }
            }
        }
        None => {
            let n = NewConnection {
                org,
                ty,
                integration_name: &code.integration_name,
                credentials: &creds,
                me,
                customer_id,
                is_sandbox: false,
                due,
            };
            created(
                state,
                org,
                code,
                install::create_connection(state, n).await?,
            )
            .await?
        }
    };
    Ok(state.store.get_connection(&conn.id).await?.unwrap_or(conn))
}

/// Everything that follows the creation of a new connection: its function overrides, then
/// `spawn_historical`, which announces `connection.created` (the webhook that hands a
/// magic-link install's access token to the organization) and wakes the sync worker.
async fn created(
    state: &SharedState,
    org: &Organization,
    code: &AuthCodeRow,
    conn: ConnectionRow,
) -> Result<ConnectionRow, ApiError> {
    overrides::apply_to_new(
        state,
        org,
        &conn,
        &FunctionOverrides::from_settings(&code.settings),
    )
    .await?;
    let conn = state.store.get_connection(&conn.id).await?.unwrap_or(conn);
    install::spawn_historical(state.clone(), org.clone(), conn.clone());
    Ok(conn)
}
