-- A formal salutation for the subject, when the DPO knows one (letters are neutral by default:
-- "Guten Tag Erika Muster"; with one, "Sehr geehrte Frau Muster").
CREATE TABLE salutations (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    form        TEXT NOT NULL CHECK (form IN ('ms', 'mr')),
    family_name TEXT NOT NULL
) STRICT;
