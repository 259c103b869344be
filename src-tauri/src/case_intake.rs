//! The case screen's identity, requester, linked-cases and found-identifiers panels: plain
//! functions over [`Desk`] like those in `api.rs`, each a thin adapter over `identity`,
//! `cases::requester`, `cases::links` and `pull::yields`.

use std::path::Path;

use dsar::cases::{self, links, requester, Case};
use dsar::domain::{Authority, IdentityMethod};
use dsar::intake::duplicates;
use dsar::store::Store;
use dsar::{identity, pull};

use crate::api::{code, date, system_names};
use crate::desk::Desk;
use crate::dto_intake::*;
use crate::error::{input_as, ApiError, ErrorCode};
use crate::reason::{params, Reason};

/// Largest document file (ID scan, power of attorney) the desk takes.
const MAX_DOCUMENT: u64 = 25 * 1024 * 1024;

fn name_of(names: &[(String, String)], id: &str) -> String {
    names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone())
}

fn linked_dto(l: &links::Linked) -> LinkedDto {
    LinkedDto {
        reference: l.reference.to_string(),
        rights: l.rights.iter().map(|r| r.code().to_string()).collect(),
        received: l.received.to_string(),
        status: l.status.code().into(),
        closed_on: l.closed_on.map(|d| d.to_string()),
    }
}

fn intake_of(store: &Store, today: chrono::NaiveDate, case: &Case) -> Result<CaseIntakeDto, ApiError> {
    let names = system_names(store)?;
    let reference = case.reference.to_string();
    let matched = |m: &identity::MatchedIn| MatchedInDto { system_name: name_of(&names, &m.system), system: m.system.clone(), kinds: m.kinds.clone() };
    let checks = identity::checks(store.conn(), &case.id)?
        .iter()
        .map(|c| IdentityCheckDto {
            id: c.id.clone(),
            method: c.method.code().into(),
            on: c.on.to_string(),
            by: c.by.clone(),
            matched: c.matched.iter().map(matched).collect(),
            note: c.note.clone(),
            document_seen: c.document_sha256.is_some(),
            kept_reason: c.kept_reason.clone(),
        })
        .collect();
    let held_matches = identity::held_data_matches(store, &reference)?.iter().map(matched).collect();
    let requester = match &case.requester {
        Some(r) => {
            let document = match &r.document_id {
                Some(id) => dsar::documents::list(store.conn(), &case.id)?.into_iter().find(|d| d.id == *id).map(|d| d.file_name),
                None => None,
            };
            Some(RequesterDto {
                name: r.name.clone(),
                address: r.address.clone(),
                email: r.email.clone(),
                authority: r.authority.code().into(),
                authority_note: r.authority_note.clone(),
                document,
            })
        }
        None => None,
    };
    let linked: Vec<LinkedDto> = links::linked(store.conn(), &case.id)?.iter().map(linked_dto).collect();
    let possible_repeat = links::possible_repeat(store.conn(), case)?.as_ref().map(linked_dto);
    let suggested_link = match duplicates::find(store.conn(), &case.subject.identifiers, today, Some(&case.id))? {
        Some(r) if !linked.iter().any(|l| l.reference == r.to_string()) => {
            let c = cases::get(store, &r.to_string())?;
            Some(crate::dto_inbox::DuplicateDto {
                reference: c.reference.to_string(),
                name: c.subject.name.clone(),
                status: c.status.code().into(),
                received: c.received.to_string(),
                closed_on: c.closed_on.map(|d| d.to_string()),
            })
        }
        _ => None,
    };
    let yielded = pull::yields::list(store.conn(), &case.id)?
        .into_iter()
        .map(|y| YieldedDto {
            system_name: name_of(&names, &y.system_id),
            kind: y.kind,
            value: y.value,
            system_id: y.system_id,
            dataset: y.dataset,
            locator: y.locator,
            pulled_at: y.pulled_at,
            dropped: y.dropped,
        })
        .collect();
    Ok(CaseIntakeDto {
        reference,
        checks,
        held_matches,
        identifier_kinds: case.subject.identifiers.iter().map(|i| i.kind.key().to_string()).collect(),
        requester,
        linked,
        possible_repeat,
        suggested_link,
        yielded,
        salutation: case.salutation.as_ref().map(|s| crate::dto_intake::SalutationDto { form: s.form.code().into(), family_name: s.family_name.clone() }),
    })
}

/// Runs `f` on the case (it may change it), then returns the panels' data.
fn on_case(desk: &Desk, reference: &str, f: impl FnOnce(&mut Store, &cases::Context) -> Result<(), ApiError>) -> Result<CaseIntakeDto, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        f(s, &ctx)?;
        let case = cases::get(s, reference)?;
        intake_of(s, ctx.today, &case)
    })
}

/// The core's field names are its CLI flags (`--on`, `--matched`): the window's are plain.
pub(crate) fn requester_field(e: dsar::Error) -> ApiError {
    at_field(e)
}

fn at_field(e: dsar::Error) -> ApiError {
    match e {
        dsar::Error::Input(i) => {
            let field = i.field.trim_start_matches("--").replace(' ', "_");
            let field = match field.as_str() {
                "requester_name" => "name",
                "requester_e-mail" => "email",
                "requester" => "address",
                "document" => "document_path",
                "to" => "other",
                other => other,
            };
            ApiError::input(field, format!("{} — {}", i.problem, i.fix))
        }
        other => other.into(),
    }
}

