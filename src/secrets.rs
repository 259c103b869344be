//! Secrets (SMTP password, connector credentials, hash keys): only inside the encrypted
//! database, referenced from the register as `{secret:NAME}`, never printed.

use rusqlite::OptionalExtension;
use serde_json::json;

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::store::Store;

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(InputError::new("NAME", "a secret name is 1–64 letters, digits, '_', '.' or '-'", "e.g. dsar secret set cleverreach_token").into())
    }
}

/// Stores or replaces a secret. The audit trail records the name, never the value.
pub fn set(store: &mut Store, ctx: &Context, name: &str, value: &str) -> Result<()> {
    check_name(name)?;
    // A trailing newline from `echo value |` is never part of a token or password.
    let value = value.strip_suffix('\n').map(|v| v.strip_suffix('\r').unwrap_or(v)).unwrap_or(value);
    if value.is_empty() {
        return Err(InputError::new("value", "the secret is empty", "pipe the value on standard input, e.g. dsar secret set NAME < token.txt").into());
    }
    store.write(|tx| {
        let existed: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM secrets WHERE name = ?1)", [name], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO secrets (name, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            rusqlite::params![name, value.as_bytes(), ctx.now.to_rfc3339()],
        )?;
        audit::append(tx, None, &ctx.actor, if existed { "secret.replaced" } else { "secret.set" }, &json!({"name": name}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// Reads a secret for a connector or the mailer.
pub fn get(store: &Store, name: &str) -> Result<Option<String>> {
    let v: Option<Vec<u8>> = store.conn().query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    Ok(v.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

/// Names of the stored secrets (never their values).
pub fn names(store: &Store) -> Result<Vec<String>> {
    let mut stmt = store.conn().prepare("SELECT name FROM secrets ORDER BY name")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
