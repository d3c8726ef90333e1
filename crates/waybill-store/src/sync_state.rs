//! What the scheduler keeps: schedule leases, connection health, force-sync requests and
//! on-demand jobs. Leases make every job safe to run from several worker processes: a claim
//! is one conditional statement (with `FOR UPDATE SKIP LOCKED` on PostgreSQL), and a lease
//! that expires because its worker died is simply claimed again.

use crate::db::{str_col, Backend, SqlStore};
use crate::schedules::row as schedule_row;
use crate::{ConnectionErrorRow, ForceSyncRow, Result, ScheduleRow, SyncJobRow};
use async_trait::async_trait;
use sqlx::any::AnyRow;

/// How an upserted connection error compares with what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorChange {
    /// A new error.
    Created,
    /// The message or affected endpoints changed.
    Updated,
    /// Same as before (only `last_seen` moved).
    Unchanged,
}

/// Scheduler state.
#[async_trait]
pub trait SyncStateStore: Send + Sync {
    /// Claims up to `limit` due schedules of healthy connections without open jobs, leasing
    /// them until `lease_until`.
    async fn claim_due_schedules(
        &self,
        now: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<ScheduleRow>>;
    /// Releases a schedule's lease.
    async fn release_schedule(&self, connection_id: &str, function: &str) -> Result<()>;
    /// Extends a held lease to `lease_until`, so a run longer than the lease is not claimed a
    /// second time while it is alive. A released lease stays released.
    async fn renew_schedule_lease(
        &self,
        connection_id: &str,
        function: &str,
        lease_until: &str,
    ) -> Result<()>;
    /// Pauses or resumes one function (or all when `function` is `None`); returns rows changed.
    async fn set_paused(
        &self,
        connection_id: &str,
        function: Option<&str>,
        paused: bool,
    ) -> Result<u64>;
    /// Makes functions due now (all when `functions` is empty).
    async fn make_due(&self, connection_id: &str, functions: &[String], now: &str) -> Result<()>;
    /// Records a connection error; reports whether it is new or changed.
    async fn upsert_connection_error(&self, e: &ConnectionErrorRow) -> Result<ErrorChange>;
    /// Removes a connection error; returns it when it existed.
    async fn delete_connection_error(
        &self,
        connection_id: &str,
        class: &str,
    ) -> Result<Option<ConnectionErrorRow>>;
    /// A connection's errors.
    async fn connection_errors(&self, connection_id: &str) -> Result<Vec<ConnectionErrorRow>>;
    /// Stores a force-sync request.
    async fn create_force_sync(&self, f: &ForceSyncRow) -> Result<()>;
    /// Open force-sync requests of a connection.
    async fn open_force_syncs(&self, connection_id: &str) -> Result<Vec<ForceSyncRow>>;
    /// Marks a force sync complete; false when another worker already did.
    async fn complete_force_sync(&self, id: &str, at: &str) -> Result<bool>;
    /// Stores a new on-demand job.
    async fn create_job(&self, j: &SyncJobRow) -> Result<()>;
    /// Loads a job.
    async fn get_job(&self, id: &str) -> Result<Option<SyncJobRow>>;
    /// Moves a job from `open` to `status`; false when it was not open.
    async fn finish_job(&self, id: &str, status: &str, at: &str) -> Result<bool>;
    /// Claims an open job whose lease is free.
    async fn claim_job(&self, now: &str, lease_until: &str) -> Result<Option<SyncJobRow>>;
    /// Records progress of a running job.
    async fn touch_job(&self, id: &str, at: &str, lease_until: &str) -> Result<()>;
}

fn job(r: &AnyRow) -> Result<SyncJobRow> {
    Ok(SyncJobRow {
        id: str_col(r, "id")?,
        connection_id: str_col(r, "connection_id")?,
        function_name: str_col(r, "function_name")?,
        status: str_col(r, "status")?,
        requested_start_time: str_col(r, "requested_start_time")?,
        requested_end_time: str_col(r, "requested_end_time")?,
        created_at: str_col(r, "created_at")?,
        updated_at: str_col(r, "updated_at")?,
    })
}

fn conn_error(r: &AnyRow) -> Result<ConnectionErrorRow> {
    Ok(ConnectionErrorRow {
        connection_id: str_col(r, "connection_id")?,
        class: str_col(r, "class")?,
        blocking: crate::db::bool_col(r, "blocking")?,
        error_message: str_col(r, "error_message")?,
        affected_endpoints: str_col(r, "affected_endpoints")?,
        first_seen: str_col(r, "first_seen")?,
        last_seen: str_col(r, "last_seen")?,
    })
}

impl SqlStore {
    fn skip_locked(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }
}

#[async_trait]
impl SyncStateStore for SqlStore {
    async fn claim_due_schedules(
        &self,
        now: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<ScheduleRow>> {
        let sql = format!(
            "UPDATE sync_schedules SET lease_until = $1 WHERE (connection_id, function_name) IN (
                SELECT s.connection_id, s.function_name FROM sync_schedules s
                JOIN connections c ON c.id = s.connection_id AND c.deleted_at IS NULL
                WHERE s.paused = 0 AND s.next_run_at <= $2 AND (s.lease_until IS NULL OR s.lease_until < $2)
                  AND NOT EXISTS (SELECT 1 FROM connection_errors e WHERE e.connection_id = s.connection_id AND e.blocking = 1)
                  AND NOT EXISTS (SELECT 1 FROM sync_jobs j WHERE j.connection_id = s.connection_id AND j.status = 'open')
                ORDER BY s.next_run_at LIMIT $3{}) RETURNING *",
            self.skip_locked()
        );
        let _w = self.write_guard().await;
        let rows = sqlx::query(&sql)
            .bind(lease_until)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(schedule_row).collect()
    }

