//! Acting on a `sqlite` system: the register's `erase` / `restrict` statements on the file
//! opened read-write, inside `BEGIN IMMEDIATE` so no other writer slips in between the
//! statements and the count check.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::statements::{bindings, check_rows, ActFailure, SqlActor, Step};
use crate::connectors::sqlite::{detail, named_parameters};
use crate::connectors::{ConnectorError, SearchKeys};
use crate::register::Query;

/// A `sqlite` system's file.
pub(crate) struct SqliteActor {
    pub path: PathBuf,
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl SqliteActor {
    fn connect(&self) -> Result<Connection, ConnectorError> {
        if !self.path.is_file() {
            return Err(ConnectorError::FileMissing { path: shown(&self.path) });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)
            .map_err(|e| ConnectorError::Unreadable { path: shown(&self.path), reason: detail(&e) })?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(|e| ConnectorError::Unreadable { path: shown(&self.path), reason: detail(&e) })?;
        Ok(conn)
    }

    fn begin(conn: &Connection, path: &Path) -> Result<(), ConnectorError> {
        conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| ConnectorError::Unreadable {
            path: shown(path),
            reason: format!("cannot start a write transaction ({}) — close the program that holds the file and try again", detail(&e)),
        })
    }

    /// Runs one statement for every binding of the subject's values; the rows changed.
    fn run(conn: &Connection, query: &Query, keys: &SearchKeys) -> Result<u64, ConnectorError> {
        let invalid = |d: String| ConnectorError::QueryInvalid { query: query.name.clone(), detail: d };
        let mut stmt = conn.prepare(&query.sql).map_err(|e| invalid(detail(&e)))?;
        if stmt.readonly() || stmt.column_count() > 0 {
            return Err(invalid("an erase or restrict statement must be a DELETE or UPDATE without RETURNING".into()));
        }
        let params = named_parameters(&stmt).map_err(|p| invalid(p.into()))?;
        if params.is_empty() {
            return Err(invalid("has no :parameter, so it would act on every row".into()));
        }
        let mut rows = 0u64;
        for values in bindings(&params, keys) {
            stmt.clear_bindings();
            for (i, v) in values.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, *v).map_err(|e| invalid(detail(&e)))?;
            }
            rows += stmt.raw_execute().map_err(|e| invalid(detail(&e)))? as u64;
        }
        Ok(rows)
    }

    /// Every row the search queries return, as text, sorted.
    fn snapshot(conn: &Connection, queries: &[Query], keys: &SearchKeys) -> Result<Vec<String>, ConnectorError> {
        let mut out = Vec::new();
        for q in queries {
            let invalid = |d: String| ConnectorError::QueryInvalid { query: q.name.clone(), detail: d };
            let mut stmt = conn.prepare(&q.sql).map_err(|e| invalid(detail(&e)))?;
            let params = named_parameters(&stmt).map_err(|p| invalid(p.into()))?;
            let columns = stmt.column_count();
            for values in bindings(&params, keys) {
                stmt.clear_bindings();
                for (i, v) in values.iter().enumerate() {
                    stmt.raw_bind_parameter(i + 1, *v).map_err(|e| invalid(detail(&e)))?;
                }
                let mut rows = stmt.raw_query();
                while let Some(row) = rows.next().map_err(|e| invalid(detail(&e)))? {
                    let cells: Vec<String> = (0..columns).map(|i| format!("{:?}", row.get_ref(i).ok())).collect();
                    out.push(format!("{}\u{1f}{}", q.name, cells.join("\u{1f}")));
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

impl SqlActor for SqliteActor {
    fn dry_run(&self, steps: &[Step<'_>], keys: &SearchKeys) -> Result<Vec<u64>, ConnectorError> {
        let conn = self.connect()?;
        Self::begin(&conn, &self.path)?;
        let result: Result<Vec<u64>, ConnectorError> = steps.iter().map(|s| Self::run(&conn, s.query, keys)).collect();
        let _ = conn.execute_batch("ROLLBACK");
        result
    }

    fn execute(&self, steps: &[Step<'_>], keys: &SearchKeys, planned: &[u64], resumed: bool) -> Result<Vec<u64>, ActFailure> {
        let conn = self.connect()?;
        Self::begin(&conn, &self.path)?;
        let mut rows = Vec::with_capacity(steps.len());
        let outcome = (|| {
            for (step, want) in steps.iter().zip(planned) {
                let n = Self::run(&conn, step.query, keys)?;
                check_rows(step, *want, n, resumed)?;
                rows.push(n);
            }
            Ok::<_, ActFailure>(())
        })();
        match outcome {
            Ok(()) => {
                conn.execute_batch("COMMIT").map_err(|e| ConnectorError::Unreadable { path: shown(&self.path), reason: detail(&e) })?;
                Ok(rows)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn restricted(&self, steps: &[Step<'_>], queries: &[Query], keys: &SearchKeys) -> Result<bool, ConnectorError> {
        let conn = self.connect()?;
        Self::begin(&conn, &self.path)?;
        let result = (|| {
            let before = Self::snapshot(&conn, queries, keys)?;
            for s in steps {
                Self::run(&conn, s.query, keys)?;
            }
            Ok(before == Self::snapshot(&conn, queries, keys)?)
        })();
        let _ = conn.execute_batch("ROLLBACK");
        result
    }
}
