//! A system's connector configuration as written in the register: the kind, its per-kind
//! settings, derived identifiers, and every unknown key kept verbatim for newer versions.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::text::{OrderedMap, Text};
use crate::domain::UnknownCode;

/// Identifier kinds every connector may use as `:param`, `{placeholder}` or `match` key.
pub const BUILTIN_IDENTIFIERS: &[&str] =
    &["email", "phone", "name", "customer_id", "ip", "username"];

/// Which connector implementation searches a system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnectorKind {
    /// SQLite database file, named SQL queries.
    Sqlite,
    /// PostgreSQL server, named SQL queries.
    Postgres,
    /// MySQL/MariaDB server, named SQL queries.
    Mysql,
    /// CSV file, matched by columns.
    Csv,
    /// JSON file with an array of records, matched by JSON pointers.
    Json,
    /// JSON Lines file, matched by JSON pointers.
    Jsonl,
    /// Text log files (globs, plain or `.gz`), matched by whole tokens.
    Logs,
    /// REST endpoint.
    Http,
    /// IMAP mailbox: messages from or to the subject, headers (bodies optional).
    Imap,
    /// No search: a task and a ready processor e-mail.
    Manual,
}

impl ConnectorKind {
    /// Every kind.
    pub const ALL: &'static [ConnectorKind] = &[
        ConnectorKind::Sqlite,
        ConnectorKind::Postgres,
        ConnectorKind::Mysql,
        ConnectorKind::Csv,
        ConnectorKind::Json,
        ConnectorKind::Jsonl,
        ConnectorKind::Logs,
        ConnectorKind::Http,
        ConnectorKind::Imap,
        ConnectorKind::Manual,
    ];

    /// Stable spelling (`"kind"` in the register).
    pub fn code(self) -> &'static str {
        match self {
            ConnectorKind::Sqlite => "sqlite",
            ConnectorKind::Postgres => "postgres",
            ConnectorKind::Mysql => "mysql",
            ConnectorKind::Csv => "csv",
            ConnectorKind::Json => "json",
            ConnectorKind::Jsonl => "jsonl",
            ConnectorKind::Logs => "logs",
            ConnectorKind::Http => "http",
            ConnectorKind::Imap => "imap",
            ConnectorKind::Manual => "manual",
        }
    }

    /// Whether the kind runs named SQL queries.
    pub fn is_sql(self) -> bool {
        matches!(
            self,
            ConnectorKind::Sqlite | ConnectorKind::Postgres | ConnectorKind::Mysql
        )
    }

    /// The top-level keys this version understands for the kind (besides `kind`); the rest
    /// of a connector object is kept in [`Connector::extra`].
    pub fn known_keys(self) -> &'static [&'static str] {
        // `yields` (SPEC §11) reads identifiers out of the records a search finds, so every
        // kind that finds records knows it; a manual system finds none.
        const COMMON: [&str; 3] = ["derive", "identifiers", "yields"];
        match self {
            ConnectorKind::Sqlite => {
                &["path", "queries", "erase", "restrict", "lift", COMMON[0], COMMON[1], COMMON[2]]
            }
            ConnectorKind::Postgres | ConnectorKind::Mysql => &[
                "url", "password", "queries", "erase", "restrict", "lift", COMMON[0], COMMON[1], COMMON[2],
            ],
            ConnectorKind::Csv => &[
                "path",
                "delimiter",
                "encoding",
                "match",
                "erase",
                COMMON[0],
                COMMON[1],
                COMMON[2],
            ],
            ConnectorKind::Json => &["path", "records", "match", "erase", COMMON[0], COMMON[1], COMMON[2]],
            ConnectorKind::Jsonl => &["path", "match", "erase", COMMON[0], COMMON[1], COMMON[2]],
            ConnectorKind::Logs => &["paths", "match", COMMON[0], COMMON[1], COMMON[2]],
            ConnectorKind::Http => &["url", "headers", "records", "erase", COMMON[0], COMMON[1], COMMON[2]],
            ConnectorKind::Imap => &[
                "host", "port", "user", "password", "folders", "bodies", "ca_file", COMMON[0], COMMON[1],
            ],
            ConnectorKind::Manual => &["contact", "instructions"],
        }
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ConnectorKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        ConnectorKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == t)
            .ok_or_else(|| UnknownCode {
                field: "connector kind",
                given: s.chars().take(40).collect(),
                allowed: ConnectorKind::ALL
                    .iter()
                    .map(|k| k.code())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

/// A named SQL statement with `:name` parameters bound from the subject's identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// Name, unique within its list; part of the evidence locator.
    pub name: String,
    /// The statement.
    pub sql: String,
}

/// A `:name` parameter found in a SQL statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlParam<'a> {
    /// The name without the colon.
    pub name: &'a str,
    /// Byte range of `:name` in the statement (for rewriting to `$1` or `?`).
    pub span: Range<usize>,
}

