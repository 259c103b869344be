//! The suppression list: people who objected to direct marketing (absolute, Art. 21(3)) or
//! withdrew their consent must not be contacted again, which needs their identifiers kept —
//! so the list keeps only keyed hashes of the normalised identifiers (HMAC-SHA256 with a key
//! of this desk, made at first use and kept in the encrypted database). A marketing tool gets
//! the hashes and the key's owner can check an address; nobody can read the list back.
//! Entries have no foreign key: the list outlives the case.

use hmac::{Hmac, Mac};
use ring::rand::SecureRandom;
use rusqlite::{params, Transaction};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::domain::{Identifier, IdentifierKind};
use crate::error::{Error, Result};
use crate::store::{put_setting, Store, StoreError};

const KEY_SETTING: &str = "suppression_key";

/// Why someone is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Objection to direct marketing (Art. 21(2)–(3)).
    Objection,
    /// Consent withdrawn (Art. 7(3)).
    WithdrawnConsent,
}

impl Reason {
    /// Stable spelling.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Objection => "objection",
            Reason::WithdrawnConsent => "withdraw-consent",
        }
    }
}

/// The kinds worth suppressing: ones that address a person (a name does not).
fn suppressible(kind: &IdentifierKind) -> bool {
    !matches!(kind, IdentifierKind::Ip)
}

/// This desk's key, made on first use inside `tx`.
fn key(tx: &Transaction<'_>) -> Result<Zeroizing<Vec<u8>>> {
    let stored: Option<String> =
        rusqlite::OptionalExtension::optional(tx.query_row("SELECT value FROM settings WHERE key = ?1", [KEY_SETTING], |r| r.get(0)))?;
    if let Some(hex_key) = stored {
        return hex::decode(hex_key).map(Zeroizing::new).map_err(|_| StoreError::Corrupt { what: "settings.suppression_key".into() }.into());
    }
    let mut bytes = Zeroizing::new(vec![0u8; 32]);
    ring::rand::SystemRandom::new().fill(&mut bytes).map_err(|_| StoreError::Corrupt { what: "random source".into() })?;
    put_setting(tx, KEY_SETTING, &hex::encode(&*bytes))?;
    Ok(bytes)
}

/// `hex(HMAC-SHA256(key, kind ":" value))` of one normalised identifier.
fn hash(key: &[u8], kind: &IdentifierKind, value: &str) -> String {
    // HMAC takes keys of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(kind.key().as_bytes());
    mac.update(b":");
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Puts the identifiers on the list (an identifier already there stays with its first
/// reason); returns how many were new.
pub(crate) fn add(tx: &Transaction<'_>, identifiers: &[Identifier], reason: Reason, case_ref: &str, now: &str) -> Result<usize> {
    let key = key(tx)?;
    let mut added = 0;
    for id in identifiers.iter().filter(|i| suppressible(&i.kind)) {
        added += tx.execute(
            "INSERT INTO suppression (hash, kind, reason, case_ref, added_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (hash) DO NOTHING",
            params![hash(&key, &id.kind, &id.value), id.kind.key(), reason.code(), case_ref, now],
        )?;
    }
    Ok(added)
}

/// Whether any of the (normalised) identifiers is on the list.
pub fn check(store: &mut Store, identifiers: &[Identifier]) -> Result<bool> {
    store.write(|tx| {
        let key = key(tx)?;
        for id in identifiers {
            let n: i64 = tx.query_row("SELECT count(*) FROM suppression WHERE hash = ?1", [hash(&key, &id.kind, &id.value)], |r| r.get(0))?;
            if n > 0 {
                return Ok(true);
            }
        }
        Ok::<_, Error>(false)
    })
}

/// The list as CSV for marketing tools: `hash,kind,reason,added_on`. The tool hashes its
/// own addresses with the desk's key (`dsar suppression key`) and drops those on the list.
pub fn export_csv(store: &Store) -> Result<String> {
    let mut out = String::from("hash,kind,reason,added_on\n");
    let mut stmt = store.conn().prepare("SELECT hash, kind, reason, substr(added_at, 1, 10) FROM suppression ORDER BY added_at, hash")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
    for row in rows {
        let (h, k, r, d) = row?;
        out.push_str(&format!("{h},{k},{r},{d}\n"));
    }
    Ok(out)
}

/// How many entries the list has.
pub fn count(store: &Store) -> Result<u64> {
    Ok(store.conn().query_row("SELECT count(*) FROM suppression", [], |r| r.get::<_, i64>(0))? as u64)
}
