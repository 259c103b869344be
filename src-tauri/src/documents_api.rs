//! A case's stored documents opened in the system's viewer. The window passes a case reference
//! and a document id, never a path: the desk writes the stored bytes into its own document
//! folder (`documents` under the app's data folder, 0700, one file per document id, wiped when
//! the desk locks, at start and at exit) or, for an export bundle kept only where the user
//! saved it, checks that file is still there unchanged; `commands::open_document` then hands
//! the file to the opener plugin.

use std::path::{Path, PathBuf};

use dsar::cases;
use dsar::documents::{self, Document, FileCheck, Stored};

use crate::error::{output_error, ApiError, ErrorCode};
use crate::reason::Reason;
use crate::Desk;

/// The file to show for document `id` of case `reference`: a copy of the stored bytes in the
/// desk's document folder, or the bundle where it was saved once its SHA-256 is checked. The
/// store is held only for the read; the bundle is hashed and the copy written without it.
pub fn document_file(desk: &Desk, reference: String, id: String) -> Result<PathBuf, ApiError> {
    let stored = desk.with_store(|s| {
        let case = cases::get(s, &reference)?;
        Ok(documents::stored(s.conn(), &case.id, &id)?)
    })?;
    match stored {
        Stored::Inside(doc, content) => write_copy(desk, &doc, &content),
        Stored::Outside(doc, path) => match documents::check_file(&doc, &path) {
            FileCheck::Unchanged(file) => Ok(file.path),
            FileCheck::Missing => Err(ApiError::new(
                ErrorCode::NotFound,
                format!("{} is no longer where it was saved ({}) — put it back there, or export the bundle again", doc.file_name, path.display()),
            )
            .because(Reason::DocumentMissing)),
            FileCheck::Changed => Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{} at {} was changed since it was saved (its SHA-256 differs) — export the bundle again", doc.file_name, path.display()),
            )
            .because(Reason::DocumentChanged)),
        },
    }
}

/// Writes `content` to `<documents>/<id>/<file name>` (the folder and the file readable by the
/// user only), replacing an earlier copy, so the viewer shows exactly what was stored.
fn write_copy(desk: &Desk, doc: &Document, content: &[u8]) -> Result<PathBuf, ApiError> {
    // The id comes from the database row, not the window; a UUID is a safe folder name.
    let id = uuid::Uuid::parse_str(&doc.id).map_err(|_| ApiError::internal("a stored document has a malformed id"))?;
    let folder = desk.documents_dir().join(id.hyphenated().to_string());
    let io = |e: std::io::Error| output_error("document", dsar::output::OutputError::Io { path: folder.clone(), source: e });
    private_dir(desk.documents_dir()).map_err(io)?;
    private_dir(&folder).map_err(io)?;
    let file = folder.join(safe_name(doc));
    dsar::output::write_atomic(&desk.db_path()?, &file, content).map_err(|e| output_error("document", e))?;
    Ok(file)
}

/// Creates `dir` (its parents as usual) readable by the user only, and makes an existing one so.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

/// The document's own file name as one harmless path segment (the viewer shows it as the
/// title); a name with nothing left is `document.<ext>` after its media type.
pub fn safe_name(doc: &Document) -> String {
    let base = doc.file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().map(|c| if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c }).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        let ext = match doc.media_type.as_str() {
            documents::media::PDF => "pdf",
            documents::media::EMAIL => "eml",
            documents::media::ZIP => "zip",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "text/plain" => "txt",
            _ => "bin",
        };
        return format!("document.{ext}");
    }
    // Long names are cut at a character boundary (file systems allow 255 bytes).
    let mut end = cleaned.len().min(200);
    while !cleaned.is_char_boundary(end) {
        end -= 1;
    }
    cleaned[..end].to_string()
}

/// Removes the desk's document folder and every copy in it (best effort: a file a viewer still
/// holds open is unlinked all the same on Unix).
pub fn wipe(dir: &Path) {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => eprintln!("dsar-desk: could not remove the document folder {}: {e}", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(file_name: &str, media_type: &str) -> Document {
        Document {
            id: uuid::Uuid::now_v7().to_string(),
            case_id: "c".into(),
            kind: "access-response".into(),
            language: "de".into(),
            file_name: file_name.into(),
            media_type: media_type.into(),
            bytes: 1,
            sha256: String::new(),
            created_at: String::new(),
            sent_at: None,
            message_id: None,
        }
    }

    #[test]
    fn a_stored_file_name_becomes_one_harmless_segment() {
        for (name, media, want) in [
            ("DSAR-2026-0001-access-response.pdf", "application/pdf", "DSAR-2026-0001-access-response.pdf"),
            ("../../etc/passwd", "text/plain", "passwd"),
            ("C:\\Users\\dpo\\Antwort.eml", "message/rfc822", "Antwort.eml"),
            (".hidden", "application/pdf", "hidden"),
            ("a\u{7}b:c.pdf", "application/pdf", "a_b_c.pdf"),
            ("", "application/pdf", "document.pdf"),
            ("..", "image/png", "document.png"),
        ] {
            assert_eq!(safe_name(&doc(name, media)), want, "{name:?}");
        }
        assert!(safe_name(&doc(&"ä".repeat(300), "application/pdf")).len() <= 200);
    }
}
