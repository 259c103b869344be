//! Files the desk writes where the user chose: letters, `.eml` files, bundles, register
//! exports, backups. One rule for all of them: never in place of the desk's own database or
//! its journal files (a letter saved as `dsar.db` destroyed a desk), and never half-written
//! under the chosen name.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The suffixes of the files SQLite keeps beside a database while it is open.
const COMPANIONS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Why a file could not be written where the user chose.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target is the open database or one of its journal files.
    #[error("{} is the desk's own database file — choose another name or folder", path.display())]
    IsDesk {
        /// The chosen path.
        path: PathBuf,
    },
    /// The file could not be written.
    #[error("cannot write {}: {source} — choose a folder you can write to", path.display())]
    Io {
        /// The chosen path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// Refuses `out` when it names the database at `db` or its `-wal`, `-shm` or `-journal` file:
/// by the same name, through a symbolic link, or as a hard link to the same file.
pub fn check_target(db: &Path, out: &Path) -> Result<(), OutputError> {
    let refuse = || Err(OutputError::IsDesk { path: out.to_path_buf() });
    let out_resolved = resolve(out);
    for suffix in COMPANIONS {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let companion = PathBuf::from(name);
        if resolve(&companion) == out_resolved || same_inode(&companion, out) {
            return refuse();
        }
    }
    Ok(())
}

/// Writes `bytes` to `out` through a temporary file in the same folder that is synced and
/// then renamed over `out`: a crash leaves the old file or the new one, never a mixture.
/// The file is readable by its owner only, as it holds personal data.
pub fn write_atomic(db: &Path, out: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    check_target(db, out)?;
    let io = |source| OutputError::Io { path: out.to_path_buf(), source };
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    sweep_stale(dir);
    let mut tmp = tempfile::Builder::new().prefix(".dsar-").suffix(".part").tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(out).map_err(|e| io(e.error))?;
    Ok(())
}

/// How old a temporary file of ours must be before it counts as left behind by a writer
/// that was killed; younger ones may belong to a writer still running (a large export).
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// Removes the desk's own temporary files in `dir` (see below) that a
/// killed writer left and that are older than [`STALE_AFTER`]. They hold a letter, an export
/// or an encrypted backup copy that nobody will ever use; the user never sees them otherwise.
/// Best effort: a file that cannot be removed stays.
pub fn sweep_stale(dir: &Path) {
    remove_leftovers(dir, STALE_AFTER, |name| {
        // `.dsar-*.part` (write_atomic), `.dsar-backup-*` (backup), `.<name>.<uuid>.part`
        // (exports and .eml files, which stream into their temporary file).
        let uuid_part = name
            .strip_suffix(".part")
            .and_then(|stem| stem.rsplit('.').next())
            .is_some_and(|seg| uuid::Uuid::parse_str(seg).is_ok());
        (name.starts_with(".dsar-") && name.ends_with(".part")) || name.starts_with(".dsar-backup-") || (name.starts_with('.') && uuid_part)
    });
}

/// Removes the regular files in `dir` whose name `ours` accepts and that were last written
/// more than `older_than` ago. Best effort: a file that cannot be removed stays.
pub(crate) fn remove_leftovers(dir: &Path, older_than: std::time::Duration, ours: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        if !ours(&name.to_string_lossy()) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = older_than.is_zero() || meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age > older_than);
        if old && meta.is_file() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The absolute path a file name stands for, with symbolic links followed where the file (or
/// else its folder) exists, so `./x/../dsar.db` and a link to the database compare equal.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir).map_or_else(|_| absolute.clone(), |d| d.join(name)),
        _ => absolute,
    }
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_temporary_files_of_killed_writers_are_swept_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER - std::time::Duration::from_secs(60);
        let make = |name: &str, modified: std::time::SystemTime| {
            let f = std::fs::File::create(dir.path().join(name)).unwrap();
            f.set_modified(modified).unwrap();
        };
        make(".dsar-abc.part", old);
        make(".dsar-backup-xyz", old);
        make(".dsar-young.part", std::time::SystemTime::now());
        make(".dsar-notes.txt", old);
        make(".antwort.zip.0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.part", old);
        make(".antwort.zip.not-a-uuid.part", old);
        make("brief.pdf", old);
        write_atomic(&dir.path().join("desk.db"), &dir.path().join("neu.pdf"), b"%PDF").unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [".antwort.zip.not-a-uuid.part", ".dsar-notes.txt", ".dsar-young.part", "brief.pdf", "neu.pdf"]);
    }

    #[test]
    fn the_database_and_its_journal_files_are_refused_by_every_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dsar.db");
        std::fs::write(&db, b"desk").unwrap();
        std::fs::write(dir.path().join("dsar.db-wal"), b"wal").unwrap();
        std::os::unix::fs::symlink(&db, dir.path().join("link.pdf")).unwrap();
        std::fs::hard_link(&db, dir.path().join("hard.pdf")).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for out in [
            db.clone(),
            dir.path().join("sub/../dsar.db"),
            dir.path().join("dsar.db-wal"),
            dir.path().join("dsar.db-shm"),
            dir.path().join("dsar.db-journal"),
            dir.path().join("link.pdf"),
            dir.path().join("hard.pdf"),
        ] {
            assert!(matches!(write_atomic(&db, &out, b"%PDF"), Err(OutputError::IsDesk { .. })), "{}", out.display());
        }
        assert_eq!(std::fs::read(&db).unwrap(), b"desk");
        assert_eq!(std::fs::read(dir.path().join("dsar.db-wal")).unwrap(), b"wal");
    }

    #[test]
    fn another_file_is_replaced_whole_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dsar.db");
        let out = dir.path().join("letter.pdf");
        std::fs::write(&out, b"old").unwrap();
        write_atomic(&db, &out, b"new letter").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new letter");
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["letter.pdf"]);
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(&dir.path().join("dsar.db"), &dir.path().join("nope/letter.pdf"), b"x").unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }));
        assert!(err.to_string().contains("choose a folder you can write to"));
    }
}
