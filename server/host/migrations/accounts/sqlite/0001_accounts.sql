-- One account per phone number that ever signed in.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER NOT NULL
);
