//! The Inbox: request e-mails dropped on the window or chosen as files become proposed cases
//! (`intake::propose`), kept in the app's memory until the DPO accepts one
//! (`intake::accept`: the case and the original message, in one transaction) or dismisses it;
//! and the duplicate hint of New case (`intake::duplicates::find`).
//!
//! Proposals are kept per database file, so a demo desk never shows the real desk's mail, and
//! survive switching screens and locking; they are not written to disk before acceptance.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use dsar::cases::{self, Case};
use dsar::deadline::Jurisdiction;
use dsar::domain::{CaseRef, Identifier, IdentifierKind, Language, Right};
use dsar::intake::mailbox::{self, MailboxProposal, MessageKey};
use dsar::intake::{self, duplicates, Proposal};
use dsar::register_store;
use dsar::store::Store;

use crate::api::{code, date};
use crate::desk::Desk;
use crate::dto_inbox::*;
use crate::error::{ApiError, ErrorCode};

/// How much of the e-mail's text the Inbox shows.
const EXCERPT_CHARS: usize = 1200;

struct Pending {
    id: String,
    db: PathBuf,
    file_name: String,
    source: &'static str,
    /// The message in the intake mailbox, for a proposal read from it: accepting or
    /// dismissing it is remembered there, so it is not proposed again.
    key: Option<MessageKey>,
    bytes: Vec<u8>,
    proposal: Proposal,
    subject: String,
    excerpt: String,
}

/// The proposals waiting for the DPO, in the order they arrived.
#[derive(Default)]
pub struct Inbox {
    pending: Mutex<Vec<Pending>>,
}

impl Inbox {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<Pending>) -> T) -> Result<T, ApiError> {
        let mut p = self.pending.lock().map_err(|_| ApiError::internal("an earlier operation failed midway: restart DSAR desk"))?;
        Ok(f(&mut p))
    }
}

/// The text the DPO reads beside the proposal: at most [`EXCERPT_CHARS`], runs of blank lines
/// folded into one.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
        if out.chars().count() > EXCERPT_CHARS {
            let cut: String = out.chars().take(EXCERPT_CHARS).collect();
            return format!("{}…", cut.trim_end());
        }
    }
    out.trim_end().to_string()
}

/// The controller's country (identifiers are normalised with it), GDPR's default without a register.
fn country(store: &Store) -> Result<String, ApiError> {
    Ok(match register_store::current(store)? {
        Some(r) => r.controller.country.clone(),
        None => Jurisdiction::Gdpr.default_region().country().to_string(),
    })
}

fn duplicate_dto(store: &Store, reference: &CaseRef) -> Result<DuplicateDto, ApiError> {
    let c: Case = cases::get(store, &reference.to_string())?;
    Ok(DuplicateDto {
        reference: c.reference.to_string(),
        name: c.subject.name.clone(),
        status: c.status.code().into(),
        received: c.received.to_string(),
        closed_on: c.closed_on.map(|d| d.to_string()),
    })
}

fn proposal_dto(store: &Store, today: chrono::NaiveDate, p: &Pending) -> Result<ProposalDto, ApiError> {
    let pr = &p.proposal;
    // Looked up again each time: a proposal accepted a moment ago is a duplicate's case now.
    let duplicate = match &pr.from {
        Some(email) => {
            let ids = [Identifier { kind: IdentifierKind::Email, value: email.clone() }];
            duplicates::find(store.conn(), &ids, today, None)?.map(|r| duplicate_dto(store, &r)).transpose()?
        }
        None => None,
    };
    Ok(ProposalDto {
        id: p.id.clone(),
        file_name: p.file_name.clone(),
        source: p.source.into(),
        subject: p.subject.clone(),
        excerpt: p.excerpt.clone(),
        from: pr.from.clone(),
        name: pr.name.clone(),
        received: pr.received.to_string(),
        rights: pr.rights.iter().map(|r| r.code().to_string()).collect(),
        language: pr.language.code().into(),
        duplicate,
        attachments: pr
            .attachments
            .iter()
            .map(|a| AttachmentDto { name: a.name.clone(), size: u64::try_from(a.size).unwrap_or(u64::MAX), media_type: a.media_type.clone() })
            .collect(),
        warnings: pr
            .warnings
            .iter()
            .map(|w| {
                let (reason, params) = crate::reason_text::warning_reason(w.field, &w.message);
                ProposalWarningDto { field: w.field.into(), message: w.message.clone(), reason, params }
            })
            .collect(),
        sha256: pr.sha256.clone(),
    })
}

