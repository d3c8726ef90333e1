//! Storage for the sandbox's simulated vendor state (see the connectors crate): whole
//! records keyed by sandbox instance, function and id.

use crate::db::{int_col, str_col, SqlStore};
use crate::Result;

/// A stored sandbox record: (id, updated_at unix seconds, JSON text).
pub type SandboxRecord = (String, i64, String);

impl SqlStore {
    /// Every stored record of a sandbox function.
    pub async fn sandbox_records(
        &self,
        sandbox: &str,
        function: &str,
    ) -> Result<Vec<SandboxRecord>> {
        let rows = sqlx::query("SELECT id, updated_at, doc FROM sandbox_records WHERE sandbox = $1 AND function_name = $2 ORDER BY updated_at, id")
            .bind(sandbox)
            .bind(function)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    str_col(r, "id")?,
                    int_col(r, "updated_at")?,
                    str_col(r, "doc")?,
                ))
            })
            .collect()
    }

    /// One stored record of a sandbox function, by id.
    pub async fn sandbox_record(
        &self,
        sandbox: &str,
        function: &str,
        id: &str,
    ) -> Result<Option<SandboxRecord>> {
        let row = sqlx::query("SELECT id, updated_at, doc FROM sandbox_records WHERE sandbox = $1 AND function_name = $2 AND id = $3")
            .bind(sandbox)
            .bind(function)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                str_col(&r, "id")?,
                int_col(&r, "updated_at")?,
                str_col(&r, "doc")?,
            ))
        })
        .transpose()
    }

    /// Stores or replaces a sandbox record.
    pub async fn put_sandbox_record(
        &self,
        sandbox: &str,
        function: &str,
        rec: &SandboxRecord,
    ) -> Result<()> {
        let _w = self.write_guard().await;
        sqlx::query("INSERT INTO sandbox_records (sandbox, function_name, id, updated_at, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sandbox, function_name, id) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc")
            .bind(sandbox)
            .bind(function)
            .bind(&rec.0)
            .bind(rec.1)
            .bind(&rec.2)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl SqlStore {
    /// Stores or replaces many sandbox records in one transaction.
    pub async fn put_sandbox_records(
        &self,
        sandbox: &str,
        function: &str,
        recs: &[SandboxRecord],
    ) -> Result<()> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        for rec in recs {
            sqlx::query("INSERT INTO sandbox_records (sandbox, function_name, id, updated_at, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sandbox, function_name, id) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc")
                .bind(sandbox)
                .bind(function)
                .bind(&rec.0)
                .bind(rec.1)
                .bind(&rec.2)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Which of `ids` have a stored sandbox record: one key lookup per id, no documents read.
    pub async fn sandbox_ids_among(
        &self,
        sandbox: &str,
        function: &str,
        ids: &[String],
    ) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(1000) {
            let list = (0..chunk.len())
                .map(|i| format!("${}", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT id FROM sandbox_records WHERE sandbox = $1 AND function_name = $2 AND id IN ({list})");
            let sql = self.sql(&sql);
            let mut q = sqlx::query(&sql).bind(sandbox).bind(function);
            for id in chunk {
                q = q.bind(id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(str_col(&r, "id")?);
            }
        }
        Ok(out)
    }
}

impl SqlStore {
    /// Adds one to a sandbox counter, atomically across processes.
    pub async fn increment_sandbox_counter(&self, sandbox: &str, name: &str) -> Result<()> {
        let _w = self.write_guard().await;
        sqlx::query("INSERT INTO sandbox_counters (sandbox, name, n) VALUES ($1, $2, 1) ON CONFLICT (sandbox, name) DO UPDATE SET n = sandbox_counters.n + 1")
            .bind(sandbox)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A sandbox's counters.
    pub async fn sandbox_counters(&self, sandbox: &str) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT name, n FROM sandbox_counters WHERE sandbox = $1 ORDER BY name")
                .bind(sandbox)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((str_col(r, "name")?, int_col(r, "n")?)))
            .collect()
    }
}
