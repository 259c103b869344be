//! A request e-mail read from its raw bytes (RFC 5322 / MIME through `mail-parser`): sender,
//! date, subject, the text of every body (HTML rendered to text, forwarded messages
//! included) and the attachments. Reading never fails on odd MIME — it yields what it can —
//! but refuses input that is not an e-mail or is built to exhaust the desk.

use chrono::{DateTime, Utc};
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// Largest `.eml` the desk reads: requests with scans attached stay well below; a larger
/// file is refused before it is read into memory.
pub const MAX_BYTES: u64 = 25 * 1024 * 1024;
/// Largest header section: real ones are a few KiB even with long Received chains.
const MAX_HEADER_BYTES: usize = 256 * 1024;
/// Most header fields.
const MAX_HEADER_FIELDS: usize = 2_000;
/// Most body text considered for guessing (forwarded threads can be long).
const MAX_TEXT_CHARS: usize = 200_000;

/// Why a file cannot be taken in. Messages name no personal data; the CLI adds the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// Larger than [`MAX_BYTES`].
    #[error("larger than 25 MB ({0} bytes) — save the message without its large attachments, or create the case with `dsar case new`")]
    TooLarge(u64),
    /// Empty, binary or without any header.
    #[error("not an e-mail (no header lines such as From: or Date:) — export the message from the mail program as .eml (\"Save as\")")]
    NotAnEmail,
    /// Header section beyond the limits.
    #[error("the header section is too large ({0}) — this is not an ordinary e-mail; open it in a mail program and forward it again")]
    HeaderBomb(String),
    /// The file could not be read.
    #[error("cannot read the file ({0}) — check the path and permissions")]
    Read(String),
}

impl IntakeError {
    /// Every one is about the file the user chose, so the core reports it as bad input for
    /// `message` (the front ends match on [`crate::Error`]'s variants, not on this type).
    pub fn is_user_error(&self) -> bool {
        true
    }
}

impl From<IntakeError> for crate::Error {
    fn from(e: IntakeError) -> crate::Error {
        let text = e.to_string();
        let (problem, fix) = text.split_once(" — ").unwrap_or((text.as_str(), "check the file"));
        crate::error::InputError::new("message", problem, fix).into()
    }
}

/// What the desk needs from a request e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Sender address as written (not yet normalised), if there is one.
    pub from: Option<String>,
    /// Sender display name, if any.
    pub from_name: Option<String>,
    /// The Date header as an instant, if present and valid.
    pub date: Option<DateTime<Utc>>,
    /// Subject, decoded.
    pub subject: String,
    /// Text of all bodies, HTML rendered to text, forwarded messages appended.
    pub text: String,
    /// Attachments other than the bodies.
    pub attachments: Vec<Attachment>,
    /// Message-ID, if any.
    pub message_id: Option<String>,
    /// The first message attached as `message/rfc822` (a request forwarded as attachment):
    /// its sender and date are the request's.
    pub forwarded: Option<Forwarded>,
    /// The subject says it is a forward (Fwd:, WG:, Doorgestuurd…): the sender may be a
    /// colleague rather than the subject.
    pub forward_subject: bool,
}

/// Sender and date of a message forwarded as an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwarded {
    /// Its sender address.
    pub from: Option<String>,
    /// Its sender's display name.
    pub from_name: Option<String>,
    /// Its Date.
    pub date: Option<DateTime<Utc>>,
}

/// One attachment, described, not kept apart (the whole message is stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name as given, or empty.
    pub name: String,
    /// Size in bytes after decoding.
    pub size: usize,
    /// Media type, e.g. `application/pdf`.
    pub media_type: String,
}

