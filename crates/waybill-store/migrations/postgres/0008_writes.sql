-- Idempotency keys of writes (SPEC §12.6): one row per (connection, key) while a request runs
-- and for 24 hours after it succeeded, so a replay answers from here without calling the vendor.
CREATE TABLE idempotency_keys (
    connection_id TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    status INTEGER,
    body TEXT,
    created_at TEXT COLLATE "C" NOT NULL,
    locked_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (connection_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
