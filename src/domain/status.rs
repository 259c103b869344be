//! The case status machine: which status may follow which.

use std::fmt;
use std::str::FromStr;

use super::codes::UnknownCode;

/// Where a case stands; exactly one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Recorded, not yet worked on.
    New,
    /// Waiting for the subject to prove who they are (clock paused or restarted).
    AwaitingIdentity,
    /// Waiting for the subject to say what they want (clock stopped).
    AwaitingClarification,
    /// Being worked on.
    InProgress,
    /// Answer prepared, to be sent.
    ReadyToSend,
    /// Done; see the outcome.
    Closed,
}

impl Status {
    /// Every status in workflow order.
    pub const ALL: &'static [Status] = &[
        Status::New,
        Status::AwaitingIdentity,
        Status::AwaitingClarification,
        Status::InProgress,
        Status::ReadyToSend,
        Status::Closed,
    ];

    /// Stable spelling for CLI, database and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::AwaitingIdentity => "awaiting-identity",
            Status::AwaitingClarification => "awaiting-clarification",
            Status::InProgress => "in-progress",
            Status::ReadyToSend => "ready-to-send",
            Status::Closed => "closed",
        }
    }

    /// Whether the deadline clock is stopped in this status.
    pub fn is_paused(self) -> bool {
        matches!(self, Status::AwaitingIdentity | Status::AwaitingClarification)
    }

    /// Whether the case still needs work.
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// Whether `self → next` is an allowed step. Closing is allowed from any open status
    /// (a subject may withdraw, or a refusal may be sent, at any point); a closed case
    /// stays closed — reopening would rewrite what was already answered.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        match (self, next) {
            (Closed, _) => false,
            (_, Closed) => true,
            (New, AwaitingIdentity | AwaitingClarification | InProgress) => true,
            (AwaitingIdentity | AwaitingClarification, InProgress) => true,
            (InProgress, AwaitingIdentity | AwaitingClarification | ReadyToSend) => true,
            (ReadyToSend, InProgress) => true,
            _ => false,
        }
    }

    /// Checked transition.
    pub fn transition(self, next: Status) -> Result<Status, TransitionError> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(TransitionError { from: self, to: next })
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Status {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        Status::ALL.iter().copied().find(|st| st.code() == t).ok_or_else(|| UnknownCode {
            field: "status",
            given: s.chars().take(40).collect(),
            allowed: Status::ALL.iter().map(|s| s.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// A status change the workflow does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a case that is {from} cannot become {to}")]
pub struct TransitionError {
    /// Current status.
    pub from: Status,
    /// Requested status.
    pub to: Status,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_is_final_and_pauses_resume_to_work() {
        for s in Status::ALL {
            assert!(!Status::Closed.can_become(*s));
        }
        assert!(Status::AwaitingIdentity.can_become(Status::InProgress));
        assert!(!Status::AwaitingIdentity.can_become(Status::ReadyToSend));
        assert!(Status::New.can_become(Status::Closed));
        assert!(Status::AwaitingIdentity.is_paused());
        assert_eq!("ready-to-send".parse::<Status>().unwrap(), Status::ReadyToSend);
    }
}
