//! Secrets (SMTP password, connector credentials, hash keys): only inside the encrypted
//! database, referenced from the register as `{secret:NAME}`, never printed. A connector
//! secret is bound to the systems it was set for and the address each sends it to
//! ([`for_system`], [`allow`]); the SMTP password is kept apart from them ([`mark_smtp`]).

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde_json::json;
use zeroize::Zeroizing;

use crate::audit;
use crate::cases::Context;
use crate::error::{Error, InputError, Result};
use crate::register::{Connector, Register, Settings, System};
use crate::register_store;
use crate::store::Store;

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(InputError::new("NAME", "a secret name is 1–64 letters, digits, '_', '.' or '-'", "e.g. dsar secret set cleverreach_token").into())
    }
}

/// Stores or replaces a secret and binds it to the systems of the current register that refer
/// to it, where each sends it now (returned as `(system id, destination)`); the SMTP password
/// is bound to none. The audit trail records the name and the systems, never the value.
pub fn set(store: &mut Store, ctx: &Context, name: &str, value: &str) -> Result<Vec<(String, String)>> {
    check_name(name)?;
    // A trailing newline from `echo value |` is never part of a token or password.
    let value = value.strip_suffix('\n').map(|v| v.strip_suffix('\r').unwrap_or(v)).unwrap_or(value);
    if value.is_empty() {
        return Err(InputError::new("value", "the secret is empty", "pipe the value on standard input, e.g. dsar secret set NAME < token.txt").into());
    }
    let register = register_store::current(store)?;
    store.write(|tx| {
        let existed: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM secrets WHERE name = ?1)", [name], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO secrets (name, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            rusqlite::params![name, value.as_bytes(), ctx.now.to_rfc3339()],
        )?;
        let purpose: String = tx.query_row("SELECT purpose FROM secrets WHERE name = ?1", [name], |r| r.get(0))?;
        let bound = match &register {
            Some(r) if purpose == "connector" => bind_to_users(tx, ctx, name, r)?,
            _ => Vec::new(),
        };
        let systems: Vec<&str> = bound.iter().map(|(id, _)| id.as_str()).collect();
        audit::append(tx, None, &ctx.actor, if existed { "secret.replaced" } else { "secret.set" }, &json!({"name": name, "systems": systems}), ctx.now)?;
        Ok::<_, Error>(bound)
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

/// Where a system's connector sends what it holds: `host:port` of its URL (plus a `host=` or
/// `hostaddr=` the URL adds), or `this machine` for files and manual systems.
pub fn destination(connector: &Connector) -> String {
    let url = match &connector.settings {
        Settings::Http(h) => h.url.as_str(),
        Settings::Postgres(s) | Settings::Mysql(s) => s.url.as_str(),
        // The mailbox password goes to the IMAP server: bound to its host and port.
        Settings::Imap(m) => return format!("{}:{}", m.host.trim().to_ascii_lowercase(), m.port()),
        _ => return LOCAL.to_string(),
    };
    let Some((_, rest)) = url.split_once("://") else {
        // PostgreSQL's key=value form: its host and hostaddr words.
        let words: Vec<&str> = url.split_whitespace().filter(|w| w.starts_with("host=") || w.starts_with("hostaddr=") || w.starts_with("port=")).collect();
        return if words.is_empty() { LOCAL.to_string() } else { words.join(" ") };
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let mut out = authority.rsplit_once('@').map_or(authority, |(_, h)| h).to_ascii_lowercase();
    if let Some((_, query)) = rest.split_once('?') {
        for pair in query.split('&') {
            if pair.starts_with("host=") || pair.starts_with("hostaddr=") {
                out.push(' ');
                out.push_str(pair);
            }
        }
    }
    out
}

const LOCAL: &str = "this machine";

/// Where `system` sends its secrets: [`destination`] of its connector, `this machine` when it
/// has none.
pub fn system_destination(system: &System) -> String {
    system.connector.as_ref().map_or_else(|| LOCAL.to_string(), destination)
}

/// Why a system may not use a stored secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The secret is the SMTP password.
    Smtp,
    /// It was never bound to this system.
    NotForSystem,
    /// It was bound to this system when it sent it elsewhere.
    Moved {
        /// Where it was allowed to go.
        allowed: String,
        /// Where the system would send it now.
        now: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Smtp => write!(f, "is the SMTP password and is never given to a connector: store the system's own credential under another name"),
            Refusal::NotForSystem => write!(f, "was not set for this system"),
            Refusal::Moved { allowed, now } => write!(f, "was set for {allowed}, but the register now sends it to {now}"),
        }
    }
}

