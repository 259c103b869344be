//! Intake from the desk's IMAP mailbox (SPEC §11): each message of a folder becomes a
//! [`Proposal`] exactly once. What was proposed, accepted or dismissed is remembered per
//! (mailbox account, folder, UIDVALIDITY, UID) in `imap_intake` (V10), with the message's
//! SHA-256 only. The folder is opened read-only and messages are fetched with BODY.PEEK, so
//! the mailbox looks the same to everyone else afterwards.
//!
//! [`read`] takes a progress callback and a [`Cancel`]: messages are fetched one at a time,
//! so the desktop can show n/total and stop between two messages. [`accept`] creates the case
//! through [`super::accept`] (same checks, same document and audit event); [`dismiss`] marks a
//! message as not a request.

use rusqlite::OptionalExtension;
use serde_json::json;

use super::{Proposal, MAX_BYTES};
use crate::audit;
use crate::cases::{Case, Context};
use crate::connectors::Cancel;
use crate::error::{Error, InputError, Result};
use crate::mail::imap::{Criterion, ImapConfig, ImapError, ImapSession, IMAP_TIMEOUT};
use crate::settings::{self, ImapIntakeSettings};
use crate::store::Store;

/// Which messages [`read`] proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Which {
    /// Only messages never proposed before (`dsar intake --imap`).
    #[default]
    New,
    /// New ones and those proposed before but neither accepted nor dismissed yet (what
    /// `--accept` takes in, and what a front end lists as waiting).
    Undecided,
}

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The folder; the settings' folder (usually `INBOX`) when `None`.
    pub folder: Option<String>,
    /// New messages only, or every undecided one.
    pub which: Which,
    /// Only messages that arrived on or after this day (the server's arrival date), so a first
    /// read of a mailbox with years of mail need not propose all of it. `None`: every message.
    pub since: Option<chrono::NaiveDate>,
}

/// Names one message for good: a UID means nothing without its folder's UIDVALIDITY.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageKey {
    /// `user@host:port` of the mailbox.
    pub account: String,
    /// The folder.
    pub folder: String,
    /// The folder's UIDVALIDITY when the message was read.
    pub uid_validity: u32,
    /// The message's UID.
    pub uid: u32,
}

impl MessageKey {
    /// `imap:FOLDER/UID`, what the CLI prints instead of a file name.
    pub fn locator(&self) -> String {
        format!("imap:{}/{}", self.folder, self.uid)
    }
}

/// One message of the mailbox as a proposed case, with its exact bytes (kept on the case as
/// the request document when accepted).
#[derive(Debug, Clone)]
pub struct MailboxProposal {
    /// Which message.
    pub key: MessageKey,
    /// The proposal, as for a `.eml` file.
    pub proposal: Proposal,
    /// The message as the server holds it.
    pub bytes: Vec<u8>,
}

/// Progress of a [`read`]: `done` of `total` messages fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Messages handled so far.
    pub done: usize,
    /// Messages to handle in this read.
    pub total: usize,
}

/// What a [`read`] produced.
#[derive(Debug, Clone, Default)]
pub struct ReadReport {
    /// The proposals, in UID order.
    pub proposals: Vec<MailboxProposal>,
    /// Messages that could not be proposed (not an e-mail, too large), with the reason. They
    /// are remembered like proposals, so they are reported once.
    pub failed: Vec<(MessageKey, String)>,
    /// Messages this read had to handle.
    pub total: usize,
    /// Whether the user cancelled: the messages not reached stay new for the next read.
    pub cancelled: bool,
}

/// The mailbox's error as one line naming what to fix; never the server's text.
pub fn mailbox_error(e: ImapError) -> Error {
    let field = match &e {
        ImapError::Unreachable { .. } | ImapError::Timeout { .. } => "--host/--port",
        ImapError::NoTls { .. } | ImapError::Protocol { .. } => "--port",
        ImapError::Certificate { .. } | ImapError::CaFile { .. } => "--ca-file",
        ImapError::AuthRefused { .. } => "password",
        ImapError::NoFolder { .. } => "--folder",
        ImapError::TooLarge { .. } => "message",
    };
    let text = e.to_string();
    let (problem, fix) = text.split_once(" — ").unwrap_or((text.as_str(), "check the mailbox settings: dsar settings show"));
    let fix = match e {
        ImapError::AuthRefused { .. } => "check the user name and the password, and set them again: dsar settings imap --host H --port P --user U < password.txt",
        _ => fix,
    };
    InputError::new(field, problem, fix).into()
}

