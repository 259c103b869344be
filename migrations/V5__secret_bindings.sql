-- Each connector secret is bound to the systems it was set for and the address each of them
-- sends it to: a register import that points a system at another host (or a new system at an
-- old token) cannot carry the secret there without the user's audited consent. The SMTP
-- password is a secret of its own kind and never reaches a connector.
ALTER TABLE secrets ADD COLUMN purpose TEXT NOT NULL DEFAULT 'connector' CHECK (purpose IN ('connector', 'smtp'));

CREATE TABLE secret_bindings (
    secret      TEXT NOT NULL REFERENCES secrets (name) ON DELETE CASCADE,
    system_id   TEXT NOT NULL,
    -- Where the system sends it: host (and port) of its URL, 'this machine' for files.
    destination TEXT NOT NULL,
    bound_at    TEXT NOT NULL,
    PRIMARY KEY (secret, system_id)
) STRICT;
