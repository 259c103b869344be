//! How the subject's identity was established (Art. 12(2) and 12(6), SPEC §11): by matching
//! data the firm already holds, an e-mail round trip, a document seen, or a representative's
//! authority — with the day and who checked. Letters that disclose data (access,
//! portability) warn while nothing is recorded, because sending a stranger someone else's
//! data is the breach that identity checks exist to prevent.
//!
//! An identity document is checked, not collected: its copy is kept only when the user gives
//! a reason (audited); otherwise only its SHA-256 shows that one was seen (Art. 5(1)(c)).

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit;
use crate::cases::{self, Case, Context};
use crate::documents::{self, NewDocument};
use crate::domain::{IdentityMethod, Identifier};
use crate::error::{Error, InputError, Result};
use crate::evidence;
use crate::letters::LetterKind;
use crate::store::{Store, StoreError};

/// `kind` of a kept copy of an identity document.
pub const DOCUMENT_KIND: &str = "identity-document";

/// Identifiers of the subject that matched data held in one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedIn {
    /// Register system id.
    pub system: String,
    /// Identifier kinds that matched (`email`, `customer_id`, …) — kinds, never values.
    pub kinds: Vec<String>,
}

/// A document the subject showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenDocument {
    /// The file's name as the user had it.
    pub file_name: String,
    /// Its bytes (hashed; stored only with a reason).
    pub content: Vec<u8>,
    /// Why the copy is kept after the check; `None`: it is not kept.
    pub keep_reason: Option<String>,
}

/// What the user records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheck {
    /// How identity was established.
    pub method: IdentityMethod,
    /// The day of the check.
    pub on: NaiveDate,
    /// For `held-data`: which identifiers matched in which system.
    pub matched: Vec<MatchedIn>,
    /// What was checked, in the DPO's words.
    pub note: Option<String>,
    /// For `document-seen`: the document.
    pub document: Option<SeenDocument>,
}

/// A recorded check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// UUID v7.
    pub id: String,
    /// How identity was established.
    pub method: IdentityMethod,
    /// The day of the check.
    pub on: NaiveDate,
    /// Who recorded it (the desk's actor: OS account or app user).
    pub by: String,
    /// For `held-data`: where the identifiers matched.
    pub matched: Vec<MatchedIn>,
    /// What was checked.
    pub note: Option<String>,
    /// SHA-256 of the document seen, whether kept or not.
    pub document_sha256: Option<String>,
    /// The kept copy, if a reason was given.
    pub document_id: Option<String>,
    /// Why the copy is kept.
    pub kept_reason: Option<String>,
}

/// Records how the case's subject was identified.
pub fn record(store: &mut Store, ctx: &Context, reference: &str, new: &NewCheck) -> Result<Check> {
    let case = cases::get(store, reference)?;
    let register = crate::register_store::current(store)?;
    let checked = validate(&case, register.as_ref().map(|r| r.systems.iter().map(|s| s.id.as_str()).collect()), new, ctx.today)?;
    let id = uuid::Uuid::now_v7().to_string();
    store.write(|tx| {
        let (sha, keep) = match &checked.document {
            Some(d) => (Some(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&d.content))), d.keep_reason.as_deref()),
            None => (None, None),
        };
        let document_id = match (&checked.document, keep) {
            (Some(d), Some(_)) => {
                let doc = NewDocument {
                    kind: DOCUMENT_KIND,
                    language: case.language,
                    file_name: &d.file_name,
                    media_type: documents::media::of(&d.file_name, &d.content),
                    content: &d.content,
                    sent_at: None,
                    message_id: None,
                };
                Some(documents::insert(tx, ctx, &case, &doc, json!({}))?.id)
            }
            _ => None,
        };
        let matched = serde_json::to_string(&checked.matched).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "INSERT INTO identity_checks (id, case_id, method, checked_on, checked_by, matched, note, document_sha256, document_id, kept_reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![id, case.id, checked.method.code(), checked.on.to_string(), ctx.actor, matched, checked.note, sha, document_id, keep, ctx.now.to_rfc3339()],
        )?;
        // Kinds, systems and the day: never identifier values. The reason for keeping a copy
        // is audited as given, as the law asks for it to be justified.
        let mut details = json!({
            "reference": case.reference.to_string(),
            "method": checked.method.code(),
            "on": checked.on.to_string(),
            "matched": checked.matched,
            "document": match (&sha, keep) { (Some(_), Some(_)) => "kept", (Some(_), None) => "seen-not-kept", _ => "none" },
        });
        if let Some(reason) = keep {
            details["kept_reason"] = json!(reason);
        }
        audit::append(tx, Some(&case.id), &ctx.actor, "identity.established", &details, ctx.now)?;
        Ok::<_, Error>(())
    })?;
    checks(store.conn(), &case.id)?.into_iter().find(|c| c.id == id).ok_or_else(|| StoreError::Corrupt { what: "identity_checks".into() }.into())
}