/// Reads a document the DPO chose (at most 25 MB).
fn read_document(field: &str, path: &str) -> Result<(String, Vec<u8>), ApiError> {
    let p = Path::new(path.trim());
    let meta = std::fs::metadata(p).map_err(|e| ApiError::input(field, format!("cannot read the file ({}) — choose it again", e.kind())).at(Reason::FileUnreadable, field))?;
    if !meta.is_file() {
        return Err(ApiError::input(field, "this is not a file — choose the scanned document").at(Reason::FileNotAFile, field));
    }
    if meta.len() > MAX_DOCUMENT {
        return Err(ApiError::input(field, "the file is larger than 25 MB — scan it at a lower resolution").with(Reason::FileTooLarge, params([("field", field.to_string()), ("max_mb", "25".to_string())])));
    }
    let bytes = std::fs::read(p).map_err(|e| ApiError::input(field, format!("cannot read the file ({}) — choose it again", e.kind())).at(Reason::FileUnreadable, field))?;
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "document".into());
    Ok((name, bytes))
}

fn filled(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The panels' data of one case.
pub fn case_intake(desk: &Desk, reference: String) -> Result<CaseIntakeDto, ApiError> {
    on_case(desk, &reference, |_, _| Ok(()))
}

/// Records how identity was established.
pub fn record_identity(desk: &Desk, reference: String, input: IdentityInput) -> Result<CaseIntakeDto, ApiError> {
    let method = code::<IdentityMethod>("method", &input.method)?;
    let on = date("on", &input.on)?;
    let keep_reason = filled(input.keep_reason);
    let document = match filled(input.document_path) {
        Some(path) => {
            let (file_name, content) = read_document("document_path", &path)?;
            Some(identity::SeenDocument { file_name, content, keep_reason })
        }
        None if keep_reason.is_some() => return Err(ApiError::input("document_path", "a reason to keep a copy needs the document — choose its file, or leave the reason empty").because(Reason::IdentityKeepNeedsDocument)),
        None => None,
    };
    let new = identity::NewCheck {
        method,
        on,
        matched: input.matched.into_iter().map(|m| identity::MatchedIn { system: m.system, kinds: m.kinds }).collect(),
        note: filled(input.note),
        document,
    };
    on_case(desk, &reference, |s, ctx| {
        identity::record(s, ctx, &reference, &new).map_err(at_field)?;
        Ok(())
    })
}

pub(crate) fn new_requester(input: RequesterInput) -> Result<requester::NewRequester, ApiError> {
    let document = match filled(input.document_path) {
        Some(path) => {
            let (file_name, content) = read_document("document_path", &path)?;
            Some(requester::Attachment { file_name, content })
        }
        None => None,
    };
    Ok(requester::NewRequester {
        name: input.name,
        address: input.address.into_iter().filter(|l| !l.trim().is_empty()).collect(),
        email: filled(input.email),
        authority: code::<Authority>("authority", &input.authority)?,
        authority_note: filled(input.authority_note),
        document,
    })
}

/// Records (or replaces) who made the request for the subject.
pub fn set_requester(desk: &Desk, reference: String, input: RequesterInput) -> Result<CaseIntakeDto, ApiError> {
    let new = new_requester(input)?;
    on_case(desk, &reference, |s, ctx| {
        requester::set(s, ctx, &reference, &new).map_err(at_field)?;
        Ok(())
    })
}

/// Removes the requester: the subject asked themself.
pub fn clear_requester(desk: &Desk, reference: String) -> Result<CaseIntakeDto, ApiError> {
    on_case(desk, &reference, |s, ctx| requester::clear(s, ctx, &reference).map_err(at_field))
}

/// Sets the formal salutation (`ms`, `mr`) or, with an empty form, the neutral greeting.
pub fn set_salutation(desk: &Desk, reference: String, form: String, family_name: Option<String>) -> Result<CaseIntakeDto, ApiError> {
    let form = match form.trim() {
        "" | "none" => None,
        f => Some(f.parse::<dsar::domain::SalutationForm>().map_err(|e| ApiError::input("salutation", e.to_string()).at(Reason::InputChoiceUnknown, "salutation"))?),
    };
    on_case(desk, &reference, |s, ctx| {
        cases::salutation::set(s, ctx, &reference, form, family_name.as_deref()).map_err(at_field)?;
        Ok(())
    })
}

/// Links the case with `other`.
pub fn link_case(desk: &Desk, reference: String, other: String) -> Result<CaseIntakeDto, ApiError> {
    let other = other.trim().to_uppercase();
    on_case(desk, &reference, |s, ctx| {
        links::link(s, ctx, &reference, &other).map_err(|e| match e {
            dsar::Error::CaseNotFound(_) => ApiError::input("other", format!("there is no case {other} — check the reference")).because(Reason::LinkNoSuchCase),
            other => at_field(other),
        })?;
        Ok(())
    })
}

/// Removes the link between the case and `other`.
pub fn unlink_case(desk: &Desk, reference: String, other: String) -> Result<CaseIntakeDto, ApiError> {
    on_case(desk, &reference, |s, ctx| {
        links::unlink(s, ctx, &reference, &other).map_err(at_field)?;
        Ok(())
    })
}

/// Stops searching with an identifier a system yielded (a wrong customer number, say).
pub fn drop_yielded(desk: &Desk, reference: String, kind: String, value: String) -> Result<CaseIntakeDto, ApiError> {
    on_case(desk, &reference, |s, ctx| {
        pull::yields::drop(s, ctx, &reference, &kind, &value).map_err(|e| match e {
            dsar::Error::Input(i) => input_as(ErrorCode::Conflict, &i),
            other => other.into(),
        })?;
        Ok(())
    })
}
