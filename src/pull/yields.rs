//! Identifiers found on the way (SPEC §11): values a system's connector `yields` — read out
//! of the records a pull found there, normalised like the subject's own — which the later
//! systems of the pull search with; stored per case with where they came from, listed on
//! the case, and dropped by the DPO when wrong (never searched with again on that case).
//!
//! The values are personal data: they stay in the encrypted tables (V9) and never reach the
//! audit trail, which names the event, the kind and the system only.

use std::collections::{BTreeSet, HashSet};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde_json::{json, Value};

use crate::audit;
use crate::cases::{self, Context};
use crate::connectors::{Found, SearchKeys};
use crate::domain::subject::normalise;
use crate::domain::{Identifier, IdentifierKind};
use crate::error::{Error, InputError, Result};
use crate::register::Connector;
use crate::store::Store;

/// At most this many values of one kind are taken from one system in one pull. A subject
/// has a handful of customer numbers; hundreds mean the system matched other people (a
/// name match, a shared household address), whose numbers must not widen the search.
pub const MAX_PER_KIND: usize = 50;

/// One identifier a pull found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yielded {
    /// Identifier kind key (`customer_id`, `email`, a custom key).
    pub kind: String,
    /// The normalised value.
    pub value: String,
    /// The system whose record held it.
    pub system_id: String,
    /// The dataset of the first record it was read from (empty when only the drop is left).
    pub dataset: String,
    /// Where exactly in that system (empty when only the drop is left).
    pub locator: String,
    /// When the pull that found it ran (RFC 3339; empty when only the drop is left).
    pub pulled_at: String,
    /// The DPO dropped it: it is not searched with any more.
    pub dropped: bool,
}

/// What dropping an identifier did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The systems that had yielded it.
    pub from_systems: Vec<String>,
    /// Systems of the current register that search with its kind: what they found with it
    /// stays their evidence until they are pulled again.
    pub repull: Vec<String>,
}

/// One value read from one system's records, with its first source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Harvested {
    pub kind: String,
    pub value: String,
    pub dataset: String,
    pub locator: String,
}

/// Everything read from one system's records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Harvest {
    pub values: Vec<Harvested>,
    /// Values present but unusable (not a valid e-mail address, an object, …).
    pub unreadable: u64,
    /// Kinds that had more than [`MAX_PER_KIND`] values.
    pub capped: Vec<String>,
}

