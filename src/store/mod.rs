//! The encrypted case store: one SQLCipher database file, migrated at open, WAL, one
//! transaction per user action.

mod location;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction};

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
    #[error("the database was created by a newer DSAR desk (schema {found}, this build knows {known}): update the app")]
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
    /// SQLite error not caused by the user.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, StoreError::Sqlite(_) | StoreError::Migration(_) | StoreError::Corrupt { .. })
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
        Store::unlock(conn, path, passphrase)
    }

    /// Opens an existing database; never creates one (a typo in `--db` must not silently
    /// start an empty desk).
    pub fn open(path: &Path, passphrase: &str) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing { path: path.to_path_buf() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        Store::unlock(conn, path, passphrase)
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
        let runner = migrations::runner();
        let known = runner.get_migrations().iter().map(|m| i64::from(m.version())).max().unwrap_or(0);
        let report = runner.run(&mut self.conn).map_err(|e| StoreError::Migration(e.to_string()))?;
        let _ = report;
        let found: i64 = self
            .conn
            .query_row("SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history", [], |r| r.get(0))?;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        Ok(())
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
