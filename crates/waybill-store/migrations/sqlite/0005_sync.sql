-- Scheduler leases, retry bookkeeping, connection health, force syncs and on-demand jobs.
ALTER TABLE sync_schedules ADD COLUMN lease_until TEXT;
ALTER TABLE sync_schedules ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sync_schedules_due ON sync_schedules(next_run_at);

CREATE TABLE connection_errors (
    connection_id TEXT NOT NULL,
    class TEXT NOT NULL,
    blocking INTEGER NOT NULL,
    error_message TEXT NOT NULL,
    affected_endpoints TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (connection_id, class)
);

CREATE TABLE force_syncs (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL,
    functions TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX force_syncs_open ON force_syncs(connection_id, completed_at);

CREATE TABLE sync_jobs (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL,
    function_name TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_start_time TEXT NOT NULL,
    requested_end_time TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    lease_until TEXT,
    cursor TEXT
);
CREATE INDEX sync_jobs_status ON sync_jobs(status, connection_id);
