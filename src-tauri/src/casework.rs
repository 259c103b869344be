//! The case screen's record preview, tasks and letter preview/sending, and the register
//! editor: plain functions over [`Desk`] like those in `api.rs` (which re-exports them).

use std::path::PathBuf;

use dsar::cases;
use dsar::domain::Language;
use dsar::letters::{self, Composed, Gap, LetterKind, LetterRequest};
use dsar::register::RegisterError;
use dsar::{evidence, mail, register_store, settings, tasks};

use crate::api::{code, detail, opt_code, templates};
use crate::desk::Desk;
use crate::dto::{CaseDetail, LetterSaved};
use crate::dto_casework::*;
use crate::error::{mail_reason, output_error, ApiError, ErrorCode};
use crate::reason::{params, Reason};

fn record_fields(record: &serde_json::Value) -> Vec<RecordField> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match record {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| RecordField { name: k.clone(), value: text(v) }).collect(),
        other => vec![RecordField { name: "value".into(), value: text(other) }],
    }
}

/// The records found for the case, of one system or of all.
pub fn case_evidence(desk: &Desk, reference: String, system: Option<String>) -> Result<Vec<EvidenceDto>, ApiError> {
    desk.with_store(|s| {
        let case = cases::get(s, &reference)?;
        Ok(evidence::for_case(s.conn(), &case.id)?
            .into_iter()
            .filter(|e| system.as_ref().is_none_or(|id| *id == e.system_id))
            .map(|e| EvidenceDto { fields: record_fields(&e.record), system_id: e.system_id, dataset: e.dataset, locator: e.locator, pulled_at: e.pulled_at })
            .collect())
    })
}

/// Marks one of the case's tasks done; returns the case screen's data after it.
pub fn complete_task(desk: &Desk, reference: String, task_id: String) -> Result<CaseDetail, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| {
        let case = cases::get(s, &reference)?;
        // A task id from another case (a stale screen) must not be ticked off here.
        if !tasks::for_case(s, &reference)?.iter().any(|t| t.id == task_id) {
            return Err(ApiError::new(ErrorCode::NotFound, "this task is not one of the case's tasks: reload the case").because(Reason::TaskNotFound));
        }
        tasks::mark_done(s, &ctx, &task_id)?;
        detail(s, ctx.today, &case)
    })
}

pub(crate) fn gap_lines(gaps: &[Gap]) -> Vec<String> {
    gaps.iter().map(|g| GapDto::register(g).text).collect()
}

/// What the letter lacks, for the window: what the desk has not recorded, then the register's gaps.
fn lacks(c: &Composed) -> Vec<GapDto> {
    let reference = c.case.reference.to_string();
    c.unrecorded.iter().map(|u| GapDto::unrecorded(u, &reference)).chain(c.gaps.iter().map(GapDto::register)).collect()
}

/// A confirmation the desk has no record of is not saved or sent (SPEC §10): the DPO sees
/// what is missing and does it first.
pub(crate) fn refuse_unrecorded(c: &Composed) -> Result<(), ApiError> {
    if c.unrecorded.is_empty() {
        return Ok(());
    }
    let reference = c.case.reference.to_string();
    let missing: Vec<String> = c.unrecorded.iter().map(|u| crate::acting_api::in_window(u, &reference)).collect();
    Err(ApiError::new(ErrorCode::Conflict, format!("This letter confirms what the desk has not recorded: {}", missing.join("; ")))
        .with(Reason::LetterUnconfirmed, params([("count", missing.len().to_string())])))
}

/// The DPO's reason for sending a final letter despite register gaps: none given is `None`; a
/// blank one is refused, as it goes into the audit trail in place of the missing facts.
pub(crate) fn accepted_reason(accept_gaps: Option<String>) -> Result<Option<String>, ApiError> {
    match accept_gaps {
        None => Ok(None),
        Some(r) if r.trim().is_empty() => Err(ApiError::input("accept_gaps", "say why the gaps are accepted — the reason goes into the audit trail").because(Reason::LetterGapsReasonEmpty)),
        Some(r) => Ok(Some(r.trim().to_string())),
    }
}

/// A final letter does not go out with placeholders for what the register lacks (RULES.md §3,
/// SPEC §8) unless the DPO accepted the gaps with a reason. The refusal lists one gap a line
/// after its first line, so the letters panel can show them. Returns the reason to audit: only
/// when there were gaps to accept.
pub(crate) fn refuse_gaps<'a>(c: &Composed, accepted: Option<&'a str>) -> Result<Option<&'a str>, ApiError> {
    if c.gaps.is_empty() {
        return Ok(None);
    }
    match accepted {
        Some(reason) => Ok(Some(reason)),
        None => Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "gaps: the register has gaps for this {} letter — fill them in the register, save a draft, or send anyway with a reason:\n{}",
                c.letter.kind.code(),
                gap_lines(&c.gaps).join("\n")
            ),
        )
        .with(Reason::LetterGaps, params([("count", c.gaps.len().to_string())]))),
    }
}

