//! The `sqlite` connector: opens a plain SQLite file read-only and runs the register's named
//! queries with the subject's identifiers bound as named parameters (`:email`, `:phone`, …).
//!
//! A query whose parameter the subject has no value for is skipped (it matches nothing); a
//! subject with two values of a kind runs the query once per value and drops rows an
//! earlier run already returned. Every query is prepared before any runs, so a broken query
//! fails the system before it has half searched.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use base64::Engine as _;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Statement};
use serde_json::{Map, Value};

use super::{file, Cancel, ConnectorError, Found, OpenContext, SearchKeys, Source};
use crate::register::{Query, Settings, SqliteSettings};

/// Opens a `sqlite` system (checks the settings; the file is opened at search time, so the
/// source can move between threads).
pub(crate) fn open(cx: &OpenContext<'_>) -> Result<Box<dyn Source>, ConnectorError> {
    let Settings::Sqlite(settings) = &cx.connector.settings else {
        return Err(ConnectorError::Unsupported { kind: cx.connector.kind().code().into() });
    };
    Ok(Box::new(SqliteSource { settings: settings.clone() }))
}

struct SqliteSource {
    settings: SqliteSettings,
}

/// A prepared search query with its parameter names, in binding order.
struct Prepared<'c> {
    query: &'c Query,
    stmt: Statement<'c>,
    params: Vec<String>,
    columns: Vec<String>,
}

pub(crate) fn detail(e: &rusqlite::Error) -> String {
    match e {
        // SQLite's message names the SQL problem (column, syntax); no value is bound yet
        // when a statement is prepared, so none can appear in it.
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        rusqlite::Error::SqliteFailure(code, None) => code.to_string(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        _ => "the statement cannot be run".to_string(),
    }
}

/// A statement's `:name` parameters in binding order, without the colon; a positional `?`
/// cannot be bound from the subject's identifiers and is refused.
pub(crate) fn named_parameters(stmt: &Statement<'_>) -> Result<Vec<String>, &'static str> {
    let mut params = Vec::with_capacity(stmt.parameter_count());
    for i in 1..=stmt.parameter_count() {
        match stmt.parameter_name(i) {
            Some(n) if n.len() > 1 => params.push(n[1..].to_string()),
            _ => return Err("uses a positional ? parameter: name it, e.g. :email"),
        }
    }
    Ok(params)
}

fn is_interrupt(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted)
}

impl SqliteSource {
    fn path(&self) -> &Path {
        &self.settings.path
    }

    fn connect(&self) -> Result<Connection, ConnectorError> {
        file::check_readable(self.path())?;
        let shown = self.path().display().to_string();
        // Read-only, and without a key: SQLCipher reads plain SQLite files as they are.
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(self.path(), flags)
            .map_err(|e| ConnectorError::Unreadable { path: shown.clone(), reason: detail(&e) })?;
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => Ok(conn),
            Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::NotADatabase => Err(ConnectorError::BadData {
                location: shown,
                detail: "not an SQLite database (or an encrypted one)".into(),
            }),
            Err(e) => Err(ConnectorError::Unreadable { path: shown, reason: detail(&e) }),
        }
    }

    fn prepare_all<'c>(&'c self, conn: &'c Connection) -> Result<Vec<Prepared<'c>>, ConnectorError> {
        let mut out = Vec::with_capacity(self.settings.queries.len());
        for query in &self.settings.queries {
            let invalid = |detail: String| ConnectorError::QueryInvalid { query: query.name.clone(), detail };
            let stmt = conn.prepare(&query.sql).map_err(|e| invalid(detail(&e)))?;
            // Read-only and returning rows: that rules out writes and ATTACH, which would let
            // a query read a file the register does not name.
            if !stmt.readonly() || stmt.column_count() == 0 {
                return Err(invalid("a search query must be a SELECT that only reads".into()));
            }
            let params = named_parameters(&stmt).map_err(|p| invalid(p.into()))?;
            if params.is_empty() {
                return Err(invalid("has no :parameter, so it would return every row: add e.g. WHERE lower(email) = :email".into()));
            }
            let columns = stmt.column_names().into_iter().map(str::to_string).collect();
            out.push(Prepared { query, stmt, params, columns });
        }
        Ok(out)
    }

    fn run_all(&self, conn: &Connection, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let mut prepared = self.prepare_all(conn)?;
        let mut found = Vec::new();
        for p in &mut prepared {
            if cancel.is_cancelled() {
                return Err(ConnectorError::Cancelled);
            }
            run_query(p, keys, cancel, &mut found)?;
        }
        Ok(found)
    }
}

