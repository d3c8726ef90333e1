-- Idempotency keys of writes (SPEC §12.6): one row per (connection, key) while a request runs
-- and for 24 hours after it succeeded, so a replay answers from here without calling the vendor.
CREATE TABLE idempotency_keys (
    connection_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_at TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    PRIMARY KEY (connection_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
