//! The one error shape the UI sees: `{code, message, reason?, params?}` with `code` and `reason`
//! from closed lists, so the UI decides by code, words the failure from `reason` + `params` in
//! its own language, and shows the core's English `message` only when no reason is known.

use dsar::bundle::BundleError;
use dsar::mail::MailError;
use dsar::store::StoreError;
use serde::Serialize;

use crate::reason::{params, Params, Reason};
use crate::reason_text::input_reason;
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

/// A failed command: a code to branch on, a message for the user (no personal data), and the
/// exact problem as a reason code with its parameters for the window to word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What happened and what to do, in English (the core's words; input errors start with
    /// the field name, so the UI can place them).
    pub message: String,
    /// The exact problem (e.g. `case.not-found`), which the UI words in the user's language;
    /// absent only where no code is known yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<Reason>,
    /// The reason's parameters (`Reason::params`): field names, ids, codes, dates, counts.
    #[serde(skip_serializing_if = "Params::is_empty")]
    #[ts(as = "Option<Params>", optional)]
    pub params: Params,
    /// A refused register's problems, each with its place and a code the window words
    /// (`register.invalid` only; the message has them in English, one a line).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<crate::dto_casework::RegisterProblemDto>>", optional)]
    pub problems: Vec<crate::dto_casework::RegisterProblemDto>,
}

impl ApiError {
    /// An error with `code` and `message` and no reason yet.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into(), reason: None, params: Params::new(), problems: Vec::new() }
    }

    /// Bad input in `field`: the message starts with the field name, so the UI can place it;
    /// the reason is read from the core's problem text (`reason_text::input_reason`) until a
    /// caller names it with [`ApiError::with`].
    pub fn input(field: &str, problem: impl std::fmt::Display) -> ApiError {
        let problem = problem.to_string();
        // Core messages often already begin with the field ("email is not …"): keep one name.
        let rest = problem.strip_prefix(field).map(|r| r.trim_start_matches([':', ' '])).unwrap_or(&problem);
        // Only the problem is read, not the fix after " — " (a fix may name other problems).
        let (reason, params) = input_reason(field, rest.split(" — ").next().unwrap_or(rest));
        ApiError::new(ErrorCode::InvalidInput, format!("{field}: {rest}")).with(reason, params)
    }

    /// Nothing is unlocked.
    pub fn locked() -> ApiError {
        ApiError::new(ErrorCode::Locked, "the desk is locked: unlock it with your passphrase first").with(Reason::DeskLocked, Params::new())
    }

    /// A lock was poisoned or a worker thread died: the program's fault.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Internal, message).with(Reason::Internal, Params::new())
    }

    /// The same error with its reason and the reason's parameters (all of them, by name).
    pub fn with(mut self, reason: Reason, params: Params) -> ApiError {
        debug_assert!(
            params.keys().map(String::as_str).eq(sorted(reason.params())),
            "{} takes {:?}, got {:?}",
            reason.code(),
            reason.params(),
            params.keys().collect::<Vec<_>>()
        );
        self.reason = Some(reason);
        self.params = params;
        self
    }

    /// The same error with a reason that has no parameters.
    pub fn because(self, reason: Reason) -> ApiError {
        self.with(reason, Params::new())
    }

    /// The same error with a reason whose one parameter is `field`.
    pub fn at(self, reason: Reason, field: &str) -> ApiError {
        self.with(reason, params([("field", field.to_string())]))
    }

    /// The same error under another code.
    pub fn with_code(mut self, code: ErrorCode) -> ApiError {
        self.code = code;
        self
    }
}

