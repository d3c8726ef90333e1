-- Webhook endpoints, the deliveries the dispatcher fans out of the events outbox, and a log
-- row per delivery attempt. Endpoint secrets are AES-256-GCM ciphertext (they must be
-- recoverable to sign). Lists are JSON arrays as TEXT; times shown to clients are TEXT
-- YYYY-MM-DDTHH:MM:SSZ. The two scheduling columns (next_attempt_ms, locked_until_ms) are
-- Unix milliseconds: retry delays, Retry-After and leases need sub-second precision.

CREATE TABLE webhook_endpoints (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    url TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    event_types TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    connection_ids TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    disabled BIGINT NOT NULL DEFAULT 0,
    disabled_reason TEXT COLLATE "C",
    failing_since TEXT COLLATE "C",
    secret TEXT COLLATE "C" NOT NULL,
    previous_secret TEXT COLLATE "C",
    previous_secret_expires_at TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    deleted_at TEXT COLLATE "C"
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints(organization_id, seq);

-- One row per (event, endpoint). status: pending | succeeded | failed. `step` is the position
-- in the retry schedule (reset by a resend); `attempts` counts every attempt ever made.
CREATE TABLE webhook_deliveries (
    seq BIGSERIAL PRIMARY KEY,
    event_id TEXT COLLATE "C" NOT NULL,
    endpoint_id TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    step BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    lock_token TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_ms) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, seq);

CREATE TABLE webhook_attempts (
    seq BIGSERIAL PRIMARY KEY,
    delivery_seq BIGINT NOT NULL,
    attempt BIGINT NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    status_code BIGINT,
    latency_ms BIGINT NOT NULL,
    response TEXT COLLATE "C" NOT NULL DEFAULT '',
    error TEXT COLLATE "C",
    succeeded BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_seq, seq);
