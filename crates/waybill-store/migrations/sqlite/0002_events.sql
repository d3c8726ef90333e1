-- The outbox: every event is written in the same transaction as the change that caused it.
-- The dispatcher fans events out to webhook deliveries and marks them `fanned_out`.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL,
    connection_id TEXT,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    fanned_out INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_pending ON events(fanned_out, seq);
CREATE INDEX events_org ON events(organization_id, seq);
