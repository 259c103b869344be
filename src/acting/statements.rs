//! The statements a SQL system acts with, and the one contract every SQL kind keeps: a dry
//! run inside a transaction that is rolled back, and an execution in one transaction that is
//! committed only when every statement changed exactly the rows the plan counted.

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
}

impl StatementAction {
    /// Stable spelling (plan JSON).
    pub fn code(self) -> &'static str {
        match self {
            StatementAction::Erase => "erase",
            StatementAction::Restrict => "restrict",
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
