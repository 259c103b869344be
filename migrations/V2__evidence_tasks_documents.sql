-- Pulls, the records they found, per-system tasks, and generated documents.

-- One row per system per pull: what happened there (ok / manual / error), for the checklist.
CREATE TABLE pull_results (
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'manual', 'error', 'cancelled')),
    records     INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    pulled_at   TEXT NOT NULL,
    PRIMARY KEY (case_id, system_id)
) STRICT;

-- Records found for a case: where each came from (locator) and the record itself as JSON.
-- Kept until the case is purged; re-pulling a system replaces only that system's rows.
CREATE TABLE evidence (
    id        INTEGER PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id TEXT NOT NULL,
    dataset   TEXT NOT NULL,   -- query name, file name or endpoint: becomes data/<system>/<dataset>.json
    locator   TEXT NOT NULL,   -- e.g. "query users", "access.log.2.gz:1042", a URL without secrets
    record    TEXT NOT NULL,   -- JSON object
    pulled_at TEXT NOT NULL
) STRICT;

CREATE INDEX evidence_by_case ON evidence (case_id, system_id, dataset, id);

-- Per-system to-dos: a manual system to search, a processor to notify, an erasure to confirm.
CREATE TABLE tasks (
    id         TEXT PRIMARY KEY,   -- UUID v7
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id  TEXT,
    kind       TEXT NOT NULL,      -- manual-search, notify-recipient, confirm-erasure, …
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',   -- e.g. the ready e-mail to the processor
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_at TEXT NOT NULL,
    done_at    TEXT,
    UNIQUE (case_id, system_id, kind)
) STRICT;

CREATE INDEX tasks_by_case ON tasks (case_id, status);

-- Letters and bundles as generated: the exact bytes that were saved or sent.
CREATE TABLE documents (
    id         TEXT PRIMARY KEY,   -- UUID v7
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,      -- letter kind (access-response, …) or 'bundle'
    language   TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,      -- application/pdf, message/rfc822, application/zip
    content    BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    message_id TEXT
) STRICT;

CREATE INDEX documents_by_case ON documents (case_id, created_at);
