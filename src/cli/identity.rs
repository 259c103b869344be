//! `dsar case identity`, `case requester`, `case link` / `unlink`: who asked, how identity was
//! established, which cases belong together (SPEC §11).

use std::path::Path;

use serde_json::{json, Value};

use dsar::cases::{self, links, requester, Context};
use dsar::domain::{Authority, IdentityMethod};
use dsar::identity::{self, MatchedIn, NewCheck, SeenDocument};
use dsar::store::Store;

use super::args::{IdentityArgs, RequesterArgs};
use super::commands::print_json;
use super::Failure;

/// A scan or a PDF of an ID or a power of attorney; anything larger is not one.
const MAX_DOCUMENT: u64 = 25 * 1024 * 1024;

/// Reads a document the user points at, with the flag named in every error.
pub(super) fn read_document(flag: &str, path: &Path) -> Result<requester::Attachment, Failure> {
    let meta = std::fs::metadata(path).map_err(|e| Failure::user(format!("{flag}: cannot read {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(Failure::user(format!("{flag}: {} is not a file", path.display())));
    }
    if meta.len() > MAX_DOCUMENT {
        return Err(Failure::user(format!("{flag}: {} is larger than 25 MB: scan it at a lower resolution", path.display())));
    }
    let content = std::fs::read(path).map_err(|e| Failure::user(format!("{flag}: cannot read {}: {e}", path.display())))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "document".into());
    Ok(requester::Attachment { file_name, content })
}

fn code<T: std::str::FromStr<Err = dsar::domain::UnknownCode>>(flag: &str, v: &str) -> Result<T, Failure> {
    v.parse::<T>().map_err(|e| Failure::user(format!("{flag}: {e}")))
}

/// `--matched crm:email,customer_id`.
fn matched(values: &[String]) -> Result<Vec<MatchedIn>, Failure> {
    values
        .iter()
        .map(|v| {
            let (system, kinds) = v.split_once(':').ok_or_else(|| Failure::user(format!("--matched: '{v}' is not SYSTEM:KIND[,KIND], e.g. crm:email")))?;
            let kinds: Vec<String> = kinds.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect();
            Ok(MatchedIn { system: system.trim().to_string(), kinds })
        })
        .collect()
}

pub(super) fn identity(store: &mut Store, c: &Context, a: &IdentityArgs) -> Result<(), Failure> {
    if a.suggest {
        let found = identity::held_data_matches(store, &a.reference)?;
        if a.json {
            return print_json(&json!({"matched": found}));
        }
        if found.is_empty() {
            println!("no identifier of the case was found in the records of the last pull");
        }
        for m in &found {
            println!("--matched {}:{}", m.system, m.kinds.join(","));
        }
        return Ok(());
    }
    let Some(method) = &a.method else {
        let case = cases::get(store, &a.reference)?;
        let checks = identity::checks(store.conn(), &case.id)?;
        if a.json {
            return print_json(&json!({"established": !checks.is_empty(), "checks": checks.iter().map(check_json).collect::<Vec<_>>()}));
        }
        if checks.is_empty() {
            println!("{}: identity not established — record it with --method", case.reference);
        }
        for ch in &checks {
            println!("{}  {:<26} by {}  {}", ch.on, ch.method, ch.by, describe(ch));
        }
        return Ok(());
    };
    let method: IdentityMethod = code("--method", method)?;
    let document = match &a.document {
        Some(p) => {
            let d = read_document("--document", p)?;
            Some(SeenDocument { file_name: d.file_name, content: d.content, keep_reason: a.keep_reason.clone() })
        }
        None if a.keep_reason.is_some() => return Err(Failure::user("--keep-reason: there is no --document to keep")),
        None => None,
    };
    let new = NewCheck { method, on: a.on.unwrap_or(c.today), matched: matched(&a.matched)?, note: a.note.clone(), document };
    let ch = identity::record(store, c, &a.reference, &new)?;
    if a.json {
        return print_json(&check_json(&ch));
    }
    println!("identity established {} ({}) — {}", ch.on, ch.method, describe(&ch));
    Ok(())
}

fn describe(ch: &identity::Check) -> String {
    let mut parts: Vec<String> = ch.matched.iter().map(|m| format!("{} in {}", m.kinds.join(", "), m.system)).collect();
    match (&ch.document_sha256, &ch.kept_reason) {
        (Some(_), Some(r)) => parts.push(format!("document kept: {r}")),
        (Some(_), None) => parts.push("document seen, copy not kept".into()),
        _ => {}
    }
    if let Some(n) = &ch.note {
        parts.push(n.clone());
    }
    parts.join("; ")
}

pub(super) fn check_json(ch: &identity::Check) -> Value {
    json!({
        "method": ch.method.code(),
        "on": ch.on,
        "by": ch.by,
        "matched": ch.matched,
        "note": ch.note,
        "document_sha256": ch.document_sha256,
        "document_kept": ch.document_id.is_some(),
        "kept_reason": ch.kept_reason,
    })
}

/// What `--requester-*` on `case new` or `case requester` entered.
pub(super) fn new_requester(
    name: &str,
    address: &[String],
    email: Option<&str>,
    authority: Option<&str>,
    authority_note: Option<&str>,
    document: Option<&Path>,
) -> Result<requester::NewRequester, Failure> {
    let authority: Authority = code("--authority", authority.ok_or_else(|| Failure::user("--authority: is missing: power-of-attorney, parent, guardian, lawyer or other"))?)?;
    Ok(requester::NewRequester {
        name: name.to_string(),
        address: address.to_vec(),
        email: email.map(str::to_string),
        authority,
        authority_note: authority_note.map(str::to_string),
        document: document.map(|p| read_document("--authority-document", p)).transpose()?,
    })
}

pub(super) fn set_requester(store: &mut Store, c: &Context, a: &RequesterArgs) -> Result<(), Failure> {
    if a.clear {
        requester::clear(store, c, &a.reference)?;
        println!("requester removed: letters go to the subject");
        return Ok(());
    }
    let name = a.name.as_deref().unwrap_or_default();
    let new = new_requester(name, &a.address, a.email.as_deref(), a.authority.as_deref(), a.authority_note.as_deref(), a.authority_document.as_deref())?;
    let r = requester::set(store, c, &a.reference, &new)?;
    println!("requester recorded ({}){}: letters go to them", r.authority, if r.document_id.is_some() { ", authority document stored" } else { "" });
    Ok(())
}

/// `ms`, `mr`, or `none` (the neutral greeting).
pub(super) fn salutation_form(v: &str) -> Result<Option<dsar::domain::SalutationForm>, Failure> {
    if v.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|e: dsar::domain::UnknownCode| Failure::user(format!("--salutation: {e}, or none")))
}

