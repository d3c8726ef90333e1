-- Scheduler leases, retry bookkeeping, connection health, force syncs and on-demand jobs.
ALTER TABLE sync_schedules ADD COLUMN lease_until TEXT COLLATE "C";
ALTER TABLE sync_schedules ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sync_schedules_due ON sync_schedules(next_run_at);

CREATE TABLE connection_errors (
    connection_id TEXT COLLATE "C" NOT NULL,
    class TEXT COLLATE "C" NOT NULL,
    blocking BIGINT NOT NULL,
    error_message TEXT COLLATE "C" NOT NULL,
    affected_endpoints TEXT COLLATE "C" NOT NULL,
    first_seen TEXT COLLATE "C" NOT NULL,
    last_seen TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (connection_id, class)
);

CREATE TABLE force_syncs (
    id TEXT COLLATE "C" PRIMARY KEY,
    connection_id TEXT COLLATE "C" NOT NULL,
    functions TEXT COLLATE "C" NOT NULL,
    requested_at TEXT COLLATE "C" NOT NULL,
    completed_at TEXT COLLATE "C"
);
CREATE INDEX force_syncs_open ON force_syncs(connection_id, completed_at);

CREATE TABLE sync_jobs (
    id TEXT COLLATE "C" PRIMARY KEY,
    connection_id TEXT COLLATE "C" NOT NULL,
    function_name TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    requested_start_time TEXT COLLATE "C" NOT NULL,
    requested_end_time TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    lease_until TEXT COLLATE "C",
    cursor TEXT COLLATE "C"
);
CREATE INDEX sync_jobs_status ON sync_jobs(status, connection_id);
