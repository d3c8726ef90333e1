-- Waybill schema, PostgreSQL flavour. Times are TEXT in the wire shape YYYY-MM-DDTHH:MM:SSZ so that
-- text order is time order; booleans are BIGINT 0/1; JSON is TEXT.

CREATE TABLE organizations (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    historical_lookback_days BIGINT NOT NULL DEFAULT 30,
    settings TEXT COLLATE "C" NOT NULL DEFAULT '{}'
);

CREATE TABLE api_keys (
    prefix TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    key_hash TEXT COLLATE "C" NOT NULL,
    read_only BIGINT NOT NULL DEFAULT 0,
    created_at TEXT COLLATE "C" NOT NULL,
    revoked_at TEXT COLLATE "C"
);
CREATE INDEX api_keys_org ON api_keys(organization_id);

CREATE TABLE connections (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    integration_type TEXT COLLATE "C" NOT NULL,
    integration_name TEXT COLLATE "C" NOT NULL,
    customer_id TEXT COLLATE "C",
    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    token_generation BIGINT NOT NULL DEFAULT 0,
    credentials TEXT COLLATE "C" NOT NULL,
    me TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    settings TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    is_sandbox BIGINT NOT NULL DEFAULT 0,
    webhooks_disabled BIGINT NOT NULL DEFAULT 0,
    historical_lookback_days BIGINT,
    created_at TEXT COLLATE "C" NOT NULL,
    last_used TEXT COLLATE "C",
    times_used BIGINT NOT NULL DEFAULT 0,
    deleted_at TEXT COLLATE "C"
);
CREATE INDEX connections_org ON connections(organization_id, seq);

CREATE TABLE sync_schedules (
    connection_id TEXT COLLATE "C" NOT NULL,
    function_name TEXT COLLATE "C" NOT NULL,
    sync_frequency BIGINT NOT NULL,
    sync_status TEXT COLLATE "C" NOT NULL,
    paused BIGINT NOT NULL DEFAULT 0,
    last_crawl_start TEXT COLLATE "C",
    last_crawl_end TEXT COLLATE "C",
    latest_data TEXT COLLATE "C",
    historical_completed BIGINT NOT NULL DEFAULT 0,
    next_run_at TEXT COLLATE "C",
    PRIMARY KEY (connection_id, function_name)
);

CREATE TABLE link_tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    connection_id TEXT COLLATE "C",
    customer_id TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at TEXT COLLATE "C"
);

CREATE TABLE auth_codes (
    code_hash TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    link_token_hash TEXT COLLATE "C" NOT NULL,
    integration_type TEXT COLLATE "C" NOT NULL,
    integration_name TEXT COLLATE "C" NOT NULL,
    connection_id TEXT COLLATE "C",
    customer_id TEXT COLLATE "C",
    credentials TEXT COLLATE "C" NOT NULL,
    me TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    missing TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at TEXT COLLATE "C"
);

CREATE TABLE records (
    seq BIGSERIAL PRIMARY KEY,
    connection_id TEXT COLLATE "C" NOT NULL,
    resource TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    doc TEXT COLLATE "C" NOT NULL,
    hash TEXT COLLATE "C" NOT NULL,
    tags TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    created_date TEXT COLLATE "C",
    updated_date TEXT COLLATE "C",
    trackstar_created_date TEXT COLLATE "C" NOT NULL,
    trackstar_updated_date TEXT COLLATE "C" NOT NULL,
    warehouse_customer_id TEXT COLLATE "C",
    status TEXT COLLATE "C",
    t0 TEXT COLLATE "C", t1 TEXT COLLATE "C", t2 TEXT COLLATE "C", t3 TEXT COLLATE "C", t4 TEXT COLLATE "C",
    d0 TEXT COLLATE "C", d1 TEXT COLLATE "C"
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
    record_seq BIGINT NOT NULL REFERENCES records(seq) ON DELETE CASCADE,
    tag TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tag, record_seq)
);
CREATE INDEX record_tags_seq ON record_tags(record_seq);
