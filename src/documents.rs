//! Stored documents: the exact bytes of every letter, e-mail and bundle that was saved or
//! sent for a case, with their SHA-256, so the firm can show what went out. Storing one
//! appends its audit event (`document.saved` or `letter.sent`) in the same transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::cases::{Case, Context};
use crate::domain::Language;
use crate::error::{InputError, Result};
use crate::store::StoreError;

/// `kind` of an export bundle (letters use their letter kind, e.g. `access-response`).
pub const BUNDLE: &str = "bundle";

/// Media types the desk stores.
pub mod media {
    /// A letter as PDF.
    pub const PDF: &str = "application/pdf";
    /// An e-mail as sent or saved (`.eml`).
    pub const EMAIL: &str = "message/rfc822";
    /// An export bundle.
    pub const ZIP: &str = "application/zip";

    /// The media type recorded for a file the user attached (an authority, an ID seen, a
    /// processor's reply): what its first bytes say, else its extension.
    pub fn of(file_name: &str, content: &[u8]) -> &'static str {
        if content.starts_with(b"%PDF") {
            return PDF;
        }
        if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return "image/jpeg";
        }
        if content.starts_with(b"\x89PNG") {
            return "image/png";
        }
        match file_name.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
            Some("eml") => EMAIL,
            Some("pdf") => PDF,
            Some("txt") => "text/plain",
            _ => "application/octet-stream",
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn media_types_come_from_the_bytes_first() {
            assert_eq!(super::of("scan.txt", b"%PDF-1.7"), "application/pdf");
            assert_eq!(super::of("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
            assert_eq!(super::of("a.bin", b"xx"), "application/octet-stream");
        }
    }
}

/// A document to store.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    /// Letter kind (`access-response`, …) or [`BUNDLE`].
    pub kind: &'a str,
    /// Language it is written in.
    pub language: Language,
    /// File name it was saved or attached under.
    pub file_name: &'a str,
    /// Media type, see [`media`].
    pub media_type: &'a str,
    /// The exact bytes.
    pub content: &'a [u8],
    /// When it was sent by e-mail; `None` when only saved.
    pub sent_at: Option<DateTime<Utc>>,
    /// The e-mail's Message-ID, for an e-mail.
    pub message_id: Option<&'a str>,
}

/// A stored document, without its bytes (see [`read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// UUID v7.
    pub id: String,
    /// The case (UUID).
    pub case_id: String,
    /// Letter kind or `bundle`.
    pub kind: String,
    /// Language code.
    pub language: String,
    /// File name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// When it was stored (RFC 3339).
    pub created_at: String,
    /// When it was sent (RFC 3339), if it was.
    pub sent_at: Option<String>,
    /// The e-mail's Message-ID, if it is or went with an e-mail.
    pub message_id: Option<String>,
}

/// Stores a document inside the caller's transaction and records `letter.sent` (when
/// `sent_at` is set) or `document.saved`. The audit event holds the kind, media type, size,
/// SHA-256 and Message-ID — never content or addresses. `extra` (an object of codes and
/// counts, or `null`) is added to the event's details.
pub fn insert(tx: &Transaction<'_>, ctx: &Context, case: &Case, new: &NewDocument<'_>, extra: serde_json::Value) -> Result<Document> {
    let sha256 = hex::encode(Sha256::digest(new.content));
    store(tx, ctx, case, new, new.content, new.content.len() as u64, sha256, None, extra)
}

/// A document written to a file the user chose that is too large to keep twice (an export
/// bundle): records its size, SHA-256 and path, not its bytes ([`read`] refuses it).
pub fn insert_file(tx: &Transaction<'_>, ctx: &Context, case: &Case, new: &NewDocument<'_>, file: &FileRef, extra: serde_json::Value) -> Result<Document> {
    let path = file.path.to_string_lossy();
    store(tx, ctx, case, new, &[], file.bytes, file.sha256.clone(), Some(&path), extra)
}

/// A file on disk by its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    /// Where it was written.
    pub path: std::path::PathBuf,
    /// Its size.
    pub bytes: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

impl FileRef {
    /// Hashes the file at `path` in 1 MiB reads (memory stays flat whatever its size).
    pub fn of(path: &std::path::Path) -> std::io::Result<FileRef> {
        use std::io::Read;
        let mut f = std::fs::File::open(path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut bytes = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            bytes += n as u64;
        }
        Ok(FileRef { path: path.to_path_buf(), bytes, sha256: hex::encode(hasher.finalize()) })
    }
}

#[allow(clippy::too_many_arguments)]
fn store(
    tx: &Transaction<'_>,
    ctx: &Context,
    case: &Case,
    new: &NewDocument<'_>,
    content: &[u8],
    bytes: u64,
    sha256: String,
    path: Option<&str>,
    extra: serde_json::Value,
) -> Result<Document> {
    let id = uuid::Uuid::now_v7().to_string();
    let created_at = ctx.now.to_rfc3339_opts(SecondsFormat::Micros, true);
    let sent_at = new.sent_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true));
    let size = path.map(|_| i64::try_from(bytes).unwrap_or(i64::MAX));
    tx.execute(
        "INSERT INTO documents (id, case_id, kind, language, file_name, media_type, content, sha256, created_at, sent_at, message_id, size, path)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![id, case.id, new.kind, new.language.code(), new.file_name, new.media_type, content, sha256, created_at, sent_at, new.message_id, size, path],
    )?;
    let mut details = json!({
        "reference": case.reference.to_string(),
        "document": id,
        "kind": new.kind,
        "media_type": new.media_type,
        "bytes": bytes,
        "sha256": sha256,
    });
    if let Some(obj) = details.as_object_mut() {
        if let Some(m) = new.message_id {
            obj.insert("message_id".into(), json!(m));
        }
        if let serde_json::Value::Object(more) = extra {
            obj.extend(more);
        }
    }
    let action = if new.sent_at.is_some() { "letter.sent" } else { "document.saved" };
    audit::append(tx, Some(&case.id), &ctx.actor, action, &details, ctx.now)?;
    if new.sent_at.is_some() {
        crate::cases::start_work(tx, ctx, &case.id, "letter")?;
    }
    Ok(Document {
        id,
        case_id: case.id.clone(),
        kind: new.kind.to_string(),
        language: new.language.code().to_string(),
        file_name: new.file_name.to_string(),
        media_type: new.media_type.to_string(),
        bytes,
        sha256,
        created_at,
        sent_at,
        message_id: new.message_id.map(str::to_string),
    })
}

