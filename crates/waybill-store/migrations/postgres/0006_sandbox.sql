-- The simulated systems' own memory: records the sandbox changed or created, overriding its
-- generated data. This is the stand-in vendor's database, not Waybill's synced copy.
CREATE TABLE sandbox_records (
    sandbox TEXT COLLATE "C" NOT NULL,
    function_name TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    updated_at BIGINT NOT NULL,
    doc TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (sandbox, function_name, id)
);

-- How often the simulated API did something (e.g. first pages of pulls), for tests that prove
-- work ran exactly once across worker processes.
CREATE TABLE sandbox_counters (
    sandbox TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (sandbox, name)
);
