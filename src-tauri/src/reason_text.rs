//! The core's input errors and intake warnings carry a field and an English sentence, not a
//! code (`dsar::InputError`, `dsar::intake::Warning`); this is the one place that reads them
//! into reason codes, so the window never matches on English text. Each row names the core
//! sentence it reads; an unknown sentence becomes `input.invalid` (or `intake.warn.other`),
//! which the window words generically — never a wrong specific text.

use crate::reason::{params, Params, Reason};

/// The reason of bad input in `field` (`--on` and `on` alike) whose problem reads `problem`.
pub fn input_reason(field: &str, problem: &str) -> (Reason, Params) {
    use Reason as R;
    let f = field.trim_start_matches("--");
    let p = problem;
    let has = |s: &str| p.contains(s);
    let with_field = |r: Reason| (r, params([("field", f.to_string())]));
    let plain = |r: Reason| (r, Params::new());

    // Field-specific sentences first (the same words mean different things elsewhere).
    match f {
        "right" if has("no right given") => return plain(R::RightNone),
        "right" if has("does not exist under") => {
            let right = between(p, "'", "'").unwrap_or_default();
            let jurisdiction = p.rsplit(' ').next().unwrap_or_default();
            return (R::RightNotInJurisdiction, params([("right", right.to_string()), ("jurisdiction", jurisdiction.to_string())]));
        }
        "right" if has("no right that changes data") => return plain(R::PlanNoChangingRight),
        "rectification" => return plain(R::PlanNoCorrections),
        "region" if has(" is not in the territory of ") || has(" is not a region of ") => {
            let region = p.split(' ').next().unwrap_or_default();
            let jurisdiction = p.rsplit(' ').next().unwrap_or_default();
            return (R::RegionNotInJurisdiction, params([("region", region.to_string()), ("jurisdiction", jurisdiction.to_string())]));
        }
        "plan" if p == "cancelled" => return plain(R::Cancelled),
        "plan" if has("cannot be stored") => return plain(R::Internal),
        "thresholds" => return (R::SettingsLeadTimes, params([("max", dsar::reminders::MAX_DAYS_BEFORE.to_string())])),
        "idle_lock_minutes" => {
            let nums: Vec<&str> = p.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
            let (min, max) = match nums.as_slice() {
                [_, min, max, ..] => (min.to_string(), max.to_string()),
                _ => ("1".into(), "60".into()),
            };
            return (R::SettingsIdleLock, params([("min", min), ("max", max)]));
        }
        "message" if p.starts_with("larger than 25 MB") => return plain(R::IntakeTooLarge),
        "message" if p.starts_with("not an e-mail") => return plain(R::IntakeNotAnEmail),
        "message" if p.starts_with("the header section is too large") => return plain(R::IntakeHeaderBomb),
        "message" if p.starts_with("cannot read the file") => return plain(R::IntakeRead),
        "message" if has("is larger than") => return plain(R::ImapTooLarge),
        "matched" if p == "is missing" || has("no identifier kind for system") => return plain(R::IdentityMatchedMissing),
        "matched" if has("is not in the register") => return plain(R::IdentitySystemUnknown),
        "matched" if has("the case has no '") => return plain(R::IdentityKindNotOnCase),
        "method" if has("has no e-mail address") => return plain(R::IdentityNoEmail),
        "method" if has("no requester is recorded") => return plain(R::IdentityNoRequester),
        "document" if has("neither a document nor a note") => return plain(R::IdentityDocumentMissing),
        "document" if has("applies to document-seen") => return plain(R::IdentityDocumentWrongMethod),
        "requester" if has("none is recorded") => return plain(R::RequesterNone),
        "requester" if has("neither a postal address nor") => return plain(R::RequesterNoAddress),
        "authority" if has("'other' needs a note") => return plain(R::RequesterOtherNeedsNote),
        "to" | "other" if has("is the same case") => return plain(R::LinkSameCase),
        "to" | "other" if has("are not linked") => return plain(R::LinkNotLinked),
        "FILE" if has("cannot read") => return plain(R::RegisterFileUnreadable),
        "FILE" if has("changed since it was previewed") => return plain(R::RegisterFileChanged),
        "confirmed" | "security" | "sort" | "direction" if has("unknown") => return with_field(R::InputChoiceUnknown),
        _ => {}
    }

    // The mailbox's IMAP errors (`intake::mailbox::mailbox_error`).
    if has("refused the login") && matches!(f, "password") {
        return plain(R::ImapAuthRefused);
    }
    if has("did not answer with TLS") || has("is the plain IMAP port") {
        return plain(R::ImapNoTls);
    }
    if has("TLS certificate of") || p.starts_with("CA file ") {
        return plain(R::ImapCertificate);
    }
    if has("cannot reach the IMAP server") || (f == "host/--port" && has("no answer from")) {
        return plain(R::ImapUnreachable);
    }
    if has("cannot be opened on") {
        return plain(R::ImapNoFolder);
    }
    if has("did not answer as an IMAP server") {
        return plain(R::ImapProtocol);
    }

    let rows: &[(&str, Reason)] = &[
        // Requester, links, identity checks (the window renames their fields).
        ("none is recorded for this case", R::RequesterNone),
        ("neither a postal address nor", R::RequesterNoAddress),
        ("'other' needs a note", R::RequesterOtherNeedsNote),
        ("is the same case", R::LinkSameCase),
        ("are not linked", R::LinkNotLinked),
        ("there is no case", R::LinkNoSuchCase),
        ("neither a document nor a note", R::IdentityDocumentMissing),
        ("applies to document-seen", R::IdentityDocumentWrongMethod),
        ("no requester is recorded", R::IdentityNoRequester),
        ("the file is empty", R::FileEmpty),
        // Dates (src/cases/mod.rs, identity.rs, acting/answers.rs, src-tauri).
        ("not a date", R::DateMalformed),
        ("is in the future", R::DateFuture),
        ("day is in the future", R::DateFuture),
        ("before the request", R::DateBeforeReceived),
        ("before 25 May 2018", R::DateBeforeGdpr),
        ("before the pause began", R::DateBeforePause),
        ("before the previous pause ended", R::DateBeforePause),
        // Text.
        ("contains the control character", R::InputControlCharacter),
        ("empty or contains a control character", R::InputControlCharacter),
        ("is empty or has control characters", R::InputControlCharacter),
        // Case workflow (src/cases/mod.rs).
        ("the clock is already paused", R::CaseAlreadyPaused),
        ("the clock is not paused", R::CaseNotPaused),
        ("the case is closed", R::CaseClosed),
        ("the period was already extended", R::CaseAlreadyExtended),
        ("has no extension of the period", R::CaseNoExtension),
        ("stops the clock", R::StatusStopsClock),
        ("closing needs an outcome", R::StatusNeedsOutcome),
        // Tasks, notices, plans, corrections (src/tasks.rs, src/acting/).
        ("no task with this id", R::TaskNotFound),
        ("the task was cancelled", R::TaskCancelled),
        ("this task takes no answer", R::TaskNoAnswer),
        ("no notice with this id", R::NoticeNotFound),
        ("closed unsent only with a reason", R::NoticeReasonNeeded),
        ("is not the case's latest plan", R::PlanStale),
        ("is not a plan of this case", R::PlanStale),
        ("has no plan yet", R::PlanStale),
        ("the register changed since the plan", R::PlanRegisterChanged),
        ("restriction will be lifted", R::PlanLiftNotTold),
        ("has restricted nothing", R::PlanNothingRestricted),
        ("nothing has been carried out", R::PlanNothingDone),
        ("is not in the plan", R::PlanSystemNotInPlan),
        ("no correction given", R::CorrectionIncomplete),
        ("a correction needs the field and the new value", R::CorrectionIncomplete),
        ("the new value is the old one", R::CorrectionUnchanged),
        // Register (src/register_store.rs, src/pull.rs, src/secrets.rs).
        ("no register imported", R::RegisterNone),
        ("changed meanwhile", R::RegisterChanged),
        ("a system with this id exists already", R::RegisterSystemExists),
        ("no system with this id", R::RegisterSystemUnknown),
        ("no such system", R::RegisterSystemUnknown),
        ("unknown system id", R::RegisterSystemUnknown),
        ("is not in the register", R::RegisterSystemUnknown),
        ("to each other in a circle", R::RegisterYieldCycle),
        // Secrets and mail settings (src/secrets.rs, src/settings.rs).
        ("a secret name is", R::SecretNameInvalid),
        ("not a secret name", R::SecretNameInvalid),
        ("the secret is empty", R::SecretEmpty),
        ("is a connector credential", R::SecretConnectorCredential),
        ("not a host name or IP address", R::HostInvalid),
        ("is not a port", R::PortInvalid),
        ("a login needs a password", R::MailLoginIncomplete),
        ("a password without a login name", R::MailLoginIncomplete),
        ("no intake mailbox is set", R::ImapNotSet),
        ("no password stored for the intake mailbox", R::ImapPasswordNeeded),
        ("no password on standard input", R::ImapPasswordNeeded),
        ("the stored password was set for", R::ImapPasswordElsewhere),
        ("not an e-mail address", R::IdentifierEmail),
        ("not a valid e-mail address", R::IdentifierEmail),
        // Intake (src/intake/).
        ("this message was accepted", R::IntakeAcceptedAlready),
        ("this message was dismissed", R::IntakeDismissed),
        ("no right recognised in the message", R::IntakeNoRight),
        ("no usable sender", R::IntakeNoSender),
        ("the message changed since it was proposed", R::IntakeMessageChanged),
        // Mail settings, documents (src/settings.rs, src/documents.rs).
        ("empty login name", R::InputEmpty),
        ("contains a line break or control character", R::InputControlCharacter),
        ("sends letters and passwords unencrypted", R::MailSecurityNone),
        ("no such document on this case", R::DocumentNotFound),
        ("is not kept inside the desk", R::DocumentOutside),
        ("does not refer to", R::SecretNotReferenced),
        // Identifiers found on the way (src/pull/yields.rs).
        ("found on the way on this case has this value", R::FoundNotOnCase),
        ("was dropped already", R::FoundDroppedAlready),
    ];
    if let Some((_, r)) = rows.iter().find(|(s, _)| has(s)) {
        return match r.params() {
            [] => plain(*r),
            _ => with_field(*r),
        };
    }
    if let Some(name) = p.strip_prefix("secret '").and_then(|r| r.split_once("' is not set")).map(|(n, _)| n) {
        return (R::SecretMissing, params([("name", name.to_string())]));
    }
    if p.starts_with("secret '") {
        return plain(R::SecretSmtpReserved);
    }
    if let Some(by) = p.strip_prefix("too late: the extension notice had to be sent by ") {
        return (R::CaseExtensionTooLate, params([("by", by.trim().to_string())]));
    }
    if let Some(n) = p.strip_prefix("longer than ").and_then(|r| r.split(' ').next()) {
        return (R::InputTooLong, params([("field", f.to_string()), ("max", n.to_string())]));
    }
    if p == "is empty" || p == "empty" || p.ends_with(" is empty") || p.starts_with("no ") && p.ends_with(" given") || p.starts_with("no name") {
        return with_field(R::InputEmpty);
    }
    with_field(R::InputInvalid)
}

