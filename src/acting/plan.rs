//! What a plan says: per system, the action and its counts. The plan's identity is the
//! SHA-256 of this content, so the DPO approves exactly what they saw.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::statements::StatementAction;

/// What happens in one system (SPEC §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The subject's records are deleted.
    Erase,
    /// The records are flagged so they are no longer processed.
    Restrict,
    /// A statutory retention duty applies: restricted now, erased when it ends.
    Retain,
    /// Nothing changes in the system; the subject goes on the desk's suppression list.
    Suppress,
    /// A restriction this case made is lifted (its own plan, after the subject was told).
    Lift,
    /// No statements: an instruction to whoever runs the system.
    Task,
    /// Nothing held, or nothing to do.
    None,
}

impl Action {
    /// Stable spelling (plan JSON, database).
    pub fn code(self) -> &'static str {
        match self {
            Action::Erase => "erase",
            Action::Restrict => "restrict",
            Action::Retain => "retain",
            Action::Suppress => "suppress",
            Action::Lift => "lift",
            Action::Task => "task",
            Action::None => "none",
        }
    }

    /// Whether the system's data changes (so Art. 19 notices follow).
    pub fn changes_data(self) -> bool {
        matches!(self, Action::Erase | Action::Restrict | Action::Retain)
    }
}

/// One statement with the rows it changes, as counted by the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStatement {
    /// The statement's name in the register (for files: the file's dataset name; for http:
    /// the method).
    pub name: String,
    /// Erase or restrict.
    pub action: StatementAction,
    /// Rows (records) it changes.
    pub rows: u64,
}

/// One system's part of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemPlan {
    /// Register system id.
    pub id: String,
    /// What happens.
    pub action: Action,
    /// Records the search found (the same search as a pull).
    pub records: u64,
    /// The statements, in the order they run.
    pub statements: Vec<PlannedStatement>,
    /// For `retain`: the day the retained data may be erased (the longest duty); for logs,
    /// the day the lines age out.
    pub retained_until: Option<NaiveDate>,
    /// For `retain`: the laws that require keeping the data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained_by: Vec<String>,
    /// Why a task, or what happens to lines that are not rewritten — one line, no personal data.
    pub note: Option<String>,
    /// The search or dry run failed: plan again once the system is reachable.
    pub error: Option<String>,
}

/// A case's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// SHA-256 of the rest (hex).
    pub id: String,
    /// The case.
    pub reference: String,
    /// The register version the plan was made from (a newer register makes it stale).
    pub register_version: i64,
    /// The rights the plan acts on.
    pub rights: Vec<String>,
    /// Whether the subject's identifiers go on the suppression list.
    pub suppress: bool,
    /// The day it was made (retention dates count from its year).
    pub planned_on: NaiveDate,
    /// Per system, in register order.
    pub systems: Vec<SystemPlan>,
}

impl Plan {
    /// The SHA-256 of the plan's content without its id.
    pub fn content_id(&self) -> String {
        let mut without = self.clone();
        without.id = String::new();
        // Serialising plain data with string keys cannot fail.
        let bytes = serde_json::to_vec(&without).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }

    /// Records that would change, over every system.
    pub fn rows(&self) -> u64 {
        self.systems.iter().flat_map(|s| s.statements.iter()).map(|s| s.rows).sum()
    }

    /// The system's part.
    pub fn system(&self, id: &str) -> Option<&SystemPlan> {
        self.systems.iter().find(|s| s.id == id)
    }
}