/// Every proposal of the open desk, oldest first.
pub fn inbox_list(desk: &Desk) -> Result<Vec<ProposalDto>, ApiError> {
    let db = desk.db_path()?;
    let today = desk.context().today;
    desk.with_store(|s| {
        desk.inbox.with(|pending| pending.iter().filter(|p| p.db == db).map(|p| proposal_dto(s, today, p)).collect::<Result<Vec<_>, _>>())?
    })
}

/// Proposes a case for one message and keeps it in the Inbox; the same message twice (same
/// bytes) is one proposal. Returns the proposal's id.
fn add(desk: &Desk, db: &Path, file_name: &str, source: &'static str, bytes: Vec<u8>) -> Result<String, ApiError> {
    let ctx = desk.context();
    let proposal = desk.with_store(|s| Ok(intake::propose(s, &ctx, &bytes)?))?;
    keep(desk, db, file_name, source, None, bytes, proposal)
}

/// Puts a proposal into the Inbox unless the same message (same bytes) is there already;
/// returns its id.
fn keep(desk: &Desk, db: &Path, file_name: &str, source: &'static str, key: Option<MessageKey>, bytes: Vec<u8>, proposal: Proposal) -> Result<String, ApiError> {
    let known = desk.inbox.with(|pending| pending.iter().find(|p| p.db == db && p.proposal.sha256 == proposal.sha256).map(|p| p.id.clone()))?;
    if let Some(id) = known {
        return Ok(id);
    }
    let msg = intake::parse(&bytes).map_err(dsar::Error::from)?;
    let name = Path::new(file_name.trim()).file_name().map(|n| n.to_string_lossy().into_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| "request.eml".into());
    let id = uuid::Uuid::now_v7().to_string();
    let p = Pending { id: id.clone(), db: db.to_path_buf(), file_name: name, source, key, bytes, proposal, subject: msg.subject.trim().to_string(), excerpt: excerpt(&msg.text) };
    desk.inbox.with(|pending| pending.push(p))?;
    Ok(id)
}

/// The message's problem in the window's terms: `message: <problem> — <fix>`.
fn refused(file_name: &str, e: ApiError) -> RefusedFileDto {
    let message = e.message.strip_prefix("message: ").unwrap_or(&e.message).to_string();
    RefusedFileDto { file_name: file_name.to_string(), message, reason: e.reason, params: e.params }
}

/// Adds one message given as bytes (a file dropped on the window): its proposal, or why not.
pub fn inbox_add_bytes(desk: &Desk, file_name: String, bytes: Vec<u8>) -> Result<InboxAddedDto, ApiError> {
    let db = desk.db_path()?;
    let (added, refused_files) = match add(desk, &db, &file_name, "file", bytes) {
        Ok(id) => (vec![id], vec![]),
        Err(e) if e.code == ErrorCode::InvalidInput => (vec![], vec![refused(&file_name, e)]),
        Err(e) => return Err(e),
    };
    Ok(InboxAddedDto { items: inbox_list(desk)?, added, refused: refused_files })
}

/// Adds the `.eml` files at `paths` (chosen in the file picker or dropped from the file
/// manager); a file that cannot be read or is no e-mail is listed, the others are added.
pub fn inbox_add_files(desk: &Desk, paths: Vec<String>) -> Result<InboxAddedDto, ApiError> {
    let db = desk.db_path()?;
    let mut added = Vec::new();
    let mut refused_files = Vec::new();
    for path in paths.iter().map(PathBuf::from) {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let result = intake::read(&path).map_err(|e| ApiError::from(dsar::Error::from(e))).and_then(|bytes| add(desk, &db, &file_name, "file", bytes));
        match result {
            Ok(id) => added.push(id),
            Err(e) if e.code == ErrorCode::InvalidInput => refused_files.push(refused(&file_name, e)),
            Err(e) => return Err(e),
        }
    }
    Ok(InboxAddedDto { items: inbox_list(desk)?, added, refused: refused_files })
}

/// Drops a proposal; the message is not kept anywhere. One read from the mailbox is
/// remembered there as dismissed, so it is not proposed again.
pub fn inbox_dismiss(desk: &Desk, id: String) -> Result<Vec<ProposalDto>, ApiError> {
    let db = desk.db_path()?;
    let key = desk.inbox.with(|pending| pending.iter().find(|p| p.id == id && p.db == db).and_then(|p| p.key.clone()))?;
    if let Some(key) = key {
        let ctx = desk.context();
        desk.with_store(|s| mailbox::dismiss(s, &ctx, &key).map_err(core_field))?;
    }
    desk.inbox.with(|pending| pending.retain(|p| p.id != id))?;
    inbox_list(desk)
}

