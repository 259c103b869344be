-- Identifiers found on the way (SPEC §11): a system's connector `yields` identifier kinds
-- read out of the records a pull found there (a customer number in the CRM), which the later
-- systems of the pull were searched with. Values are normalised and, like every identifier,
-- stay inside the encrypted file; the audit trail never holds them.

-- Where each value came from, per case and pull (pulled_at is the pull's, as in evidence).
-- They follow the evidence they were read from: re-pulling the system replaces them, a
-- cancelled system keeps them.
CREATE TABLE yielded_identifiers (
    id        INTEGER PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,   -- identifier kind key: customer_id, email, member_no, …
    value     TEXT NOT NULL,   -- normalised (domain::subject::normalise)
    system_id TEXT NOT NULL,   -- the yielding system
    dataset   TEXT NOT NULL,   -- the first record it was read from: dataset and locator
    locator   TEXT NOT NULL,
    pulled_at TEXT NOT NULL,
    UNIQUE (case_id, system_id, kind, value)
) STRICT;

CREATE INDEX yielded_by_case ON yielded_identifiers (case_id, kind, value);

-- Values the DPO dropped as wrong: never searched with again on this case, whichever
-- system yields them next time. system_id is the one it was dropped from (for the list
-- when no system yields it any more).
CREATE TABLE dropped_identifiers (
    case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    system_id  TEXT NOT NULL,
    dropped_at TEXT NOT NULL,
    dropped_by TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, value)
) STRICT;
