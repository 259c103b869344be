//! The one error shape the UI sees: `{code, message}` with `code` from a closed list, so the
//! UI decides by code and shows the message, never parsing it.

use dsar::bundle::BundleError;
use dsar::mail::MailError;
use dsar::store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What kind of failure, for the UI to decide what to show (kebab-case on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The user's input is wrong; the message starts with the field name.
    InvalidInput,
    /// No such case, system or database file.
    NotFound,
    /// The passphrase does not open the database.
    WrongPassphrase,
    /// No database is unlocked yet.
    Locked,
    /// The desk's state forbids it now (already exists, already running, wrong status).
    Conflict,
    /// A connector (a system of the register) failed.
    Connector,
    /// The user stopped the operation (an export); nothing was written.
    Cancelled,
    /// A fault of the program or the machine, not of the input.
    Internal,
}

/// A failed command: a code to branch on and a message for the user (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do.
    pub message: String,
    /// For failures the UI words itself in the user's language: a stable code of the exact
    /// problem (e.g. `backup.not-allowed`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), reason: None }
    }

    /// Bad input in `field`: the message starts with the field name, so the UI can place it.
    pub fn input(field: &str, problem: impl std::fmt::Display) -> ApiError {
        let problem = problem.to_string();
        // Core messages often already begin with the field ("email is not …"): keep one name.
        let rest = problem.strip_prefix(field).map(|r| r.trim_start_matches([':', ' '])).unwrap_or(&problem);
        ApiError::new(ErrorCode::InvalidInput, format!("{field}: {rest}"))
    }

    /// Nothing is unlocked.
    pub fn locked() -> ApiError {
        ApiError::new(ErrorCode::Locked, "the desk is locked: unlock it with your passphrase first")
    }

    /// A lock was poisoned or a worker thread died: the program's fault.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Internal, message)
    }
}

fn by_blame(user: bool) -> ErrorCode {
    if user {
        ErrorCode::InvalidInput
    } else {
        ErrorCode::Internal
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        let code = match &e {
            StoreError::WrongPassphrase { .. } => ErrorCode::WrongPassphrase,
            StoreError::Missing { .. } => ErrorCode::NotFound,
            StoreError::Exists { .. } | StoreError::TooNew { .. } | StoreError::Busy => ErrorCode::Conflict,
            StoreError::WeakPassphrase { .. } => ErrorCode::InvalidInput,
            _ => ErrorCode::Internal,
        };
        let message = e.to_string();
        match code {
            // The passphrase field is the only input of unlock and create.
            ErrorCode::InvalidInput | ErrorCode::WrongPassphrase => ApiError::input("passphrase", message).with_code(code),
            _ => ApiError::new(code, message),
        }
    }
}

impl ApiError {
    /// The same error with a stable `reason` code the UI words in the user's language.
    pub fn with_reason(mut self, reason: &str) -> ApiError {
        self.reason = Some(reason.to_string());
        self
    }

    /// The same error under another code.
    pub fn with_code(mut self, code: ErrorCode) -> ApiError {
        self.code = code;
        self
    }
}

impl From<dsar::Error> for ApiError {
    fn from(e: dsar::Error) -> ApiError {
        use dsar::Error as E;
        let code = match &e {
            E::Input(_) | E::Code(_) | E::Identifier(_) | E::Register(_) | E::Deadline(_) => ErrorCode::InvalidInput,
            E::CaseNotFound(_) => ErrorCode::NotFound,
            E::Transition(_) => ErrorCode::Conflict,
            E::Store(_) => return match e {
                E::Store(s) => s.into(),
                _ => ApiError::internal(e.to_string()),
            },
            E::Letter(l) => by_blame(l.is_user_error()),
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<BundleError> for ApiError {
    fn from(e: BundleError) -> ApiError {
        match e {
            BundleError::Core(core) => core.into(),
            BundleError::NoRegister => ApiError::new(ErrorCode::Conflict, e.to_string()),
            BundleError::Cancelled => ApiError::new(ErrorCode::Cancelled, e.to_string()),
            BundleError::WeakPassword { .. } => ApiError::input("password", e.to_string()),
            BundleError::Output { .. } | BundleError::Target(_) => ApiError::input("out_path", e.to_string()),
            other => ApiError::new(by_blame(other.is_user_error()), other.to_string()),
        }
    }
}

impl From<MailError> for ApiError {
    fn from(e: MailError) -> ApiError {
        ApiError::new(by_blame(e.is_user_error()), e.to_string())
    }
}

impl From<dsar::connectors::ConnectorError> for ApiError {
    fn from(e: dsar::connectors::ConnectorError) -> ApiError {
        ApiError::new(ErrorCode::Connector, e.to_string())
    }
}

impl From<dsar::backup::BackupError> for ApiError {
    fn from(e: dsar::backup::BackupError) -> ApiError {
        use dsar::backup::BackupError as B;
        let reason = e.reason();
        let api = match e {
            B::Store(s) => return s.into(),
            B::WrongPassphrase => ApiError::input("passphrase", e.to_string()).with_code(ErrorCode::WrongPassphrase),
            B::Output { .. } | B::SameFile | B::Missing { .. } | B::Damaged { .. } | B::AuditBroken { .. } | B::TooNew => ApiError::input("path", e.to_string()),
            other => ApiError::internal(other.to_string()),
        };
        api.with_reason(reason)
    }
}