/// The reason of an intake warning (`dsar::intake::propose`) on `field`.
pub fn warning_reason(field: &str, message: &str) -> (Reason, Params) {
    use Reason as R;
    let plain = |r: Reason| (r, Params::new());
    let dates: Vec<&str> = iso_dates(message);
    if message.starts_with("forwarded as an attachment") {
        plain(R::WarnForwardedAttachment)
    } else if message.starts_with("the subject says forwarded") {
        plain(R::WarnForwardedSubject)
    } else if message.starts_with("the sender is not a usable e-mail address") {
        plain(R::WarnFromUnusable)
    } else if message.starts_with("the message has no From address") {
        plain(R::WarnFromMissing)
    } else if message.starts_with("no display name in From") {
        plain(R::WarnNoName)
    } else if message.starts_with("the message has no valid Date") && dates.len() == 1 {
        (R::WarnNoDate, params([("today", dates[0].to_string())]))
    } else if message.starts_with("the message's Date") && dates.len() == 2 {
        (R::WarnFutureDate, params([("date", dates[0].to_string()), ("today", dates[1].to_string())]))
    } else if let Some(zone) = message.strip_prefix("no register imported: the Date was read in ").and_then(|r| r.split_whitespace().next()) {
        (R::WarnNoRegister, params([("zone", zone.to_string())]))
    } else if message.starts_with("no right recognised") {
        plain(R::WarnNoRight)
    } else if let Some(lang) = message.strip_prefix("language not recognised: ").and_then(|r| r.split_whitespace().next()) {
        (R::WarnLanguage, params([("lang", lang.to_uppercase())]))
    } else {
        (R::WarnOther, params([("field", field.to_string())]))
    }
}