fn request(reference: String, kind: &str, lang: Option<&str>, text: LetterTextDto) -> Result<LetterRequest, ApiError> {
    Ok(LetterRequest { reference, kind: code::<LetterKind>("kind", kind)?, language: opt_code::<Language>("lang", lang)?, extra: text.into_extra() })
}

fn compose(desk: &Desk, reference: String, kind: &str, lang: Option<&str>, text: LetterTextDto) -> Result<Composed, ApiError> {
    let req = request(reference, kind, lang, text)?;
    let templates = templates(&desk.db_path()?);
    let today = desk.context().today;
    desk.with_store(|s| Ok(letters::compose(s, today, &req, &templates)?))
}

/// Writes the letter marked "draft" on every page to `out_path`, for review: register gaps and
/// missing records are allowed and listed, nothing is stored or recorded, nothing is sent.
pub fn save_letter_draft(desk: &Desk, reference: String, kind: String, lang: Option<String>, text: LetterTextDto, out_path: String) -> Result<LetterSaved, ApiError> {
    let out = PathBuf::from(out_path.trim());
    if out.as_os_str().is_empty() {
        return Err(ApiError::input("out_path", "choose where to write the draft").at(Reason::OutputPathMissing, "out_path"));
    }
    let req = request(reference, &kind, lang.as_deref(), text)?;
    let db = desk.db_path()?;
    let templates = templates(&db);
    let today = desk.context().today;
    let c = desk.with_store(|s| Ok(letters::compose_draft(s, today, &req, &templates)?))?;
    dsar::output::write_atomic(&db, &out, &c.letter.pdf).map_err(|e| output_error("out_path", e))?;
    Ok(LetterSaved { file_name: c.letter.file_name.clone(), gaps: lacks(&c) })
}

/// The letter as it would be saved or sent (the same composition), storing nothing.
pub fn preview_letter(desk: &Desk, reference: String, kind: String, lang: Option<String>, text: LetterTextDto) -> Result<LetterPreview, ApiError> {
    let c = compose(desk, reference, &kind, lang.as_deref(), text)?;
    // The e-mail's subject as `mail::deliver_letter` writes it: always with the reference.
    let r = c.case.reference.to_string();
    let l = &c.letter.subject_line;
    let subject = if l.contains(&r) { l.clone() } else { format!("[{r}] {l}") };
    Ok(LetterPreview { subject, body_text: c.letter.text.clone(), gaps: lacks(&c), file_name: c.letter.file_name.clone() })
}

/// Sends the letter by e-mail (`send`) and/or saves the e-mail as `.eml` at `eml_path`; the
/// PDF is stored on the case either way, and the sent e-mail with its time. A letter the
/// register has gaps for goes only with `accept_gaps`, the DPO's reason (audited).
#[allow(clippy::too_many_arguments)]
pub fn send_letter(
    desk: &Desk,
    reference: String,
    kind: String,
    lang: Option<String>,
    text: LetterTextDto,
    send: bool,
    eml_path: Option<String>,
    accept_gaps: Option<String>,
) -> Result<LetterSent, ApiError> {
    let accepted = accepted_reason(accept_gaps)?;
    let eml_path = eml_path.filter(|p| !p.trim().is_empty()).map(PathBuf::from);
    if !send && eml_path.is_none() {
        return Err(ApiError::input("eml_path", "choose where to save the e-mail, or send it").at(Reason::OutputPathMissing, "eml_path"));
    }
    if send && desk.with_store(|s| Ok(settings::smtp(s)?))?.is_none() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "no mail server configured: fill in Settings → SMTP (server, port, sender address) first, or save the e-mail as .eml and send it from your mail program",
        )
        .because(Reason::MailNotConfigured));
    }
    let composed = compose(desk, reference, &kind, lang.as_deref(), text)?;
    refuse_unrecorded(&composed)?;
    let accepted = refuse_gaps(&composed, accepted.as_deref())?;
    let ctx = desk.context();
    desk.with_store(|s| {
        letters::record_saved_accepting(s, &ctx, &composed, accepted)?;
        let l = &composed.letter;
        let parts = mail::LetterParts { kind: l.kind.code(), language: l.language, subject_line: &l.subject_line, text: &l.text, pdf: &l.pdf, file_name: &l.file_name };
        let delivery = mail::Delivery { eml: eml_path.as_deref(), send, bundle: None };
        let done = mail::deliver_letter(s, &ctx, &composed.case, &parts, &delivery).map_err(|e| match e {
            mail::MailError::Io { .. } | mail::MailError::Target(_) => {
                let (reason, params) = mail_reason(&e);
                ApiError::input("eml_path", e).with(reason, params)
            }
            other => other.into(),
        })?;
        Ok(LetterSent { file_name: l.file_name.clone(), sent: done.sent, eml_path: done.eml.map(|p| p.display().to_string()), gaps: composed.gaps.iter().map(GapDto::register).collect() })
    })
}

