//! Backup, restore and passphrase change of the encrypted database: a consistent, still
//! encrypted copy taken while the desk runs, a restore that proves a backup sound before it
//! replaces anything, and a rekey recorded in the audit trail.
//!
//! Restore works on a private copy of the backup next to the database: the user's backup file
//! is never written to (opening a database migrates it), and the live file is renamed aside,
//! not deleted, so a restore can always be undone by hand.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::audit;
use crate::cases::Context;
use crate::store::{Store, StoreError};

/// The first bytes of every unencrypted SQLite file; an encrypted file never starts so.
const PLAIN_HEADER: &[u8] = b"SQLite format 3\0";

/// Why a backup or restore did not happen. Nothing was replaced in any case.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup file cannot be written. The message names the chosen file and the cause in
    /// words (no OS error text, no temporary file); the OS error stays the `source`.
    #[error("cannot write the backup to {path}: {} — {}", write_problem(source.kind()).0, write_problem(source.kind()).1)]
    Output {
        /// The chosen file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The backup would overwrite the live database.
    #[error("the backup cannot replace the database it copies: choose another file name")]
    SameFile,
    /// The copy came out unencrypted (the SQLCipher build does not carry the key over); it
    /// was deleted.
    #[error("the backup was not encrypted and was deleted: this build of DSAR desk cannot make backups — report this")]
    NotEncrypted,
    /// No file at the path chosen for restore.
    #[error("no backup file at {path}: choose the file again")]
    Missing {
        /// The chosen file.
        path: PathBuf,
    },
    /// The passphrase does not open the backup, or it is not a DSAR desk database.
    #[error("the passphrase does not open this backup, or the file is not a DSAR desk backup: enter the passphrase the desk had when the backup was made")]
    WrongPassphrase,
    /// The backup opens but SQLite finds it damaged.
    #[error("the backup is damaged ({problem}): choose an older backup; the current database was not changed")]
    Damaged {
        /// SQLite's finding (page numbers, no contents).
        problem: String,
    },
    /// The backup's audit trail does not verify.
    #[error("the backup's audit trail does not verify ({problems} problem(s)): it was changed outside DSAR desk — choose another backup; the current database was not changed")]
    AuditBroken {
        /// Number of problems found.
        problems: usize,
    },
    /// The backup was made by a newer DSAR desk.
    #[error("the backup was made by a newer DSAR desk: update the app first; the current database was not changed")]
    TooNew,
    /// Another program has the desk open (the app beside the CLI, a `dsar` command still
    /// running): its later writes would go into the file put aside, so nothing is changed.
    #[error("another program has this desk open (the DSAR desk app or a dsar command): lock the desk in the app or let the command finish, then restore again; nothing was changed")]
    InUse,
    /// Renaming files during the swap failed; the message says which state the files are in.
    #[error("cannot replace the database ({what}): {source} — check the folder's permissions")]
    Swap {
        /// What was being done, and where the files are.
        what: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The live database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A failed write in words: what happened and what to do.
fn write_problem(kind: std::io::ErrorKind) -> (&'static str, &'static str) {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => ("the folder does not exist", "choose an existing folder"),
        K::PermissionDenied | K::ReadOnlyFilesystem => ("no permission to write in this folder", "choose a folder you can write to, e.g. your documents or a USB stick"),
        K::StorageFull | K::QuotaExceeded => ("the disk is full", "free some space or choose another drive"),
        K::IsADirectory => ("a folder has this name", "choose a file name, e.g. dsar-backup.db"),
        _ => ("the file could not be written", "choose another folder, e.g. your documents or a USB stick"),
    }
}

impl BackupError {
    /// A stable code for the kind of failure (the desktop app words it in the user's
    /// language): `backup.no-folder`, `backup.not-allowed`, `backup.disk-full`,
    /// `backup.is-folder`, `backup.write-failed`, `backup.same-file`, `backup.not-encrypted`,
    /// `restore.missing`, `restore.wrong-passphrase`, `restore.damaged`, `restore.audit-broken`,
    /// `restore.too-new`, `restore.in-use`, `restore.swap`, `store`.
    pub fn reason(&self) -> &'static str {
        use std::io::ErrorKind as K;
        match self {
            BackupError::Output { source, .. } => match source.kind() {
                K::NotFound => "backup.no-folder",
                K::PermissionDenied | K::ReadOnlyFilesystem => "backup.not-allowed",
                K::StorageFull | K::QuotaExceeded => "backup.disk-full",
                K::IsADirectory => "backup.is-folder",
                _ => "backup.write-failed",
            },
            BackupError::SameFile => "backup.same-file",
            BackupError::NotEncrypted => "backup.not-encrypted",
            BackupError::Missing { .. } => "restore.missing",
            BackupError::WrongPassphrase => "restore.wrong-passphrase",
            BackupError::Damaged { .. } => "restore.damaged",
            BackupError::AuditBroken { .. } => "restore.audit-broken",
            BackupError::TooNew => "restore.too-new",
            BackupError::InUse => "restore.in-use",
            BackupError::Swap { .. } => "restore.swap",
            BackupError::Store(_) => "store",
        }
    }

    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        match self {
            BackupError::NotEncrypted => false,
            BackupError::Store(e) => e.is_user_error(),
            _ => true,
        }
    }
}

