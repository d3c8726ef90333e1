-- Magic links (hosted Link pages an organization shares with its customers), and what the
-- install flow must carry for them: the magic link a link token was minted for, and the
-- per-connection function overrides an auth code hands to the connection it creates.
-- Lists are JSON arrays as TEXT; times are TEXT YYYY-MM-DDTHH:MM:SSZ.

CREATE TABLE magic_links (
    id TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
    connection_id TEXT COLLATE "C",
    customer_id TEXT COLLATE "C",
    integration_type TEXT COLLATE "C" NOT NULL,
    integration_allow_list TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    integration_block_list TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    integrations_with_endpoints TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    disabled_functions TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    enabled_functions TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    deleted_at TEXT COLLATE "C"
);
CREATE INDEX magic_links_org ON magic_links(organization_id, created_at);

ALTER TABLE link_tokens ADD COLUMN magic_link_id TEXT COLLATE "C";
ALTER TABLE auth_codes ADD COLUMN settings TEXT COLLATE "C" NOT NULL DEFAULT '{}';
