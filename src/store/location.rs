//! Where the database lives by default: the OS's per-user data directory.

use std::path::PathBuf;

/// `~/.local/share/dsar-desk/dsar.db` on Linux (the platform equivalent elsewhere); the
/// current directory when the OS has no data directory.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("dsar-desk").join("dsar.db")
}
