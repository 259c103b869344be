//! `manifest.json`: the bundle's table of contents — the `dsar-bundle` v1 file format (so these
//! types are serialisable on purpose; `schemas/bundle-manifest.schema.json` is its contract).

use serde::{Deserialize, Serialize};

/// The format name in every manifest.
pub const FORMAT: &str = "dsar-bundle";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// What the bundle holds, with a checksum and size for every file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `dsar-bundle`.
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// Case reference, e.g. `DSAR-2026-0042`.
    pub reference: String,
    /// Rights the subject invoked (codes).
    pub rights: Vec<String>,
    /// Language of the case and of `index.html`.
    pub language: String,
    /// Who answers.
    pub controller: ManifestController,
    /// When the bundle was made (RFC 3339, UTC).
    pub generated_at: String,
    /// Whether the archive's entries are AES-256 encrypted.
    pub encrypted: bool,
    /// Records in all systems.
    pub records: u64,
    /// Every system of the register (and any system evidence came from), in register order.
    pub systems: Vec<ManifestSystem>,
    /// Every file in the archive except `manifest.json` itself.
    pub files: Vec<ManifestFile>,
}

/// The controller as the subject should see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestController {
    /// Legal name.
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Contact e-mail for data protection requests.
    pub email: String,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// One system and what it held on the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSystem {
    /// Register system id.
    pub id: String,
    /// Display name in the case's language.
    pub name: String,
    /// How the search went: `ok`, `manual`, `error`, `cancelled`, or `not-searched`.
    pub status: String,
    /// Records found (sum over its datasets).
    pub records: u64,
    /// Paths of its files in the archive.
    pub files: Vec<String>,
    /// Its datasets (query, file or endpoint), one JSON and one CSV file each.
    pub datasets: Vec<ManifestDataset>,
}

/// One dataset of a system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestDataset {
    /// The dataset's name as the system calls it (the file names are sanitised forms).
    pub name: String,
    /// Records in it.
    pub records: u64,
    /// Path of the JSON file (an array of the records).
    pub json: String,
    /// Path of the CSV file (one row per record).
    pub csv: String,
}

/// One file in the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Path inside the archive (`/`-separated, relative).
    pub path: String,
    /// Size in bytes, uncompressed.
    pub bytes: u64,
    /// SHA-256 of the uncompressed bytes, lower-case hex.
    pub sha256: String,
    /// Media type, e.g. `application/json`.
    pub media_type: String,
}