/// The reason of a connector failure stored as its text (a pull keeps the `ConnectorError`'s
/// message per system, `evidence::SystemResult::error`); `None` for a text no connector
/// error has. A test checks this against every variant, so a changed wording fails there.
pub fn connector_text_reason(text: &str) -> Option<(Reason, Params)> {
    use Reason as R;
    let plain = |r: Reason| Some((r, Params::new()));
    let one = |r: Reason, k: &str, v: &str| Some((r, params([(k, v.to_string())])));
    if text.starts_with("file missing: ") {
        return plain(R::ConnectorFileMissing);
    }
    if text.starts_with("cannot read ") && text.ends_with("check the file's permissions") {
        return plain(R::ConnectorUnreadable);
    }
    if let Some(endpoint) = text.strip_prefix("authentication refused by ").and_then(|r| r.split(" — ").next()) {
        return one(R::ConnectorAuthRefused, "endpoint", endpoint);
    }
    if let Some(endpoint) = text.strip_prefix("cannot reach ").and_then(|r| r.split_once(": ")).map(|(e, _)| e) {
        return one(R::ConnectorUnreachable, "endpoint", endpoint);
    }
    if let Some(query) = text.strip_prefix("query '").and_then(|r| r.split_once("' is invalid")).map(|(q, _)| q) {
        return one(R::ConnectorQueryInvalid, "query", query);
    }
    if let Some(endpoint) = text.strip_prefix("refusing to connect to ").and_then(|r| r.split_once(" without encryption")).map(|(e, _)| e) {
        return one(R::ConnectorInsecure, "endpoint", endpoint);
    }
    if let Some((seconds, endpoint)) = text.strip_prefix("timed out after ").and_then(|r| r.split_once(" s at ")) {
        let endpoint = endpoint.split(" — ").next().unwrap_or(endpoint);
        return Some((R::ConnectorTimeout, params([("endpoint", endpoint.to_string()), ("seconds", seconds.to_string())])));
    }
    if let Some((endpoint, rest)) = text.split_once(" answered HTTP ") {
        let status = rest.split(' ').next().unwrap_or(rest);
        return Some((R::ConnectorHttpStatus, params([("endpoint", endpoint.to_string()), ("status", status.to_string())])));
    }
    if text.starts_with("unexpected data in ") {
        return plain(R::ConnectorBadData);
    }
    if let Some(rest) = text.strip_prefix("secret '") {
        let (name, after) = rest.split_once('\'')?;
        if after.starts_with(" is not set") {
            return one(R::SecretMissing, "name", name);
        }
        let system = after.split(" — if ").nth(1).and_then(|s| s.split(" may use it").next())?;
        return Some((R::SecretNotAllowed, params([("name", name.to_string()), ("system", system.to_string())])));
    }
    if let Some(kind) = text.strip_prefix("connector kind '").and_then(|r| r.split_once("' cannot search")).map(|(k, _)| k) {
        return one(R::ConnectorUnsupported, "kind", kind);
    }
    if text == "cancelled" {
        return plain(R::Cancelled);
    }
    None
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

/// The `YYYY-MM-DD` dates in `s`, in order.
fn iso_dates(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 10 <= b.len() {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == b'-' } else { c.is_ascii_digit() });
        if shape && s.is_char_boundary(i) && s.is_char_boundary(i + 10) {
            out.push(&s[i..i + 10]);
            i += 10;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: the core's field and problem sentence as written in src/ (or the shell's own),
    /// and the reason it must become.
    const INPUT: &[(&str, &str, Reason)] = &[
        ("received", "not a date: use YYYY-MM-DD, e.g. 2026-11-21", Reason::DateMalformed),
        ("received", "2099-01-01 is in the future", Reason::DateFuture),
        ("received", "2017-01-01 is before 25 May 2018, when the GDPR began to apply", Reason::DateBeforeGdpr),
        ("from", "2026-01-01 is before the request was received (2026-02-01)", Reason::DateBeforeReceived),
        ("--on", "is before the request arrived (2026-02-01)", Reason::DateBeforeReceived),
        ("on", "2026-01-01 is before the pause began (2026-02-01)", Reason::DateBeforePause),
        ("--on", "the answer's day is in the future", Reason::DateFuture),
        ("name", "contains the control character U+0009", Reason::InputControlCharacter),
        ("name", "the subject's name is empty", Reason::InputEmpty),
        ("name", "longer than 300 characters", Reason::InputTooLong),
        ("right", "no right given", Reason::RightNone),
        ("right", "'opt-out' does not exist under gdpr", Reason::RightNotInJurisdiction),
        ("region", "US-CA is not in the territory of gdpr", Reason::RegionNotInJurisdiction),
        ("case", "the clock is already paused", Reason::CaseAlreadyPaused),
        ("case", "the clock is not paused", Reason::CaseNotPaused),
        ("case", "the case is closed", Reason::CaseClosed),
        ("case", "the period was already extended", Reason::CaseAlreadyExtended),
        ("case", "ccpa has no extension of the period", Reason::CaseNoExtension),
        ("on", "too late: the extension notice had to be sent by 2026-03-01", Reason::CaseExtensionTooLate),
        ("status", "awaiting-identity stops the clock", Reason::StatusStopsClock),
        ("status", "closing needs an outcome", Reason::StatusNeedsOutcome),
        ("requester name", "is empty", Reason::InputEmpty),
        ("requester e-mail", "is not an e-mail address", Reason::IdentifierEmail),
        ("address", "has neither a postal address nor an e-mail address", Reason::RequesterNoAddress),
        ("authority", "'other' needs a note", Reason::RequesterOtherNeedsNote),
        ("--to", "is the same case", Reason::LinkSameCase),
        ("--matched", "is missing", Reason::IdentityMatchedMissing),
        ("--matched", "system 'crm' is not in the register", Reason::IdentitySystemUnknown),
        ("--matched", "the case has no 'phone' identifier", Reason::IdentityKindNotOnCase),
        ("method", "the case has no e-mail address", Reason::IdentityNoEmail),
        ("document_path", "neither a document nor a note was given", Reason::IdentityDocumentMissing),
        ("TASK_ID", "no task with this id", Reason::TaskNotFound),
        ("task", "the task was cancelled", Reason::TaskCancelled),
        ("--confirmed", "unknown answer", Reason::InputChoiceUnknown),
        ("--reason", "a notice is closed unsent only with a reason", Reason::NoticeReasonNeeded),
        ("--plan", "plan 0123456789abcdef is not the case's latest plan (it is stale)", Reason::PlanStale),
        ("--plan", "the register changed since the plan was made", Reason::PlanRegisterChanged),
        ("plan", "cancelled", Reason::Cancelled),
        ("rectification", "case DSAR-2026-0001 has no corrections noted", Reason::PlanNoCorrections),
        ("--new", "the new value is the old one", Reason::CorrectionUnchanged),
        ("register", "no register imported yet", Reason::RegisterNone),
        ("register", "the register was changed meanwhile (in another window or with the dsar command)", Reason::RegisterChanged),
        ("id", "a system with this id exists already", Reason::RegisterSystemExists),
        ("register", "systems a → b → a yield identifiers to each other in a circle (x)", Reason::RegisterYieldCycle),
        ("NAME", "secret 'crm_token' is not set", Reason::SecretMissing),
        ("value", "the secret is empty", Reason::SecretEmpty),
        ("--host", "not a host name or IP address", Reason::HostInvalid),
        ("--port", "143 is the plain IMAP port; mail is read only over TLS", Reason::ImapNoTls),
        ("password", "127.0.0.1:993 refused the login", Reason::ImapAuthRefused),
        ("--host/--port", "cannot reach the IMAP server at 127.0.0.1:993", Reason::ImapUnreachable),
        ("--folder", "folder 'X' cannot be opened on h:993", Reason::ImapNoFolder),
        ("password", "the stored password was set for a:993, not for b:993", Reason::ImapPasswordElsewhere),
        ("imap", "no intake mailbox is set", Reason::ImapNotSet),
        ("thresholds", "40 is not 1 to 30 days", Reason::SettingsLeadTimes),
        ("idle_lock_minutes", "0 minutes is outside 1 to 60", Reason::SettingsIdleLock),
        ("message", "larger than 25 MB (30000000 bytes)", Reason::IntakeTooLarge),
        ("message", "not an e-mail (no header lines such as From: or Date:)", Reason::IntakeNotAnEmail),
        ("9-INBOX", "this message was accepted already", Reason::IntakeAcceptedAlready),
        ("rights", "no right recognised in the message", Reason::IntakeNoRight),
        ("anything", "a sentence nobody wrote", Reason::InputInvalid),
    ];

    #[test]
    fn the_cores_input_sentences_become_their_reasons_with_every_parameter() {
        for (field, problem, want) in INPUT {
            let (got, params) = input_reason(field, problem);
            assert_eq!(got, *want, "{field}: {problem}");
            let mut names: Vec<&str> = params.keys().map(String::as_str).collect();
            let mut declared = got.params().to_vec();
            names.sort_unstable();
            declared.sort_unstable();
            assert_eq!(names, declared, "{field}: {problem}");
            assert!(params.values().all(|v| !v.is_empty()), "{field}: {problem} → {params:?}");
        }
    }

    #[test]
    fn a_stored_connector_error_reads_back_into_the_reason_of_its_variant() {
        use dsar::connectors::ConnectorError as C;
        let all = [
            C::FileMissing { path: "/data/kunden.csv".into() },
            C::Unreadable { path: "/data/kunden.csv".into(), reason: "permission denied".into() },
            C::AuthRefused { endpoint: "db.example.org:5432".into() },
            C::Unreachable { endpoint: "db.example.org:5432".into(), reason: "connection refused".into() },
            C::QueryInvalid { query: "by_email".into(), detail: "no such column".into() },
            C::Insecure { endpoint: "db.example.org:5432".into(), detail: "set sslmode".into() },
            C::Timeout { endpoint: "https://crm.example.org/api".into(), seconds: 30 },
            C::HttpStatus { endpoint: "https://crm.example.org/api".into(), status: 503 },
            C::BadData { location: "kunden.csv:3".into(), detail: "bad UTF-8".into() },
            C::SecretMissing { name: "crm_token".into() },
            C::SecretNotAllowed { name: "crm_token".into(), system: "crm".into(), detail: "was set for shop".into() },
            C::Unsupported { kind: "ldap".into() },
            C::Cancelled,
        ];
        for e in &all {
            assert_eq!(connector_text_reason(&e.to_string()), Some(crate::error::connector_reason(e)), "{e}");
        }
        assert_eq!(connector_text_reason("something else"), None);
    }

    #[test]
    fn the_cores_intake_warnings_become_their_reasons() {
        let rows: &[(&str, &str, Reason, &[(&str, &str)])] = &[
            ("from", "forwarded as an attachment: sender and date are those of the attached message", Reason::WarnForwardedAttachment, &[]),
            ("from", "the subject says forwarded: the sender may be a colleague", Reason::WarnForwardedSubject, &[]),
            ("from", "the sender is not a usable e-mail address: enter it", Reason::WarnFromUnusable, &[]),
            ("from", "the message has no From address: enter it", Reason::WarnFromMissing, &[]),
            ("name", "no display name in From: the address is used", Reason::WarnNoName, &[]),
            ("received", "the message has no valid Date: today (2026-03-02) is used — enter the day", Reason::WarnNoDate, &[("today", "2026-03-02")]),
            (
                "received",
                "the message's Date (2026-04-01) is in the future: today (2026-03-02) is used — check",
                Reason::WarnFutureDate,
                &[("date", "2026-04-01"), ("today", "2026-03-02")],
            ),
            ("received", "no register imported: the Date was read in Europe/Berlin (assumed)", Reason::WarnNoRegister, &[("zone", "Europe/Berlin")]),
            ("rights", "no right recognised in the text: choose them", Reason::WarnNoRight, &[]),
            ("language", "language not recognised: de (the controller's) is assumed", Reason::WarnLanguage, &[("lang", "DE")]),
            ("name", "something new", Reason::WarnOther, &[("field", "name")]),
        ];
        for (field, message, want, want_params) in rows {
            let (got, params) = warning_reason(field, message);
            assert_eq!(got, *want, "{message}");
            let expected: Params = want_params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(params, expected, "{message}");
        }
    }
}