/// A finished backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupDone {
    /// Where it was written.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
}

fn io_out(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Output { path: path.to_path_buf(), source }
}

/// The I/O kind behind SQLite's failure to write the copy, if it is the folder's fault.
fn vacuum_io_kind(e: &rusqlite::Error) -> Option<std::io::ErrorKind> {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code()? {
        C::DiskFull => Some(std::io::ErrorKind::StorageFull),
        C::CannotOpen | C::PermissionDenied | C::ReadOnly => Some(std::io::ErrorKind::PermissionDenied),
        _ => None,
    }
}

/// Whether `path` starts like an unencrypted SQLite file.
pub fn is_plain_sqlite(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let n = f.read(&mut head)?;
    Ok(n == head.len() && head == PLAIN_HEADER)
}

/// Writes a consistent encrypted copy of the open database to `out` (same passphrase) and
/// records `store.backup` (size only) in the audit trail. An existing file at `out` is
/// replaced only once the new copy is complete.
pub fn backup(store: &mut Store, ctx: &Context, out: &Path) -> Result<BackupDone, BackupError> {
    if crate::output::check_target(store.path(), out).is_err() {
        return Err(BackupError::SameFile);
    }
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // VACUUM INTO refuses an existing file, and a half-written copy must never sit under the
    // name the user chose: write beside it, then rename.
    crate::output::sweep_stale(dir);
    let tmp = tempfile::Builder::new().prefix(".dsar-backup-").tempfile_in(dir).map_err(io_out(out))?;
    let tmp_path = tmp.into_temp_path();
    std::fs::remove_file(&tmp_path).map_err(io_out(out))?;
    let target = tmp_path.to_string_lossy().into_owned();
    // The path is a bound parameter; SQLCipher writes the copy with the open database's key.
    // SQLite opens the copy itself: its "cannot open" or "disk full" is the folder's problem,
    // said in words like the OS's own refusals.
    store.conn().execute("VACUUM INTO ?1", [&target]).map_err(|e| match vacuum_io_kind(&e) {
        Some(kind) => BackupError::Output { path: out.to_path_buf(), source: std::io::Error::new(kind, e.to_string()) },
        None => BackupError::Store(StoreError::from(e)),
    })?;
    if is_plain_sqlite(&tmp_path).map_err(io_out(out))? {
        return Err(BackupError::NotEncrypted);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp_path, std::fs::Permissions::from_mode(0o600)).map_err(io_out(out))?;
    }
    tmp_path.persist(out).map_err(|e| BackupError::Output { path: out.to_path_buf(), source: e.error })?;
    let bytes = std::fs::metadata(out).map_err(io_out(out))?.len();
    store.write(|tx| {
        audit::append(tx, None, &ctx.actor, "store.backup", &json!({"bytes": bytes}), ctx.now)?;
        // Read by `settings::last_backup`: the desk reminds when this gets old.
        crate::store::put_setting(tx, crate::settings::LAST_BACKUP_KEY, &ctx.now.to_rfc3339())?;
        Ok::<_, BackupError>(())
    })?;
    Ok(BackupDone { path: out.to_path_buf(), bytes })
}

/// A backup proven sound (opens with its passphrase, integrity check passes, audit trail
/// verifies), held as a private copy beside the database until [`VerifiedBackup::replace`].
/// Dropping it deletes the copy and changes nothing.
pub struct VerifiedBackup {
    copy: Option<tempfile::TempPath>,
    /// Wiped from memory when the backup is dropped.
    passphrase: zeroize::Zeroizing<String>,
    /// Cases in the backup.
    pub cases: u64,
    /// Audit events in the backup.
    pub events: u64,
}

