//! Rectification (Art. 16): what the subject asked to correct, old → new, kept in the
//! encrypted case only — the audit trail says that corrections were noted and how many,
//! never their values. The plan turns them into act-by-hand tasks listing the corrections.

use rusqlite::params;
use serde_json::json;

use crate::audit;
use crate::cases::{self, Context};
use crate::error::{Error, InputError, Result};
use crate::store::Store;

/// One correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The system it concerns; `None`: wherever the data is held.
    pub system: Option<String>,
    /// What is corrected, in the DPO's words (e.g. "Anschrift", "E-Mail-Adresse").
    pub field: String,
    /// The value held now.
    pub old: String,
    /// The correct value.
    pub new: String,
}

/// Notes corrections on a case.
pub fn record(store: &mut Store, ctx: &Context, reference: &str, corrections: &[Correction]) -> Result<()> {
    let case = cases::get(store, reference)?;
    if corrections.is_empty() {
        return Err(InputError::new("--field", "no correction given", "give --field NAME --old VALUE --new VALUE").into());
    }
    if let Some(register) = crate::register_store::current(store)? {
        for c in corrections {
            if let Some(id) = &c.system {
                if register.system(id).is_none() {
                    return Err(InputError::new("--system", "unknown system id", "use an id from dsar register list").into());
                }
            }
        }
    }
    for c in corrections {
        if c.field.trim().is_empty() || c.new.trim().is_empty() {
            return Err(InputError::new("--field", "a correction needs the field and the new value", "give --field NAME --old VALUE --new VALUE").into());
        }
        if c.old.trim() == c.new.trim() {
            return Err(InputError::new("--new", "the new value is the old one", "give the corrected value").into());
        }
    }
    store.write(|tx| {
        let now = ctx.now.to_rfc3339();
        for c in corrections {
            tx.execute(
                "INSERT INTO rectifications (id, case_id, system_id, field, old_value, new_value, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![uuid::Uuid::now_v7().to_string(), case.id, c.system, c.field.trim(), c.old.trim(), c.new.trim(), now],
            )?;
        }
        audit::append(tx, Some(&case.id), &ctx.actor, "case.corrections-noted", &json!({"reference": case.reference.to_string(), "corrections": corrections.len()}), ctx.now)?;
        Ok::<_, Error>(())
    })
}

/// The corrections noted on a case, in the order they were noted.
pub fn for_case(store: &Store, reference: &str) -> Result<Vec<Correction>> {
    let case = cases::get(store, reference)?;
    let mut stmt = store.conn().prepare("SELECT system_id, field, old_value, new_value FROM rectifications WHERE case_id = ?1 ORDER BY recorded_at, id")?;
    let rows = stmt.query_map([&case.id], |r| Ok(Correction { system: r.get(0)?, field: r.get(1)?, old: r.get(2)?, new: r.get(3)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