fn sorted(names: &[&'static str]) -> Vec<&'static str> {
    let mut v = names.to_vec();
    v.sort_unstable();
    v
}

fn by_blame(user: bool) -> ErrorCode {
    if user {
        ErrorCode::InvalidInput
    } else {
        ErrorCode::Internal
    }
}

/// The reason of a store failure.
pub fn store_reason(e: &StoreError) -> (Reason, Params) {
    use Reason as R;
    let r = match e {
        StoreError::WrongPassphrase { .. } => R::StoreWrongPassphrase,
        StoreError::Missing { .. } => R::StoreMissing,
        StoreError::Exists { .. } => R::StoreExists,
        StoreError::WeakPassphrase { min } => return (R::StoreWeakPassphrase, params([("min", min.to_string())])),
        StoreError::Migration(_) => R::StoreMigration,
        StoreError::TooNew { found, known } => return (R::StoreTooNew, params([("found", found.to_string()), ("known", known.to_string())])),
        StoreError::Io { .. } => R::StoreIo,
        StoreError::Corrupt { .. } => R::StoreCorrupt,
        StoreError::Busy => R::StoreBusy,
        StoreError::DiskFull => R::StoreDiskFull,
        _ => R::Internal,
    };
    (r, Params::new())
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
        let (reason, params) = store_reason(&e);
        let message = e.to_string();
        let api = match code {
            // The passphrase field is the only input of unlock and create.
            ErrorCode::InvalidInput | ErrorCode::WrongPassphrase => ApiError::input("passphrase", message).with_code(code),
            _ => ApiError::new(code, message),
        };
        api.with(reason, params)
    }
}

/// The reason of a core error (input errors by their field and problem).
pub fn core_reason(e: &dsar::Error) -> (Reason, Params) {
    use dsar::Error as E;
    use Reason as R;
    let none = |r: Reason| (r, Params::new());
    match e {
        E::Input(i) => input_reason(&i.field, &i.problem),
        E::Code(c) => (R::InputCodeUnknown, params([("field", c.field.to_string()), ("given", c.given.chars().take(40).collect()), ("allowed", c.allowed.clone())])),
        E::Identifier(i) => identifier_reason(i),
        E::Transition(t) => (R::StatusTransition, params([("from", t.from.code().to_string()), ("to", t.to.code().to_string())])),
        E::Register(r) => (R::RegisterInvalid, params([("count", r.problems.len().to_string())])),
        E::Deadline(d) => deadline_reason(d),
        E::CaseNotFound(_) => none(R::CaseNotFound),
        E::Store(s) => store_reason(s),
        E::Letter(l) => letter_reason(l),
    }
}

/// The reason of an identifier that does not parse.
pub fn identifier_reason(e: &dsar::domain::IdentifierError) -> (Reason, Params) {
    use dsar::domain::IdentifierError as I;
    use Reason as R;
    let r = match e {
        I::Empty(field) => return (R::IdentifierEmpty, params([("field", field.to_string())])),
        I::Email => return (R::IdentifierEmail, params([("field", "email".to_string())])),
        I::Phone => R::IdentifierPhone,
        I::Ip => R::IdentifierIp,
        I::BadKey => R::IdentifierBadKey,
        I::ReservedKey => R::IdentifierReservedKey,
        I::NotKeyValue => R::IdentifierNotKeyValue,
    };
    (r, Params::new())
}

fn deadline_reason(e: &dsar::deadline::DeadlineError) -> (Reason, Params) {
    use dsar::deadline::DeadlineError as D;
    use Reason as R;
    match e {
        D::RegionNotCovered { jurisdiction, region, allowed } => {
            (R::DeadlineRegionNotCovered, params([("region", region.code().to_string()), ("jurisdiction", jurisdiction.code().to_string()), ("allowed", allowed.clone())]))
        }
        D::PauseBeforeRequest { number, asked, received, .. } => {
            (R::DeadlinePauseBeforeRequest, params([("number", number.to_string()), ("asked", asked.to_string()), ("received", received.to_string())]))
        }
        D::PauseAnsweredBeforeAsked { number, asked, answered, .. } => {
            (R::DeadlinePauseAnsweredBeforeAsked, params([("number", number.to_string()), ("asked", asked.to_string()), ("answered", answered.to_string())]))
        }
        D::OverlappingPauses { first, second } => (R::DeadlinePausesOverlap, params([("first", first.to_string()), ("second", second.to_string())])),
        D::DateOutOfRange { from, .. } => (R::DeadlineDateOutOfRange, params([("from", from.to_string())])),
    }
}

fn letter_reason(e: &dsar::letters::LetterError) -> (Reason, Params) {
    use dsar::letters::LetterError as L;
    use Reason as R;
    match e {
        L::MissingReasons { kind } => (R::LetterMissingReasons, params([("kind", kind.code().to_string())])),
        L::MissingFee => (R::LetterMissingFee, Params::new()),
        L::MissingGround => (R::LetterMissingGround, Params::new()),
        L::GroundNotApplicable { ground, jurisdiction, country } => (
            R::LetterGroundNotApplicable,
            params([("ground", ground.code().to_string()), ("jurisdiction", jurisdiction.code().to_string()), ("country", country.clone())]),
        ),
        L::Unsupported { jurisdiction } => (R::LetterUnsupported, params([("jurisdiction", jurisdiction.code().to_string())])),
        L::Template { name, .. } => (R::LetterTemplate, params([("name", name.clone())])),
        L::Pdf(_) => (R::LetterPdf, Params::new()),
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
        let (reason, params) = core_reason(&e);
        let problems = match &e {
            E::Register(r) => r.problems.iter().map(crate::dto_casework::RegisterProblemDto::from).collect(),
            _ => Vec::new(),
        };
        ApiError { problems, ..ApiError::new(code, e.to_string()).with(reason, params) }
    }
}

impl From<BundleError> for ApiError {
    fn from(e: BundleError) -> ApiError {
        use Reason as R;
        match e {
            BundleError::Core(core) => core.into(),
            BundleError::NoRegister => ApiError::new(ErrorCode::Conflict, e.to_string()).because(R::RegisterNone),
            BundleError::Cancelled => ApiError::new(ErrorCode::Cancelled, e.to_string()).because(R::Cancelled),
            BundleError::WeakPassword { min } => ApiError::input("password", e.to_string()).with(R::BundleWeakPassword, params([("min", min.to_string())])),
            BundleError::Target(dsar::output::OutputError::IsDesk { .. }) => ApiError::input("out_path", e.to_string()).at(R::OutputIsDesk, "out_path"),
            BundleError::Output { .. } | BundleError::Target(_) => ApiError::input("out_path", e.to_string()).at(R::OutputWriteFailed, "out_path"),
            BundleError::Write(_) => ApiError::new(ErrorCode::InvalidInput, e.to_string()).because(R::BundleWriteFailed),
            BundleError::Open { .. } | BundleError::NotABundle(_) => ApiError::new(ErrorCode::InvalidInput, e.to_string()).because(R::BundleUnreadable),
            BundleError::Password => ApiError::new(ErrorCode::InvalidInput, e.to_string()).because(R::BundlePassword),
            BundleError::Mismatch { .. } => ApiError::new(ErrorCode::InvalidInput, e.to_string()).because(R::BundleMismatch),
            other => ApiError::new(by_blame(other.is_user_error()), other.to_string()).because(R::Internal),
        }
    }
}

/// The reason of a mail failure.
pub fn mail_reason(e: &MailError) -> (Reason, Params) {
    use MailError as M;
    use Reason as R;
    let host_port = |host: &String, port: &u16| [("host", host.clone()), ("port", port.to_string())];
    let r = match e {
        M::Target(dsar::output::OutputError::IsDesk { .. }) => return (R::OutputIsDesk, params([("field", "eml_path".to_string())])),
        M::Target(_) | M::Io { .. } => return (R::OutputWriteFailed, params([("field", "eml_path".to_string())])),
        M::Address { field } => return (R::MailAddress, params([("field", field.to_string())])),
        M::NoRecipient => R::MailNoRecipient,
        M::PersonalSubjectLine => R::MailPersonalSubject,
        M::Compose(_) | M::MediaType(_) => R::MailCompose,
        M::NotConfigured => R::MailNotConfigured,
        M::MissingSecret(_) => R::MailPasswordMissing,
        M::Settings(i) => return input_reason(&i.field, &i.problem),
        M::CaFile { .. } => R::MailCaFile,
        M::AuthRefused { code } => return (R::MailAuthRefused, params([("code", code.clone())])),
        M::AuthRequired { code } => return (R::MailAuthRequired, params([("code", code.clone())])),
        M::NoAuthMethod => R::MailNoAuthMethod,
        M::Unreachable { host, port } => return (R::MailUnreachable, params(host_port(host, port))),
        M::Timeout { host, port, secs } => {
            let [h, p] = host_port(host, port);
            return (R::MailTimeout, params([h, p, ("seconds", secs.to_string())]));
        }
        M::Tls { host, port, security } => {
            let [h, p] = host_port(host, port);
            return (R::MailTls, params([h, p, ("security", security.to_string())]));
        }
        M::Rejected { code } => return (R::MailRejected, params([("code", code.clone())])),
        M::Temporary { code } => return (R::MailTemporary, params([("code", code.clone())])),
        M::Protocol { host, port } => return (R::MailProtocol, params(host_port(host, port))),
        M::Core(c) => return core_reason(c),
    };
    (r, Params::new())
}

impl From<MailError> for ApiError {
    fn from(e: MailError) -> ApiError {
        let (reason, params) = mail_reason(&e);
        match e {
            MailError::Core(c) => c.into(),
            e => ApiError::new(by_blame(e.is_user_error()), e.to_string()).with(reason, params),
        }
    }
}

/// The reason of a connector failure (a pull's or a connection test's).
pub fn connector_reason(e: &dsar::connectors::ConnectorError) -> (Reason, Params) {
    use dsar::connectors::ConnectorError as C;
    use Reason as R;
    let at = |endpoint: &String| ("endpoint", endpoint.clone());
    match e {
        C::FileMissing { .. } => (R::ConnectorFileMissing, Params::new()),
        C::Unreadable { .. } => (R::ConnectorUnreadable, Params::new()),
        C::AuthRefused { endpoint } => (R::ConnectorAuthRefused, params([at(endpoint)])),
        C::Unreachable { endpoint, .. } => (R::ConnectorUnreachable, params([at(endpoint)])),
        C::QueryInvalid { query, .. } => (R::ConnectorQueryInvalid, params([("query", query.clone())])),
        C::Insecure { endpoint, .. } => (R::ConnectorInsecure, params([at(endpoint)])),
        C::Timeout { endpoint, seconds } => (R::ConnectorTimeout, params([at(endpoint), ("seconds", seconds.to_string())])),
        C::HttpStatus { endpoint, status } => (R::ConnectorHttpStatus, params([at(endpoint), ("status", status.to_string())])),
        C::BadData { .. } => (R::ConnectorBadData, Params::new()),
        C::SecretMissing { name } => (R::SecretMissing, params([("name", name.clone())])),
        C::SecretNotAllowed { name, system, .. } => (R::SecretNotAllowed, params([("name", name.clone()), ("system", system.clone())])),
        C::Unsupported { kind } => (R::ConnectorUnsupported, params([("kind", kind.clone())])),
        C::Cancelled => (R::Cancelled, Params::new()),
    }
}

impl From<dsar::connectors::ConnectorError> for ApiError {
    fn from(e: dsar::connectors::ConnectorError) -> ApiError {
        let (reason, params) = connector_reason(&e);
        ApiError::new(ErrorCode::Connector, e.to_string()).with(reason, params)
    }
}

/// The reason of a backup or restore failure: the core's own code (`BackupError::reason`),
/// which the closed list spells the same (a test checks every variant).
pub fn backup_reason(e: &dsar::backup::BackupError) -> Reason {
    Reason::ALL.iter().copied().find(|r| r.code() == e.reason()).unwrap_or(Reason::Internal)
}

impl From<dsar::backup::BackupError> for ApiError {
    fn from(e: dsar::backup::BackupError) -> ApiError {
        use dsar::backup::BackupError as B;
        let reason = backup_reason(&e);
        let api = match e {
            B::Store(s) => return s.into(),
            B::WrongPassphrase => ApiError::input("passphrase", e.to_string()).with_code(ErrorCode::WrongPassphrase),
            B::Output { .. } | B::SameFile | B::Missing { .. } | B::Damaged { .. } | B::AuditBroken { .. } | B::TooNew => ApiError::input("path", e.to_string()),
            B::InUse => ApiError::new(ErrorCode::Conflict, e.to_string()),
            other => ApiError::internal(other.to_string()),
        };
        api.because(reason)
    }
}

/// A file the user chose to write could not be written: bad input for `field`.
pub fn output_error(field: &str, e: dsar::output::OutputError) -> ApiError {
    let reason = match e {
        dsar::output::OutputError::IsDesk { .. } => Reason::OutputIsDesk,
        dsar::output::OutputError::Io { .. } => Reason::OutputWriteFailed,
    };
    ApiError::input(field, e).at(reason, field)
}

/// A core input error as `code` (not found, conflict) with its reason, the message without the
/// field name (for failures that are not about a form field).
pub fn input_as(code: ErrorCode, i: &dsar::InputError) -> ApiError {
    let (reason, params) = input_reason(&i.field, &i.problem);
    ApiError::new(code, format!("{} — {}", i.problem, i.fix)).with(reason, params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dsar::backup::BackupError;
    use dsar::connectors::ConnectorError;
    use std::io;

    fn keys_match(reason: Reason, params: &Params) {
        let mut have: Vec<&str> = params.keys().map(String::as_str).collect();
        have.sort_unstable();
        assert_eq!(have, sorted(reason.params()), "{}", reason.code());
    }

    #[test]
    fn every_backup_reason_of_the_core_is_a_code_of_the_list() {
        let io_err = |k: io::ErrorKind| io::Error::new(k, "x");
        let all = [
            BackupError::Output { path: "b".into(), source: io_err(io::ErrorKind::NotFound) },
            BackupError::Output { path: "b".into(), source: io_err(io::ErrorKind::PermissionDenied) },
            BackupError::Output { path: "b".into(), source: io_err(io::ErrorKind::StorageFull) },
            BackupError::Output { path: "b".into(), source: io_err(io::ErrorKind::IsADirectory) },
            BackupError::Output { path: "b".into(), source: io_err(io::ErrorKind::Other) },
            BackupError::SameFile,
            BackupError::NotEncrypted,
            BackupError::Missing { path: "b".into() },
            BackupError::WrongPassphrase,
            BackupError::Damaged { problem: "p".into() },
            BackupError::AuditBroken { problems: 1 },
            BackupError::TooNew,
            BackupError::InUse,
            BackupError::Swap { what: "w".into(), source: io_err(io::ErrorKind::Other) },
        ];
        for e in &all {
            assert_eq!(backup_reason(e).code(), e.reason(), "{e}");
        }
    }

    #[test]
    fn typed_core_errors_map_to_reasons_with_exactly_their_parameters() {
        let connectors = [
            ConnectorError::FileMissing { path: "/x".into() },
            ConnectorError::Unreadable { path: "/x".into(), reason: "r".into() },
            ConnectorError::AuthRefused { endpoint: "db:5432".into() },
            ConnectorError::Unreachable { endpoint: "db:5432".into(), reason: "r".into() },
            ConnectorError::QueryInvalid { query: "q".into(), detail: "d".into() },
            ConnectorError::Insecure { endpoint: "db:5432".into(), detail: "d".into() },
            ConnectorError::Timeout { endpoint: "db:5432".into(), seconds: 30 },
            ConnectorError::HttpStatus { endpoint: "https://x".into(), status: 500 },
            ConnectorError::BadData { location: "l".into(), detail: "d".into() },
            ConnectorError::SecretMissing { name: "crm_token".into() },
            ConnectorError::SecretNotAllowed { name: "crm_token".into(), system: "crm".into(), detail: "d".into() },
            ConnectorError::Unsupported { kind: "k".into() },
            ConnectorError::Cancelled,
        ];
        for e in &connectors {
            let (r, p) = connector_reason(e);
            keys_match(r, &p);
        }
        let mails = [
            MailError::Address { field: "to" },
            MailError::NoRecipient,
            MailError::NotConfigured,
            MailError::MissingSecret("s".into()),
            MailError::AuthRefused { code: "535".into() },
            MailError::AuthRequired { code: "530".into() },
            MailError::NoAuthMethod,
            MailError::Unreachable { host: "h".into(), port: 587 },
            MailError::Timeout { host: "h".into(), port: 587, secs: 30 },
            MailError::Tls { host: "h".into(), port: 465, security: "tls" },
            MailError::Rejected { code: "550".into() },
            MailError::Temporary { code: "451".into() },
            MailError::Protocol { host: "h".into(), port: 25 },
        ];
        for e in &mails {
            let (r, p) = mail_reason(e);
            keys_match(r, &p);
        }
        let store = [
            StoreError::WeakPassphrase { min: 12 },
            StoreError::TooNew { found: 9, known: 8 },
            StoreError::Busy,
            StoreError::DiskFull,
        ];
        for e in &store {
            let (r, p) = store_reason(e);
            keys_match(r, &p);
        }
        let core = [
            dsar::Error::CaseNotFound("DSAR-2026-0001".into()),
            dsar::Error::Identifier(dsar::domain::IdentifierError::Email),
            dsar::Error::Identifier(dsar::domain::IdentifierError::Empty("phone")),
            dsar::Error::Letter(dsar::letters::LetterError::MissingGround),
            dsar::Error::Letter(dsar::letters::LetterError::MissingFee),
        ];
        for e in &core {
            let api: ApiError = dsar::Error::from(match e {
                dsar::Error::CaseNotFound(r) => dsar::Error::CaseNotFound(r.clone()),
                dsar::Error::Identifier(i) => dsar::Error::Identifier(i.clone()),
                _ => dsar::Error::Letter(dsar::letters::LetterError::MissingGround),
            })
            .into();
            let reason = api.reason.expect("a reason");
            keys_match(reason, &api.params);
        }
    }

    #[test]
    fn an_error_serializes_its_reason_and_parameters_and_omits_them_when_absent() {
        let e = ApiError::input("received", "not a date: use YYYY-MM-DD");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["reason"], "input.date.malformed");
        assert_eq!(json["params"]["field"], "received");
        let plain = serde_json::to_value(ApiError::new(ErrorCode::Internal, "m")).unwrap();
        assert_eq!(plain, serde_json::json!({"code": "internal", "message": "m"}));
    }
}