/// Copies `backup_file` beside `db_path` and checks the copy: the passphrase opens it, SQLite's
/// integrity check passes and the audit chain verifies. Nothing is replaced.
pub fn verify(db_path: &Path, backup_file: &Path, passphrase: &str) -> Result<VerifiedBackup, BackupError> {
    if !backup_file.is_file() {
        return Err(BackupError::Missing { path: backup_file.to_path_buf() });
    }
    if crate::output::check_target(db_path, backup_file).is_err() {
        return Err(BackupError::SameFile);
    }
    let dir = db_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let swap = |what: &str| {
        let what = what.to_string();
        move |source| BackupError::Swap { what, source }
    };
    let tmp = tempfile::Builder::new().prefix(".dsar-restore-").tempfile_in(dir).map_err(swap("copying the backup beside the database"))?;
    let copy = tmp.into_temp_path();
    std::fs::copy(backup_file, &copy).map_err(swap("copying the backup beside the database"))?;
    // fs::copy carries the backup's permission bits over; the desk is its owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600)).map_err(swap("making the copy private"))?;
    }
    let (cases, events) = check_copy(&copy, passphrase)?;
    Ok(VerifiedBackup { copy: Some(copy), passphrase: zeroize::Zeroizing::new(passphrase.to_string()), cases, events })
}

impl std::fmt::Debug for VerifiedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the passphrase.
        f.debug_struct("VerifiedBackup").field("cases", &self.cases).field("events", &self.events).finish_non_exhaustive()
    }
}

fn check_copy(copy: &Path, passphrase: &str) -> Result<(u64, u64), BackupError> {
    let damaged = |e: rusqlite::Error| BackupError::Damaged { problem: e.to_string() };
    let store = match Store::open(copy, passphrase) {
        Ok(s) => s,
        Err(StoreError::WrongPassphrase { .. }) => return Err(BackupError::WrongPassphrase),
        Err(StoreError::TooNew { .. }) => return Err(BackupError::TooNew),
        Err(StoreError::Sqlite(e)) => return Err(damaged(e)),
        Err(StoreError::Migration(problem)) => return Err(BackupError::Damaged { problem }),
        Err(e) => return Err(e.into()),
    };
    match store.integrity_check() {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => return Err(BackupError::Damaged { problem }),
        Err(StoreError::Sqlite(e)) => return Err(damaged(e)),
        Err(e) => return Err(e.into()),
    }
    let v = audit::verify(store.conn()).map_err(|e| match e {
        StoreError::Sqlite(e) => damaged(e),
        other => other.into(),
    })?;
    if !v.is_intact() {
        return Err(BackupError::AuditBroken { problems: v.problems.len() });
    }
    let cases: i64 = store.conn().query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).map_err(damaged)?;
    Ok((u64::try_from(cases).unwrap_or(0), u64::try_from(v.events).unwrap_or(0)))
}

/// A restored desk.
#[derive(Debug)]
pub struct Restored {
    /// The restored database, open with the backup's passphrase.
    pub store: Store,
    /// Where the replaced database was kept (`<name>.before-restore-<timestamp>`).
    pub kept: PathBuf,
}

/// Takes the write lock on `current` with its WAL checkpointed to empty (a writer that
/// committed between the checkpoint and the lock makes it try again, a few times).
fn lock_with_empty_wal(current: &Store, db: &Path) -> Result<(), BackupError> {
    let wal = with_suffix(db, "-wal");
    for _ in 0..5 {
        current.conn().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).map_err(StoreError::from)?;
        current.conn().execute_batch("BEGIN IMMEDIATE").map_err(StoreError::from)?;
        if std::fs::metadata(&wal).map_or(0, |m| m.len()) == 0 {
            return Ok(());
        }
        current.conn().execute_batch("ROLLBACK").map_err(StoreError::from)?;
    }
    Err(StoreError::Busy.into())
}

