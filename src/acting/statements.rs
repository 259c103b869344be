//! The statements a SQL system acts with, and the one contract every SQL kind keeps: a dry
//! run inside a transaction that is rolled back, and an execution in one transaction that is
//! committed only when every statement changed exactly the rows the plan counted.

use crate::connectors::sql_server::{Placeholders, ServerQuery};
use crate::connectors::{ConnectorError, SearchKeys};
use crate::register::Query;

/// What a statement does to the subject's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatementAction {
    /// Deletes (or anonymises) the records.
    Erase,
    /// Flags the records so they are no longer processed.
    Restrict,
    /// Removes that flag again (Art. 18(3): after the subject was told).
    Lift,
}

impl StatementAction {
    /// Stable spelling (plan JSON).
    pub fn code(self) -> &'static str {
        match self {
            StatementAction::Erase => "erase",
            StatementAction::Restrict => "restrict",
            StatementAction::Lift => "lift",
        }
    }
}

/// One statement to run, in plan order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step<'a> {
    /// The register's statement.
    pub query: &'a Query,
    /// Erase or restrict.
    pub action: StatementAction,
}

/// Why an execution was rolled back.
#[derive(Debug)]
pub(crate) enum ActFailure {
    /// The system refused (connection, SQL error, permissions).
    Connector(ConnectorError),
    /// A statement changed another number of rows than planned.
    Changed {
        /// The statement.
        statement: String,
        /// Rows in the plan.
        planned: u64,
        /// Rows now.
        actual: u64,
    },
}

impl From<ConnectorError> for ActFailure {
    fn from(e: ConnectorError) -> Self {
        ActFailure::Connector(e)
    }
}