fn validate(case: &Case, systems: Option<Vec<&str>>, new: &NewCheck, today: NaiveDate) -> Result<NewCheck> {
    if new.on > today {
        return Err(InputError::new("--on", "the check's day is in the future", "give the day identity was established").into());
    }
    if new.on < case.received {
        return Err(InputError::new("--on", format!("is before the request arrived ({})", case.received), "give the day of the check, on or after the day received").into());
    }
    let note = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let mut matched = Vec::new();
    match new.method {
        IdentityMethod::HeldData => {
            if new.matched.is_empty() {
                return Err(InputError::new("--matched", "is missing", "say which identifiers matched in which system, e.g. --matched crm:email,customer_id").into());
            }
            let held: Vec<&str> = case.subject.identifiers.iter().map(|i| i.kind.key()).collect();
            for m in &new.matched {
                if let Some(known) = &systems {
                    if !known.contains(&m.system.as_str()) {
                        return Err(InputError::new("--matched", format!("system '{}' is not in the register", m.system), format!("use one of {}", known.join(", "))).into());
                    }
                }
                if m.kinds.is_empty() {
                    return Err(InputError::new("--matched", format!("no identifier kind for system '{}'", m.system), "write it as SYSTEM:KIND[,KIND], e.g. crm:email").into());
                }
                for k in &m.kinds {
                    if !held.contains(&k.as_str()) {
                        return Err(InputError::new(
                            "--matched",
                            format!("the case has no '{k}' identifier"),
                            format!("use one of the case's identifier kinds: {}", held.join(", ")),
                        )
                        .into());
                    }
                }
                matched.push(MatchedIn { system: m.system.clone(), kinds: m.kinds.clone() });
            }
        }
        IdentityMethod::EmailRoundTrip => {
            if !case.subject.identifiers.iter().any(|i| i.kind == crate::domain::IdentifierKind::Email) {
                return Err(InputError::new("method", "the case has no e-mail address", "add the subject's e-mail address, or choose another method").into());
            }
        }
        IdentityMethod::DocumentSeen => {
            if new.document.is_none() && note.is_none() {
                return Err(InputError::new("--document", "neither a document nor a note was given", "attach the document checked (kept only with --keep-reason) or describe it in --note").into());
            }
        }
        IdentityMethod::RepresentativeAuthority => {
            if case.requester.is_none() {
                return Err(InputError::new("method", "no requester is recorded for this case", "record the representative first with `dsar case requester`").into());
            }
        }
    }
    if new.method != IdentityMethod::DocumentSeen && new.document.is_some() {
        return Err(InputError::new("--document", format!("applies to document-seen, not {}", new.method), "leave it out, or choose --method document-seen").into());
    }
    let document = match &new.document {
        Some(d) if d.content.is_empty() => return Err(InputError::new("--document", "the file is empty", "choose the scanned document").into()),
        Some(d) => Some(SeenDocument {
            file_name: d.file_name.clone(),
            content: d.content.clone(),
            keep_reason: d.keep_reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string),
        }),
        None => None,
    };
    Ok(NewCheck { method: new.method, on: new.on, matched, note, document })
}

/// The case's checks, oldest first.
pub fn checks(conn: &Connection, case_id: &str) -> Result<Vec<Check>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, method, checked_on, checked_by, matched, note, document_sha256, document_id, kept_reason
         FROM identity_checks WHERE case_id = ?1 ORDER BY checked_on, created_at",
    )?;
    let mut rows = stmt.query([case_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let corrupt = |what: &str| Error::Store(StoreError::Corrupt { what: format!("identity_checks.{what}") });
        let method: String = r.get(1)?;
        let on: String = r.get(2)?;
        let matched: String = r.get(4)?;
        out.push(Check {
            id: r.get(0)?,
            method: method.parse().map_err(|_| corrupt("method"))?,
            on: NaiveDate::parse_from_str(&on, "%Y-%m-%d").map_err(|_| corrupt("checked_on"))?,
            by: r.get(3)?,
            matched: serde_json::from_str(&matched).map_err(|_| corrupt("matched"))?,
            note: r.get(5)?,
            document_sha256: r.get(6)?,
            document_id: r.get(7)?,
            kept_reason: r.get(8)?,
        });
    }
    Ok(out)
}

/// Whether any check is recorded for the case.
pub fn established(conn: &Connection, case_id: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM identity_checks WHERE case_id = ?1)", [case_id], |r| r.get(0))?)
}

/// Letters that hand out the subject's data.
pub fn discloses(kind: LetterKind) -> bool {
    matches!(kind, LetterKind::AccessResponse | LetterKind::PortabilityResponse)
}

/// The warning a disclosing letter carries while identity is not established; `None` when
/// the letter discloses nothing or a check is recorded.
pub fn disclosure_warning(conn: &Connection, case: &Case, kind: LetterKind) -> Result<Option<String>> {
    if !discloses(kind) || established(conn, &case.id)? {
        return Ok(None);
    }
    Ok(Some(format!(
        "identity of the subject of {} is not established: this letter discloses their data — record how identity was checked with `dsar case identity {} --method …` before sending it",
        case.reference, case.reference
    )))
}

/// Which of the subject's identifiers appear in the records each system returned: the
/// proposal for a `held-data` check (the DPO confirms it). Kinds only, per system, in the
/// order the evidence was stored.
pub fn held_data_matches(store: &Store, reference: &str) -> Result<Vec<MatchedIn>> {
    let case = cases::get(store, reference)?;
    let country = case.region.country();
    let mut out: Vec<MatchedIn> = Vec::new();
    for e in evidence::for_case(store.conn(), &case.id)? {
        let mut values = Vec::new();
        strings(&e.record, &mut values);
        let kinds: Vec<String> = case
            .subject
            .identifiers
            .iter()
            .filter(|id| values.iter().any(|v| same(id, v, country)))
            .map(|id| id.kind.key().to_string())
            .collect();
        if kinds.is_empty() {
            continue;
        }
        match out.iter_mut().find(|m| m.system == e.system_id) {
            Some(m) => {
                for k in kinds {
                    if !m.kinds.contains(&k) {
                        m.kinds.push(k);
                    }
                }
            }
            None => out.push(MatchedIn { system: e.system_id.clone(), kinds }),
        }
    }
    Ok(out)
}

fn same(id: &Identifier, value: &str, country: &str) -> bool {
    crate::domain::subject::normalise(&id.kind, value, country).is_ok_and(|v| v == id.value)
}

/// Every string and number in a record (a log line is one string).
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}