/// Whether `current` is the only connection to its file. In WAL mode every open connection
/// holds a shared lock on the database file for as long as it is open, so an exclusive lock
/// (exclusive locking mode, no waiting) is granted only to the last one. Ends the write
/// transaction `current` held.
fn alone_on(current: &Store) -> bool {
    let c = current.conn();
    let _ = c.execute_batch("ROLLBACK");
    if c.busy_timeout(std::time::Duration::ZERO).is_err() {
        return false;
    }
    let alone = c.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK;").is_ok();
    let _ = c.execute_batch("ROLLBACK");
    alone
}

/// `path`, or `path-2`, `path-3`, … whichever does not exist yet: two restores within one
/// second must not overwrite the first one's kept database.
fn unused(path: &Path) -> PathBuf {
    let mut candidate = path.to_path_buf();
    let mut n = 1;
    while candidate.exists() || with_suffix(&candidate, "-wal").exists() {
        n += 1;
        candidate = with_suffix(path, &format!("-{n}"));
    }
    candidate
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

impl VerifiedBackup {
    /// Replaces the live database with the verified backup: `current` is checkpointed and
    /// closed, its file renamed to `<name>.before-restore-<timestamp>` beside it, the copy
    /// moved into its place and opened, and `store.restored` appended to the restored trail.
    pub fn replace(mut self, current: Store, ctx: &Context) -> Result<Restored, BackupError> {
        let db = current.path().to_path_buf();
        // Only with the desk to ourselves: a connection another program holds would go on
        // writing into the file put aside, and what it wrote would be missing from the desk
        // the user sees. Once alone, the exclusive lock keeps newcomers out until the swap is
        // done (they wait, then get "the desk is busy").
        if !alone_on(&current) {
            return Err(BackupError::InUse);
        }
        // Hold the write lock while the files move: another program (the CLI beside the app,
        // a second window) cannot commit into the file being put aside, and waits or gets
        // "the desk is busy". Everything committed is first moved into the main file, and the
        // WAL must be empty under the lock: a stale WAL beside the restored file would be
        // applied to it.
        lock_with_empty_wal(&current, &db)?;
        let stamp = ctx.now.format("%Y%m%dT%H%M%SZ").to_string();
        let kept = unused(&with_suffix(&db, &format!(".before-restore-{stamp}")));
        // The current file gets a second name first and the copy then takes its place in one
        // rename: at every moment — a crash or kill included — the desk's name holds a whole
        // database, the old one or the restored one.
        if std::fs::hard_link(&db, &kept).is_err() {
            std::fs::copy(&db, &kept).map_err(|source| BackupError::Swap { what: "keeping the current database aside; nothing was changed".into(), source })?;
        }
        // The (empty) -wal and the -shm go with the old file, never beside the restored one.
        for ext in ["-wal", "-shm"] {
            let side = with_suffix(&db, ext);
            if side.exists() {
                let _ = std::fs::rename(&side, with_suffix(&kept, ext));
            }
        }
        let Some(copy) = self.copy.take() else {
            return Err(BackupError::Swap { what: "the verified copy is gone; nothing was changed".into(), source: std::io::Error::other("missing") });
        };
        if let Err(e) = copy.persist(&db) {
            return Err(BackupError::Swap { what: "moving the backup into place; the current database is unchanged".into(), source: e.error });
        }
        // The old connection (and its lock) goes with the kept file.
        drop(current);
        // Its -wal is empty (checkpointed under the lock) and its -shm only an index: the kept
        // file is whole without them, so they are not left as clutter beside it.
        let kept_wal = with_suffix(&kept, "-wal");
        if std::fs::metadata(&kept_wal).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(&kept_wal);
            let _ = std::fs::remove_file(with_suffix(&kept, "-shm"));
        }
        let mut store = Store::open(&db, &self.passphrase)?;
        store.write(|tx| {
            audit::append(tx, None, &ctx.actor, "store.restored", &json!({"cases": self.cases, "events": self.events}), ctx.now)?;
            Ok::<_, BackupError>(())
        })?;
        Ok(Restored { store, kept })
    }
}

/// Re-encrypts the open database under `new` (SQLCipher rekey) and records
/// `store.passphrase-changed` — without either passphrase.
pub fn change_passphrase(store: &mut Store, ctx: &Context, new: &str) -> Result<(), StoreError> {
    store.change_passphrase(new)?;
    store.write(|tx| {
        audit::append(tx, None, &ctx.actor, "store.passphrase-changed", &json!({}), ctx.now)?;
        Ok::<_, StoreError>(())
    })
}
