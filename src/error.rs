//! The core's error type: every variant tells the user what to do, and says whether it was
//! their input (exit 1) or the program (exit 2).

use crate::domain::{IdentifierError, TransitionError, UnknownCode};
use crate::store::StoreError;

/// Bad input for one field, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem} — {fix}")]
pub struct InputError {
    /// The field as the user knows it (`received`, `--email`, `name`).
    pub field: String,
    /// What is wrong (never repeats personal data).
    pub problem: String,
    /// What to do.
    pub fix: String,
}

impl InputError {
    /// Builds an input error.
    pub fn new(field: impl Into<String>, problem: impl Into<String>, fix: impl Into<String>) -> InputError {
        InputError { field: field.into(), problem: problem.into(), fix: fix.into() }
    }
}

/// Everything a core operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input for a field.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A code outside its list.
    #[error(transparent)]
    Code(#[from] UnknownCode),
    /// An identifier that cannot be normalised.
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
    /// A status change the workflow forbids.
    #[error("{0}")]
    Transition(#[from] TransitionError),
    /// The register file or stored register is invalid.
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
    /// The deadline cannot be computed from the given dates.
    #[error(transparent)]
    Deadline(#[from] crate::deadline::DeadlineError),
    /// No case with this reference.
    #[error("no case {0}: check the reference with `dsar case list`")]
    CaseNotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A letter could not be made.
    #[error(transparent)]
    Letter(#[from] crate::letters::LetterError),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Store(StoreError::from(e))
    }
}

impl Error {
    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Store(e) => e.is_user_error(),
            Error::Letter(e) => e.is_user_error(),
            _ => true,
        }
    }
}

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