/// Reads the intake mailbox's folder (settings) on a second connection, one message at a
/// time with `progress`, until done or cancelled ([`cancel_mailbox_read`]): every message not
/// yet accepted or dismissed becomes a proposal in the Inbox beside the dropped files.
/// `since` (`YYYY-MM-DD`) leaves out messages that arrived before that day: a first read of
/// a mailbox with years of mail need not propose all of it.
pub fn inbox_read_mailbox(desk: &Desk, since: Option<String>, progress: &dyn Fn(MailboxProgressDto)) -> Result<MailboxReadDto, ApiError> {
    let since = crate::api::opt_date("since", since.as_deref().filter(|s| !s.trim().is_empty()))?;
    let db = desk.db_path()?;
    let guard = desk.start_mailbox()?;
    let mut store = desk.second_connection()?;
    let ctx = desk.context();
    let opts = mailbox::ReadOptions { which: mailbox::Which::Undecided, since, ..Default::default() };
    let report = mailbox::read(&mut store, &ctx, &opts, &guard.cancel, &mut |p| {
        progress(MailboxProgressDto { done: u64::try_from(p.done).unwrap_or(u64::MAX), total: u64::try_from(p.total).unwrap_or(u64::MAX) })
    })
    .map_err(mailbox_field)?;
    drop(store);
    let mut added = Vec::new();
    for MailboxProposal { key, proposal, bytes } in report.proposals {
        let name = format!("{}-{}.eml", key.folder, key.uid);
        added.push(keep(desk, &db, &name, "mailbox", Some(key), bytes, proposal)?);
    }
    let refused = report
        .failed
        .into_iter()
        .map(|(key, message)| {
            let (reason, params) = crate::reason_text::input_reason("message", &message);
            RefusedFileDto { file_name: key.locator(), message, reason: Some(reason), params }
        })
        .collect();
    Ok(MailboxReadDto {
        items: inbox_list(desk)?,
        added,
        refused,
        total: u64::try_from(report.total).unwrap_or(u64::MAX),
        cancelled: report.cancelled,
    })
}

/// Asks a running mailbox read to stop before its next message.
pub fn cancel_mailbox_read(desk: &Desk) -> Result<(), ApiError> {
    desk.cancel_mailbox()
}

/// The mailbox's errors name the CLI's flags (`--host/--port`, `--folder`): the window names
/// the Settings fields, and says where to fix them.
fn mailbox_field(e: dsar::Error) -> ApiError {
    match e {
        dsar::Error::Input(i) => {
            let field = match i.field.as_str() {
                "--host/--port" => "host",
                "--port" => "port",
                "--ca-file" => "ca_file",
                "--folder" => "folder",
                "password" => "password",
                _ => "imap",
            };
            let fix = if i.fix.contains("dsar settings") { "check the mailbox under Settings → Mailbox".to_string() } else { i.fix.clone() };
            let (reason, params) = crate::reason_text::input_reason(&i.field, &i.problem);
            ApiError::new(ErrorCode::Conflict, format!("{field}: {} — {fix}", i.problem)).with(reason, params)
        }
        other => other.into(),
    }
}

fn core_field(e: dsar::Error) -> ApiError {
    match e {
        dsar::Error::Input(i) => ApiError::input(&i.field, format!("{} — {}", i.problem, i.fix)),
        dsar::Error::Identifier(i) => ApiError::input("from", i).at(crate::reason::Reason::IdentifierEmail, "from"),
        other => other.into(),
    }
}

/// Creates the case the proposal describes, as the DPO corrected it, and stores the original
/// message with it; the proposal leaves the Inbox. Returns the new case's reference.
pub fn inbox_accept(desk: &Desk, id: String, edits: ProposalEdits) -> Result<String, ApiError> {
    let db = desk.db_path()?;
    let ctx = desk.context();
    let (mut proposal, bytes, file_name, key) = desk
        .inbox
        .with(|pending| pending.iter().find(|p| p.id == id && p.db == db).map(|p| (p.proposal.clone(), p.bytes.clone(), p.file_name.clone(), p.key.clone())))?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "this proposal is no longer in the Inbox: it was accepted or dismissed already").because(crate::reason::Reason::IntakeProposalGone))?;
    if edits.rights.is_empty() {
        return Err(ApiError::input("rights", "choose at least one right").because(crate::reason::Reason::RightNone));
    }
    proposal.rights = edits.rights.iter().map(|r| code::<Right>("rights", r)).collect::<Result<_, _>>()?;
    let name = edits.name.trim();
    if name.is_empty() {
        return Err(ApiError::input("name", "enter the requester's name").at(crate::reason::Reason::InputEmpty, "name"));
    }
    proposal.name = Some(name.to_string());
    let received = date("received", &edits.received)?;
    if received > ctx.today {
        return Err(ApiError::input("received", "the day is in the future: enter the day the e-mail arrived").at(crate::reason::Reason::DateFuture, "received"));
    }
    proposal.received = received;
    proposal.language = code::<Language>("language", &edits.language)?;
    let reference = desk.with_store(|s| {
        let email = Identifier::new(IdentifierKind::Email, &edits.from, &country(s)?).map_err(|e| ApiError::input("from", e).at(crate::reason::Reason::IdentifierEmail, "from"))?;
        proposal.from = Some(email.value);
        let case = match key {
            // Remembered in the mailbox's records as accepted: not proposed again.
            Some(key) => mailbox::accept(s, &ctx, &MailboxProposal { key, proposal, bytes }).map_err(core_field)?,
            None => intake::accept(s, &ctx, &proposal, &bytes, &file_name).map_err(core_field)?,
        };
        Ok(case.reference.to_string())
    })?;
    desk.inbox.with(|pending| pending.retain(|p| p.id != id))?;
    Ok(reference)
}

