-- Waybill schema, SQLite flavour. Times are TEXT in the wire shape YYYY-MM-DDTHH:MM:SSZ so that
-- text order is time order; booleans are INTEGER 0/1; JSON is TEXT.

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    historical_lookback_days INTEGER NOT NULL DEFAULT 30,
    settings TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE api_keys (
    prefix TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    key_hash TEXT NOT NULL,
    read_only INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_keys_org ON api_keys(organization_id);

CREATE TABLE connections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    integration_type TEXT NOT NULL,
    integration_name TEXT NOT NULL,
    customer_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    token_generation INTEGER NOT NULL DEFAULT 0,
    credentials TEXT NOT NULL,
    me TEXT NOT NULL DEFAULT '{}',
    settings TEXT NOT NULL DEFAULT '{}',
    is_sandbox INTEGER NOT NULL DEFAULT 0,
    webhooks_disabled INTEGER NOT NULL DEFAULT 0,
    historical_lookback_days INTEGER,
    created_at TEXT NOT NULL,
    last_used TEXT,
    times_used INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT
);
CREATE INDEX connections_org ON connections(organization_id, seq);

CREATE TABLE sync_schedules (
    connection_id TEXT NOT NULL,
    function_name TEXT NOT NULL,
    sync_frequency INTEGER NOT NULL,
    sync_status TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    last_crawl_start TEXT,
    last_crawl_end TEXT,
    latest_data TEXT,
    historical_completed INTEGER NOT NULL DEFAULT 0,
    next_run_at TEXT,
    PRIMARY KEY (connection_id, function_name)
);

CREATE TABLE link_tokens (
    token_hash TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    connection_id TEXT,
    customer_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE auth_codes (
    code_hash TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    link_token_hash TEXT NOT NULL,
    integration_type TEXT NOT NULL,
    integration_name TEXT NOT NULL,
    connection_id TEXT,
    customer_id TEXT,
    credentials TEXT NOT NULL,
    me TEXT NOT NULL DEFAULT '{}',
    missing TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    hash TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    created_date TEXT,
    updated_date TEXT,
    trackstar_created_date TEXT NOT NULL,
    trackstar_updated_date TEXT NOT NULL,
    warehouse_customer_id TEXT,
    status TEXT,
    t0 TEXT, t1 TEXT, t2 TEXT, t3 TEXT, t4 TEXT,
    d0 TEXT, d1 TEXT
);
-- Every filterable column is indexed; the per-resource slots only where a resource fills
-- them, so resources that leave a slot empty pay nothing for its index.
CREATE UNIQUE INDEX records_key ON records(connection_id, resource, id);
CREATE INDEX records_seq ON records(connection_id, resource, seq);
CREATE INDEX records_tud ON records(connection_id, resource, trackstar_updated_date);
-- Created-date ranges page in (created_date, seq) order straight off this index, and the
-- status beside it answers the most common companion filter without touching the table.
CREATE INDEX records_created ON records(connection_id, resource, created_date, seq, status);
CREATE INDEX records_updated ON records(connection_id, resource, updated_date);
CREATE INDEX records_status ON records(connection_id, resource, status, created_date);
CREATE INDEX records_wcid ON records(connection_id, resource, warehouse_customer_id) WHERE warehouse_customer_id IS NOT NULL;
CREATE INDEX records_t0 ON records(connection_id, resource, t0) WHERE t0 IS NOT NULL;
CREATE INDEX records_t1 ON records(connection_id, resource, t1) WHERE t1 IS NOT NULL;
CREATE INDEX records_t2 ON records(connection_id, resource, t2) WHERE t2 IS NOT NULL;
CREATE INDEX records_t3 ON records(connection_id, resource, t3) WHERE t3 IS NOT NULL;
CREATE INDEX records_d0 ON records(connection_id, resource, d0) WHERE d0 IS NOT NULL;
CREATE INDEX records_t4 ON records(connection_id, resource, t4) WHERE t4 IS NOT NULL;
CREATE INDEX records_d1 ON records(connection_id, resource, d1) WHERE d1 IS NOT NULL;

CREATE TABLE record_tags (
    record_seq INTEGER NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, record_seq)
);
CREATE INDEX record_tags_seq ON record_tags(record_seq);

-- Write transactions update this row first, so they take SQLite's write lock up front (with
-- the busy timeout) instead of failing when a read snapshot must be upgraded.
CREATE TABLE write_gate (k INTEGER PRIMARY KEY, v INTEGER NOT NULL);
INSERT INTO write_gate (k, v) VALUES (1, 0);