#[cfg(test)]
mod core_sentences {
    use super::*;

    // Sentences that stay `input.invalid` on purpose: only the CLI reaches them, or the window
    // words them at the field itself before the core sees them.
    const GENERIC: &[&str] = &[
        "must be at least 1",                                          // `dsar case pull --concurrency`
        "x is not a holiday in x",                                     // `dsar calendar`
        "x has no change in x",                                        // `dsar calendar`
        "x is not a demo desk (or not with this passphrase) and is kept", // `dsar demo --force`
        "plan x x", // its second part is one of the plan sentences read above
    ];

    /// Every `InputError::new("field", "literal problem", …)` in the core (src/, not the CLI).
    fn literal_sentences() -> Vec<(String, String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src");
        let mut out = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if !path.ends_with("cli") {
                        dirs.push(path);
                    }
                    continue;
                }
                if path.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("InputError::new(") {
                    let rest = &text[at + "InputError::new(".len()..];
                    let mut quoted = rest.split('"');
                    let (Some(before), Some(field), Some(between), Some(problem)) = (quoted.next(), quoted.next(), quoted.next(), quoted.next()) else { continue };
                    // A literal problem, or a `format!` one with its `{…}` values as `x`.
                    let between: String = between.split_whitespace().collect();
                    if !before.trim().is_empty() || (between != "," && between != ",format!(") {
                        continue;
                    }
                    let problem = if between == "," { problem.to_string() } else { without_values(problem) };
                    let file = path.strip_prefix(&root).unwrap().display().to_string();
                    out.push((file, field.to_string(), problem));
                }
            }
        }
        out
    }

    fn without_values(format: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in format.chars() {
            match c {
                '{' => inside = true,
                '}' if inside => {
                    inside = false;
                    out.push('x');
                }
                _ if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_literal_core_input_sentence_has_its_own_reason_or_is_known_generic() {
        let sentences = literal_sentences();
        assert!(sentences.len() > 50, "found only {} sentences", sentences.len());
        let generic: Vec<String> = sentences
            .iter()
            .filter(|(_, field, problem)| input_reason(field, problem).0 == Reason::InputInvalid && !GENERIC.contains(&problem.as_str()))
            .map(|(file, field, problem)| format!("{file}: {field}: {problem}"))
            .collect();
        assert!(generic.is_empty(), "core input errors without a reason code (add a row to input_reason, or to GENERIC):\n{}", generic.join("\n"));
        for (file, field, problem) in &sentences {
            let (reason, params) = input_reason(field, problem);
            let mut have: Vec<&str> = params.keys().map(String::as_str).collect();
            let mut want = reason.params().to_vec();
            have.sort_unstable();
            want.sort_unstable();
            assert_eq!(have, want, "{file}: {field}: {problem} → {}", reason.code());
        }
    }
}
