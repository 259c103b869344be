//! What the `postgres` and `mysql` connectors share: named `:parameters` rewritten to the
//! server's placeholders, one run per combination of the subject's values, rows turned into
//! de-duplicated evidence records, and the password looked up from its `{secret:NAME}`.
//!
//! Each server module only says how to connect, prepare, run and decode a row ([`Session`]);
//! the loop that decides what runs with which values lives here once.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::{secret_refs, Query, ServerSettings, Settings};

/// How long a connection attempt may take before the system is reported unreachable.
pub(crate) const CONNECT_TIMEOUT_SECS: u64 = 10;
/// How long one statement may run before the system is reported as timed out.
pub(crate) const STATEMENT_TIMEOUT_SECS: u64 = 60;

/// Why a search query that writes fails: search sessions are read-only.
pub(crate) const READ_ONLY: &str =
    "it tries to change data, but searches are read-only: only SELECT statements belong in \"queries\"";

/// The error for a search statement that returns no result set (it can only write, export
/// or change settings).
pub(crate) fn returns_no_rows(query: &ServerQuery) -> ConnectorError {
    ConnectorError::QueryInvalid {
        query: query.name.clone(),
        detail: "it returns no rows (a statement that writes, exports or changes settings); \
                 searches are read-only: only SELECT statements belong in \"queries\""
            .to_string(),
    }
}

/// Opens a `postgres` or `mysql` system's source (any other kind is `Unsupported`).
///
/// The pull reaches these kinds through the connector dispatch; this entry exists so the
/// server connectors can also be opened (and tested) on their own.
pub fn open_sql_server(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    match &cx.connector.settings {
        Settings::Postgres(_) => super::postgres::open(cx),
        Settings::Mysql(_) => super::mysql::open(cx),
        _ => Err(ConnectorError::Unsupported {
            kind: cx.connector.kind().code().to_string(),
        }),
    }
}

/// How a server writes bound parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// PostgreSQL: `$1`, `$2`, … — one per distinct name, repeats reuse the number.
    Numbered,
    /// MySQL: `?` per occurrence, bound in order.
    Question,
}

/// A register query rewritten for one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerQuery {
    /// The query's name (dataset and locator of what it finds).
    pub name: String,
    /// The statement with placeholders instead of `:names`.
    pub sql: String,
    /// The distinct parameter names, in order of first appearance (`$1` is `names[0]`).
    pub names: Vec<String>,
    /// For each placeholder in the statement, the index into `names` it is bound from.
    pub slots: Vec<usize>,
}

impl ServerQuery {
    /// Rewrites `:name` parameters (found by the register's SQL scanner, which skips
    /// literals, comments and `::` casts) into `style` placeholders.
    pub fn rewrite(query: &Query, style: Placeholders) -> ServerQuery {
        let mut sql = String::with_capacity(query.sql.len());
        let mut names: Vec<String> = Vec::new();
        let mut slots = Vec::new();
        let mut last = 0;
        for p in query.parameters() {
            let index = match names.iter().position(|n| n == p.name) {
                Some(i) => i,
                None => {
                    names.push(p.name.to_string());
                    names.len() - 1
                }
            };
            sql.push_str(&query.sql[last..p.span.start]);
            match style {
                Placeholders::Numbered => {
                    sql.push('$');
                    sql.push_str(&(index + 1).to_string());
                }
                Placeholders::Question => sql.push('?'),
            }
            slots.push(index);
            last = p.span.end;
        }
        sql.push_str(&query.sql[last..]);
        ServerQuery {
            name: query.name.clone(),
            sql,
            names,
            slots,
        }
    }

    /// The locator of every record this query finds.
    pub fn locator(&self) -> String {
        format!("query {}", self.name)
    }

    /// Every combination of the subject's values for this query's parameters, one per run
    /// (`values[i]` binds `names[i]`). Empty when the subject lacks a parameter's kind: the
    /// query then matches nothing.
    pub fn runs<'k>(&self, keys: &'k SearchKeys) -> Vec<Vec<&'k str>> {
        let mut runs: Vec<Vec<&'k str>> = vec![Vec::with_capacity(self.names.len())];
        for name in &self.names {
            let values = keys.get(name);
            runs = runs
                .iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut run = prefix.clone();
                        run.push(v.as_str());
                        run
                    })
                })
                .collect();
        }
        runs
    }

    /// The values of one run in placeholder order (what `?` placeholders bind).
    pub fn per_placeholder<'v>(&self, run: &[&'v str]) -> Vec<&'v str> {
        self.slots
            .iter()
            .filter_map(|&i| run.get(i).copied())
            .collect()
    }
}

