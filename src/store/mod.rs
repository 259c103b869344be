//! The encrypted case store: one SQLCipher database file, migrated at open, WAL, one
//! transaction per user action.

mod location;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction};
use zeroize::Zeroizing;

pub use location::default_db_path;

mod embedded {
    refinery::embed_migrations!("migrations");
}
use embedded::migrations;

/// Why the store could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The passphrase does not open the file (or it is not a DSAR desk database).
    #[error("cannot open {path}: wrong passphrase, or not a DSAR desk database — check DSAR_PASSPHRASE / --passphrase-file")]
    WrongPassphrase {
        /// The database file.
        path: PathBuf,
    },
    /// No database at the path.
    #[error("no database at {path}: run `dsar init` first, or point --db / DSAR_DB at your database")]
    Missing {
        /// The database file.
        path: PathBuf,
    },
    /// `init` on an existing file.
    #[error("a database already exists at {path}: use it, or choose another --db path")]
    Exists {
        /// The database file.
        path: PathBuf,
    },
    /// Empty or too short passphrase.
    #[error("passphrase too short: use at least {min} characters")]
    WeakPassphrase {
        /// Minimum length.
        min: usize,
    },
    /// A migration failed; the database was left as it was.
    #[error("cannot upgrade the database schema ({0}); the file is unchanged — restore a backup or report this")]
    Migration(String),
    /// The file was written by a newer DSAR desk.
    #[error("the database was made by a newer DSAR desk (schema {found}, this build knows {known}) and is left unchanged: install that version or newer to open it")]
    TooNew {
        /// Schema version in the file.
        found: i64,
        /// Newest this build knows.
        known: i64,
    },
    /// File system error.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// A stored value is not what DSAR desk writes: the file was changed outside the app.
    #[error("the database holds an invalid {what}: it was changed outside DSAR desk — run `dsar audit verify` and restore a backup")]
    Corrupt {
        /// Which column or record.
        what: String,
    },
    /// Another program (the app, a `dsar` command) held the write lock for longer than the
    /// busy timeout.
    #[error("the desk is busy: another DSAR desk window or `dsar` command is writing to it — nothing was changed; try again in a moment")]
    Busy,
    /// The disk holding the database is full; the transaction was rolled back.
    #[error("the disk holding the desk is full — nothing was changed; free some space and try again")]
    DiskFull,
    /// SQLite error not caused by the user.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, StoreError::Sqlite(_) | StoreError::Migration(_) | StoreError::Corrupt { .. })
    }
}

/// SQLCipher 4's key derivation: PBKDF2-HMAC-SHA512 over the passphrase with the file's salt.
const KDF_ITERATIONS: u32 = 256_000;
/// The salt is the first 16 bytes of the database file; the key is 32 bytes.
const SALT_BYTES: usize = 16;

/// A database's encryption key as SQLCipher's raw-key literal (`x'<key><salt>'`), derived once
/// from the passphrase and the file's salt. It opens that file only (the salt is part of
/// it) and is wiped from memory when dropped.
#[derive(Clone)]
pub struct RawKey(Zeroizing<String>);

impl std::fmt::Debug for RawKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawKey(…)")
    }
}

impl RawKey {
    /// Whether two keys are the same, compared in time independent of where they differ.
    pub fn same_as(&self, other: &RawKey) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Derives the key of the database at `path` from `passphrase` — the same work SQLCipher
    /// does at every open with a passphrase. A wrong passphrase gives a key that does not open
    /// the file ([`StoreError::WrongPassphrase`] from [`Store::open_with_key`]).
    pub fn derive(path: &Path, passphrase: &str) -> Result<RawKey, StoreError> {
        use std::io::Read;
        let io = |source| StoreError::Io { path: path.to_path_buf(), source };
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        let mut salt = [0u8; SALT_BYTES];
        std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut salt)).map_err(|e| match e.kind() {
            // Shorter than a header: not a database (or one whose first write is still only
            // in its -wal: open it with the passphrase, then use `Store::key`).
            std::io::ErrorKind::UnexpectedEof => StoreError::WrongPassphrase { path: path.to_path_buf() },
            _ => io(e),
        })?;
        let mut key = Zeroizing::new([0u8; 32]);
        let iterations = std::num::NonZeroU32::new(KDF_ITERATIONS).unwrap_or(std::num::NonZeroU32::MIN);
        ring::pbkdf2::derive(ring::pbkdf2::PBKDF2_HMAC_SHA512, iterations, &salt, passphrase.as_bytes(), &mut key[..]);
        Ok(RawKey(Zeroizing::new(format!("x'{}{}'", hex::encode(&key[..]), hex::encode(salt)))))
    }
}

