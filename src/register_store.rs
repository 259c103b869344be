//! The register as kept in the database: every import is a new version; the newest is current.

use std::path::Path;

use rusqlite::OptionalExtension;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::register::{self, Register};
use crate::store::Store;

/// Imports a register file: validates it completely first, so a broken file changes nothing.
pub fn import_file(store: &mut Store, ctx: &Context, file: &Path) -> Result<Register> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        InputError::new("FILE", format!("cannot read {}: {e}", file.display()), "check the path to the register JSON file")
    })?;
    // Relative connector paths are resolved against the register file's own folder.
    let dir = std::path::absolute(file).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import_text(store, ctx, &text, &dir, &name)
}

/// Imports register JSON text; `base_dir` resolves relative connector paths.
pub fn import_text(store: &mut Store, ctx: &Context, text: &str, base_dir: &Path, source_name: &str) -> Result<Register> {
    let reg = register::parse(text, base_dir)?;
    let canonical = register::to_json(&reg);
    let sha = hex::encode(Sha256::digest(canonical.as_bytes()));
    store.write(|tx| {
        tx.execute(
            "INSERT INTO register_versions (imported_at, source_name, sha256, json) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![ctx.now.to_rfc3339(), source_name, sha, canonical],
        )?;
        let version = tx.last_insert_rowid();
        audit::append(
            tx,
            None,
            &ctx.actor,
            "register.imported",
            &json!({"version": version, "sha256": sha, "systems": reg.systems.len(), "source": source_name}),
            ctx.now,
        )?;
        Ok::<_, Error>(())
    })?;
    Ok(reg)
}

/// Stores the current register with its controller section (controller, DPO, supervisory
/// authority, defaults) replaced by `controller`, as a new version. The result goes through
/// the same schema and checks as an import, so an edit cannot store what an import would refuse;
/// problems point at `/controller/...`. Audit event `register.controller-edited`.
pub fn update_controller(store: &mut Store, ctx: &Context, controller: &register::Controller) -> Result<Register> {
    let Some(mut reg) = current(store)? else {
        return Err(InputError::new("register", "no register imported yet", "import the register first (Register screen, or dsar register import FILE)").into());
    };
    reg.controller = controller.clone();
    // Stored connector paths are absolute, so the base folder does not matter.
    let checked = register::parse(&register::to_json(&reg), Path::new("/"))?;
    let canonical = register::to_json(&checked);
    let sha = hex::encode(Sha256::digest(canonical.as_bytes()));
    store.write(|tx| {
        tx.execute(
            "INSERT INTO register_versions (imported_at, source_name, sha256, json) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![ctx.now.to_rfc3339(), "settings", sha, canonical],
        )?;
        let version = tx.last_insert_rowid();
        audit::append(tx, None, &ctx.actor, "register.controller-edited", &json!({"version": version, "sha256": sha, "dpo": checked.controller.dpo.is_some()}), ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(checked)
}

/// The current register, if one was imported.
pub fn current(store: &Store) -> Result<Option<Register>> {
    let text: Option<String> = store
        .conn()
        .query_row("SELECT json FROM register_versions ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?;
    match text {
        // Stored paths are already absolute, so the base folder does not matter.
        Some(t) => Ok(Some(register::parse(&t, Path::new("/"))?)),
        None => Ok(None),
    }
}

/// The current register as `dsar-register` v1 JSON.
pub fn export(store: &Store) -> Result<String> {
    match current(store)? {
        Some(r) => Ok(register::to_json(&r)),
        None => Err(InputError::new("register", "no register imported yet", "run dsar register import FILE").into()),
    }
}
