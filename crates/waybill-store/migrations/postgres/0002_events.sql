-- The outbox: every event is written in the same transaction as the change that caused it.
-- The dispatcher fans events out to webhook deliveries and marks them `fanned_out`.
CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    organization_id TEXT COLLATE "C" NOT NULL,
    connection_id TEXT COLLATE "C",
    event_type TEXT COLLATE "C" NOT NULL,
    payload TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    fanned_out BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX events_pending ON events(fanned_out, seq);
CREATE INDEX events_org ON events(organization_id, seq);