/// Minimum passphrase length for a new database.
pub const MIN_PASSPHRASE: usize = 8;

/// An open, unlocked, migrated database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// Sets up SQLCipher's crypto provider once per process, on one thread, before any desk is
/// keyed: a throw-away file (in-memory databases are not encrypted) is keyed with one KDF
/// round and written, which loads the cipher and seeds the random source, then deleted.
/// Concurrent first use is where the rare codec failures were seen.
fn warm_up_cipher() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let file = std::env::temp_dir().join(format!("dsar-warm-{}-{nanos}.db", std::process::id()));
        if let Ok(conn) = Connection::open(&file) {
            let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
            let _ = conn.pragma_update(None, "key", "warm-up only");
            let _ = conn.execute_batch("PRAGMA kdf_iter = 1; CREATE TABLE warm (x INTEGER); INSERT INTO warm VALUES (1);");
        }
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    });
}

impl Store {
    /// Creates a new encrypted database at `path` (parent folders too).
    pub fn create(path: &Path, passphrase: &str) -> Result<Store, StoreError> {
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(StoreError::WeakPassphrase { min: MIN_PASSPHRASE });
        }
        if path.exists() {
            return Err(StoreError::Exists { path: path.to_path_buf() });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        restrict_to_owner(path)?;
        Store::unlock_retrying(conn, path, passphrase, flags)
    }