impl Query {
    /// The statement's `:name` parameters in order (repeats included), skipping string
    /// literals, quoted identifiers, comments and PostgreSQL `::` casts.
    pub fn parameters(&self) -> Vec<SqlParam<'_>> {
        sql_scan(&self.sql).0
    }

    /// Byte offsets of positional `?` placeholders, which the connectors cannot bind.
    pub fn positional_placeholders(&self) -> Vec<usize> {
        sql_scan(&self.sql).1
    }
}

fn sql_scan(sql: &str) -> (Vec<SqlParam<'_>>, Vec<usize>) {
    let b = sql.as_bytes();
    let mut params = Vec::new();
    let mut positional = Vec::new();
    let mut i = 0;
    let skip_to = |from: usize, pat: &str| {
        sql[from..]
            .find(pat)
            .map_or(b.len(), |at| from + at + pat.len())
    };
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i = skip_to(i + 1, std::str::from_utf8(&[q]).unwrap_or("'"))
            }
            b'-' if b.get(i + 1) == Some(&b'-') => i = skip_to(i + 2, "\n"),
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_to(i + 2, "*/"),
            b':' if b.get(i + 1) == Some(&b':') => i += 2,
            b':' if b
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') =>
            {
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                params.push(SqlParam {
                    name: &sql[i + 1..i + 1 + len],
                    span: i..i + 1 + len,
                });
                i += 1 + len;
            }
            b'?' => {
                positional.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    (params, positional)
}

/// How a derived identifier is computed: `encoding(HMAC-SHA256(key, prefix + value of from))`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derivation {
    /// The identifier kind it is computed from (normalised first), e.g. `phone`.
    pub from: String,
    /// `{secret:NAME}` reference to the HMAC key.
    pub hmac_sha256_key: String,
    /// Prepended to the value before hashing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Output encoding, `hex` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<DigestEncoding>,
}

/// How a derived digest is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestEncoding {
    /// Lower-case hexadecimal.
    #[default]
    Hex,
    /// Standard base64 with padding.
    Base64,
}

/// `sqlite` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqliteSettings {
    /// Database file (absolute after import).
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// Search queries.
    pub queries: Vec<Query>,
    /// Statements that erase the subject's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erase: Vec<Query>,
    /// Statements that restrict processing of the subject's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrict: Vec<Query>,
    /// Statements that lift a restriction again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lift: Vec<Query>,
}

/// `postgres` / `mysql` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerSettings {
    /// Connection URL without the password (left as written).
    pub url: String,
    /// `{secret:NAME}` reference to the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Search queries.
    pub queries: Vec<Query>,
    /// Statements that erase the subject's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erase: Vec<Query>,
    /// Statements that restrict processing of the subject's data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restrict: Vec<Query>,
    /// Statements that lift a restriction again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lift: Vec<Query>,
}

/// `csv` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvSettings {
    /// The file (absolute after import).
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// Field delimiter, `,` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Character encoding label (e.g. `windows-1252`), UTF-8 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Identifier kind → columns (several `name` columns are joined with a space).
    #[serde(rename = "match")]
    pub match_on: OrderedMap<Vec<String>>,
    /// How the subject's records are erased (`"rewrite"`); absent: by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase: Option<FileErase>,
}

