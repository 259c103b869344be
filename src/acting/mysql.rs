//! Acting on a `mysql` system (MySQL, MariaDB): the register's `erase` / `restrict`
//! statements with the subject's values bound as `?`, over a connection opened by the search
//! connector's rules (URL, `{secret:NAME}` password, TLS off this machine, socket timeouts)
//! but without its read-only session. UPDATE counts matched rows, as the other kinds do.

use super::statements::{
    dry_run_with, execute_with, restricted_with, server_reads, server_steps, ActFailure, ServerWriter, SqlActor, Step,
};
use crate::connectors::mysql::{open_writable, MyWritable, MyWriter};
use crate::connectors::sql_server::{Placeholders, ServerQuery};
use crate::connectors::{ConnectorError, OpenContext, SearchKeys};
use crate::register::Query;

/// A `mysql` system, ready to connect.
pub(crate) struct MysqlActor {
    /// A setting that cannot be used (URL, TLS rule, missing secret) is reported by the
    /// first call, where the plan or the execution records it for this system.
    writable: Result<MyWritable, ConnectorError>,
}

impl MysqlActor {
    pub fn open(cx: &OpenContext<'_>) -> MysqlActor {
        MysqlActor { writable: open_writable(cx) }
    }

    fn connect(&self) -> Result<MyWriter, ConnectorError> {
        self.writable.as_ref().map_err(Clone::clone)?.connect()
    }
}

impl ServerWriter for MyWriter {
    type Statement = mysql::Statement;

    fn begin(&mut self) -> Result<(), ConnectorError> {
        MyWriter::begin(self)
    }

    fn rollback(&mut self) -> Result<(), ConnectorError> {
        MyWriter::rollback(self)
    }

    fn commit(&mut self) -> Result<(), ConnectorError> {
        MyWriter::commit(self)
    }

    fn prepare_writing(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError> {
        MyWriter::prepare_writing(self, query)
    }

    fn prepare_reading(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError> {
        MyWriter::prepare_reading(self, query)
    }

    fn execute(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<u64, ConnectorError> {
        MyWriter::execute(self, query, statement, run)
    }

    fn rows(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<Vec<String>, ConnectorError> {
        MyWriter::rows(self, query, statement, run)
    }
}

impl SqlActor for MysqlActor {
    fn dry_run(&self, steps: &[Step<'_>], keys: &SearchKeys) -> Result<Vec<u64>, ConnectorError> {
        let steps = server_steps(steps, keys, Placeholders::Question)?;
        dry_run_with(&mut self.connect()?, &steps)
    }

    fn execute(&self, steps: &[Step<'_>], keys: &SearchKeys, planned: &[u64], resumed: bool) -> Result<Vec<u64>, ActFailure> {
        let steps = server_steps(steps, keys, Placeholders::Question)?;
        execute_with(&mut self.connect()?, &steps, planned, resumed)
    }

    fn restricted(&self, steps: &[Step<'_>], queries: &[Query], keys: &SearchKeys) -> Result<bool, ConnectorError> {
        let steps = server_steps(steps, keys, Placeholders::Question)?;
        let reads = server_reads(queries, keys, Placeholders::Question);
        restricted_with(&mut self.connect()?, &steps, &reads)
    }
}
