//! Connectors: one module per kind, each searching one system of the register for the
//! subject's normalised identifiers and returning the records found with their locators.
//!
//! Invariant: identifiers are only ever bound as SQL parameters, URL-encoded into URLs, or
//! compared in memory — never spliced into SQL text, globs, URLs or shell commands.

pub mod keys;

mod csv;
mod file;
mod json;
mod jsonl;
mod manual;
mod matching;
pub mod rewrite;
pub(crate) mod sqlite;
mod text_encoding;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use crate::evidence::Found;

// Crate-visible for acting (SPEC §10), which opens the same systems read-write.
pub(crate) mod mysql;
pub(crate) mod postgres;
pub(crate) mod sql_server;

pub use sql_server::open_sql_server;
pub mod http;
pub mod imap;
pub mod logs;
mod tokens;
mod watchdog;

/// The values a connector searches with, by identifier kind (`email`, `phone`, `name`,
/// `customer_id`, `ip`, `username`, any custom `--id` key, and the system's derived
/// identifiers such as `phone_hash`). Values are already normalised; a kind may have several
/// values (two e-mail addresses) or none (then queries that need it match nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchKeys {
    values: BTreeMap<String, Vec<String>>,
}

impl SearchKeys {
    /// No keys.
    pub fn new() -> SearchKeys {
        SearchKeys::default()
    }

    /// Adds a value for a kind (duplicates are ignored).
    pub fn add(&mut self, kind: &str, value: impl Into<String>) {
        let v = self.values.entry(kind.to_string()).or_default();
        let value = value.into();
        if !v.contains(&value) {
            v.push(value);
        }
    }

    /// The values of a kind (empty when the subject has none).
    pub fn get(&self, kind: &str) -> &[String] {
        self.values.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every (kind, values) pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Whether there is nothing to search with.
    pub fn is_empty(&self) -> bool {
        self.values.values().all(Vec::is_empty)
    }
}

/// A cancellation flag shared between the pull and the UI; connectors check it between
/// queries, files, pages and (for long scans) chunks.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks every connector using this flag to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why a system could not be searched. Messages name the system's file, query or endpoint
/// and what to do; they never contain identifiers, record content or secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorError {
    /// A configured file or folder does not exist.
    #[error("file missing: {path} — check the path in the register or restore the file")]
    FileMissing {
        /// The path as configured (absolute).
        path: String,
    },
    /// The file exists but cannot be read.
    #[error("cannot read {path}: {reason} — check the file's permissions")]
    Unreadable {
        /// The path.
        path: String,
        /// OS reason.
        reason: String,
    },
    /// The server refused the credentials.
    #[error("authentication refused by {endpoint} — check the user and the secret in the register")]
    AuthRefused {
        /// Host/port or URL without secrets.
        endpoint: String,
    },
    /// The server cannot be reached.
    #[error("cannot reach {endpoint}: {reason} — check that the server runs and the address is right")]
    Unreachable {
        /// Host/port or URL without secrets.
        endpoint: String,
        /// What happened.
        reason: String,
    },
    /// A configured query is not valid for the database.
    #[error("query '{query}' is invalid: {detail} — fix the SQL in the register")]
    QueryInvalid {
        /// Query name.
        query: String,
        /// The database's message (no parameter values).
        detail: String,
    },
    /// The connection would carry personal data or a secret without encryption.
    #[error("refusing to connect to {endpoint} without encryption: {detail}")]
    Insecure {
        /// Host/port or URL without secrets.
        endpoint: String,
        /// What to change.
        detail: String,
    },
    /// The system took too long.
    #[error("timed out after {seconds} s at {endpoint} — try again, or raise the timeout")]
    Timeout {
        /// Where.
        endpoint: String,
        /// After how long.
        seconds: u64,
    },
    /// An HTTP endpoint answered with an error status.
    #[error("{endpoint} answered HTTP {status} — check the endpoint and its credentials")]
    HttpStatus {
        /// URL without query string or secrets.
        endpoint: String,
        /// Status code.
        status: u16,
    },
    /// The data is not in the configured shape (bad JSON, missing pointer, wrong encoding).
    #[error("unexpected data in {location}: {detail} — check the register's settings for this system")]
    BadData {
        /// File (and line) or endpoint.
        location: String,
        /// What was wrong.
        detail: String,
    },
    /// A `{secret:NAME}` the connector needs is not stored.
    #[error("secret '{name}' is not set — set it in Settings → Secrets, or run: dsar secret set {name}")]
    SecretMissing {
        /// Secret name.
        name: String,
    },
    /// A stored secret this system may not use: it was set for other systems or another
    /// address, or it is the SMTP password.
    #[error("secret '{name}' {detail} — if {system} may use it, allow it in Settings → Secrets or run: dsar secret allow {name} --system {system}")]
    SecretNotAllowed {
        /// Secret name.
        name: String,
        /// The system that asked for it.
        system: String,
        /// Why not, with the addresses involved.
        detail: String,
    },
    /// The connector kind cannot search (yet).
    #[error("connector kind '{kind}' cannot search yet — handle this system manually")]
    Unsupported {
        /// Kind.
        kind: String,
    },
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// One system's searchable source, opened from its register configuration.
pub trait Source: Send + Sync {
    /// Finds every record of the subject. Must check `cancel` regularly and return
    /// `Err(ConnectorError::Cancelled)` when it is set.
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError>;

