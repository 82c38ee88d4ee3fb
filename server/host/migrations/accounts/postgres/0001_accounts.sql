-- One account per phone number that ever signed in.
CREATE TABLE accounts (
    id UUID PRIMARY KEY,
    phone TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT NOT NULL
);
