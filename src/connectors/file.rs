//! Opening the one file a file-based connector's register entry names, with errors that say
//! which file and what to do; and the names evidence uses for it (dataset, locator).

use std::fs::File;
use std::io::ErrorKind;
use std::path::Path;

use super::ConnectorError;

/// Opens the configured file for reading. Only this path is ever opened: nothing read from
/// the data can point a connector at another file.
pub(crate) fn open(path: &Path) -> Result<File, ConnectorError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if !meta.is_file() {
        return Err(ConnectorError::Unreadable {
            path: shown,
            reason: "it is a folder or device, not a file".into(),
        });
    }
    File::open(path).map_err(|e| io_error(path, &e))
}

/// Maps an I/O error on `path` to the connector error the user can act on.
pub(crate) fn io_error(path: &Path, e: &std::io::Error) -> ConnectorError {
    let shown = path.display().to_string();
    match e.kind() {
        ErrorKind::NotFound => ConnectorError::FileMissing { path: shown },
        // The OS message says what happened (permission denied, is a directory) and never
        // carries file content.
        _ => ConnectorError::Unreadable { path: shown, reason: e.to_string() },
    }
}

/// The file name, for locators (`contacts.csv:17`).
pub(crate) fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// The file stem, the dataset name (`contacts` → `data/<system>/contacts.json` in a bundle).
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| name(path))
}

/// "file missing" or the like for `test()`: the file must exist and be readable.
pub(crate) fn check_readable(path: &Path) -> Result<u64, ConnectorError> {
    let f = open(path)?;
    let len = f.metadata().map_err(|e| io_error(path, &e))?.len();
    Ok(len)
}
