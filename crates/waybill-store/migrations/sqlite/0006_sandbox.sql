-- The simulated systems' own memory: records the sandbox changed or created, overriding its
-- generated data. This is the stand-in vendor's database, not Waybill's synced copy.
CREATE TABLE sandbox_records (
    sandbox TEXT NOT NULL,
    function_name TEXT NOT NULL,
    id TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (sandbox, function_name, id)
);

-- How often the simulated API did something (e.g. first pages of pulls), for tests that prove
-- work ran exactly once across worker processes.
CREATE TABLE sandbox_counters (
    sandbox TEXT NOT NULL,
    name TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (sandbox, name)
);