/// `json` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonSettings {
    /// The file (absolute after import).
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// JSON pointer to the array of records; the document itself when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<String>,
    /// Identifier kind → JSON pointers inside a record.
    #[serde(rename = "match")]
    pub match_on: OrderedMap<Vec<String>>,
    /// How the subject's records are erased (`"rewrite"`); absent: by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase: Option<FileErase>,
}

/// `jsonl` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonlSettings {
    /// The file (absolute after import).
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    /// Identifier kind → JSON pointers inside a line's record.
    #[serde(rename = "match")]
    pub match_on: OrderedMap<Vec<String>>,
    /// How the subject's records are erased (`"rewrite"`); absent: by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase: Option<FileErase>,
}

/// `logs` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogsSettings {
    /// Files or glob patterns (absolute after import).
    #[serde(serialize_with = "lossy_paths")]
    pub paths: Vec<PathBuf>,
    /// Identifier kinds searched for as whole tokens.
    #[serde(rename = "match")]
    pub match_on: Vec<String>,
}

/// `http` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpSettings {
    /// URL with `{email}`-style placeholders (URL-encoded at request time).
    pub url: String,
    /// Request headers; values may hold `{secret:NAME}`.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub headers: OrderedMap<String>,
    /// JSON pointer to the records in the response; the body itself when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<String>,
    /// The request that erases the subject at the service; absent: by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase: Option<HttpErase>,
}

/// How a file-based system erases: the file is rewritten without the subject's records
/// (the only way there is; the enum leaves room for others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileErase {
    /// Temporary file beside the original, fsync, rename; permissions kept.
    Rewrite,
}

/// The request an `http` system erases with; success is any 2xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpErase {
    /// `DELETE` (or `POST` for services that take erasure as a command).
    pub method: String,
    /// URL with `{email}`-style placeholders (URL-encoded at request time).
    pub url: String,
    /// Request headers; values may hold `{secret:NAME}`.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub headers: OrderedMap<String>,
}

/// `imap` settings: a mailbox searched for messages from or to the subject (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImapSettings {
    /// Host name or IP address of the IMAP server.
    pub host: String,
    /// The server's TLS port; 993 (IMAPS) when absent. Mail is read only over TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Login name.
    pub user: String,
    /// `{secret:NAME}` reference to the password.
    pub password: String,
    /// Folders searched; `["INBOX"]` when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<String>,
    /// Whether the evidence keeps each message's text, not only its headers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bodies: bool,
    /// A PEM CA certificate to trust besides the system's (absolute after import).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "lossy_opt_path")]
    pub ca_file: Option<PathBuf>,
}

impl ImapSettings {
    /// The port, 993 when the register gives none.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(993)
    }

    /// The folders searched, `INBOX` when the register lists none.
    pub fn folders(&self) -> Vec<String> {
        if self.folders.is_empty() {
            vec!["INBOX".to_string()]
        } else {
            self.folders.clone()
        }
    }
}

/// `manual` settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ManualSettings {
    /// Whom to ask (the processor e-mail goes here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// What the person doing the task should do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Text>,
}

/// A contact for a manual system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Per-kind settings; the variant is the connector's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settings {
    /// `sqlite`.
    Sqlite(SqliteSettings),
    /// `postgres`.
    Postgres(ServerSettings),
    /// `mysql`.
    Mysql(ServerSettings),
    /// `csv`.
    Csv(CsvSettings),
    /// `json`.
    Json(JsonSettings),
    /// `jsonl`.
    Jsonl(JsonlSettings),
    /// `logs`.
    Logs(LogsSettings),
    /// `http`.
    Http(HttpSettings),
    /// `imap`.
    Imap(ImapSettings),
    /// `manual`.
    Manual(ManualSettings),
}

/// A system's connector: typed settings plus the keys this version does not know, which are
/// written back unchanged on export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Map<String, Value>", into = "Map<String, Value>")]
pub struct Connector {
    /// Per-kind settings.
    pub settings: Settings,
    /// Derived identifiers (name → how to compute), usable as parameters and `match` keys.
    pub derive: OrderedMap<Derivation>,
    /// Custom identifier keys (from `--id KEY=VALUE`) this connector uses.
    pub identifiers: Vec<String>,
    /// Identifiers of the subject read out of every record found (identifier kind → JSON
    /// pointer into the record), searched for in the other systems of the same pull.
    pub yields: OrderedMap<String>,
    /// Unknown keys, in file order.
    pub extra: Map<String, Value>,
}

