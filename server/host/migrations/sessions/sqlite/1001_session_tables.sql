-- The session database: sessions and what lives beside them. Versions start at 1001 so they
-- never meet the account store's (0001…) when both stores share one SQLite file. Each table
-- is created only if missing: databases made before this migration already have them.

-- Sessions, as tower-sessions-sqlx-store reads and writes them (its own table and encoding).
CREATE TABLE IF NOT EXISTS tower_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);

-- Rate-limit and guard counters: one row per key and fixed window.
CREATE TABLE IF NOT EXISTS rate_counters (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Number locks: one owner per pending upstream request.
CREATE TABLE IF NOT EXISTS number_locks (
    key TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- The fraud guard's blocks: one row per scope, remembered after the block ends.
CREATE TABLE IF NOT EXISTS guard_blocks (
    scope TEXT PRIMARY KEY NOT NULL,
    blocked_from INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    strikes INTEGER NOT NULL,
    sends INTEGER NOT NULL,
    verified INTEGER NOT NULL,
    token TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Each account's signed-in sessions; the primary key (account first) serves every
-- per-account query.
CREATE TABLE IF NOT EXISTS account_sessions (
    account TEXT NOT NULL,
    handle TEXT NOT NULL,
    signed_in_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    device TEXT NOT NULL,
    network TEXT NOT NULL,
    factor TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (account, handle)
);
