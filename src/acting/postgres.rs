//! Acting on a `postgres` system: the register's `erase` / `restrict` statements with the
//! subject's values bound as `$n`, over a connection opened by the search connector's rules
//! (URL, `{secret:NAME}` password, TLS off this machine, timeouts) but without its read-only
//! default. Each call is one session on a watched thread, as searches are.

use super::statements::{
    dry_run_with, execute_with, restricted_with, server_reads, server_steps, ActFailure, ServerWriter, SqlActor, Step,
};
use crate::connectors::postgres::{open_writable, PgWritable, PgWriter};
use crate::connectors::sql_server::{Placeholders, ServerQuery};
use crate::connectors::{ConnectorError, OpenContext, SearchKeys};
use crate::register::Query;

/// A `postgres` system, ready to connect.
pub(crate) struct PostgresActor {
    /// A setting that cannot be used (URL, TLS rule, missing secret) is reported by the
    /// first call, where the plan or the execution records it for this system.
    writable: Result<PgWritable, ConnectorError>,
}

impl PostgresActor {
    pub fn open(cx: &OpenContext<'_>) -> PostgresActor {
        PostgresActor { writable: open_writable(cx) }
    }

    fn writable(&self) -> Result<&PgWritable, ConnectorError> {
        self.writable.as_ref().map_err(Clone::clone)
    }
}

impl ServerWriter for PgWriter {
    type Statement = postgres::Statement;

    fn begin(&mut self) -> Result<(), ConnectorError> {
        PgWriter::begin(self)
    }

    fn rollback(&mut self) -> Result<(), ConnectorError> {
        PgWriter::rollback(self)
    }

    fn commit(&mut self) -> Result<(), ConnectorError> {
        PgWriter::commit(self)
    }

    fn prepare_writing(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError> {
        PgWriter::prepare_writing(self, query)
    }

    fn prepare_reading(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError> {
        PgWriter::prepare_reading(self, query)
    }

    fn execute(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<u64, ConnectorError> {
        PgWriter::execute(self, query, statement, run)
    }

    fn rows(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<Vec<String>, ConnectorError> {
        PgWriter::rows(self, query, statement, run)
    }
}

impl SqlActor for PostgresActor {
    fn dry_run(&self, steps: &[Step<'_>], keys: &SearchKeys) -> Result<Vec<u64>, ConnectorError> {
        let steps = server_steps(steps, keys, Placeholders::Numbered)?;
        self.writable()?.run(move |w| dry_run_with(w, &steps))
    }

    fn execute(&self, steps: &[Step<'_>], keys: &SearchKeys, planned: &[u64], resumed: bool) -> Result<Vec<u64>, ActFailure> {
        let steps = server_steps(steps, keys, Placeholders::Numbered)?;
        let planned = planned.to_vec();
        // The count check's failure travels back as a value: only a stalled session is an
        // error of the watchdog (and then cannot commit any more).
        self.writable()?.run(move |w| Ok(execute_with(w, &steps, &planned, resumed)))?
    }

    fn restricted(&self, steps: &[Step<'_>], queries: &[Query], keys: &SearchKeys) -> Result<bool, ConnectorError> {
        let steps = server_steps(steps, keys, Placeholders::Numbered)?;
        let reads = server_reads(queries, keys, Placeholders::Numbered);
        self.writable()?.run(move |w| restricted_with(w, &steps, &reads))
    }
}