impl Connector {
    /// A `manual` connector with no contact or instructions (what an absent connector means).
    pub fn manual() -> Connector {
        Connector {
            settings: Settings::Manual(ManualSettings::default()),
            derive: OrderedMap::default(),
            identifiers: Vec::new(),
            yields: OrderedMap::default(),
            extra: Map::new(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ConnectorKind {
        match self.settings {
            Settings::Sqlite(_) => ConnectorKind::Sqlite,
            Settings::Postgres(_) => ConnectorKind::Postgres,
            Settings::Mysql(_) => ConnectorKind::Mysql,
            Settings::Csv(_) => ConnectorKind::Csv,
            Settings::Json(_) => ConnectorKind::Json,
            Settings::Jsonl(_) => ConnectorKind::Jsonl,
            Settings::Logs(_) => ConnectorKind::Logs,
            Settings::Http(_) => ConnectorKind::Http,
            Settings::Imap(_) => ConnectorKind::Imap,
            Settings::Manual(_) => ConnectorKind::Manual,
        }
    }

    /// Every identifier name usable as `:param`, `{placeholder}` or `match` key here:
    /// the built-in kinds, the declared custom keys and the derived names.
    pub fn identifier_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = BUILTIN_IDENTIFIERS.to_vec();
        names.extend(self.identifiers.iter().map(String::as_str));
        names.extend(self.derive.keys());
        names
    }

    /// The identifier kinds a search of this system uses — `match` keys, search-query
    /// parameters, URL placeholders — with each derived name replaced by the kind it is
    /// computed from. A system that yields one of these kinds to another must be searched
    /// first (the pull's order, and the cycle check at import).
    pub fn searched_kinds(&self) -> BTreeSet<String> {
        let mut direct: Vec<&str> = Vec::new();
        match &self.settings {
            Settings::Sqlite(s) => {
                direct.extend(s.queries.iter().flat_map(|q| q.parameters().into_iter().map(|p| p.name)))
            }
            Settings::Postgres(s) | Settings::Mysql(s) => {
                direct.extend(s.queries.iter().flat_map(|q| q.parameters().into_iter().map(|p| p.name)))
            }
            Settings::Csv(s) => direct.extend(s.match_on.keys()),
            Settings::Json(s) => direct.extend(s.match_on.keys()),
            Settings::Jsonl(s) => direct.extend(s.match_on.keys()),
            Settings::Logs(s) => direct.extend(s.match_on.iter().map(String::as_str)),
            Settings::Http(s) => direct.extend(url_placeholders(&s.url).into_iter().filter(|p| !p.starts_with("secret"))),
            // A mailbox is searched by the subject's e-mail addresses only.
            Settings::Imap(_) => direct.push("email"),
            Settings::Manual(_) => {}
        }
        direct
            .into_iter()
            .map(|name| self.derive.get(name).map_or(name, |d| d.from.as_str()).to_string())
            .collect()
    }
}

/// The `{name}` placeholders of a URL template, in order.
pub(crate) fn url_placeholders(url: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

impl TryFrom<Map<String, Value>> for Connector {
    type Error = String;
    fn try_from(mut map: Map<String, Value>) -> Result<Self, String> {
        let kind: ConnectorKind = match map.remove("kind") {
            Some(Value::String(s)) => s.parse().map_err(|e: UnknownCode| e.to_string())?,
            _ => return Err("missing connector \"kind\"".to_string()),
        };
        let mut known = Map::new();
        let mut extra = Map::new();
        for (k, v) in map {
            if kind.known_keys().contains(&k.as_str()) {
                known.insert(k, v);
            } else {
                extra.insert(k, v);
            }
        }
        let derive = take(&mut known, "derive")?.unwrap_or_default();
        let identifiers = take(&mut known, "identifiers")?.unwrap_or_default();
        let yields = take(&mut known, "yields")?.unwrap_or_default();
        let settings_json = Value::Object(known);
        fn settings<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
            serde_json::from_value(v).map_err(|e| e.to_string())
        }
        let settings = match kind {
            ConnectorKind::Sqlite => Settings::Sqlite(settings(settings_json)?),
            ConnectorKind::Postgres => Settings::Postgres(settings(settings_json)?),
            ConnectorKind::Mysql => Settings::Mysql(settings(settings_json)?),
            ConnectorKind::Csv => Settings::Csv(settings(settings_json)?),
            ConnectorKind::Json => Settings::Json(settings(settings_json)?),
            ConnectorKind::Jsonl => Settings::Jsonl(settings(settings_json)?),
            ConnectorKind::Logs => Settings::Logs(settings(settings_json)?),
            ConnectorKind::Http => Settings::Http(settings(settings_json)?),
            ConnectorKind::Imap => Settings::Imap(settings(settings_json)?),
            ConnectorKind::Manual => Settings::Manual(settings(settings_json)?),
        };
        Ok(Connector {
            settings,
            derive,
            identifiers,
            yields,
            extra,
        })
    }
}

fn take<T: serde::de::DeserializeOwned>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, String> {
    map.remove(key)
        .map(|v| serde_json::from_value(v).map_err(|e| format!("{key}: {e}")))
        .transpose()
}

impl From<Connector> for Map<String, Value> {
    fn from(c: Connector) -> Map<String, Value> {
        let kind = c.kind();
        let mut out = Map::new();
        out.insert("kind".into(), Value::String(kind.code().into()));
        let settings = match &c.settings {
            Settings::Sqlite(s) => serde_json::to_value(s),
            Settings::Postgres(s) | Settings::Mysql(s) => serde_json::to_value(s),
            Settings::Csv(s) => serde_json::to_value(s),
            Settings::Json(s) => serde_json::to_value(s),
            Settings::Jsonl(s) => serde_json::to_value(s),
            Settings::Logs(s) => serde_json::to_value(s),
            Settings::Http(s) => serde_json::to_value(s),
            Settings::Imap(s) => serde_json::to_value(s),
            Settings::Manual(s) => serde_json::to_value(s),
        };
        // Serialising these plain structs cannot fail (string keys, lossy paths).
        if let Ok(Value::Object(fields)) = settings {
            out.extend(fields);
        }
        if !c.derive.is_empty() {
            if let Ok(v) = serde_json::to_value(&c.derive) {
                out.insert("derive".into(), v);
            }
        }
        if !c.identifiers.is_empty() {
            out.insert("identifiers".into(), Value::from(c.identifiers.clone()));
        }
        if !c.yields.is_empty() {
            if let Ok(v) = serde_json::to_value(&c.yields) {
                out.insert("yields".into(), v);
            }
        }
        out.extend(c.extra);
        out
    }
}

fn lossy_path<S: serde::Serializer>(p: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

fn lossy_opt_path<S: serde::Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}

fn lossy_paths<S: serde::Serializer>(ps: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ps.iter().map(|p| p.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_parameters_skip_literals_comments_and_casts() {
        let q = Query {
            name: "q".into(),
            sql: "SELECT ':nope', \"a:b\", x::text -- :c\n FROM t /* :d */ WHERE e = :email OR p = :phone_hash AND t[1:2] = ?".into(),
        };
        let names: Vec<_> = q.parameters().iter().map(|p| p.name).collect();
        assert_eq!(names, ["email", "phone_hash"]);
        assert_eq!(q.positional_placeholders().len(), 1);
        assert_eq!(&q.sql[q.parameters()[0].span.clone()], ":email");
    }

    #[test]
    fn unknown_connector_keys_survive_a_round_trip() {
        let v = serde_json::json!({"kind": "csv", "path": "/a.csv", "future": {"x": 1}, "match": {"email": ["E"]}});
        let c: Connector = serde_json::from_value(v).unwrap();
        assert_eq!(c.extra.get("future"), Some(&serde_json::json!({"x": 1})));
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"kind": "csv", "path": "/a.csv", "match": {"email": ["E"]}, "future": {"x": 1}})
        );
    }
}