    /// [`Store::unlock`], again on a fresh connection when SQLCipher could not set up its
    /// codec for the key ("An error occurred with PRAGMA key or rekey"): seen a few times in
    /// thousands of opens while many test threads opened databases at the same moment, twice
    /// in a row once, never with a wrong passphrase (that fails later, at the first read).
    /// The crypto library is warmed up once per process first ([`warm_up_cipher`]); the
    /// retries back off a little so a contended moment can pass.
    fn unlock_retrying(conn: Connection, path: &Path, passphrase: &str, flags: OpenFlags) -> Result<Store, StoreError> {
        warm_up_cipher();
        let mut result = Store::unlock(conn, path, passphrase);
        for pause_ms in [5, 25, 100, 250] {
            match &result {
                Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(_, Some(msg)))) if msg.contains("PRAGMA key or rekey") => {
                    std::thread::sleep(std::time::Duration::from_millis(pause_ms));
                    let again = Connection::open_with_flags(path, flags)?;
                    result = Store::unlock(again, path, passphrase);
                }
                _ => break,
            }
        }
        result
    }

    /// Opens an existing database; never creates one (a typo in `--db` must not silently
    /// start an empty desk).
    pub fn open(path: &Path, passphrase: &str) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        Store::unlock_retrying(conn, path, passphrase, flags)
    }

    /// Opens an existing database with its already derived key: no key derivation, so a
    /// second connection (a pull, an export, a test) costs microseconds, not a quarter second.
    pub fn open_with_key(path: &Path, key: &RawKey) -> Result<Store, StoreError> {
        Store::open(path, key.0.as_str())
    }

    fn unlock(conn: Connection, path: &Path, passphrase: &str) -> Result<Store, StoreError> {
        // SQLCipher otherwise prints its HMAC failure on stderr for a wrong key.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        // pragma_update writes the value as an escaped SQL literal: the passphrase is never
        // spliced into SQL text.
        conn.pragma_update(None, "key", passphrase)?;
        let wrong = || StoreError::WrongPassphrase { path: path.to_path_buf() };
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => return Err(wrong()),
            Err(e) => return Err(e.into()),
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL so readers never block the writer; FULL so a committed case survives power loss,
        // not only a crash of the process.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // Grouped: every pending migration and its history row commit in one transaction.
        // Refinery's default writes the history row in a transaction of its own, so a crash
        // between the two left V4 applied but unrecorded and the desk unopenable (found by
        // the kill matrix: "index cases_open_by_received already exists").
        let runner = migrations::runner().set_grouped(true);
        let known = runner.get_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
        // Read before refinery runs: it refuses a file with unknown migrations in its own
        // words ("missing migration"), which would send the user to restore a backup.
        let found = self.schema_version()?;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        if found > 0 && found < known {
            self.backup_before_migration(found)?;
        }
        runner.run(&mut self.conn).map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(())
    }

    /// The newest migration applied to the file (0 for a new file).
    fn schema_version(&self) -> Result<i64, StoreError> {
        let has_history: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')",
            [],
            |r| r.get(0),
        )?;
        if !has_history {
            return Ok(0);
        }
        Ok(self.conn.query_row("SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history", [], |r| r.get(0))?)
    }

    /// Copies the database (encrypted with the same key) to `<file>.schema-<N>.bak` beside
    /// it before a migration changes it, so a failed or unwanted upgrade can be undone by
    /// hand. An existing copy of the same schema is kept: it is the older, untouched one.
    fn backup_before_migration(&self, found: i64) -> Result<(), StoreError> {
        let copy = PathBuf::from(format!("{}.schema-{found}.bak", self.path.display()));
        if copy.exists() {
            return Ok(());
        }
        let io = |source| StoreError::Io { path: copy.clone(), source };
        let part = PathBuf::from(format!("{}.part", copy.display()));
        let _ = std::fs::remove_file(&part);
        self.conn.execute("VACUUM INTO ?1", [part.to_string_lossy()])?;
        let mut head = [0u8; 16];
        let plain = std::fs::File::open(&part).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
            && &head == b"SQLite format 3\0";
        if plain {
            let _ = std::fs::remove_file(&part);
            return Err(StoreError::Migration("the copy taken before the upgrade came out unencrypted and was deleted".into()));
        }
        restrict_to_owner(&part)?;
        std::fs::rename(&part, &copy).map_err(io)?;
        Ok(())
    }

    /// Creates a database that stops at schema `version` (an older release's file), for tests
    /// of upgrades. Not for use by the app.
    #[doc(hidden)]
    pub fn create_at_schema(path: &Path, passphrase: &str, version: i32) -> Result<(), StoreError> {
        let conn = Connection::open(path)?;
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        conn.pragma_update(None, "key", passphrase)?;
        let mut conn = conn;
        migrations::runner()
            .set_target(refinery::Target::Version(version))
            .run(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(())
    }

    /// This open database's key, derived from `passphrase` (which must be the one it was
    /// opened with) after writing its header to the main file.
    pub fn key(&self, passphrase: &str) -> Result<RawKey, StoreError> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        RawKey::derive(&self.path, passphrase)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one immediate transaction: all of it is committed, or nothing.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Changes the passphrase (SQLCipher rekey) of the open database.
    pub fn change_passphrase(&mut self, new: &str) -> Result<(), StoreError> {
        if new.chars().count() < MIN_PASSPHRASE {
            return Err(StoreError::WeakPassphrase { min: MIN_PASSPHRASE });
        }
        self.conn.pragma_update(None, "rekey", new)?;
        Ok(())
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<Result<(), String>, StoreError> {
        let msg: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(if msg == "ok" { Ok(()) } else { Err(msg) })
    }

    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
}

/// Even encrypted, the file is nobody else's business: owner read/write only. SQLite gives
/// the -wal and -shm files the database file's permissions.
fn restrict_to_owner(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|source| StoreError::Io { path: path.to_path_buf(), source })?;
    }
    Ok(())
}

/// Writes a setting inside a transaction.
pub fn put_setting(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}
