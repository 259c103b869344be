-- Acting on a request (SPEC §10): the plans, what each system's execution did, the
-- verification, the recipients' notices and the suppression list. Every confirmation a
-- letter makes is read from these tables.

-- A dry run of everything a case's rights would do; the id is the SHA-256 of the content,
-- so planning twice over unchanged data gives the same plan. The body holds counts and
-- statement names, never identifiers.
CREATE TABLE action_plans (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT
) STRICT;

CREATE INDEX action_plans_by_case ON action_plans (case_id, created_at);

-- One row per system of an approved plan: 'running' is written before the system is touched,
-- so a run that was killed is known as such when it is run again.
CREATE TABLE action_results (
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    plan_id        TEXT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    system_id      TEXT NOT NULL,
    action         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('running', 'done', 'task', 'error', 'skipped')),
    rows           INTEGER NOT NULL DEFAULT 0,
    statements     TEXT NOT NULL DEFAULT '[]',   -- [{"name", "action", "rows"}]
    retained_until TEXT,
    error          TEXT,
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    PRIMARY KEY (plan_id, system_id)
) STRICT;

-- The acted systems searched again: erased data gone, restricted data flagged.
CREATE TABLE verifications (
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    plan_id     TEXT NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    system_id   TEXT NOT NULL,
    records     INTEGER NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    note        TEXT,
    verified_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, system_id)
) STRICT;

-- Art. 19: one notice per recipient of a system whose data was erased, restricted or
-- rectified; sent (date, channel) or closed with a reason.
CREATE TABLE recipient_notices (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id  TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('recipient-notice', 'processor-instruction')),
    action     TEXT NOT NULL CHECK (action IN ('erase', 'restrict', 'rectify')),
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent', 'impossible', 'disproportionate')),
    sent_on    TEXT,
    channel    TEXT,
    reason     TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, system_id, recipient)
) STRICT;

-- Objection to direct marketing and consent withdrawal: keyed hashes of the normalised
-- identifiers (HMAC-SHA256 with this desk's suppression key), never the values. No foreign
-- key: the list outlives the case.
CREATE TABLE suppression (
    hash      TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    case_ref  TEXT NOT NULL,
    added_at  TEXT NOT NULL
) STRICT;

-- Follow-ups with a date: "erase after 2034-12-31" for retained data.
ALTER TABLE tasks ADD COLUMN due_on TEXT;

-- Rectification (Art. 16): what was corrected, old → new. Only here, in the encrypted
-- database; the audit trail records that a correction was noted, never its values.
CREATE TABLE rectifications (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id   TEXT,                 -- NULL: wherever the data is held
    field       TEXT NOT NULL,
    old_value   TEXT NOT NULL,
    new_value   TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;

-- A processor's (or operator's) answer to an act-by-hand task: the day, what they
-- confirmed, and their reply kept as a document.
CREATE TABLE task_answers (
    task_id     TEXT PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    answered_on TEXT NOT NULL,
    confirmed   TEXT NOT NULL CHECK (confirmed IN ('erased', 'restricted', 'rectified', 'nothing-held', 'refused')),
    note        TEXT,
    document_id TEXT REFERENCES documents (id),
    recorded_at TEXT NOT NULL
) STRICT;
