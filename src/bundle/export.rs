//! `export`: the user action behind `dsar export` and the app's Export button — build a case's
//! bundle into a file and keep it as a stored document, all or nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{build, BundleError, BundleOptions, Manifest, ProgressFn};
use crate::connectors::Cancel;
use crate::cases::{self, Context};
use crate::documents::{self, media, Document, NewDocument, BUNDLE};
use crate::store::Store;
use crate::{evidence, register_store};

/// Letter kinds whose PDF belongs in a bundle: the answers that come with a copy of the data.
pub const LETTER_KINDS: &[&str] = &["access-response", "portability-response"];

/// What an export produced.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The bundle file.
    pub path: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// The stored document (size and SHA-256 of the whole archive).
    pub document: Document,
    /// File name of the letter included, if any.
    pub letter: Option<String>,
}

/// A temporary file beside the target, removed unless it is moved into place: a failed
/// export never leaves a half-written bundle under the name the user asked for.
struct Partial {
    path: PathBuf,
    keep: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Builds the bundle of case `reference` into `out`, including the newest stored
/// access/portability letter PDF, and stores the archive as a document of the case.
pub fn export(store: &mut Store, ctx: &Context, reference: &str, out: &Path, password: Option<String>) -> Result<Exported, BundleError> {
    export_watched(store, ctx, reference, out, password, None, None)
}

/// [`export`] with progress after every data file and a cancel flag checked before each: a
/// cancelled export returns [`BundleError::Cancelled`] and leaves neither file nor record.
pub fn export_watched(
    store: &mut Store,
    ctx: &Context,
    reference: &str,
    out: &Path,
    password: Option<String>,
    progress: Option<ProgressFn>,
    cancel: Option<Cancel>,
) -> Result<Exported, BundleError> {
    crate::output::check_target(store.path(), out)?;
    let case = cases::get(store, reference)?;
    let register = register_store::current(store)?.ok_or(BundleError::NoRegister)?;
    let found = evidence::for_case(store.conn(), &case.id)?;
    let results = evidence::results(store.conn(), &case.id)?;
    let letter = documents::newest(store.conn(), &case.id, LETTER_KINDS, media::PDF)?;
    let options = BundleOptions { password, generated_at: ctx.now, progress, cancel: cancel.clone() };

    let out_err = |source| BundleError::Output { path: out.to_path_buf(), source };
    let file_name = out.file_name().and_then(|n| n.to_str()).unwrap_or("bundle.zip").to_string();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::output::sweep_stale(dir);
    }
    let part = Partial { path: out.with_file_name(format!(".{file_name}.{}.part", uuid::Uuid::now_v7())), keep: false };
    let file = File::options().write(true).create_new(true).read(true).open(&part.path).map_err(out_err)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let manifest = build(&case, &register, &found, &results, letter.as_ref().map(|(d, b)| (d.file_name.as_str(), b.as_slice())), &options, &mut w)?;
    w.flush().map_err(BundleError::Write)?;
    let file = w.into_inner().map_err(|e| BundleError::Write(e.into_error()))?;
    file.sync_all().map_err(BundleError::Write)?;
    drop(file);
    drop(found);
    if cancel.as_ref().is_some_and(Cancel::is_cancelled) {
        return Err(BundleError::Cancelled);
    }

    // Hashed from the file in small reads: a bundle is never held in memory whole, nor kept a
    // second time inside the database (a value there cannot pass 1 GB).
    let mut file_ref = documents::FileRef::of(&part.path).map_err(out_err)?;
    file_ref.path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let new = NewDocument {
        kind: BUNDLE,
        language: case.language,
        file_name: &file_name,
        media_type: media::ZIP,
        content: &[],
        sent_at: None,
        message_id: None,
    };
    let extra = json!({
        "records": manifest.records,
        "systems": manifest.systems.iter().filter(|s| s.records > 0).count(),
        "files": manifest.files.len(),
        "encrypted": manifest.encrypted,
        "letter_included": letter.is_some(),
    });
    // The file is moved into place inside the transaction: if the move fails nothing is
    // recorded, and if the commit fails the file is removed again.
    let mut part = part;
    let document = store.write(|tx| {
        let doc = documents::insert_file(tx, ctx, &case, &new, &file_ref, extra)?;
        std::fs::rename(&part.path, out).map_err(out_err)?;
        part.path = out.to_path_buf();
        Ok::<_, BundleError>(doc)
    })?;
    part.keep = true;
    Ok(Exported { path: out.to_path_buf(), manifest, document, letter: letter.map(|(d, _)| d.file_name) })
}
