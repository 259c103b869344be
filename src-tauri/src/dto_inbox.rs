//! Wire types of the Inbox (proposed cases from request e-mails) and of the duplicate hint on
//! New case (TypeScript in `ui/src/bindings/`, like `dto.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An attachment of a request e-mail.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AttachmentDto {
    /// File name as given, or empty.
    pub name: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Media type, e.g. `application/pdf`.
    pub media_type: String,
}

/// A field the DPO should look at before accepting. `message` is the core's English text; the
/// window words the warning from `reason` and `params` (`intake.warn.*`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProposalWarningDto {
    /// `from`, `received`, `rights`, `language`, `name`.
    pub field: String,
    /// What was found and what was assumed.
    pub message: String,
    /// The warning as a code (`intake.warn.*`; `intake.warn.other` for one without its own).
    pub reason: crate::reason::Reason,
    /// The code's parameters (dates, time zone, language code).
    pub params: crate::reason::Params,
}

/// An existing case a new request may repeat (same identifier, open or closed within twelve
/// months: Art. 12(5)).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicateDto {
    /// Its reference, e.g. `DSAR-2026-0007`.
    pub reference: String,
    /// Its subject's name.
    pub name: String,
    /// Its status code.
    pub status: String,
    /// Day it was received.
    pub received: String,
    /// Day it was closed, when it was.
    pub closed_on: Option<String>,
}

/// A proposed case from one e-mail, waiting in the Inbox until accepted or dismissed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProposalDto {
    /// The Inbox entry's id (not stored anywhere else).
    pub id: String,
    /// The file's name (`request.eml` when none was given).
    pub file_name: String,
    /// Where it came from: `file` (dropped or chosen) or `mailbox`.
    pub source: String,
    /// Subject line of the e-mail.
    pub subject: String,
    /// The start of the e-mail's text, for the DPO to check the guessed rights against.
    pub excerpt: String,
    /// The sender's address, normalised; none when missing or unusable.
    pub from: Option<String>,
    /// The subject's name as guessed from the From display name.
    pub name: Option<String>,
    /// Day received (`YYYY-MM-DD`), in the controller's time zone.
    pub received: String,
    /// Guessed right codes (empty: the DPO chooses).
    pub rights: Vec<String>,
    /// Language code of the request.
    pub language: String,
    /// The case this one may repeat, as of now.
    pub duplicate: Option<DuplicateDto>,
    /// Attachments found.
    pub attachments: Vec<AttachmentDto>,
    /// Fields to check.
    pub warnings: Vec<ProposalWarningDto>,
    /// SHA-256 of the message bytes.
    pub sha256: String,
}

/// The DPO's corrections of a proposal before accepting it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct ProposalEdits {
    /// Sender address (the subject's identifier).
    pub from: String,
    /// Subject's name.
    pub name: String,
    /// Day received, `YYYY-MM-DD`.
    pub received: String,
    /// Right codes (at least one).
    pub rights: Vec<String>,
    /// Language code.
    pub language: String,
}

/// A file that could not be taken into the Inbox, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RefusedFileDto {
    /// The file's name.
    pub file_name: String,
    /// Why (the core's words).
    pub message: String,
    /// Why, as a code the window words (`intake.*`, `imap.*`).
    #[ts(optional = nullable)]
    pub reason: Option<crate::reason::Reason>,
    /// The code's parameters.
    pub params: crate::reason::Params,
}

/// What adding files did: the Inbox afterwards and the files refused (a bad file does not
/// stop the others).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct InboxAddedDto {
    /// Every proposal now in the Inbox, oldest first.
    pub items: Vec<ProposalDto>,
    /// Ids of the proposals the files just added became (or already were).
    pub added: Vec<String>,
    /// Files refused.
    pub refused: Vec<RefusedFileDto>,
}

/// The identifiers typed on New case, checked for an earlier case of the same person.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct DuplicateQuery {
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Further identifiers as `KEY=VALUE`.
    pub ids: Vec<String>,
}

/// A duplicate found for New case, and the field whose value matched.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DuplicateHintDto {
    /// `email`, `phone` or `ids`.
    pub field: String,
    /// The matching case.
    pub case: DuplicateDto,
}

/// Payload of the `mailbox-progress` event: `done` of `total` messages read.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MailboxProgressDto {
    /// Messages handled.
    #[ts(type = "number")]
    pub done: u64,
    /// Messages this read handles.
    #[ts(type = "number")]
    pub total: u64,
}

/// What reading the mailbox did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MailboxReadDto {
    /// Every proposal now in the Inbox, oldest first.
    pub items: Vec<ProposalDto>,
    /// Ids of the proposals the messages read became.
    pub added: Vec<String>,
    /// Messages that could not be proposed (`imap:FOLDER/UID`), with why.
    pub refused: Vec<RefusedFileDto>,
    /// Messages this read handled.
    #[ts(type = "number")]
    pub total: u64,
    /// The user stopped it: the rest stay for the next read.
    pub cancelled: bool,
}

/// The intake mailbox as Settings shows it (the password never leaves the desk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImapSettingsDto {
    /// Host name.
    pub host: String,
    /// TLS port (993).
    pub port: u16,
    /// Login.
    pub user: String,
    /// Folder read (`INBOX`).
    pub folder: String,
}

/// The intake mailbox as the DPO saves it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct ImapInput {
    /// Host name.
    pub host: String,
    /// TLS port.
    pub port: u16,
    /// Login.
    pub user: String,
    /// Folder read.
    pub folder: String,
    /// The password; empty keeps the stored one (for the same server).
    pub password: String,
}

pub(crate) fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    ProposalDto::export_all_to(dir)?;
    ProposalEdits::export_all_to(dir)?;
    InboxAddedDto::export_all_to(dir)?;
    DuplicateQuery::export_all_to(dir)?;
    DuplicateHintDto::export_all_to(dir)?;
    MailboxProgressDto::export_all_to(dir)?;
    MailboxReadDto::export_all_to(dir)?;
    ImapSettingsDto::export_all_to(dir)?;
    ImapInput::export_all_to(dir)?;
    Ok(())
}