const COLUMNS: &str = "id, case_id, kind, language, file_name, media_type, COALESCE(size, length(content)), sha256, created_at, sent_at, message_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        case_id: r.get(1)?,
        kind: r.get(2)?,
        language: r.get(3)?,
        file_name: r.get(4)?,
        media_type: r.get(5)?,
        bytes: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
        sha256: r.get(7)?,
        created_at: r.get(8)?,
        sent_at: r.get(9)?,
        message_id: r.get(10)?,
    })
}

/// A case's documents, oldest first.
pub fn list(conn: &Connection, case_id: &str) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM documents WHERE case_id = ?1 ORDER BY created_at, id"))?;
    let rows = stmt.query_map([case_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One document of a case with its bytes, checked against the stored SHA-256 so a changed
/// file is never handed out as what was sent.
pub fn read(conn: &Connection, case_id: &str, id: &str) -> Result<(Document, Vec<u8>)> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS}, content, path FROM documents WHERE case_id = ?1 AND id = ?2"),
            [case_id, id],
            |r| Ok((row(r)?, r.get::<_, Vec<u8>>(11)?, r.get::<_, Option<String>>(12)?)),
        )
        .optional()?;
    let Some((doc, content, path)) = found else {
        return Err(InputError::new("document", "no such document on this case", "pick one from the case's document list").into());
    };
    if let Some(path) = path {
        return Err(InputError::new(
            "document",
            format!("{} is not kept inside the desk: it was written to {path} (SHA-256 {})", doc.file_name, doc.sha256),
            "open it there; compare its SHA-256 to see that it is unchanged",
        )
        .into());
    }
    if hex::encode(Sha256::digest(&content)) != doc.sha256 {
        return Err(StoreError::Corrupt { what: "documents.content".into() }.into());
    }
    Ok((doc, content))
}

/// Where a stored document's bytes are, for showing it to the user.
#[derive(Debug)]
pub enum Stored {
    /// Kept in the desk (letters, e-mails, files attached), checked against its SHA-256.
    Inside(Document, Vec<u8>),
    /// Kept only where the user saved it (an export bundle): check it with [`check_file`]
    /// before handing it out, outside any lock on the store (hashing may take a while).
    Outside(Document, std::path::PathBuf),
}

/// One document of a case, for viewing: its bytes when the desk keeps them, else the path it
/// was written to.
pub fn stored(conn: &Connection, case_id: &str, id: &str) -> Result<Stored> {
    let path: Option<Option<String>> =
        conn.query_row("SELECT path FROM documents WHERE case_id = ?1 AND id = ?2", [case_id, id], |r| r.get(0)).optional()?;
    match path {
        Some(Some(path)) => {
            let doc = list(conn, case_id)?.into_iter().find(|d| d.id == id);
            let doc = doc.ok_or_else(|| InputError::new("document", "no such document on this case", "pick one from the case's document list"))?;
            Ok(Stored::Outside(doc, path.into()))
        }
        _ => read(conn, case_id, id).map(|(doc, content)| Stored::Inside(doc, content)),
    }
}

/// What is at the path a document was written to now.
#[derive(Debug, PartialEq, Eq)]
pub enum FileCheck {
    /// The file as it was saved (same SHA-256).
    Unchanged(FileRef),
    /// No readable file there any more (moved, deleted, or the drive is not attached).
    Missing,
    /// A file whose content differs from what was saved.
    Changed,
}

/// Compares the file at `path` with the SHA-256 recorded for `doc`.
pub fn check_file(doc: &Document, path: &std::path::Path) -> FileCheck {
    match FileRef::of(path) {
        Ok(f) if f.sha256 == doc.sha256 => FileCheck::Unchanged(f),
        Ok(_) => FileCheck::Changed,
        Err(_) => FileCheck::Missing,
    }
}

/// When the last document of a kind was stored: its day and RFC 3339 time (an access
/// supplement names the letter it completes and lists what came after it).
pub fn latest_of_kind(conn: &Connection, case_id: &str, kind: &str) -> Result<Option<(chrono::NaiveDate, String)>> {
    let at: Option<String> = conn
        .query_row("SELECT max(created_at) FROM documents WHERE case_id = ?1 AND kind = ?2", params![case_id, kind], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(at.and_then(|at| DateTime::parse_from_rfc3339(&at).ok().map(|t| (t.date_naive(), at))))
}

/// The newest document of a case of one of `kinds` with `media_type`, with its bytes.
pub fn newest(conn: &Connection, case_id: &str, kinds: &[&str], media_type: &str) -> Result<Option<(Document, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM documents WHERE case_id = ?1 AND media_type = ?2 ORDER BY created_at DESC, id DESC"
    ))?;
    let mut rows = stmt.query(params![case_id, media_type])?;
    while let Some(r) = rows.next()? {
        let doc = row(r)?;
        if kinds.contains(&doc.kind.as_str()) {
            return read(conn, case_id, &doc.id).map(Some);
        }
    }
    Ok(None)
}
