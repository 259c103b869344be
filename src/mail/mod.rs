//! E-mail: a letter as a plain-text message with its PDF (and optionally the bundle)
//! attached, saved as `.eml` or sent over SMTP. Errors never contain addresses, passwords or
//! server replies (which often quote the addresses).

mod deliver;
mod smtp;
pub mod imap;

use std::io::Write;
use std::path::{Path, PathBuf};

use lettre::message::header::ContentType;
use lettre::message::{Attachment as MimeAttachment, MultiPart, SinglePart};
pub use lettre::message::Mailbox;
pub use lettre::Message;

pub use deliver::{deliver_letter, Delivered, Delivery, LetterParts};
pub use smtp::{send, TIMEOUT};

/// Why an e-mail could not be composed, saved or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The chosen `.eml` file is the desk's own database.
    #[error(transparent)]
    Target(#[from] crate::output::OutputError),
    /// An address does not parse.
    #[error("{field}: not a valid e-mail address — correct it")]
    Address {
        /// Which address (`from`, `to`, the subject's e-mail).
        field: &'static str,
    },
    /// The case has no e-mail address to write to.
    #[error("the case has no e-mail address to send the letter to: print the PDF and send it by post, or record the address on a new case")]
    NoRecipient,
    /// The subject line would reveal the subject.
    #[error("the letter's subject line contains the subject's name or an identifier: subject lines carry only the case reference — change the template")]
    PersonalSubjectLine,
    /// The message could not be put together.
    #[error("cannot compose the e-mail: {0}")]
    Compose(String),
    /// An attachment's media type is not valid.
    #[error("attachment: '{0}' is not a media type — use e.g. application/pdf")]
    MediaType(String),
    /// No SMTP server configured.
    #[error("no mail server configured: run `dsar settings smtp --host H --port P --security starttls --from ADDR` first")]
    NotConfigured,
    /// The password secret named in the settings is not stored.
    #[error("the SMTP password secret '{0}' is not stored: run `dsar secret set {0}`")]
    MissingSecret(String),
    /// Settings are invalid (e.g. plain SMTP to another machine).
    #[error(transparent)]
    Settings(#[from] crate::InputError),
    /// The extra CA file cannot be used.
    #[error("cannot use the CA certificate {path}: {reason} — point --ca-file at a PEM certificate")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The server refused the login.
    #[error("the mail server refused the login (SMTP {code}): check --user and the password stored in the secret")]
    AuthRefused {
        /// SMTP reply code.
        code: String,
    },
    /// The server wants a login and none is configured.
    #[error("the mail server requires a login (SMTP {code}): set --user and --password-secret with `dsar settings smtp`")]
    AuthRequired {
        /// SMTP reply code.
        code: String,
    },
    /// The server offers no login method over this connection.
    #[error("the mail server offers no login method over this connection: use --security starttls or tls")]
    NoAuthMethod,
    /// Nothing answers at host:port.
    #[error("cannot reach the mail server {host}:{port}: check host and port, and that this computer is online")]
    Unreachable {
        /// Host.
        host: String,
        /// Port.
        port: u16,
    },
    /// The server did not answer in time.
    #[error("the mail server {host}:{port} did not answer within {secs} seconds: check host and port, or try again later")]
    Timeout {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Timeout.
        secs: u64,
    },
    /// The connection could not be secured.
    #[error("TLS with {host}:{port} failed (certificate not trusted, wrong host name, or the port does not speak {security}): check --security (starttls for 587, tls for 465) and the server's certificate")]
    Tls {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Configured security.
        security: &'static str,
    },
    /// The server refused the message for good.
    #[error("the mail server refused the message (SMTP {code}): check that the sender address may send through this server and that the recipient address is right")]
    Rejected {
        /// SMTP reply code.
        code: String,
    },
    /// The server refused the message for now.
    #[error("the mail server cannot take the message now (SMTP {code}): try again later")]
    Temporary {
        /// SMTP reply code.
        code: String,
    },
    /// The server spoke something unexpected.
    #[error("the mail server {host}:{port} answered unexpectedly: check host, port and --security")]
    Protocol {
        /// Host.
        host: String,
        /// Port.
        port: u16,
    },
    /// The `.eml` file could not be written.
    #[error("cannot write {path}: {source} — check the folder exists and is writable")]
    Io {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Loading the case or settings, or storing the documents failed.
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl MailError {
    /// Whether the user can fix this (exit code 1) rather than a fault of the program (2).
    pub fn is_user_error(&self) -> bool {
        match self {
            MailError::Compose(_) | MailError::PersonalSubjectLine => false,
            MailError::Core(e) => e.is_user_error(),
            _ => true,
        }
    }
}

impl From<crate::store::StoreError> for MailError {
    fn from(e: crate::store::StoreError) -> MailError {
        MailError::Core(e.into())
    }
}

/// A mailbox from an address and an optional display name.
pub fn mailbox(name: Option<&str>, address: &str, field: &'static str) -> Result<Mailbox, MailError> {
    let addr = address.trim().parse::<lettre::Address>().map_err(|_| MailError::Address { field })?;
    Ok(Mailbox::new(name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()), addr))
}

/// A file to attach: `(file name, media type, bytes)`.
pub type Attachment<'a> = (&'a str, &'a str, &'a [u8]);

/// Composes the e-mail: the letter's text as the plain-text body, each attachment after it,
/// and a fresh Message-ID (the audit trail records it to prove what was sent).
pub fn compose(from: &Mailbox, to: &Mailbox, subject_line: &str, text: &str, attachments: &[Attachment<'_>]) -> Result<Message, MailError> {
    let mut body = MultiPart::mixed().singlepart(SinglePart::plain(text.to_string()));
    for (file_name, media_type, bytes) in attachments {
        let ct = ContentType::parse(media_type).map_err(|_| MailError::MediaType(media_type.chars().take(60).collect()))?;
        body = body.singlepart(MimeAttachment::new((*file_name).to_string()).body(bytes.to_vec(), ct));
    }
    Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(subject_line)
        .message_id(None)
        .multipart(body)
        .map_err(|e| MailError::Compose(compose_reason(&e)))
}

fn compose_reason(e: &lettre::error::Error) -> String {
    // lettre's messages name the problem, never the address; keep it that way explicitly.
    match e {
        lettre::error::Error::MissingFrom => "no sender".into(),
        lettre::error::Error::MissingTo => "no recipient".into(),
        lettre::error::Error::TooManyFrom => "more than one sender".into(),
        lettre::error::Error::CannotParseFilename => "an attachment's file name cannot be encoded".into(),
        lettre::error::Error::NonAsciiChars => "an address contains characters the server cannot take".into(),
        _ => "an address is incomplete".into(),
    }
}

/// The Message-ID of a composed message, e.g. `<0190…@host>`.
pub fn message_id(message: &Message) -> Option<String> {
    message.headers().get_raw("Message-ID").map(|s| s.trim().to_string())
}

/// Writes the message as an `.eml` file (RFC 5322, opens in any mail program). Written to a
/// temporary file first and moved into place, so a failure never leaves half a message.
pub fn save_eml(message: &Message, path: &Path) -> Result<(), MailError> {
    let io = |source| MailError::Io { path: path.to_path_buf(), source };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("letter.eml");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::output::sweep_stale(dir);
    }
    let tmp = path.with_file_name(format!(".{name}.{}.part", uuid::Uuid::now_v7()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::options().write(true).create_new(true).open(&tmp)?;
        f.write_all(&message.formatted())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