impl Harvest {
    /// One line for the user (counts and kinds only), when something was left out.
    pub(crate) fn warning(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.unreadable > 0 {
            parts.push(format!("{} value(s) under \"yields\" could not be read as identifiers and were not used", self.unreadable));
        }
        if !self.capped.is_empty() {
            parts.push(format!(
                "more than {MAX_PER_KIND} {} values found, only the first {MAX_PER_KIND} were used — check that this system's search finds only the subject",
                self.capped.join("/")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Reads the connector's `yields` out of the records found, normalising each value as the
/// subject's own identifiers are (`default_country` reads national phone numbers). Numbers
/// count as text (customer numbers are often integers in a database); a list gives each of
/// its items; null or a missing field gives nothing.
pub(crate) fn read(connector: &Connector, found: &[Found], default_country: &str) -> Harvest {
    let mut out = Harvest::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (key, pointer) in connector.yields.iter() {
        // The register refuses kinds that are no identifier; a stored one that slipped
        // through yields nothing rather than failing the pull.
        let Ok(kind) = IdentifierKind::from_key(key) else { continue };
        let mut taken = 0usize;
        for f in found {
            let raw: Vec<String> = match f.record.pointer(pointer) {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Number(n)) => vec![n.to_string()],
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect(),
                Some(_) => {
                    out.unreadable += 1;
                    continue;
                }
            };
            for r in raw {
                if r.trim().is_empty() {
                    continue;
                }
                let Ok(value) = normalise(&kind, &r, default_country) else {
                    out.unreadable += 1;
                    continue;
                };
                if !seen.insert((kind.key().to_string(), value.clone())) {
                    continue;
                }
                if taken == MAX_PER_KIND {
                    if !out.capped.iter().any(|k| k == kind.key()) {
                        out.capped.push(kind.key().to_string());
                    }
                    continue;
                }
                taken += 1;
                out.values.push(Harvested { kind: kind.key().to_string(), value, dataset: f.dataset.clone(), locator: f.locator.clone() });
            }
        }
    }
    out
}

/// Adds the values to search keys, leaving out the dropped ones.
pub(crate) fn add_to(keys: &mut SearchKeys, values: impl IntoIterator<Item = (String, String)>, dropped: &HashSet<(String, String)>) {
    for (kind, value) in values {
        if !dropped.contains(&(kind.clone(), value.clone())) {
            keys.add(&kind, value);
        }
    }
}

/// Replaces one system's yielded identifiers on a case, inside the pull's transaction (they
/// follow the evidence they were read from).
pub(crate) fn replace(tx: &Transaction<'_>, case_id: &str, system_id: &str, values: &[Harvested], pulled_at: &str) -> Result<()> {
    tx.execute("DELETE FROM yielded_identifiers WHERE case_id = ?1 AND system_id = ?2", [case_id, system_id])?;
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO yielded_identifiers (case_id, kind, value, system_id, dataset, locator, pulled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for v in values {
        ins.execute(params![case_id, v.kind, v.value, system_id, v.dataset, v.locator, pulled_at])?;
    }
    Ok(())
}

/// The (kind, value) pairs dropped on a case.
pub(crate) fn dropped_pairs(conn: &Connection, case_id: &str) -> Result<HashSet<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT kind, value FROM dropped_identifiers WHERE case_id = ?1")?;
    let rows = stmt.query_map([case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stored (system, kind, value) of a case, dropped ones included.
pub(crate) fn stored(conn: &Connection, case_id: &str) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT system_id, kind, value FROM yielded_identifiers WHERE case_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every identifier pulls found on the way for a case, each with its source and whether it
/// was dropped; by kind, value and system. A dropped value no system yields any more is
/// still listed (with the system it was dropped from), so the DPO sees what was dropped.
pub fn list(conn: &Connection, case_id: &str) -> Result<Vec<Yielded>> {
    let mut out = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT y.kind, y.value, y.system_id, y.dataset, y.locator, y.pulled_at, d.case_id IS NOT NULL
             FROM yielded_identifiers y
             LEFT JOIN dropped_identifiers d ON d.case_id = y.case_id AND d.kind = y.kind AND d.value = y.value
             WHERE y.case_id = ?1",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(Yielded {
                kind: r.get(0)?,
                value: r.get(1)?,
                system_id: r.get(2)?,
                dataset: r.get(3)?,
                locator: r.get(4)?,
                pulled_at: r.get(5)?,
                dropped: r.get(6)?,
            })
        })?;
        for y in rows {
            out.push(y?);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT kind, value, system_id FROM dropped_identifiers d WHERE case_id = ?1
         AND NOT EXISTS (SELECT 1 FROM yielded_identifiers y WHERE y.case_id = d.case_id AND y.kind = d.kind AND y.value = d.value)",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(Yielded {
            kind: r.get(0)?,
            value: r.get(1)?,
            system_id: r.get(2)?,
            dataset: String::new(),
            locator: String::new(),
            pulled_at: String::new(),
            dropped: true,
        })
    })?;
    for y in rows {
        out.push(y?);
    }
    out.sort_by(|a, b| (&a.kind, &a.value, &a.system_id).cmp(&(&b.kind, &b.value, &b.system_id)));
    Ok(out)
}

/// The identifiers found on the way that are still searched with (not dropped), once each —
/// for operations that search a case's systems again outside a pull.
pub fn active(conn: &Connection, case_id: &str) -> Result<Vec<Identifier>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for y in list(conn, case_id)? {
        if y.dropped || !seen.insert((y.kind.clone(), y.value.clone())) {
            continue;
        }
        // Kinds were checked when they were stored; one that no longer parses is skipped.
        if let Ok(kind) = IdentifierKind::from_key(&y.kind) {
            out.push(Identifier { kind, value: y.value });
        }
    }
    Ok(out)
}

/// [`active`] as search keys, to add to the subject's with
/// [`crate::connectors::keys::for_system_with`] wherever a case's systems are searched again
/// (acting, verifying) so that they find what the pull found.
pub fn active_keys(conn: &Connection, case_id: &str) -> Result<SearchKeys> {
    let mut keys = SearchKeys::new();
    for id in active(conn, case_id)? {
        keys.add(id.kind.key(), id.value);
    }
    Ok(keys)
}