fn configured(store: &Store) -> Result<ImapIntakeSettings> {
    settings::imap(store)?.ok_or_else(|| {
        InputError::new("imap", "no intake mailbox is set", "set it first: dsar settings imap --host H --port 993 --user U < password.txt").into()
    })
}

/// Logs in to the configured mailbox.
fn connect(store: &Store, s: &ImapIntakeSettings) -> Result<ImapSession> {
    let password = settings::imap_password(store, s)?;
    let config = ImapConfig { host: s.host.clone(), port: s.port, user: s.user.clone(), ca_file: s.ca_file.clone(), timeout: IMAP_TIMEOUT };
    ImapSession::connect(&config, &password).map_err(mailbox_error)
}

/// The state remembered for a message, if any.
fn state_of(store: &Store, key: &MessageKey) -> Result<Option<(String, Option<String>)>> {
    Ok(store
        .conn()
        .query_row(
            "SELECT state, case_id FROM imap_intake WHERE account = ?1 AND folder = ?2 AND uid_validity = ?3 AND uid = ?4",
            rusqlite::params![key.account, key.folder, key.uid_validity, key.uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Remembers `key` as proposed unless it was decided already.
fn remember_proposed(store: &mut Store, ctx: &Context, key: &MessageKey, sha256: &str) -> Result<()> {
    store.write(|tx| {
        tx.execute(
            "INSERT INTO imap_intake (account, folder, uid_validity, uid, state, sha256, updated_at) VALUES (?1, ?2, ?3, ?4, 'proposed', ?5, ?6)
             ON CONFLICT (account, folder, uid_validity, uid) DO NOTHING",
            rusqlite::params![key.account, key.folder, key.uid_validity, key.uid, sha256, ctx.now.to_rfc3339()],
        )?;
        Ok::<_, Error>(())
    })
}

/// Reads the configured mailbox's folder and proposes each message [`Which`] selects, one
/// message at a time: `progress` is called after each, and `cancel` is checked before each
/// (a cancelled read returns what it has, `cancelled` set). New messages are remembered as
/// proposed, so the next `Which::New` read does not propose them again.
pub fn read(store: &mut Store, ctx: &Context, opts: &ReadOptions, cancel: &Cancel, progress: &mut dyn FnMut(Progress)) -> Result<ReadReport> {
    let s = configured(store)?;
    let folder = opts.folder.clone().unwrap_or_else(|| s.folder.clone());
    if folder.trim().is_empty() || folder.chars().any(char::is_control) {
        return Err(InputError::new("--folder", "empty or contains a control character", "e.g. --folder INBOX").into());
    }
    let mut session = connect(store, &s)?;
    let state = session.examine(&folder).map_err(mailbox_error)?;
    let uids = session.search(&opts.since.map_or(Criterion::All, Criterion::Since)).map_err(mailbox_error)?;
    let account = s.account();
    let mut todo = Vec::new();
    for uid in uids {
        let key = MessageKey { account: account.clone(), folder: folder.clone(), uid_validity: state.uid_validity, uid };
        let take = match state_of(store, &key)? {
            None => true,
            Some((st, _)) => opts.which == Which::Undecided && st == "proposed",
        };
        if take {
            todo.push(key);
        }
    }
    let mut report = ReadReport { total: todo.len(), ..ReadReport::default() };
    progress(Progress { done: 0, total: report.total });
    for (i, key) in todo.into_iter().enumerate() {
        if cancel.is_cancelled() {
            report.cancelled = true;
            break;
        }
        // Gone since the search (moved or expunged by someone else): nothing to propose.
        if let Some(bytes) = session.fetch_message(key.uid).map_err(mailbox_error)? {
            let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
            if bytes.len() as u64 > MAX_BYTES {
                report.failed.push((key.clone(), format!("larger than {} MB: save it as .eml and create the case by hand", MAX_BYTES / (1024 * 1024))));
                remember_proposed(store, ctx, &key, &sha256)?;
            } else {
                match super::propose(store, ctx, &bytes) {
                    Ok(proposal) => {
                        remember_proposed(store, ctx, &key, &proposal.sha256)?;
                        report.proposals.push(MailboxProposal { key, proposal, bytes });
                    }
                    Err(e) if e.is_user_error() => {
                        report.failed.push((key.clone(), e.to_string()));
                        remember_proposed(store, ctx, &key, &sha256)?;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        progress(Progress { done: i + 1, total: report.total });
    }
    session.logout();
    Ok(report)
}

/// Creates the case `p` proposes (see [`super::accept`]) and remembers the message as
/// accepted. Refused when the message was accepted or dismissed already.
pub fn accept(store: &mut Store, ctx: &Context, p: &MailboxProposal) -> Result<Case> {
    match state_of(store, &p.key)? {
        Some((st, _)) if st == "accepted" => {
            return Err(InputError::new(p.key.locator(), "this message was accepted already", "find its case with `dsar case list`").into())
        }
        Some((st, _)) if st == "dismissed" => {
            return Err(InputError::new(p.key.locator(), "this message was dismissed", "create the case with `dsar case new` if it is a request after all").into())
        }
        _ => {}
    }
    let file_name = format!("{}-{}.eml", safe_name(&p.key.folder), p.key.uid);
    let case = super::accept(store, ctx, &p.proposal, &p.bytes, &file_name)?;
    // A second transaction: `super::accept` owns its own. Should the desk stop in between, the
    // message stays "proposed" and a later --accept would find the case as its duplicate.
    store.write(|tx| {
        tx.execute(
            "INSERT INTO imap_intake (account, folder, uid_validity, uid, state, sha256, case_id, updated_at) VALUES (?1, ?2, ?3, ?4, 'accepted', ?5, ?6, ?7)
             ON CONFLICT (account, folder, uid_validity, uid) DO UPDATE SET state = 'accepted', sha256 = excluded.sha256, case_id = excluded.case_id, updated_at = excluded.updated_at",
            rusqlite::params![p.key.account, p.key.folder, p.key.uid_validity, p.key.uid, p.proposal.sha256, case.id.to_string(), ctx.now.to_rfc3339()],
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(case)
}

/// Marks a proposed message as not a request: it is not proposed again. Audit event
/// `intake.dismissed` with the folder, UIDVALIDITY and UID (no address or content).
pub fn dismiss(store: &mut Store, ctx: &Context, key: &MessageKey) -> Result<()> {
    if let Some((st, _)) = state_of(store, key)? {
        if st == "accepted" {
            return Err(InputError::new(key.locator(), "this message was accepted as a case", "close the case instead: dsar case close").into());
        }
    }
    store.write(|tx| {
        tx.execute(
            "INSERT INTO imap_intake (account, folder, uid_validity, uid, state, sha256, updated_at) VALUES (?1, ?2, ?3, ?4, 'dismissed', '', ?5)
             ON CONFLICT (account, folder, uid_validity, uid) DO UPDATE SET state = 'dismissed', updated_at = excluded.updated_at",
            rusqlite::params![key.account, key.folder, key.uid_validity, key.uid, ctx.now.to_rfc3339()],
        )?;
        let details = json!({"folder": key.folder, "uid_validity": key.uid_validity, "uid": key.uid});
        audit::append(tx, None, &ctx.actor, "intake.dismissed", &details, ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// The key of a message the desk proposed from `folder` with this UID (the newest
/// UIDVALIDITY it was seen under), for a locator typed by the user.
pub fn find_proposed(store: &Store, folder: &str, uid: u32) -> Result<Option<MessageKey>> {
    let s = configured(store)?;
    let account = s.account();
    let v: Option<u32> = store
        .conn()
        .query_row(
            "SELECT max(uid_validity) FROM imap_intake WHERE account = ?1 AND folder = ?2 AND uid = ?3",
            rusqlite::params![account, folder, uid],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(v.map(|uid_validity| MessageKey { account, folder: folder.to_string(), uid_validity, uid }))
}

/// A folder name as part of a document's file name.
fn safe_name(folder: &str) -> String {
    let s: String = folder.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).take(40).collect();
    if s.is_empty() {
        "mailbox".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_name_folder_and_uid() {
        let k = MessageKey { account: "a@h:993".into(), folder: "INBOX".into(), uid_validity: 7, uid: 42 };
        assert_eq!(k.locator(), "imap:INBOX/42");
        assert_eq!(safe_name("Posteingang/Anträge"), "Posteingang_Anträge");
        assert_eq!(safe_name(""), "mailbox");
    }

    #[test]
    fn a_refused_login_names_the_password() {
        let e = mailbox_error(ImapError::AuthRefused { endpoint: "127.0.0.1:993".into() }).to_string();
        assert!(e.starts_with("password: "), "{e}");
        assert!(e.contains("dsar settings imap"), "{e}");
        let e = mailbox_error(ImapError::NoTls { endpoint: "127.0.0.1:143".into() }).to_string();
        assert!(e.contains("TLS") && e.starts_with("--port"), "{e}");
    }
}
