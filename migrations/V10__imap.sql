-- IMAP intake (SPEC §11): every message of the intake mailbox the desk has proposed, and what
-- the user did with it, so each message is proposed once. A UID only names a message together
-- with its folder's UIDVALIDITY: when the server rebuilds a folder (new UIDVALIDITY) its
-- messages count as new. Only the message's SHA-256 is kept here, never its content.
CREATE TABLE imap_intake (
    -- user@host:port of the intake mailbox (the desk's own login, not a subject's).
    account      TEXT NOT NULL,
    folder       TEXT NOT NULL,
    uid_validity INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'dismissed')),
    sha256       TEXT NOT NULL,
    -- The case an accepted message became.
    case_id      TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (account, folder, uid_validity, uid)
) STRICT;