/// Runs one query for every combination of the subject's values of its parameters.
fn run_query(p: &mut Prepared<'_>, keys: &SearchKeys, cancel: &Cancel, found: &mut Vec<Found>) -> Result<(), ConnectorError> {
    let lists: Vec<&[String]> = p.params.iter().map(|n| keys.get(n)).collect();
    if lists.iter().any(|l| l.is_empty()) {
        return Ok(());
    }
    let invalid = |e: &rusqlite::Error| {
        if is_interrupt(e) {
            ConnectorError::Cancelled
        } else {
            ConnectorError::QueryInvalid { query: p.query.name.clone(), detail: detail(e) }
        }
    };
    let mut earlier_runs: HashSet<String> = HashSet::new();
    let mut choice = vec![0usize; lists.len()];
    loop {
        p.stmt.clear_bindings();
        for (i, list) in lists.iter().enumerate() {
            p.stmt.raw_bind_parameter(i + 1, list[choice[i]].as_str()).map_err(|e| invalid(&e))?;
        }
        let mut this_run = Vec::new();
        {
            let mut rows = p.stmt.raw_query();
            while let Some(row) = rows.next().map_err(|e| invalid(&e))? {
                if cancel.is_cancelled() {
                    return Err(ConnectorError::Cancelled);
                }
                let record = row_json(row, &p.columns);
                let text = record.to_string();
                if !earlier_runs.contains(&text) {
                    found.push(Found { dataset: p.query.name.clone(), locator: format!("query {}", p.query.name), record });
                    this_run.push(text);
                }
            }
        }
        earlier_runs.extend(this_run);
        // Next combination (odometer), or done.
        let mut i = 0;
        loop {
            if i == choice.len() {
                return Ok(());
            }
            choice[i] += 1;
            if choice[i] < lists[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

fn row_json(row: &rusqlite::Row<'_>, columns: &[String]) -> Value {
    let mut obj = Map::new();
    for (i, name) in columns.iter().enumerate() {
        let v = match row.get_ref(i) {
            Ok(ValueRef::Null) | Err(_) => Value::Null,
            Ok(ValueRef::Integer(n)) => Value::from(n),
            Ok(ValueRef::Real(f)) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Ok(ValueRef::Text(t)) => Value::String(String::from_utf8_lossy(t).into_owned()),
            // JSON has no bytes: BLOBs travel as standard base64.
            Ok(ValueRef::Blob(b)) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
        };
        // A join can return two columns of one name; keep both.
        let key = if obj.contains_key(name) { format!("{name} ({})", i + 1) } else { name.clone() };
        obj.insert(key, v);
    }
    Value::Object(obj)
}

impl Source for SqliteSource {
    fn search(&self, keys: &SearchKeys, cancel: &Cancel) -> Result<Vec<Found>, ConnectorError> {
        let conn = self.connect()?;
        let interrupt = conn.get_interrupt_handle();
        let done = AtomicBool::new(false);
        // A watcher interrupts a long-running statement as soon as the user cancels; rows are
        // also checked one by one, but a slow scan may return none for a long time.
        std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                while !done.load(Ordering::Acquire) {
                    if cancel.is_cancelled() {
                        interrupt.interrupt();
                        return;
                    }
                    std::thread::park_timeout(Duration::from_millis(25));
                }
            });
            let result = self.run_all(&conn, keys, cancel);
            done.store(true, Ordering::Release);
            watcher.thread().unpark();
            result
        })
    }

    fn test(&self) -> Result<String, ConnectorError> {
        let conn = self.connect()?;
        let n = self.prepare_all(&conn)?.len();
        Ok(format!("{} opens read-only; {n} quer{} prepare", file::name(self.path()), if n == 1 { "y" } else { "ies" }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &Path, queries: serde_json::Value) -> Box<dyn Source> {
        crate::connectors::test_support::open_json(serde_json::json!({"kind": "sqlite", "path": path, "queries": queries})).unwrap()
    }

    fn db(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("app.sqlite");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE u (id INTEGER, email TEXT, phone TEXT, pic BLOB, score REAL);
             INSERT INTO u VALUES (1, 'A@x.org', '+491711234567', x'00ff', 1.5), (2, 'b@x.org', NULL, NULL, NULL), (3, 'c@x.org', '+491711234567', NULL, NULL);",
        )
        .unwrap();
        path
    }

    #[test]
    fn binds_every_value_skips_missing_parameters_and_deduplicates() {
        let dir = tempfile::tempdir().unwrap();
        let path = db(dir.path());
        let src = source(&path, serde_json::json!([
            {"name": "by_mail", "sql": "SELECT * FROM u WHERE lower(email) = :email"},
            {"name": "by_phone", "sql": "SELECT id FROM u WHERE phone = :phone"},
            {"name": "by_both", "sql": "SELECT id FROM u WHERE lower(email) = :email OR phone = :phone"}
        ]));
        let mut keys = SearchKeys::new();
        keys.add("email", "a@x.org");
        keys.add("email", "b@x.org");
        let found = src.search(&keys, &Cancel::new()).unwrap();
        let ids: Vec<_> = found.iter().map(|f| (f.dataset.as_str(), f.record["id"].as_i64().unwrap())).collect();
        assert_eq!(ids, [("by_mail", 1), ("by_mail", 2)], "by_phone and by_both need :phone, which the subject lacks");
        assert_eq!(found[0].record["pic"], "AP8=");
        assert_eq!(found[0].record["score"], 1.5);
        assert_eq!(found[0].locator, "query by_mail");
        keys.add("phone", "+491711234567");
        let found = src.search(&keys, &Cancel::new()).unwrap();
        let both: Vec<_> = found.iter().filter(|f| f.dataset == "by_both").map(|f| f.record["id"].as_i64().unwrap()).collect();
        assert_eq!(both, [1, 3, 2], "row 1 matches both e-mail runs but is kept once");
    }

    #[test]
    fn refuses_writes_attach_and_reports_invalid_queries_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = db(dir.path());
        let keys = {
            let mut k = SearchKeys::new();
            k.add("email", "a@x.org");
            k
        };
        for sql in ["DELETE FROM u WHERE email = :email", "ATTACH :email AS other", "SELECT nope FROM u WHERE email = :email", "SELECT * FROM u"] {
            let e = source(&path, serde_json::json!([{"name": "q1", "sql": sql}])).search(&keys, &Cancel::new()).unwrap_err();
            assert!(matches!(&e, ConnectorError::QueryInvalid { query, .. } if query == "q1"), "{sql}: {e}");
        }
        let count: i64 = Connection::open(&path).unwrap().query_row("SELECT count(*) FROM u", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 3);
        let e = source(&dir.path().join("gone.sqlite"), serde_json::json!([{"name": "q", "sql": "SELECT 1 WHERE :email"}])).test().unwrap_err();
        assert!(matches!(e, ConnectorError::FileMissing { .. }), "{e}");
    }
}