/// Collects one query's rows over several runs. A record found by two runs (the subject's
/// two e-mail addresses on one row) is kept once; identical rows within one run are all kept,
/// since the table really holds them several times.
#[derive(Debug, Default)]
pub(crate) struct Dedup {
    kept: HashMap<String, usize>,
    records: Vec<Value>,
}

impl Dedup {
    /// Adds one run's rows.
    pub fn add_run(&mut self, rows: Vec<Value>) {
        let mut in_run: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let key = row.to_string();
            let seen = in_run.entry(key.clone()).or_insert(0);
            *seen += 1;
            let kept = self.kept.entry(key).or_insert(0);
            if *seen > *kept {
                *kept += 1;
                self.records.push(row);
            }
        }
    }

    /// The records, in the order first found.
    pub fn into_records(self) -> Vec<Value> {
        self.records
    }
}

/// A row as a JSON object. Duplicate column names (`SELECT * FROM a JOIN b`) get a ` (2)`,
/// ` (3)` … suffix so no value is silently overwritten.
pub(crate) fn record(columns: impl IntoIterator<Item = (String, Value)>) -> Value {
    let mut map = Map::new();
    for (name, value) in columns {
        let mut key = name.clone();
        let mut n = 1;
        while map.contains_key(&key) {
            n += 1;
            key = format!("{name} ({n})");
        }
        map.insert(key, value);
    }
    Value::Object(map)
}

/// A finite float as a JSON number; NaN and infinities (PostgreSQL has them) as text.
pub(crate) fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number)
}

