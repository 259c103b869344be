-- Intake and identity (SPEC §11): who made a request when it is not the subject, how the
-- subject's identity was established, and which cases belong together.

-- The person who made the request for the subject (a lawyer, a parent, a holder of a power
-- of attorney). Letters go to them and name the subject.
CREATE TABLE requesters (
    case_id        TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '[]',   -- JSON array of lines
    email          TEXT,
    authority      TEXT NOT NULL CHECK (authority IN ('power-of-attorney', 'parent', 'guardian', 'lawyer', 'other')),
    authority_note TEXT,
    document_id    TEXT REFERENCES documents (id) ON DELETE SET NULL,  -- the authority shown
    updated_at     TEXT NOT NULL
) STRICT;

-- How identity was established, one row per check. A copy of an ID document is kept only
-- with a reason (kept_reason, document_id); otherwise only its SHA-256 shows that one was seen.
CREATE TABLE identity_checks (
    id              TEXT PRIMARY KEY,            -- UUID v7
    case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    method          TEXT NOT NULL CHECK (method IN ('held-data', 'email-round-trip', 'document-seen', 'representative-authority')),
    checked_on      TEXT NOT NULL,
    checked_by      TEXT NOT NULL,
    matched         TEXT NOT NULL DEFAULT '[]',  -- JSON [{"system", "kinds": [...]}]
    note            TEXT,
    document_sha256 TEXT,
    document_id     TEXT REFERENCES documents (id) ON DELETE SET NULL,
    kept_reason     TEXT,
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX identity_checks_by_case ON identity_checks (case_id, checked_on);

-- Cases that belong together (a repeated request, the same person through two channels).
-- Stored once per pair, the smaller id first.
CREATE TABLE case_links (
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    other_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (case_id, other_id),
    CHECK (case_id < other_id)
) STRICT;

CREATE INDEX case_links_by_other ON case_links (other_id);