/// The earliest-matching earlier case for the identifiers typed on New case: an open one or
/// one closed within twelve months. Values that are not (yet) valid identifiers are skipped;
/// the form says what is wrong with them when it is sent.
pub fn find_duplicate(desk: &Desk, query: DuplicateQuery) -> Result<Option<DuplicateHintDto>, ApiError> {
    let today = desk.context().today;
    desk.with_store(|s| {
        let country = country(s)?;
        let mut typed: Vec<(&str, Identifier)> = Vec::new();
        let filled = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        if let Some(id) = filled(&query.email).and_then(|v| Identifier::new(IdentifierKind::Email, &v, &country).ok()) {
            typed.push(("email", id));
        }
        if let Some(id) = filled(&query.phone).and_then(|v| Identifier::new(IdentifierKind::Phone, &v, &country).ok()) {
            typed.push(("phone", id));
        }
        for pair in query.ids.iter().filter(|p| !p.trim().is_empty()) {
            if let Ok(id) = Identifier::parse_pair(pair, &country) {
                typed.push(("ids", id));
            }
        }
        for (field, id) in typed {
            if let Some(r) = duplicates::find(s.conn(), std::slice::from_ref(&id), today, None)? {
                return Ok(Some(DuplicateHintDto { field: field.into(), case: duplicate_dto(s, &r)? }));
            }
        }
        Ok(None)
    })
}

/// The intake mailbox's settings, if set (never the password).
pub fn get_imap(desk: &Desk) -> Result<Option<ImapSettingsDto>, ApiError> {
    desk.with_store(|s| {
        Ok(dsar::settings::imap(s)?.map(|i| ImapSettingsDto { host: i.host, port: i.port, user: i.user, folder: i.folder }))
    })
}

/// Saves the intake mailbox; its password goes into the secrets, bound to `host:port`. An
/// empty password keeps the stored one when the server is the same.
pub fn save_imap(desk: &Desk, input: ImapInput) -> Result<ImapSettingsDto, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        let old = dsar::settings::imap(s)?;
        let new = dsar::settings::ImapIntakeSettings {
            host: input.host.trim().to_string(),
            port: input.port,
            user: input.user.trim().to_string(),
            folder: input.folder.trim().to_string(),
            ca_file: old.as_ref().and_then(|o| o.ca_file.clone()),
        };
        let password = if input.password.is_empty() {
            match &old {
                Some(o) if o.destination() == new.destination() => dsar::settings::imap_password(s, o).map_err(|_| ApiError::input("password", "enter the mailbox password").because(crate::reason::Reason::ImapPasswordNeeded))?,
                _ => return Err(ApiError::input("password", "enter the mailbox password: the server is new").because(crate::reason::Reason::ImapPasswordNeeded)),
            }
        } else {
            zeroize::Zeroizing::new(input.password.clone())
        };
        dsar::settings::set_imap(s, &ctx, &new, &password).map_err(|e| match e {
            dsar::Error::Input(i) => ApiError::input(i.field.trim_start_matches("--"), format!("{} — {}", i.problem, i.fix.split(": dsar").next().unwrap_or(&i.fix))),
            other => other.into(),
        })?;
        Ok(ImapSettingsDto { host: new.host, port: new.port, user: new.user, folder: new.folder })
    })
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn the_excerpt_folds_blank_lines_and_stops_at_its_length() {
        assert_eq!(excerpt("\n\nHallo,\n\n\n\nich bitte um Auskunft.\n\n"), "Hallo,\n\nich bitte um Auskunft.");
        let long = "Wort ".repeat(1000);
        let e = excerpt(&long);
        assert!(e.ends_with('…') && e.chars().count() <= super::EXCERPT_CHARS + 1, "{}", e.len());
    }
}
