-- The passkeys of each account; deleting an account deletes its passkeys.
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
-- Also serves the oldest-first listing of an account's passkeys.
CREATE INDEX passkeys_account_id ON passkeys (account_id, created_at);