/// Bytes as standard base64 with padding (how binary columns appear in evidence).
pub(crate) fn base64(bytes: &[u8]) -> Value {
    use base64::Engine as _;
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// One open connection to a server, as the query loop needs it.
pub(crate) trait Session {
    /// A statement prepared on this connection.
    type Statement;

    /// Prepares a query; a statement the server refuses is `QueryInvalid` naming the query.
    fn prepare(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError>;

    /// Runs a prepared query with one run's values (in `names` order) and returns its rows
    /// as JSON objects.
    fn rows(
        &mut self,
        query: &ServerQuery,
        statement: &Self::Statement,
        run: &[&str],
    ) -> Result<Vec<Value>, ConnectorError>;
}

/// Runs every query that the subject has values for, checking `cancel` before each query and
/// each run. `connect` is only called when at least one query can run, so a subject without
/// the identifiers a system needs costs no connection.
pub(crate) fn search<S: Session>(
    queries: &[ServerQuery],
    keys: &SearchKeys,
    cancel: &Cancel,
    connect: impl FnOnce() -> Result<S, ConnectorError>,
) -> Result<Vec<Found>, ConnectorError> {
    let planned: Vec<(&ServerQuery, Vec<Vec<&str>>)> = queries
        .iter()
        .map(|q| (q, q.runs(keys)))
        .filter(|(_, runs)| !runs.is_empty())
        .collect();
    if planned.is_empty() {
        return Ok(Vec::new());
    }
    if cancel.is_cancelled() {
        return Err(ConnectorError::Cancelled);
    }
    let mut session = connect()?;
    let mut found = Vec::new();
    for (query, runs) in planned {
        if cancel.is_cancelled() {
            return Err(ConnectorError::Cancelled);
        }
        let statement = session.prepare(query)?;
        let mut rows = Dedup::default();
        for run in runs {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            rows.add_run(session.rows(query, &statement, &run)?);
        }
        let locator = query.locator();
        found.extend(rows.into_records().into_iter().map(|record| Found {
            dataset: query.name.clone(),
            locator: locator.clone(),
            record,
        }));
    }
    Ok(found)
}

/// Connects and prepares every query without running any; the "Test connection" check.
pub(crate) fn prepare_all<S: Session>(
    queries: &[ServerQuery],
    mut session: S,
) -> Result<usize, ConnectorError> {
    for query in queries {
        session.prepare(query)?;
    }
    Ok(queries.len())
}

/// The password the register names as `{secret:NAME}` (none when the system has no
/// password). A secret that is not stored is `SecretMissing`, before any connection attempt.
pub(crate) fn password(
    settings: &ServerSettings,
    cx: &OpenContext<'_>,
) -> Result<Option<String>, ConnectorError> {
    let Some(reference) = settings.password.as_deref() else {
        return Ok(None);
    };
    // The register refuses anything but one well-formed reference at import; a register
    // built in code is held to the same rule rather than sending a literal as the password.
    let name = match secret_refs(reference).ok().as_deref() {
        Some([(range, name)]) if range.len() == reference.len() => *name,
        _ => {
            return Err(ConnectorError::BadData {
                location: "the connector's \"password\"".to_string(),
                detail: "not a {secret:NAME} reference".to_string(),
            })
        }
    };
    (cx.secrets)(name)
        .map(Some)
        .ok_or_else(|| ConnectorError::SecretMissing {
            name: name.to_string(),
        })
}

/// The queries of a server system, rewritten for its placeholder style.
pub(crate) fn server_queries(settings: &ServerSettings, style: Placeholders) -> Vec<ServerQuery> {
    settings
        .queries
        .iter()
        .map(|q| ServerQuery::rewrite(q, style))
        .collect()
}

/// Whether a URL host is this machine (then TLS protects nothing and is not attempted
/// unless the URL asks for it).
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Makes rustls usable by both clients whichever crypto features other crates enable: the
/// MySQL client asks rustls for the process-wide provider, which is ambiguous when more than
/// one backend is compiled in.
pub(crate) fn install_crypto_provider() {
    // Err means a provider is already installed, which is all we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(sql: &str) -> Query {
        Query {
            name: "q".into(),
            sql: sql.into(),
        }
    }

    #[test]
    fn numbered_placeholders_reuse_a_repeated_name() {
        let q = ServerQuery::rewrite(
            &query("SELECT ':email' AS x, a::text FROM t WHERE e = :email OR p = :phone OR e2 = :email"),
            Placeholders::Numbered,
        );
        assert_eq!(
            q.sql,
            "SELECT ':email' AS x, a::text FROM t WHERE e = $1 OR p = $2 OR e2 = $1"
        );
        assert_eq!(q.names, ["email", "phone"]);
        assert_eq!(q.slots, [0, 1, 0]);
    }

    #[test]
    fn question_placeholders_bind_every_occurrence_in_order() {
        let q = ServerQuery::rewrite(
            &query("SELECT * FROM t WHERE e = :email OR p = :phone OR e2 = :email -- :ip"),
            Placeholders::Question,
        );
        assert_eq!(
            q.sql,
            "SELECT * FROM t WHERE e = ? OR p = ? OR e2 = ? -- :ip"
        );
        assert_eq!(q.per_placeholder(&["a@x", "+49"]), ["a@x", "+49", "a@x"]);
    }

    #[test]
    fn runs_cover_every_combination_and_none_when_a_kind_is_missing() {
        let q = ServerQuery::rewrite(
            &query("SELECT 1 WHERE a = :email AND b = :phone"),
            Placeholders::Numbered,
        );
        let mut keys = SearchKeys::new();
        keys.add("email", "a@x");
        assert!(q.runs(&keys).is_empty());
        keys.add("email", "b@x");
        keys.add("phone", "+1");
        keys.add("phone", "+2");
        assert_eq!(
            q.runs(&keys),
            [
                vec!["a@x", "+1"],
                vec!["a@x", "+2"],
                vec!["b@x", "+1"],
                vec!["b@x", "+2"]
            ]
        );
    }

    #[test]
    fn dedup_keeps_a_row_found_twice_once_but_true_duplicates_all() {
        let mut d = Dedup::default();
        d.add_run(vec![json!({"id": 1}), json!({"id": 2}), json!({"id": 2})]);
        d.add_run(vec![json!({"id": 2}), json!({"id": 1}), json!({"id": 3})]);
        d.add_run(vec![json!({"id": 2}), json!({"id": 2}), json!({"id": 2})]);
        assert_eq!(
            d.into_records(),
            [
                json!({"id": 1}),
                json!({"id": 2}),
                json!({"id": 2}),
                json!({"id": 3}),
                json!({"id": 2})
            ]
        );
    }

    #[test]
    fn duplicate_column_names_are_all_kept() {
        let r = record([
            ("id".to_string(), json!(1)),
            ("id".to_string(), json!(7)),
            ("id".to_string(), json!(9)),
        ]);
        assert_eq!(r, json!({"id": 1, "id (2)": 7, "id (3)": 9}));
    }

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1", "localhost", "[::1]", "127.3.4.5"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["10.0.0.1", "db.example", "/run/postgresql"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
