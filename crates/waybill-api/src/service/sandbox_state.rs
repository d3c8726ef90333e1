//! The sandbox's simulated vendor state, kept in the database so simulations survive a
//! restart and are seen by every process.

use async_trait::async_trait;
use std::sync::Arc;
use waybill_connectors::sandbox::state::{Override, SandboxState};
use waybill_store::SqlStore;

/// `SandboxState` over the SQL store.
pub struct StoreSandboxState(pub Arc<SqlStore>);

#[async_trait]
impl SandboxState for StoreSandboxState {
    async fn overrides(&self, sandbox: &str, function: &str) -> Result<Vec<Override>, String> {
        let rows = self
            .0
            .sandbox_records(sandbox, function)
            .await
            .map_err(|e| e.to_string())?;
        rows.into_iter()
            .map(|(id, updated_at, doc)| {
                Ok(Override {
                    id,
                    updated_at,
                    doc: serde_json::from_str(&doc).map_err(|e| e.to_string())?,
                })
            })
            .collect()
    }

    async fn get(
        &self,
        sandbox: &str,
        function: &str,
        id: &str,
    ) -> Result<Option<Override>, String> {
        // One row, not every override of the function: simulations and writes look up a
        // single record, and a busy sandbox holds thousands.
        let Some((id, updated_at, doc)) = self
            .0
            .sandbox_record(sandbox, function, id)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        Ok(Some(Override {
            id,
            updated_at,
            doc: serde_json::from_str(&doc).map_err(|e| e.to_string())?,
        }))
    }

    async fn put(&self, sandbox: &str, function: &str, o: &Override) -> Result<(), String> {
        self.0
            .put_sandbox_record(
                sandbox,
                function,
                &(o.id.clone(), o.updated_at, o.doc.to_string()),
            )
            .await
            .map_err(|e| e.to_string())
    }

    async fn put_many(&self, sandbox: &str, function: &str, os: &[Override]) -> Result<(), String> {
        let recs: Vec<_> = os
            .iter()
            .map(|o| (o.id.clone(), o.updated_at, o.doc.to_string()))
            .collect();
        self.0
            .put_sandbox_records(sandbox, function, &recs)
            .await
            .map_err(|e| e.to_string())
    }

    async fn overridden_among(
        &self,
        sandbox: &str,
        function: &str,
        ids: &[String],
    ) -> Result<Vec<String>, String> {
        self.0
            .sandbox_ids_among(sandbox, function, ids)
            .await
            .map_err(|e| e.to_string())
    }

    async fn increment(&self, sandbox: &str, name: &str) -> Result<(), String> {
        self.0
            .increment_sandbox_counter(sandbox, name)
            .await
            .map_err(|e| e.to_string())
    }

    async fn counters(&self, sandbox: &str) -> Result<Vec<(String, i64)>, String> {
        self.0
            .sandbox_counters(sandbox)
            .await
            .map_err(|e| e.to_string())
    }
}