/// Writes the current register to `out_path` as a `dsar-register` file (secrets stay
/// `{secret:NAME}` references).
pub fn export_register(desk: &Desk, out_path: String) -> Result<RegisterExported, ApiError> {
    let out = PathBuf::from(out_path.trim());
    if out.as_os_str().is_empty() {
        return Err(ApiError::input("out_path", "choose a file to write the register to").at(Reason::OutputPathMissing, "out_path"));
    }
    let (text, systems) = desk.with_store(|s| {
        let text = register_store::export(s).map_err(|_| ApiError::new(ErrorCode::Conflict, "no register imported yet: import the firm's register first").because(Reason::RegisterNone))?;
        let systems = register_store::current(s)?.map_or(0, |r| r.systems.len());
        Ok((text, systems))
    })?;
    dsar::output::write_atomic(&desk.db_path()?, &out, text.as_bytes()).map_err(|e| output_error("out_path", e))?;
    Ok(RegisterExported { path: out.display().to_string(), systems: u64::try_from(systems).unwrap_or(u64::MAX) })
}

/// The editor's values of system `id`.
pub fn register_system(desk: &Desk, id: String) -> Result<SystemFieldsDto, ApiError> {
    desk.with_store(|s| Ok(register_store::system_fields(s, &id).map_err(not_found)?.into()))
}

/// Saves the edited fields of system `id` as a new register version; returns its number.
pub fn save_system(desk: &Desk, id: String, fields: SystemFieldsDto) -> Result<u64, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| version(register_store::edit_system(s, &ctx, &id, &fields.into()).map_err(at_fields)?))
}

/// Adds a system searched by hand (its contact is asked by e-mail) as a new register version.
pub fn add_manual_system(desk: &Desk, id: String, contact_email: String, fields: SystemFieldsDto) -> Result<u64, ApiError> {
    let ctx = desk.context();
    desk.with_store(|s| version(register_store::add_manual_system(s, &ctx, id.trim(), &fields.into(), &contact_email).map_err(at_fields)?))
}

fn version(v: i64) -> Result<u64, ApiError> {
    u64::try_from(v).map_err(|_| ApiError::internal("the register version number is out of range: report this"))
}

fn not_found(e: dsar::Error) -> ApiError {
    match e {
        dsar::Error::Input(i) => {
            let (reason, params) = crate::reason_text::input_reason(&i.field, &i.problem);
            ApiError::new(ErrorCode::NotFound, format!("{}: {} — {}", i.field, i.problem, i.fix)).with(reason, params)
        }
        other => other.into(),
    }
}

/// The editor's field a register problem is about: `/systems/3/purposes/0` → `purposes`.
pub fn problem_field(pointer: &str) -> &str {
    let mut segs = pointer.split('/').skip(1);
    match (segs.next(), segs.next(), segs.next(), segs.next()) {
        (Some("systems"), Some(_), Some("retention"), Some("period")) => "retention_period",
        (Some("systems"), Some(_), Some("connector"), _) => "contact_email",
        (Some("systems"), Some(_), Some(field), _) => field,
        _ => "register",
    }
}

/// Every problem of a refused edit on its own line, `field: problem — fix`, so the UI shows
/// each at its field (the first line's field leads, as for every invalid-input message).
fn at_fields(e: dsar::Error) -> ApiError {
    match e {
        dsar::Error::Register(RegisterError { problems }) => ApiError {
            problems: problems.iter().map(RegisterProblemDto::from).collect(),
            ..ApiError::new(
                ErrorCode::InvalidInput,
                problems.iter().map(|p| format!("{}: {} — {}", problem_field(&p.path), p.problem, p.fix)).collect::<Vec<_>>().join("\n"),
            )
            .with(Reason::RegisterInvalid, params([("count", problems.len().to_string())]))
        },
        dsar::Error::Input(i) => ApiError::input(&i.field, format!("{} — {}", i.problem, i.fix)),
        other => other.into(),
    }
}