    /// Checks that the system can be searched (file readable, login works, every query
    /// prepares) without searching for anyone; returns a one-line description of what was
    /// checked.
    fn test(&self) -> Result<String, ConnectorError>;

    /// Like [`Source::search`], also saying what was skipped (e.g. JSON Lines that are not
    /// JSON), so the pull can tell the user without failing the system. Kinds that never
    /// skip anything keep this default.
    fn search_report(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<SearchReport, ConnectorError> {
        Ok(SearchReport { found: self.search(keys, cancel)?, skipped: 0, warning: None })
    }
}

/// What one search found and what it had to skip.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchReport {
    /// The subject's records.
    pub found: Vec<Found>,
    /// Parts of the source that could not be read (lines, records) and were left out.
    pub skipped: u64,
    /// One line for the user when something was skipped (no personal data).
    pub warning: Option<String>,
}

/// Opens one system's source for its connector kind.
pub fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    use crate::register::Settings;
    match &cx.connector.settings {
        Settings::Sqlite(_) => sqlite::open(cx),
        Settings::Csv(_) => csv::open(cx),
        Settings::Json(_) => json::open(cx),
        Settings::Jsonl(_) => jsonl::open(cx),
        Settings::Manual(_) => manual::open(cx),
        Settings::Logs(_) => logs::open(cx),
        Settings::Http(_) => http::open(cx),
        Settings::Postgres(_) => postgres::open(cx),
        Settings::Mysql(_) => mysql::open(cx),
        Settings::Imap(_) => imap::open(cx),
    }
}

/// What a kind module needs to open one system's source.
pub struct OpenContext<'a> {
    /// The register system (id, name, connector settings, derived identifiers).
    pub system: &'a crate::register::System,
    /// The system's connector (`system.connector`, or a manual one when absent).
    pub connector: &'a crate::register::Connector,
    /// Looks up a `{secret:NAME}` value in the encrypted store.
    pub secrets: &'a dyn Fn(&str) -> Option<String>,
    /// The controller's country (ISO alpha-2): how national phone numbers in files are read.
    pub default_country: &'a str,
}

/// Shared by the kind modules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{open, ConnectorError, OpenContext, Source};

    /// Opens a connector given as register JSON inside a minimal system, with no secrets and
    /// Germany as the controller's country.
    pub(crate) fn open_json(connector: serde_json::Value) -> Result<Box<dyn Source>, ConnectorError> {
        let system: crate::register::System = serde_json::from_value(serde_json::json!({
            "id": "s", "name": "S", "role": "internal", "purposes": [], "data_categories": [], "legal_bases": [],
            "retention": {"description": "x"}, "recipients": [], "transfers": [], "source": "x",
            "automated_decision_making": false, "connector": connector
        }))
        .expect("test connector JSON");
        let connector = system.connector.clone().expect("connector present");
        let none = |_: &str| None;
        open(&OpenContext { system: &system, connector: &connector, secrets: &none, default_country: "DE" })
    }
}
