-- An export bundle can be larger than SQLite's biggest value (1 GB) and is already a file the
-- user chose: the desk keeps its size, SHA-256 and where it was written, not a second copy.
-- Letters and e-mails keep their exact bytes in `content` as before (size NULL = its length).
ALTER TABLE documents ADD COLUMN size INTEGER;
ALTER TABLE documents ADD COLUMN path TEXT;