    async fn release_schedule(&self, connection_id: &str, function: &str) -> Result<()> {
        sqlx::query("UPDATE sync_schedules SET lease_until = NULL WHERE connection_id = $1 AND function_name = $2")
            .bind(connection_id)
            .bind(function)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn renew_schedule_lease(
        &self,
        connection_id: &str,
        function: &str,
        lease_until: &str,
    ) -> Result<()> {
        sqlx::query(&self.sql("UPDATE sync_schedules SET lease_until = $1 WHERE connection_id = $2 AND function_name = $3 AND lease_until IS NOT NULL"))
            .bind(lease_until)
            .bind(connection_id)
            .bind(function)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn set_paused(
        &self,
        connection_id: &str,
        function: Option<&str>,
        paused: bool,
    ) -> Result<u64> {
        let r = match function {
            Some(f) => sqlx::query("UPDATE sync_schedules SET paused = $1 WHERE connection_id = $2 AND function_name = $3")
                .bind(paused as i64)
                .bind(connection_id)
                .bind(f)
                .execute(&self.pool)
                .await?,
            None => sqlx::query("UPDATE sync_schedules SET paused = $1 WHERE connection_id = $2")
                .bind(paused as i64)
                .bind(connection_id)
                .execute(&self.pool)
                .await?,
        };
        Ok(r.rows_affected())
    }

    async fn make_due(&self, connection_id: &str, functions: &[String], now: &str) -> Result<()> {
        if functions.is_empty() {
            sqlx::query("UPDATE sync_schedules SET next_run_at = $1 WHERE connection_id = $2")
                .bind(now)
                .bind(connection_id)
                .execute(&self.pool)
                .await?;
        }
        for f in functions {
            sqlx::query("UPDATE sync_schedules SET next_run_at = $1 WHERE connection_id = $2 AND function_name = $3")
                .bind(now)
                .bind(connection_id)
                .bind(f)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn upsert_connection_error(&self, e: &ConnectionErrorRow) -> Result<ErrorChange> {
        let _w = self.write_guard().await;
        let mut tx = self.begin_write().await?;
        let old =
            sqlx::query("SELECT * FROM connection_errors WHERE connection_id = $1 AND class = $2")
                .bind(&e.connection_id)
                .bind(&e.class)
                .fetch_optional(&mut *tx)
                .await?
                .as_ref()
                .map(conn_error)
                .transpose()?;
        let change = match &old {
            None => {
                sqlx::query("INSERT INTO connection_errors (connection_id, class, blocking, error_message, affected_endpoints, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(&e.connection_id)
                    .bind(&e.class)
                    .bind(e.blocking as i64)
                    .bind(&e.error_message)
                    .bind(&e.affected_endpoints)
                    .bind(&e.first_seen)
                    .bind(&e.last_seen)
                    .execute(&mut *tx)
                    .await?;
                ErrorChange::Created
            }
            Some(o) => {
                sqlx::query("UPDATE connection_errors SET blocking = $1, error_message = $2, affected_endpoints = $3, last_seen = $4 WHERE connection_id = $5 AND class = $6")
                    .bind(e.blocking as i64)
                    .bind(&e.error_message)
                    .bind(&e.affected_endpoints)
                    .bind(&e.last_seen)
                    .bind(&e.connection_id)
                    .bind(&e.class)
                    .execute(&mut *tx)
                    .await?;
                if o.error_message != e.error_message
                    || o.affected_endpoints != e.affected_endpoints
                    || o.blocking != e.blocking
                {
                    ErrorChange::Updated
                } else {
                    ErrorChange::Unchanged
                }
            }
        };
        tx.commit().await?;
        Ok(change)
    }

    async fn delete_connection_error(
        &self,
        connection_id: &str,
        class: &str,
    ) -> Result<Option<ConnectionErrorRow>> {
        let _w = self.write_guard().await;
        let rows = sqlx::query(
            "DELETE FROM connection_errors WHERE connection_id = $1 AND class = $2 RETURNING *",
        )
        .bind(connection_id)
        .bind(class)
        .fetch_all(&self.pool)
        .await?;
        rows.first().map(conn_error).transpose()
    }

    async fn connection_errors(&self, connection_id: &str) -> Result<Vec<ConnectionErrorRow>> {
        let rows = sqlx::query(
            "SELECT * FROM connection_errors WHERE connection_id = $1 ORDER BY first_seen, class",
        )
        .bind(connection_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(conn_error).collect()
    }

    async fn create_force_sync(&self, f: &ForceSyncRow) -> Result<()> {
        sqlx::query("INSERT INTO force_syncs (id, connection_id, functions, requested_at) VALUES ($1, $2, $3, $4)")
            .bind(&f.id)
            .bind(&f.connection_id)
            .bind(&f.functions)
            .bind(&f.requested_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn open_force_syncs(&self, connection_id: &str) -> Result<Vec<ForceSyncRow>> {
        let rows = sqlx::query(
            "SELECT * FROM force_syncs WHERE connection_id = $1 AND completed_at IS NULL",
        )
        .bind(connection_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ForceSyncRow {
                    id: str_col(r, "id")?,
                    connection_id: str_col(r, "connection_id")?,
                    functions: str_col(r, "functions")?,
                    requested_at: str_col(r, "requested_at")?,
                })
            })
            .collect()
    }

    async fn complete_force_sync(&self, id: &str, at: &str) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE force_syncs SET completed_at = $1 WHERE id = $2 AND completed_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn create_job(&self, j: &SyncJobRow) -> Result<()> {
        sqlx::query("INSERT INTO sync_jobs (id, connection_id, function_name, status, requested_start_time, requested_end_time, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&j.id)
            .bind(&j.connection_id)
            .bind(&j.function_name)
            .bind(&j.status)
            .bind(&j.requested_start_time)
            .bind(&j.requested_end_time)
            .bind(&j.created_at)
            .bind(&j.updated_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_job(&self, id: &str) -> Result<Option<SyncJobRow>> {
        let r = sqlx::query("SELECT * FROM sync_jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(job).transpose()
    }

    async fn finish_job(&self, id: &str, status: &str, at: &str) -> Result<bool> {
        let r = sqlx::query("UPDATE sync_jobs SET status = $1, updated_at = $2, lease_until = NULL WHERE id = $3 AND status = 'open'")
            .bind(status)
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn claim_job(&self, now: &str, lease_until: &str) -> Result<Option<SyncJobRow>> {
        let sql = format!(
            "UPDATE sync_jobs SET lease_until = $1 WHERE id IN (SELECT id FROM sync_jobs WHERE status = 'open' AND (lease_until IS NULL OR lease_until < $2) ORDER BY created_at LIMIT 1{}) RETURNING *",
            self.skip_locked()
        );
        let _w = self.write_guard().await;
        let rows = sqlx::query(&sql)
            .bind(lease_until)
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
        rows.first().map(job).transpose()
    }

    async fn touch_job(&self, id: &str, at: &str, lease_until: &str) -> Result<()> {
        sqlx::query("UPDATE sync_jobs SET updated_at = $1, lease_until = $2 WHERE id = $3")
            .bind(at)
            .bind(lease_until)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