pub(super) fn salutation(store: &mut Store, c: &Context, reference: &str, form: &str, family_name: Option<&str>) -> Result<(), Failure> {
    let form = salutation_form(form)?;
    match cases::salutation::set(store, c, reference, form, family_name)? {
        Some(s) => println!("letters greet: {}", s.greeting(cases::get(store, reference)?.language)),
        None => println!("letters greet neutrally by the full name"),
    }
    Ok(())
}

pub(super) fn link(store: &mut Store, c: &Context, reference: &str, other: &str, remove: bool) -> Result<(), Failure> {
    let now = if remove { links::unlink(store, c, reference, other)? } else { links::link(store, c, reference, other)? };
    if now.is_empty() {
        println!("{reference} is linked to no case");
    }
    for l in &now {
        println!("linked  {}  received {}  {}", l.reference, l.received, l.status);
    }
    Ok(())
}

/// The keys `case show --json` adds for intake and identity.
pub(super) fn show_json(store: &Store, case: &cases::Case) -> Result<Value, Failure> {
    let checks = identity::checks(store.conn(), &case.id)?;
    let linked = links::linked(store.conn(), &case.id)?;
    let repeat = links::possible_repeat(store.conn(), case)?;
    Ok(json!({
        "requester": case.requester.as_ref().map(|r| json!({
            "name": r.name, "address": r.address, "email": r.email, "authority": r.authority.code(),
            "authority_note": r.authority_note, "document": r.document_id.is_some(),
        })),
        "identity": {"established": !checks.is_empty(), "checks": checks.iter().map(check_json).collect::<Vec<_>>()},
        "salutation": case.salutation.as_ref().map(|s| json!({"form": s.form.code(), "family_name": s.family_name})),
        "linked": linked.iter().map(|l| json!({"reference": l.reference.to_string(), "received": l.received, "status": l.status.code()})).collect::<Vec<_>>(),
        "possible_repeat_of": repeat.map(|l| l.reference.to_string()),
    }))
}
