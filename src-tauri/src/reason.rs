//! The closed list of reason codes: what exactly failed (or what an intake warning says), as a
//! stable dotted code with named parameters, so the window words it in the user's language
//! (`ui/src/lib/reasons.ts`, keys `err.<code>` in `ui/src/lib/i18n.ts`). Parameters carry only
//! values safe to show — field names, system ids, codes, dates, counts, host:port — never
//! personal data. `REASON_PARAMS` (generated into `ui/src/bindings/ReasonParams.ts`) lets the
//! UI's test check every label against the parameters its code supplies.

use serde::Serialize;
use ts_rs::TS;

macro_rules! reasons {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal [$($param:literal),*],)+) => {
        /// Why a command failed (or what an intake warning says), in a closed list of
        /// dotted codes; each code has a fixed set of parameters (`Reason::params`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
        pub enum Reason {
            $($(#[doc = $doc])* #[serde(rename = $code)] $variant,)+
        }

        impl Reason {
            /// Every code, in the order of the list.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant),+];

            /// The wire spelling, e.g. `case.not-found`.
            pub fn code(self) -> &'static str {
                match self { $(Reason::$variant => $code,)+ }
            }

            /// The names of the parameters this code always carries.
            pub fn params(self) -> &'static [&'static str] {
                match self { $(Reason::$variant => &[$($param),*],)+ }
            }
        }
    };
}