/// A SQL system that can act.
pub(crate) trait SqlActor {
    /// Runs the steps in order in one transaction that is rolled back; the rows each changed.
    fn dry_run(&self, steps: &[Step<'_>], keys: &SearchKeys) -> Result<Vec<u64>, ConnectorError>;

    /// Runs the steps in one transaction and commits it only when each changed `planned` rows
    /// — or, after a run that was killed (`resumed`), none because that run already committed.
    fn execute(&self, steps: &[Step<'_>], keys: &SearchKeys, planned: &[u64], resumed: bool) -> Result<Vec<u64>, ActFailure>;

    /// Whether running the restrict steps again would change nothing the search `queries`
    /// return (the records carry their flag); checked in a transaction that is rolled back.
    fn restricted(&self, steps: &[Step<'_>], queries: &[Query], keys: &SearchKeys) -> Result<bool, ConnectorError>;
}

/// Every combination of the subject's values for a statement's parameters, in binding order;
/// none when the subject lacks a value for one of them (then the statement matches nothing).
pub(crate) fn bindings<'k>(params: &[String], keys: &'k SearchKeys) -> Vec<Vec<&'k str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for p in params {
        let values = keys.get(p);
        out = out.iter().flat_map(|prefix| values.iter().map(move |v| {
            let mut next = prefix.clone();
            next.push(v.as_str());
            next
        })).collect();
    }
    out
}

/// Checks an execution's counts against the plan. After a killed run (`resumed`) a statement
/// may also change nothing: that run committed before it could record so, and what it erased
/// can no longer be found — a restriction found through erased data included.
pub(crate) fn check_rows(step: &Step<'_>, planned: u64, actual: u64, resumed: bool) -> Result<(), ActFailure> {
    let finished_earlier = resumed && actual == 0;
    if actual == planned || finished_earlier {
        Ok(())
    } else {
        Err(ActFailure::Changed { statement: step.query.name.clone(), planned, actual })
    }
}

/// A statement ready for a server (`postgres`, `mysql`): rewritten to the server's
/// placeholders, with every combination of the subject's values it runs with. Owned, so a
/// session on a watched thread can carry it.
pub(crate) struct ServerStep {
    /// The register's statement (its name for errors and the count check).
    pub query: Query,
    /// Erase or restrict.
    pub action: StatementAction,
    /// The statement with the server's placeholders.
    pub server: ServerQuery,
    /// One run per combination of values, in `server.names` order; none when the subject
    /// lacks a value (the statement then matches nothing).
    pub runs: Vec<Vec<String>>,
}

fn owned_runs(server: &ServerQuery, keys: &SearchKeys) -> Vec<Vec<String>> {
    bindings(&server.names, keys).into_iter().map(|run| run.into_iter().map(str::to_string).collect()).collect()
}

/// Rewrites the steps for a server. A statement must be a DELETE or UPDATE with a named
/// parameter: the register refuses anything else at import, and a register built in code is
/// held to the same rule here, before anything connects.
pub(crate) fn server_steps(steps: &[Step<'_>], keys: &SearchKeys, style: Placeholders) -> Result<Vec<ServerStep>, ConnectorError> {
    steps
        .iter()
        .map(|s| {
            let invalid = |detail: &str| ConnectorError::QueryInvalid { query: s.query.name.clone(), detail: detail.to_string() };
            if !["DELETE", "UPDATE"].contains(&crate::register::leading_keyword(&s.query.sql).as_str()) {
                return Err(invalid("an erase or restrict statement must be a DELETE or UPDATE without RETURNING"));
            }
            let server = ServerQuery::rewrite(s.query, style);
            if server.names.is_empty() {
                return Err(invalid("has no :parameter, so it would act on every row"));
            }
            let runs = owned_runs(&server, keys);
            Ok(ServerStep { query: s.query.clone(), action: s.action, server, runs })
        })
        .collect()
}

/// The search queries rewritten for a server, with their runs, for [`restricted_with`].
pub(crate) fn server_reads(queries: &[Query], keys: &SearchKeys, style: Placeholders) -> Vec<(ServerQuery, Vec<Vec<String>>)> {
    queries
        .iter()
        .map(|q| {
            let server = ServerQuery::rewrite(q, style);
            let runs = owned_runs(&server, keys);
            (server, runs)
        })
        .collect()
}

/// One read-write connection to a server, as the acting contract needs it.
pub(crate) trait ServerWriter {
    /// A prepared statement.
    type Statement;
    /// Starts the one transaction of a system.
    fn begin(&mut self) -> Result<(), ConnectorError>;
    /// Rolls it back.
    fn rollback(&mut self) -> Result<(), ConnectorError>;
    /// Commits it.
    fn commit(&mut self) -> Result<(), ConnectorError>;
    /// Prepares an erase or restrict statement (refused when it returns rows).
    fn prepare_writing(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError>;
    /// Prepares a search query.
    fn prepare_reading(&mut self, query: &ServerQuery) -> Result<Self::Statement, ConnectorError>;
    /// Runs a statement with one run's values; the rows it changed.
    fn execute(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<u64, ConnectorError>;
    /// Runs a search query with one run's values; its rows as text.
    fn rows(&mut self, query: &ServerQuery, statement: &Self::Statement, run: &[&str]) -> Result<Vec<String>, ConnectorError>;
}

fn as_strs(run: &[String]) -> Vec<&str> {
    run.iter().map(String::as_str).collect()
}

/// Runs one step for every combination of values; the rows changed.
fn run_step<W: ServerWriter>(w: &mut W, step: &ServerStep) -> Result<u64, ConnectorError> {
    let statement = w.prepare_writing(&step.server)?;
    let mut rows = 0;
    for run in &step.runs {
        rows += w.execute(&step.server, &statement, &as_strs(run))?;
    }
    Ok(rows)
}

/// [`SqlActor::dry_run`] on a server connection.
pub(crate) fn dry_run_with<W: ServerWriter>(w: &mut W, steps: &[ServerStep]) -> Result<Vec<u64>, ConnectorError> {
    w.begin()?;
    let result: Result<Vec<u64>, ConnectorError> = steps.iter().map(|s| run_step(w, s)).collect();
    // A failed statement leaves the transaction to roll back; its error is the one to show.
    let rolled_back = w.rollback();
    let rows = result?;
    rolled_back?;
    Ok(rows)
}

/// [`SqlActor::execute`] on a server connection: committed only when every step changed the
/// planned rows ([`check_rows`]), else rolled back.
pub(crate) fn execute_with<W: ServerWriter>(w: &mut W, steps: &[ServerStep], planned: &[u64], resumed: bool) -> Result<Vec<u64>, ActFailure> {
    w.begin()?;
    let mut rows = Vec::with_capacity(steps.len());
    let outcome = (|| {
        for (step, want) in steps.iter().zip(planned) {
            let n = run_step(w, step)?;
            check_rows(&Step { query: &step.query, action: step.action }, *want, n, resumed)?;
            rows.push(n);
        }
        Ok::<_, ActFailure>(())
    })();
    match outcome {
        Ok(()) => {
            w.commit()?;
            Ok(rows)
        }
        Err(e) => {
            let _ = w.rollback();
            Err(e)
        }
    }
}

/// Every row the search queries return, as text, sorted.
fn snapshot<W: ServerWriter>(w: &mut W, reads: &[(ServerQuery, Vec<Vec<String>>)]) -> Result<Vec<String>, ConnectorError> {
    let mut out = Vec::new();
    for (query, runs) in reads.iter().filter(|(_, runs)| !runs.is_empty()) {
        let statement = w.prepare_reading(query)?;
        for run in runs {
            out.extend(w.rows(query, &statement, &as_strs(run))?.into_iter().map(|row| format!("{}\u{1f}{row}", query.name)));
        }
    }
    out.sort();
    Ok(out)
}

/// [`SqlActor::restricted`] on a server connection: the search's rows before and after the
/// restrict steps, in a transaction that is rolled back.
pub(crate) fn restricted_with<W: ServerWriter>(w: &mut W, steps: &[ServerStep], reads: &[(ServerQuery, Vec<Vec<String>>)]) -> Result<bool, ConnectorError> {
    w.begin()?;
    let result = (|| {
        let before = snapshot(w, reads)?;
        for s in steps {
            run_step(w, s)?;
        }
        Ok(before == snapshot(w, reads)?)
    })();
    let rolled_back = w.rollback();
    let same = result?;
    rolled_back?;
    Ok(same)
}
