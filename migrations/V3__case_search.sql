-- Substring search over reference, subject name and identifiers that stays fast at 100 000
-- cases: an FTS5 trigram index (a LIKE '%…%' scan decrypts every page: ~170 ms at 100k).
CREATE VIRTUAL TABLE case_search USING fts5 (case_id UNINDEXED, text, tokenize = 'trigram');

INSERT INTO case_search (case_id, text)
SELECT id, reference || ' ' || subject_name || ' ' ||
       COALESCE((SELECT group_concat(value, ' ') FROM identifiers WHERE identifiers.case_id = cases.id), '')
FROM cases;

CREATE TRIGGER case_search_on_delete AFTER DELETE ON cases
BEGIN DELETE FROM case_search WHERE case_id = old.id; END;
