//! Resolving connector file paths at import: relative to the register file's folder, stored
//! absolute, so a pull does not depend on the working directory of whoever runs it.

use std::path::{Component, Path, PathBuf};

use super::connector::Settings;
use super::model::Register;

/// Makes every connector file path (`path`, `paths[]`) absolute against `base_dir` and
/// lexically normalised; URLs are left alone. Already absolute paths are only normalised.
pub(crate) fn resolve(register: &mut Register, base_dir: &Path) {
    // `std::path::absolute` only reads the working directory; on failure keep the base as is.
    let base = std::path::absolute(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
    for system in &mut register.systems {
        let Some(connector) = system.connector.as_mut() else {
            continue;
        };
        match &mut connector.settings {
            Settings::Sqlite(s) => s.path = anchor(&base, &s.path),
            Settings::Csv(s) => s.path = anchor(&base, &s.path),
            Settings::Json(s) => s.path = anchor(&base, &s.path),
            Settings::Jsonl(s) => s.path = anchor(&base, &s.path),
            Settings::Logs(s) => s.paths.iter_mut().for_each(|p| *p = anchor(&base, p)),
            Settings::Imap(s) => {
                if let Some(ca) = s.ca_file.as_mut() {
                    *ca = anchor(&base, ca);
                }
            }
            Settings::Postgres(_) | Settings::Mysql(_) | Settings::Http(_) | Settings::Manual(_) => {}
        }
    }
}

fn anchor(base: &Path, p: &Path) -> PathBuf {
    normalise(&base.join(p))
}

/// Removes `.` and resolves `..` without touching the file system (`..` at the root stays
/// at the root), so the stored path never climbs out through a symlink's parent by surprise.
pub(crate) fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !matches!(
                    out.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_)) | None
                ) {
                    out.pop();
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_is_lexical() {
        assert_eq!(
            normalise(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalise(Path::new("/../x")), PathBuf::from("/x"));
        assert_eq!(
            normalise(Path::new("/a/logs/access.log*")),
            PathBuf::from("/a/logs/access.log*")
        );
    }
}