/// The secrets `system` may use, by name, and those it refers to but may not (with why).
/// Secrets that are not stored are in neither: the connector reports them as missing.
pub fn for_system(store: &Store, system: &System) -> Result<(HashMap<String, Zeroizing<String>>, Vec<(String, Refusal)>)> {
    if system.connector.is_none() {
        return Ok((HashMap::new(), Vec::new()));
    }
    let here = system_destination(system);
    let mut allowed = HashMap::new();
    let mut refused = Vec::new();
    for name in system.secret_names() {
        let row: Option<(Vec<u8>, String, Option<String>)> = store
            .conn()
            .query_row(
                "SELECT s.value, s.purpose, b.destination FROM secrets s
                 LEFT JOIN secret_bindings b ON b.secret = s.name AND b.system_id = ?2 WHERE s.name = ?1",
                [&name, &system.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((value, purpose, bound)) = row else { continue };
        let value = Zeroizing::new(String::from_utf8_lossy(&value).into_owned());
        match (purpose.as_str(), bound) {
            ("smtp", _) => refused.push((name, Refusal::Smtp)),
            (_, None) => refused.push((name, Refusal::NotForSystem)),
            (_, Some(d)) if d != here => refused.push((name, Refusal::Moved { allowed: d, now: here.clone() })),
            _ => {
                allowed.insert(name, value);
            }
        }
    }
    Ok((allowed, refused))
}

/// Binds secret `name` to `system_id` at the address the current register sends it to: the
/// user's consent after an import moved a system, or for a system added later. Audit event
/// `secret.allowed` with the name, the system and the address (never the value).
pub fn allow(store: &mut Store, ctx: &Context, name: &str, system_id: &str) -> Result<String> {
    check_name(name)?;
    let register = register_store::current(store)?
        .ok_or_else(|| InputError::new("register", "no register imported yet", "import the register first: dsar register import FILE"))?;
    let system = register.system(system_id).ok_or_else(|| {
        let known: Vec<&str> = register.systems.iter().map(|s| s.id.as_str()).collect();
        InputError::new("--system", format!("unknown system id '{}'", system_id.chars().take(40).collect::<String>()), format!("use one of: {}", known.join(", ")))
    })?;
    if !system.secret_names().contains(name) {
        return Err(InputError::new("NAME", format!("system {} does not refer to {{secret:{name}}}", system.id), "allow a secret only for a system whose connector uses it").into());
    }
    let destination = system_destination(system);
    store.write(|tx| {
        let purpose: Option<String> = tx.query_row("SELECT purpose FROM secrets WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        match purpose.as_deref() {
            None => return Err(InputError::new("NAME", format!("secret '{name}' is not set"), format!("set it first: dsar secret set {name}")).into()),
            Some("smtp") => return Err(InputError::new("NAME", format!("secret '{name}' {}", Refusal::Smtp), "e.g. dsar secret set crm_password").into()),
            _ => {}
        }
        bind(tx, ctx, name, &system.id, &destination)?;
        audit::append(tx, None, &ctx.actor, "secret.allowed", &json!({"name": name, "system": system.id, "destination": destination}), ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(destination)
}

fn bind(tx: &rusqlite::Transaction<'_>, ctx: &Context, name: &str, system_id: &str, destination: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO secret_bindings (secret, system_id, destination, bound_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (secret, system_id) DO UPDATE SET destination = excluded.destination, bound_at = excluded.bound_at",
        rusqlite::params![name, system_id, destination, ctx.now.to_rfc3339()],
    )?;
    Ok(())
}

/// Binds `name` to every system of `register` that refers to it, where each sends it now;
/// returns `(system id, destination)` for each. Used when the user sets the secret (that is
/// the consent) and when a register is imported for a secret that was stored before any
/// system used it.
fn bind_to_users(tx: &rusqlite::Transaction<'_>, ctx: &Context, name: &str, register: &Register) -> Result<Vec<(String, String)>> {
    let mut bound = Vec::new();
    for system in register.systems.iter().filter(|s| s.secret_names().contains(name)) {
        let destination = system_destination(system);
        bind(tx, ctx, name, &system.id, &destination)?;
        bound.push((system.id.clone(), destination));
    }
    Ok(bound)
}

/// After a register import: each stored connector secret that no system was bound to yet is
/// bound to the systems that now refer to it. Secrets already bound keep their bindings — a
/// moved system needs [`allow`].
pub fn bind_unbound(tx: &rusqlite::Transaction<'_>, ctx: &Context, register: &Register) -> Result<()> {
    let unbound: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT name FROM secrets WHERE purpose = 'connector' AND NOT EXISTS (SELECT 1 FROM secret_bindings b WHERE b.secret = secrets.name)",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in unbound {
        bind_to_users(tx, ctx, &name, register)?;
    }
    Ok(())
}

/// Marks `name` as the SMTP password. Refused when a system is bound to it: one credential
/// for two purposes would let a register send the mail password anywhere.
pub fn mark_smtp(tx: &rusqlite::Transaction<'_>, name: &str) -> Result<()> {
    let users: Vec<String> = {
        let mut stmt = tx.prepare("SELECT system_id FROM secret_bindings WHERE secret = ?1 ORDER BY system_id")?;
        let rows = stmt.query_map([name], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if !users.is_empty() {
        return Err(InputError::new(
            "password_secret",
            format!("the secret '{name}' is a connector credential of {}", users.join(", ")),
            "store the SMTP password under its own name, e.g. smtp_password",
        )
        .into());
    }
    tx.execute("UPDATE secrets SET purpose = 'smtp' WHERE name = ?1", [name])?;
    Ok(())
}

/// The SMTP password stored as `name`, refused when it is a connector's credential.
pub fn smtp_password(store: &Store, name: &str) -> Result<Option<Zeroizing<String>>> {
    let bound: bool = store.conn().query_row("SELECT EXISTS (SELECT 1 FROM secret_bindings WHERE secret = ?1)", [name], |r| r.get(0))?;
    if bound {
        return Err(InputError::new("password_secret", format!("the secret '{name}' is a connector credential"), "store the SMTP password under its own name and choose it in Settings → Mail").into());
    }
    Ok(get(store, name)?.map(Zeroizing::new))
}