reasons! {
    /// A fault of the program or the machine.
    Internal = "internal" [],
    /// No desk is unlocked.
    DeskLocked = "desk.locked" [],
    /// Work (a pull, an export, an action) is still running.
    DeskWorkRunning = "desk.work-running" [],
    /// The user stopped the operation.
    Cancelled = "work.cancelled" [],

    /// Input refused for a reason without its own code (the English message has the detail).
    InputInvalid = "input.invalid" ["field"],
    /// A required field is empty.
    InputEmpty = "input.empty" ["field"],
    /// Text longer than allowed.
    InputTooLong = "input.too-long" ["field", "max"],
    /// Text with tabs, line breaks or escape sequences.
    InputControlCharacter = "input.control-character" ["field"],
    /// Not a choice of the list (sort order, status, security, …).
    InputChoiceUnknown = "input.choice.unknown" ["field"],
    /// A code outside its list.
    InputCodeUnknown = "input.code.unknown" ["field", "given", "allowed"],
    /// Not a date in YYYY-MM-DD.
    DateMalformed = "input.date.malformed" ["field"],
    /// A day in the future.
    DateFuture = "input.date.future" ["field"],
    /// A day before the request was received.
    DateBeforeReceived = "input.date.before-received" ["field"],
    /// A day before the GDPR applied (25 May 2018).
    DateBeforeGdpr = "input.date.before-gdpr" ["field"],
    /// A day before the pause began, or before the previous pause ended.
    DateBeforePause = "input.date.before-pause" ["field"],
    /// A chosen file cannot be read.
    FileUnreadable = "input.file.unreadable" ["field"],
    /// The path chosen is not a file.
    FileNotAFile = "input.file.not-a-file" ["field"],
    /// The file is larger than the desk keeps.
    FileTooLarge = "input.file.too-large" ["field", "max_mb"],
    /// The file is empty.
    FileEmpty = "input.file.empty" ["field"],
    /// No file chosen to write to.
    OutputPathMissing = "output.path-missing" ["field"],
    /// The chosen file cannot be written.
    OutputWriteFailed = "output.write-failed" ["field"],
    /// The chosen file is the desk's own database.
    OutputIsDesk = "output.is-desk" ["field"],
    /// A host name that is not one.
    HostInvalid = "input.host.invalid" ["field"],
    /// Port 0 or a plain-text port.
    PortInvalid = "input.port.invalid" ["field"],

    /// An identifier field is empty.
    IdentifierEmpty = "identifier.empty" ["field"],
    /// Not an e-mail address.
    IdentifierEmail = "identifier.email" ["field"],
    /// Not a telephone number.
    IdentifierPhone = "identifier.phone" [],
    /// Not an IP address.
    IdentifierIp = "identifier.ip" [],
    /// An identifier key with other characters than a-z, 0-9, `_`.
    IdentifierBadKey = "identifier.bad-key" [],
    /// `name` used as an identifier key.
    IdentifierReservedKey = "identifier.reserved-key" [],
    /// An identifier without `=`.
    IdentifierNotKeyValue = "identifier.not-key-value" [],

    /// No right chosen.
    RightNone = "right.none" [],
    /// A right the case's law does not have.
    RightNotInJurisdiction = "right.not-in-jurisdiction" ["right", "jurisdiction"],
    /// A region outside the law's territory.
    RegionNotInJurisdiction = "region.not-in-jurisdiction" ["region", "jurisdiction"],

    /// No case with this reference.
    CaseNotFound = "case.not-found" [],
    /// The clock is already stopped.
    CaseAlreadyPaused = "case.already-paused" [],
    /// The clock is not stopped.
    CaseNotPaused = "case.not-paused" [],
    /// The case is closed.
    CaseClosed = "case.closed" [],
    /// The period was extended already.
    CaseAlreadyExtended = "case.already-extended" [],
    /// The law has no extension.
    CaseNoExtension = "case.no-extension" [],
    /// The extension notice is too late.
    CaseExtensionTooLate = "case.extension-too-late" ["by"],
    /// A status change the workflow forbids.
    StatusTransition = "status.transition" ["from", "to"],
    /// A status that stops the clock is set by pausing.
    StatusStopsClock = "status.stops-clock" [],
    /// Closing needs an outcome.
    StatusNeedsOutcome = "status.needs-outcome" [],

    /// No requester recorded.
    RequesterNone = "requester.none" [],
    /// A requester without postal or e-mail address.
    RequesterNoAddress = "requester.no-address" [],
    /// Authority `other` without a note.
    RequesterOtherNeedsNote = "requester.other-needs-note" [],
    /// Linking a case to itself.
    LinkSameCase = "link.same-case" [],
    /// The cases are not linked.
    LinkNotLinked = "link.not-linked" [],
    /// The other case does not exist.
    LinkNoSuchCase = "link.no-such-case" [],

    /// A check by matching without what matched.
    IdentityMatchedMissing = "identity.matched-missing" [],
    /// The system named is not in the register.
    IdentitySystemUnknown = "identity.system-unknown" [],
    /// The case has no identifier of that kind.
    IdentityKindNotOnCase = "identity.kind-not-on-case" [],
    /// Confirmation by e-mail without an e-mail address on the case.
    IdentityNoEmail = "identity.no-email" [],
    /// A document check without document or note.
    IdentityDocumentMissing = "identity.document-missing" [],
    /// A representative's authority without a requester.
    IdentityNoRequester = "identity.no-requester" [],
    /// A document for another method.
    IdentityDocumentWrongMethod = "identity.document-wrong-method" [],
    /// A reason to keep a copy without the document.
    IdentityKeepNeedsDocument = "identity.keep-needs-document" [],

    /// No such task.
    TaskNotFound = "task.not-found" [],
    /// No such document on the case.
    DocumentNotFound = "document.not-found" [],
    /// The document was written outside the desk and is not kept in it.
    DocumentOutside = "document.outside" [],
    /// An export bundle is no longer at the path it was saved to.
    DocumentMissing = "document.missing" [],
    /// An export bundle at its path differs from what was saved (another SHA-256).
    DocumentChanged = "document.changed" [],
    /// No program of the system could be started to show the document.
    DocumentViewerFailed = "document.viewer-failed" [],
    /// No identifier found on the way has this value.
    FoundNotOnCase = "found.not-on-case" [],
    /// The identifier found on the way was dropped already.
    FoundDroppedAlready = "found.dropped-already" [],
    /// The task was cancelled.
    TaskCancelled = "task.cancelled" [],
    /// The task takes no answer.
    TaskNoAnswer = "task.no-answer" [],
    /// No such notice.
    NoticeNotFound = "notice.not-found" [],
    /// A notice closed unsent needs a reason.
    NoticeReasonNeeded = "notice.reason-needed" [],
    /// A notice marked sent without saying how.
    NoticeChannelEmpty = "notice.channel-empty" [],
    /// The plan is stale, missing or not the case's.
    PlanStale = "plan.stale" [],
    /// The register changed since the plan.
    PlanRegisterChanged = "plan.register-changed" [],
    /// The case asks for no right that changes data.
    PlanNoChangingRight = "plan.no-changing-right" [],
    /// A rectification without corrections.
    PlanNoCorrections = "plan.no-corrections" [],
    /// Lifting a restriction before telling the subject.
    PlanLiftNotTold = "plan.lift-not-told" [],
    /// Nothing restricted, nothing to lift.
    PlanNothingRestricted = "plan.nothing-restricted" [],
    /// Nothing carried out yet.
    PlanNothingDone = "plan.nothing-done" [],
    /// A system not in the plan.
    PlanSystemNotInPlan = "plan.system-not-in-plan" [],
    /// A correction without field or new value.
    CorrectionIncomplete = "correction.incomplete" [],
    /// The new value is the old one.
    CorrectionUnchanged = "correction.unchanged" [],

    /// No register imported yet.
    RegisterNone = "register.none" [],
    /// The register was changed meanwhile.
    RegisterChanged = "register.changed" [],
    /// The register has problems (listed in the message).
    RegisterInvalid = "register.invalid" ["count"],
    /// A system id exists already.
    RegisterSystemExists = "register.system-exists" [],
    /// No such system in the register.
    RegisterSystemUnknown = "register.system-unknown" [],
    /// Systems yield identifiers to each other in a circle.
    RegisterYieldCycle = "register.yield-cycle" [],
    /// The register file cannot be read.
    RegisterFileUnreadable = "register.file-unreadable" [],
    /// The file changed since the preview.
    RegisterFileChanged = "register.file-changed" [],

    /// A secret name that is not one.
    SecretNameInvalid = "secret.name-invalid" [],
    /// An empty secret.
    SecretEmpty = "secret.empty" [],
    /// A secret that is not stored.
    SecretMissing = "secret.missing" ["name"],
    /// A secret this system may not use (other systems, another address, the SMTP password).
    SecretNotAllowed = "secret.not-allowed" ["name", "system"],
    /// A connector's secret chosen as a mail password.
    SecretConnectorCredential = "secret.connector-credential" [],
    /// The SMTP password cannot be given to a system.
    SecretSmtpReserved = "secret.smtp-reserved" [],
    /// The system's register entry does not use this secret.
    SecretNotReferenced = "secret.not-referenced" [],

    /// A connector's file or folder is missing.
    ConnectorFileMissing = "connector.file-missing" [],
    /// A connector's file cannot be read.
    ConnectorUnreadable = "connector.unreadable" [],
    /// The system refused the credentials.
    ConnectorAuthRefused = "connector.auth-refused" ["endpoint"],
    /// The system cannot be reached.
    ConnectorUnreachable = "connector.unreachable" ["endpoint"],
    /// A configured query is invalid.
    ConnectorQueryInvalid = "connector.query-invalid" ["query"],
    /// Refused: no encryption.
    ConnectorInsecure = "connector.insecure" ["endpoint"],
    /// The system took too long.
    ConnectorTimeout = "connector.timeout" ["endpoint", "seconds"],
    /// HTTP error status.
    ConnectorHttpStatus = "connector.http-status" ["endpoint", "status"],
    /// Data not in the configured shape.
    ConnectorBadData = "connector.bad-data" [],
    /// The kind cannot search yet.
    ConnectorUnsupported = "connector.unsupported" ["kind"],

    /// The letter kind needs reasons.
    LetterMissingReasons = "letter.missing-reasons" ["kind"],
    /// A fee notice without the fee.
    LetterMissingFee = "letter.missing-fee" [],
    /// A refusal without its legal ground.
    LetterMissingGround = "letter.missing-ground" [],
    /// The ground does not apply under the case's law.
    LetterGroundNotApplicable = "letter.ground-not-applicable" ["ground", "jurisdiction", "country"],
    /// No letters for the case's law.
    LetterUnsupported = "letter.unsupported" ["jurisdiction"],
    /// A template failed.
    LetterTemplate = "letter.template" ["name"],
    /// The PDF could not be made.
    LetterPdf = "letter.pdf" [],
    /// The letter confirms what the desk has not recorded.
    LetterUnconfirmed = "letter.unconfirmed" ["count"],
    /// The letter is refused for gaps in the search.
    LetterGaps = "letter.gaps" ["count"],
    /// Accepting gaps without a reason.
    LetterGapsReasonEmpty = "letter.gaps-reason-empty" [],

    /// The bundle password is too short.
    BundleWeakPassword = "bundle.weak-password" ["min"],
    /// The bundle cannot be written.
    BundleWriteFailed = "bundle.write-failed" [],
    /// The bundle cannot be read, or it is not a bundle.
    BundleUnreadable = "bundle.unreadable" [],
    /// The bundle's password is missing or wrong.
    BundlePassword = "bundle.password" [],
    /// The bundle differs from its manifest.
    BundleMismatch = "bundle.mismatch" [],

    /// An address that does not parse.
    MailAddress = "mail.address" ["field"],
    /// The case has no e-mail address.
    MailNoRecipient = "mail.no-recipient" [],
    /// The subject line would name the subject.
    MailPersonalSubject = "mail.personal-subject" [],
    /// The message could not be composed.
    MailCompose = "mail.compose" [],
    /// No SMTP server configured.
    MailNotConfigured = "mail.not-configured" [],
    /// The SMTP password is not stored.
    MailPasswordMissing = "mail.password-missing" [],
    /// The CA file cannot be used.
    MailCaFile = "mail.ca-file" [],
    /// Login refused.
    MailAuthRefused = "mail.auth-refused" ["code"],
    /// Login required.
    MailAuthRequired = "mail.auth-required" ["code"],
    /// No login method offered.
    MailNoAuthMethod = "mail.no-auth-method" [],
    /// Nothing answers.
    MailUnreachable = "mail.unreachable" ["host", "port"],
    /// No answer in time.
    MailTimeout = "mail.timeout" ["host", "port", "seconds"],
    /// TLS failed.
    MailTls = "mail.tls" ["host", "port", "security"],
    /// The server refused the message for good.
    MailRejected = "mail.rejected" ["code"],
    /// The server refused the message for now.
    MailTemporary = "mail.temporary" ["code"],
    /// The server spoke something unexpected.
    MailProtocol = "mail.protocol" ["host", "port"],
    /// A login without a password, or a password without a login.
    MailLoginIncomplete = "mail.login-incomplete" [],
    /// Unencrypted mail only to a relay on this machine.
    MailSecurityNone = "mail.security-none" [],

    /// No intake mailbox set.
    ImapNotSet = "imap.not-set" [],
    /// Nothing answers, or no answer in time.
    ImapUnreachable = "imap.unreachable" [],
    /// The port does not speak TLS.
    ImapNoTls = "imap.no-tls" [],
    /// The certificate is not trusted, or the CA file unusable.
    ImapCertificate = "imap.certificate" [],
    /// Login refused.
    ImapAuthRefused = "imap.auth-refused" [],
    /// The folder cannot be opened.
    ImapNoFolder = "imap.no-folder" [],
    /// A message too large to read.
    ImapTooLarge = "imap.too-large" [],
    /// Not an IMAP server.
    ImapProtocol = "imap.protocol" [],
    /// The mailbox password is needed.
    ImapPasswordNeeded = "imap.password-needed" [],
    /// The stored password was set for another server.
    ImapPasswordElsewhere = "imap.password-elsewhere" [],

    /// The region is not one of the law's calendars.
    DeadlineRegionNotCovered = "deadline.region-not-covered" ["region", "jurisdiction", "allowed"],
    /// A pause before the request arrived.
    DeadlinePauseBeforeRequest = "deadline.pause-before-request" ["number", "asked", "received"],
    /// A pause answered before it was asked.
    DeadlinePauseAnsweredBeforeAsked = "deadline.pause-answered-before-asked" ["number", "asked", "answered"],
    /// Two pauses overlap.
    DeadlinePausesOverlap = "deadline.pauses-overlap" ["first", "second"],
    /// A date outside the supported range.
    DeadlineDateOutOfRange = "deadline.date-out-of-range" ["from"],

    /// The passphrase does not open the database.
    StoreWrongPassphrase = "store.wrong-passphrase" [],
    /// No database at the path.
    StoreMissing = "store.missing" [],
    /// A database exists already.
    StoreExists = "store.exists" [],
    /// The passphrase is too short.
    StoreWeakPassphrase = "store.weak-passphrase" ["min"],
    /// The schema could not be upgraded.
    StoreMigration = "store.migration" [],
    /// Made by a newer DSAR desk.
    StoreTooNew = "store.too-new" ["found", "known"],
    /// A file cannot be accessed.
    StoreIo = "store.io" [],
    /// A stored value was changed outside the app.
    StoreCorrupt = "store.corrupt" [],
    /// Another window or command is writing.
    StoreBusy = "store.busy" [],
    /// The disk is full.
    StoreDiskFull = "store.disk-full" [],
    /// The current passphrase is wrong (changing it).
    PassphraseCurrentWrong = "passphrase.current-wrong" [],
    /// The two new passphrases differ.
    PassphraseMismatch = "passphrase.mismatch" [],
    /// The new passphrase is the current one.
    PassphraseSame = "passphrase.same" [],

    /// Lead times outside the allowed range.
    SettingsLeadTimes = "settings.lead-times" ["max"],
    /// Idle lock minutes outside the range.
    SettingsIdleLock = "settings.idle-lock" ["min", "max"],
    /// A DPO e-mail without the DPO's name.
    SettingsDpoNameMissing = "settings.dpo-name-missing" [],

    /// The backup file's folder does not exist.
    BackupNoFolder = "backup.no-folder" [],
    /// The folder may not be written.
    BackupNotAllowed = "backup.not-allowed" [],
    /// The disk is full.
    BackupDiskFull = "backup.disk-full" [],
    /// The path is a folder.
    BackupIsFolder = "backup.is-folder" [],
    /// Another write failure.
    BackupWriteFailed = "backup.write-failed" [],
    /// The backup would replace the database.
    BackupSameFile = "backup.same-file" [],
    /// The copy came out unencrypted.
    BackupNotEncrypted = "backup.not-encrypted" [],
    /// No backup file at the path.
    RestoreMissing = "restore.missing" [],
    /// The passphrase does not open the backup.
    RestoreWrongPassphrase = "restore.wrong-passphrase" [],
    /// The backup is damaged.
    RestoreDamaged = "restore.damaged" [],
    /// The backup's audit trail does not verify.
    RestoreAuditBroken = "restore.audit-broken" [],
    /// Made by a newer DSAR desk.
    RestoreTooNew = "restore.too-new" [],
    /// The files could not be swapped.
    RestoreSwap = "restore.swap" [],
    /// Another program has the desk open.
    RestoreInUse = "restore.in-use" [],

    /// A file larger than 25 MB.
    IntakeTooLarge = "intake.too-large" [],
    /// Not an e-mail.
    IntakeNotAnEmail = "intake.not-an-email" [],
    /// A header section beyond the limits.
    IntakeHeaderBomb = "intake.header-bomb" [],
    /// The file could not be read.
    IntakeRead = "intake.read" [],
    /// The window sent no content.
    IntakeNoContent = "intake.no-content" [],
    /// The proposal was accepted or dismissed already.
    IntakeProposalGone = "intake.proposal-gone" [],
    /// The message was accepted already.
    IntakeAcceptedAlready = "intake.accepted-already" [],
    /// The message was dismissed.
    IntakeDismissed = "intake.dismissed" [],
    /// No right recognised.
    IntakeNoRight = "intake.no-right" [],
    /// The message changed since it was proposed.
    IntakeMessageChanged = "intake.message-changed" [],
    /// No usable sender address.
    IntakeNoSender = "intake.no-sender" [],

    /// Warning: forwarded as an attachment.
    WarnForwardedAttachment = "intake.warn.forwarded-attachment" [],
    /// Warning: the subject says forwarded.
    WarnForwardedSubject = "intake.warn.forwarded-subject" [],
    /// Warning: the sender is not a usable address.
    WarnFromUnusable = "intake.warn.from-unusable" [],
    /// Warning: no From address.
    WarnFromMissing = "intake.warn.from-missing" [],
    /// Warning: no display name.
    WarnNoName = "intake.warn.no-name" [],
    /// Warning: no valid Date, today is used.
    WarnNoDate = "intake.warn.no-date" ["today"],
    /// Warning: the Date is in the future, today is used.
    WarnFutureDate = "intake.warn.future-date" ["date", "today"],
    /// Warning: no register, the Date was read in an assumed zone.
    WarnNoRegister = "intake.warn.no-register" ["zone"],
    /// Warning: no right recognised.
    WarnNoRight = "intake.warn.no-right" [],
    /// Warning: language not recognised, one is assumed.
    WarnLanguage = "intake.warn.language" ["lang"],
    /// Warning without its own code (the English message has it).
    WarnOther = "intake.warn.other" ["field"],
}

/// Parameters of a reason: name → value safe to show.
pub type Params = std::collections::BTreeMap<String, String>;

/// `Params` from pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The TypeScript constant of every code with its parameters (`ReasonParams.ts`), so the
/// UI's test can check each label without a hand-kept list.
pub fn params_ts() -> String {
    let mut out = String::from(
        "// Generated from src-tauri/src/reason.rs by dto::export_bindings. Do not edit this file manually.\n\
         import type { Reason } from \"./Reason\";\n\n\
         /** Every reason code with the names of the parameters it carries. */\n\
         export const REASON_PARAMS: { readonly [R in Reason]: readonly string[] } = {\n",
    );
    for r in Reason::ALL {
        let names: Vec<String> = r.params().iter().map(|p| format!("\"{p}\"")).collect();
        out.push_str(&format!("  \"{}\": [{}],\n", r.code(), names.join(", ")));
    }
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_dotted_and_match_their_serde_names() {
        let mut seen = std::collections::HashSet::new();
        for r in Reason::ALL {
            assert!(seen.insert(r.code()), "{} twice", r.code());
            assert!(r.code().chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'), "{}", r.code());
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.code()));
        }
    }
}
