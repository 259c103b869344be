//! What importing a register file would change, shown before the DPO replaces the register:
//! systems added, removed or changed (with the fields that differ) and the controller's
//! changed fields. Read-only; the import itself is `register_store::import_file`.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{InputError, Result};
use crate::register::{self, Register};
use crate::store::Store;

/// A system as the preview names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Register id.
    pub id: String,
    /// Name in the controller's language.
    pub name: String,
}

/// A system in both registers whose entry differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// The system.
    pub system: Named,
    /// Top-level fields that differ (`purposes`, `connector`, …), in the file's order.
    pub fields: Vec<String>,
}

/// What the import would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview {
    /// Whether a register is imported already (without one, everything is added).
    pub replaces: bool,
    /// Systems only in the file.
    pub added: Vec<Named>,
    /// Systems only in the current register: their searches stop with the import.
    pub removed: Vec<Named>,
    /// Systems in both that differ.
    pub changed: Vec<Changed>,
    /// Systems in both, the same.
    pub unchanged: usize,
    /// Controller fields that differ (`name`, `dpo`, …).
    pub controller: Vec<String>,
    /// SHA-256 of the file as read: the confirmed import refuses a file changed since.
    pub sha256: String,
}

impl ImportPreview {
    /// Whether the file would change nothing.
    pub fn is_empty(&self) -> bool {
        self.replaces && self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.controller.is_empty()
    }
}

/// Reads and checks `file` as an import would (every problem reported the same way) and
/// compares it with the current register. Changes nothing.
pub fn preview(store: &Store, file: &Path) -> Result<ImportPreview> {
    let text = read(file)?;
    let dir = std::path::absolute(file).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    let new = register::parse(&text, &dir)?;
    let current = crate::register_store::current(store)?;
    Ok(compare(current.as_ref(), &new, hex::encode(Sha256::digest(text.as_bytes()))))
}

/// The SHA-256 of the file as it is now (for the confirmed import).
pub fn file_sha256(file: &Path) -> Result<String> {
    Ok(hex::encode(Sha256::digest(read(file)?.as_bytes())))
}

fn read(file: &Path) -> Result<String> {
    std::fs::read_to_string(file)
        .map_err(|e| InputError::new("FILE", format!("cannot read {}: {e}", file.display()), "check the path to the register JSON file").into())
}

fn compare(current: Option<&Register>, new: &Register, sha256: String) -> ImportPreview {
    let lang = new.controller.language();
    let named = |s: &crate::register::System| Named { id: s.id.clone(), name: s.name.pick(lang, lang).to_string() };
    let Some(cur) = current else {
        return ImportPreview { replaces: false, added: new.systems.iter().map(named).collect(), removed: vec![], changed: vec![], unchanged: 0, controller: vec![], sha256 };
    };
    let as_json = |r: &Register| serde_json::from_str::<Value>(&register::to_json(r)).unwrap_or(Value::Null);
    let (old_doc, new_doc) = (as_json(cur), as_json(new));
    let systems_of = |d: &Value| d.get("systems").and_then(Value::as_array).cloned().unwrap_or_default();
    let (old_systems, new_systems) = (systems_of(&old_doc), systems_of(&new_doc));
    let find = |list: &[Value], id: &str| list.iter().find(|s| s.get("id").and_then(Value::as_str) == Some(id)).cloned();
    let mut preview = ImportPreview { replaces: true, added: vec![], removed: vec![], changed: vec![], unchanged: 0, controller: vec![], sha256 };
    for s in &new.systems {
        match (find(&old_systems, &s.id), find(&new_systems, &s.id)) {
            (None, _) => preview.added.push(named(s)),
            (Some(old), Some(now)) => {
                let fields = differing(&old, &now);
                if fields.is_empty() {
                    preview.unchanged += 1;
                } else {
                    preview.changed.push(Changed { system: named(s), fields });
                }
            }
            (Some(_), None) => preview.unchanged += 1,
        }
    }
    let ctl_lang = cur.controller.language();
    preview.removed = cur
        .systems
        .iter()
        .filter(|s| new.system(&s.id).is_none())
        .map(|s| Named { id: s.id.clone(), name: s.name.pick(ctl_lang, ctl_lang).to_string() })
        .collect();
    if let (Some(a), Some(b)) = (old_doc.get("controller"), new_doc.get("controller")) {
        preview.controller = differing(a, b);
    }
    preview
}

/// Top-level keys whose values differ, in the order of `now` then those only in `old`.
fn differing(old: &Value, now: &Value) -> Vec<String> {
    let (Some(o), Some(n)) = (old.as_object(), now.as_object()) else { return vec![] };
    let mut out: Vec<String> = n.iter().filter(|(k, v)| o.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect();
    out.extend(o.keys().filter(|k| !n.contains_key(*k)).cloned());
    out
}

/// Imports `file` as previewed: refused when it changed since (the DPO confirmed what the
/// preview showed, not whatever the file holds now).
pub fn import_confirmed(store: &mut Store, ctx: &crate::cases::Context, file: &Path, previewed_sha256: &str) -> Result<Register> {
    if file_sha256(file)? != previewed_sha256 {
        return Err(InputError::new("FILE", "the file changed since it was previewed", "preview the import again and check what it changes").into());
    }
    crate::register_store::import_file(store, ctx, file)
}