/// Reads a file, refusing one larger than [`MAX_BYTES`] before reading it.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>, IntakeError> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| IntakeError::Read(e.kind().to_string()))?;
    let len = f.metadata().map_err(|e| IntakeError::Read(e.kind().to_string()))?.len();
    if len > MAX_BYTES {
        return Err(IntakeError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // `take` again: the file may grow between the size check and the read.
    f.take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(|e| IntakeError::Read(e.kind().to_string()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(IntakeError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parses raw message bytes. Any byte string yields a [`Message`] or an [`IntakeError`].
pub fn parse(bytes: &[u8]) -> Result<Message, IntakeError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(IntakeError::TooLarge(bytes.len() as u64));
    }
    check_header(bytes)?;
    let parsed = MessageParser::default().parse(bytes).ok_or(IntakeError::NotAnEmail)?;
    let (from, from_name) = sender(&parsed);
    let date = date_of(&parsed);
    let mut forwarded = None;
    let subject = parsed.subject().unwrap_or("").to_string();
    if from.is_none() && date.is_none() && subject.is_empty() && parsed.message_id().is_none() {
        return Err(IntakeError::NotAnEmail);
    }
    let mut text = String::new();
    for i in 0..parsed.text_body_count().max(1) {
        if let Some(t) = parsed.body_text(i) {
            push_text(&mut text, &t);
        }
    }
    let mut attachments = Vec::new();
    for part in parsed.attachments() {
        if let PartType::Message(inner) = &part.body {
            if forwarded.is_none() {
                let (from, from_name) = sender(inner);
                forwarded = Some(Forwarded { from, from_name, date: date_of(inner) });
            }
            // A forwarded request: its words count, its attachments are its own.
            push_text(&mut text, inner.subject().unwrap_or(""));
            if let Some(t) = inner.body_text(0) {
                push_text(&mut text, &t);
            }
        }
        match &part.body {
            // Text parts the parser could not place as bodies (broken boundaries, a letter
            // attached as .txt) still carry the request's words.
            PartType::Text(t) => push_text(&mut text, t),
            PartType::Html(h) => push_text(&mut text, &mail_parser::decoders::html::html_to_text(h)),
            _ => {}
        }
        let media_type = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_ascii_lowercase();
        attachments.push(Attachment { name: part.attachment_name().unwrap_or("").to_string(), size: part.body.len(), media_type });
    }
    let lower = subject.trim_start().to_lowercase();
    let forward_subject = ["fwd:", "fw:", "wg:", "wtrlt:", "doorgestuurd", "tr:"].iter().any(|p| lower.starts_with(p));
    Ok(Message { from, from_name, date, subject, text, attachments, message_id: parsed.message_id().map(str::to_string), forwarded, forward_subject })
}

fn sender(m: &mail_parser::Message<'_>) -> (Option<String>, Option<String>) {
    match m.from().and_then(|a| a.first()) {
        Some(addr) => (addr.address().map(str::to_string), addr.name().map(|n| n.trim().to_string()).filter(|n| !n.is_empty())),
        None => (None, None),
    }
}

fn date_of(m: &mail_parser::Message<'_>) -> Option<DateTime<Utc>> {
    m.date().filter(|d| d.is_valid()).and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0))
}

fn push_text(text: &mut String, more: &str) {
    let room = MAX_TEXT_CHARS.saturating_sub(text.chars().count());
    if room == 0 {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.extend(more.chars().take(room));
}

/// Refuses what is not a header section (binary, a PDF, plain prose) and header bombs before
/// the parser sees them.
fn check_header(bytes: &[u8]) -> Result<(), IntakeError> {
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let looks_like_header = first_line.starts_with(b"From ")
        || first_line.iter().position(|b| *b == b':').is_some_and(|i| i > 0 && first_line[..i].iter().all(|b| b.is_ascii_graphic() && *b != b':'));
    if !looks_like_header {
        return Err(IntakeError::NotAnEmail);
    }
    let end = find_blank_line(bytes).unwrap_or(bytes.len());
    if end > MAX_HEADER_BYTES {
        return Err(IntakeError::HeaderBomb(format!("{end} bytes")));
    }
    let fields = bytes[..end].split(|b| *b == b'\n').filter(|l| l.first().is_some_and(|b| !b.is_ascii_whitespace())).count();
    if fields > MAX_HEADER_FIELDS {
        return Err(IntakeError::HeaderBomb(format!("{fields} fields")));
    }
    Ok(())
}

fn find_blank_line(bytes: &[u8]) -> Option<usize> {
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_message() {
        let m = parse(b"From: Erika Muster <erika@example.org>\r\nDate: Tue, 3 Mar 2026 10:00:00 +0100\r\nSubject: Auskunft\r\n\r\nBitte um Auskunft.\r\n").expect("parses");
        assert_eq!(m.from.as_deref(), Some("erika@example.org"));
        assert_eq!(m.from_name.as_deref(), Some("Erika Muster"));
        assert_eq!(m.subject, "Auskunft");
        assert!(m.text.contains("Bitte um Auskunft"));
        assert_eq!(m.date.map(|d| d.to_rfc3339()).as_deref(), Some("2026-03-03T09:00:00+00:00"));
    }

    #[test]
    fn refusals() {
        assert_eq!(parse(b""), Err(IntakeError::NotAnEmail));
        assert_eq!(parse(b"%PDF-1.7\n%\xe2\xe3\n"), Err(IntakeError::NotAnEmail));
        assert_eq!(parse(b"Hello, please delete my data.\n"), Err(IntakeError::NotAnEmail));
        let bomb = "X-A: b\r\n".repeat(5_000) + "\r\nbody";
        assert!(matches!(parse(bomb.as_bytes()), Err(IntakeError::HeaderBomb(_))));
    }
}
