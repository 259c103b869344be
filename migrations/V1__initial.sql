-- DSAR desk schema, version 1. Released migrations are never edited: add V2__… instead.
-- Dates are ISO-8601 text (YYYY-MM-DD), timestamps RFC 3339 UTC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Every imported register is kept, so what a letter said can be traced to the register of
-- that day; the current one is the newest.
CREATE TABLE register_versions (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source_name TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    json        TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,            -- UUID v7
    year             INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    reference        TEXT NOT NULL UNIQUE,        -- DSAR-YYYY-NNNN
    rights           TEXT NOT NULL,               -- comma-separated right codes
    subject_name     TEXT NOT NULL,
    subject_address  TEXT NOT NULL DEFAULT '[]',  -- JSON array of lines
    channel          TEXT NOT NULL,
    received         TEXT NOT NULL,
    jurisdiction     TEXT NOT NULL,
    region           TEXT NOT NULL,
    language         TEXT NOT NULL,
    status           TEXT NOT NULL,
    outcome          TEXT,
    closed_on        TEXT,
    extended_on      TEXT,
    extension_reason TEXT,
    -- Cached engine output, recomputed in the same transaction as every change to the case,
    -- so that "overdue" and "due this week" are index range scans at 100 000 cases.
    due              TEXT NOT NULL,
    extended_due     TEXT,
    effective_due    TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (year, seq)
) STRICT;

CREATE INDEX cases_open_by_due ON cases (effective_due) WHERE status <> 'closed';
-- The working view: open cases first, soonest due first, then closed ones.
CREATE INDEX cases_by_due ON cases ((status = 'closed'), effective_due, year, seq);
CREATE INDEX cases_by_received ON cases (received DESC, year DESC, seq DESC);
CREATE INDEX cases_by_status ON cases (status, effective_due);

CREATE TABLE identifiers (
    case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, value)
) STRICT;

CREATE TABLE pauses (
    case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    reason   TEXT NOT NULL CHECK (reason IN ('identity', 'clarification')),
    asked    TEXT NOT NULL,
    received TEXT,
    PRIMARY KEY (case_id, seq)
) STRICT;

CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- User-added and user-removed holidays per region (company days, municipal days, Royal Decree days).
CREATE TABLE calendar_days (
    region TEXT NOT NULL,
    date   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('added', 'removed')),
    name   TEXT NOT NULL,
    PRIMARY KEY (region, date)
) STRICT;

-- Append-only, hash-chained. Holds no personal data of subjects (only references, codes and
-- dates), so purging a case never has to touch the chain.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    case_id   TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE INDEX audit_by_case ON audit_events (case_id, seq);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