/// Drops an identifier a pull found on the way as wrong: later pulls of the case neither
/// search with it nor take it again when a system yields it. `value` is normalised as the
/// pull normalised it. Audited as `case.identifier-dropped` with the kind and the systems —
/// never the value.
pub fn drop(store: &mut Store, ctx: &Context, reference: &str, kind: &str, value: &str) -> Result<Dropped> {
    let case = cases::get(store, reference)?;
    let kind = IdentifierKind::from_key(kind)
        .map_err(|e| InputError::new("kind", e.to_string(), "use the kind as the case lists it, e.g. customer_id"))?;
    let register = crate::register_store::current(store)?;
    let country = register.as_ref().map_or("DE", |r| r.controller.country.as_str());
    let not_found = || -> Error {
        InputError::new(
            "value",
            format!("no {} found on the way on this case has this value", kind.key()),
            format!("list them with: dsar case show {}", case.reference),
        )
        .into()
    };
    // A value that cannot be normalised cannot have been yielded either.
    let value = normalise(&kind, value, country).map_err(|_| not_found())?;
    let conn = store.conn();
    let already: Option<String> = conn
        .query_row(
            "SELECT system_id FROM dropped_identifiers WHERE case_id = ?1 AND kind = ?2 AND value = ?3",
            params![case.id, kind.key(), value],
            |r| r.get(0),
        )
        .optional()?;
    if already.is_some() {
        return Err(InputError::new("value", format!("this {} was dropped already", kind.key()), "nothing to do: later pulls do not search with it").into());
    }
    let from_systems: Vec<String> = {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT system_id FROM yielded_identifiers WHERE case_id = ?1 AND kind = ?2 AND value = ?3 ORDER BY system_id",
        )?;
        let rows = stmt.query_map(params![case.id, kind.key(), value], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let Some(first) = from_systems.first().cloned() else { return Err(not_found()) };
    let repull: Vec<String> = register
        .iter()
        .flat_map(|r| r.systems.iter())
        .filter(|s| s.connector.as_ref().is_some_and(|c| c.searched_kinds().contains(kind.key())))
        .map(|s| s.id.clone())
        .collect();
    let now = ctx.now.to_rfc3339();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO dropped_identifiers (case_id, kind, value, system_id, dropped_at, dropped_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![case.id, kind.key(), value, first, now, ctx.actor],
        )?;
        // Kind and systems only: the value is personal data (and the audit trail is not
        // encrypted per case).
        let details = json!({"reference": case.reference.to_string(), "kind": kind.key(), "system": first, "systems": from_systems});
        audit::append(tx, Some(&case.id), &ctx.actor, "case.identifier-dropped", &details, ctx.now)?;
        Ok::<_, Error>(())
    })?;
    Ok(Dropped { from_systems, repull })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(yields: Value) -> Connector {
        serde_json::from_value(json!({"kind": "csv", "path": "/x.csv", "match": {"email": ["E"]}, "yields": yields})).unwrap()
    }

    fn found(record: Value, line: u32) -> Found {
        Found { dataset: "kunden".into(), locator: format!("kunden.csv:{line}"), record }
    }

    #[test]
    fn values_are_normalised_deduplicated_and_keep_their_first_source() {
        let c = connector(json!({"customer_id": "/Kundennummer", "email": "/Alt-Mail", "phone": "/tel"}));
        let records = [
            found(json!({"Kundennummer": " K-1001 ", "Alt-Mail": "Max@Example.ORG", "tel": "0171 1234567"}), 2),
            found(json!({"Kundennummer": "K-1001", "Alt-Mail": "not an address", "tel": null}), 7),
            found(json!({"Kundennummer": 4711, "Alt-Mail": ["max@example.org", "m2@example.org"], "tel": {"x": 1}}), 9),
        ];
        let h = read(&c, &records, "DE");
        let got: Vec<(&str, &str, &str)> = h.values.iter().map(|v| (v.kind.as_str(), v.value.as_str(), v.locator.as_str())).collect();
        assert_eq!(
            got,
            [
                ("customer_id", "K-1001", "kunden.csv:2"),
                ("customer_id", "4711", "kunden.csv:9"),
                ("email", "max@example.org", "kunden.csv:2"),
                ("email", "m2@example.org", "kunden.csv:9"),
                ("phone", "+491711234567", "kunden.csv:2"),
            ]
        );
        assert_eq!(h.unreadable, 2, "the bad address and the object");
        assert!(h.warning().is_some_and(|w| w.starts_with("2 value(s)") && !w.contains("not an address")));
    }

    #[test]
    fn more_than_the_cap_is_cut_and_said() {
        let c = connector(json!({"customer_id": "/k"}));
        let records: Vec<Found> = (0..60).map(|i| found(json!({"k": format!("K-{i}")}), i)).collect();
        let h = read(&c, &records, "DE");
        assert_eq!(h.values.len(), MAX_PER_KIND);
        assert_eq!(h.capped, ["customer_id"]);
        assert!(h.warning().unwrap().contains("only the first 50"));
    }

    #[test]
    fn dropped_values_are_not_added() {
        let mut keys = SearchKeys::new();
        let dropped: HashSet<(String, String)> = [("customer_id".to_string(), "K-1".to_string())].into();
        add_to(&mut keys, [("customer_id".to_string(), "K-1".to_string()), ("customer_id".to_string(), "K-2".to_string())], &dropped);
        assert_eq!(keys.get("customer_id"), ["K-2"]);
    }
}
