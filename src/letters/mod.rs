//! Letters to the data subject: every kind of SPEC §6 in German, English and Dutch, filled
//! from the case and the register, as a PDF and as a plain-text e-mail body.
//!
//! - `kind.rs`: [`LetterKind`] and its codes.
//! - `templates.rs`: [`Templates`] — built-in `templates/letters/<lang>/*.j2` (minijinja,
//!   auto-escaped) with per-firm overrides.
//! - `context.rs`: what templates see, already in words; [`findings`] decides which systems
//!   hold data on the subject.
//! - `words.rs`: dates, periods, countries, safeguards, legal bases per language.
//! - `markup.rs`: the templates' XML vocabulary read into [`crate::pdf::Document`] and text.
//! - `completeness.rs`: [`completeness`] — what the register lacks for a lawful Art. 15 answer.
//!
//! [`render`] is pure; [`compose`] loads a case's data from the store and [`record_saved`]
//! writes the `letter.saved` audit event.

mod completeness;
mod unrecorded;
mod context;
mod ground;
mod kind;
mod markup;
mod preconditions;
mod templates;
pub mod words;

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

pub use completeness::{completeness, Gap, GAP_CODES};
pub use unrecorded::{Unrecorded, UNRECORDED_CODES};
pub use context::{findings, Finding, FindingStatus};
pub use ground::RefusalGround;
pub use kind::LetterKind;
pub use templates::Templates;

use crate::cases::{self, Case, Context};
use crate::deadline::{Deadline, Jurisdiction};
use crate::domain::Language;
use crate::error::Result;
use crate::evidence::{self, Evidence, SystemResult};
use crate::pdf::{self, PdfError};
use crate::register::Register;
use crate::store::Store;

/// Everything a letter is filled from.
#[derive(Debug, Clone, Copy)]
pub struct LetterInput<'a> {
    /// Which letter (the agreed API left it out; [`render`] cannot work without it).
    pub kind: LetterKind,
    /// The case.
    pub case: &'a Case,
    /// The register (controller and systems).
    pub register: &'a Register,
    /// Records found for the case.
    pub evidence: &'a [Evidence],
    /// The last pull's outcome per system.
    pub results: &'a [SystemResult],
    /// Language of the letter.
    pub language: Language,
    /// The letter's date.
    pub today: NaiveDate,
    /// The case's deadline.
    pub deadline: &'a Deadline,
    /// The controller's reasons and notes.
    pub extra: &'a LetterExtra,
    /// What the desk recorded as done: the only source of a confirmation's facts.
    pub acted: &'a crate::acting::Acted,
    /// The last access answer saved for the case (day and RFC 3339 time): a supplement says
    /// what came after it.
    pub earlier_access: Option<(NaiveDate, &'a str)>,
}

/// What the DPO writes for this letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterExtra {
    /// Reasons: required for a refusal, an extension notice (defaults to the case's extension
    /// reason) and a rejected objection; optional elsewhere. Blank lines separate paragraphs.
    pub reasons: Option<String>,
    /// Notes added to the letter (what was corrected, what identification is needed, …).
    pub notes: Option<String>,
    /// The legal ground of a refusal (RULES.md §3: chosen, never assumed).
    pub ground: Option<RefusalGround>,
    /// The fee asked for a manifestly unfounded or excessive request, as written (e.g.
    /// "25,00 EUR"); required for a fee notice.
    pub fee: Option<String>,
    /// The copy goes out as an AES-256 encrypted bundle: the letter says how it is delivered,
    /// that the password comes separately and which programs open it.
    pub encrypted_bundle: bool,
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// What it is.
    pub kind: LetterKind,
    /// Its language.
    pub language: Language,
    /// The subject line (e-mail subject, PDF title).
    pub subject_line: String,
    /// Plain-text body for the e-mail: user text exactly as entered, nothing escaped.
    pub text: String,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// File name without personal data, e.g. `DSAR-2026-0042-access-response-de.pdf`.
    pub file_name: String,
}

impl Letter {
    /// SHA-256 of the PDF, hex (recorded in the audit trail instead of the content).
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.pdf))
    }
}

/// Why a letter could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// The kind must state reasons and none were given.
    #[error("reasons: a {kind} letter must tell the subject why — give the reasons (--reasons \"…\")")]
    MissingReasons {
        /// The kind.
        kind: LetterKind,
    },
    /// A fee notice without the fee.
    #[error("fee: a fee notice must say how much — give the amount (--fee \"25,00 EUR\")")]
    MissingFee,
    /// A refusal without its legal ground (SPEC §8, RULES.md §3: chosen, never assumed).
    #[error("ground: a refusal must name its legal ground — choose it (e.g. art12-5-excessive, art15-4, art17-3-b)")]
    MissingGround,
    /// The refusal ground does not exist under the case's law or the controller's country.
    #[error("ground: {ground} does not apply to a {jurisdiction} case of a controller in {country} — choose a ground of that law")]
    GroundNotApplicable {
        /// The ground chosen.
        ground: RefusalGround,
        /// The case's law.
        jurisdiction: Jurisdiction,
        /// The controller's country.
        country: String,
    },
    /// No templates for the case's law.
    #[error("letters for {jurisdiction} cases are not available yet — they are written for the GDPR and the UK GDPR; answer this case outside DSAR desk")]
    Unsupported {
        /// The case's law.
        jurisdiction: Jurisdiction,
    },
    /// A template failed (usually a firm's own one).
    #[error("letter template {name}: {problem} — correct the template, or remove the firm's copy to use the built-in one")]
    Template {
        /// The template, e.g. `de/refusal.j2`.
        name: String,
        /// What went wrong, with the line where known.
        problem: String,
    },
    /// The PDF could not be produced.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

impl LetterError {
    /// Whether the user can fix it (reasons, templates, law) rather than a program fault.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, LetterError::Pdf(_))
    }
}

/// Renders a letter: template → markup → PDF and text. Pure: reads nothing but its input
/// (and the firm's template files, if `templates` has overrides).
pub fn render(input: &LetterInput<'_>, templates: &Templates) -> Result<Letter, LetterError> {
    render_marked(input, templates, false)
}

/// The word a draft carries on every page and at the top of its text.
fn draft_word(lang: Language) -> &'static str {
    match lang {
        Language::De => "ENTWURF – nicht versenden",
        Language::Nl => "CONCEPT – niet verzenden",
        _ => "DRAFT – not to be sent",
    }
}

/// Like [`render`], as a draft: marked on every page (running header) and in the text.
pub fn render_draft(input: &LetterInput<'_>, templates: &Templates) -> Result<Letter, LetterError> {
    render_marked(input, templates, true)
}

fn render_marked(input: &LetterInput<'_>, templates: &Templates, draft: bool) -> Result<Letter, LetterError> {
    let kind = input.kind;
    if !matches!(input.case.jurisdiction, Jurisdiction::Gdpr | Jurisdiction::UkGdpr) {
        return Err(LetterError::Unsupported { jurisdiction: input.case.jurisdiction });
    }
    let has_reasons = |s: Option<&str>| s.is_some_and(|r| !r.trim().is_empty());
    let reasons_given = has_reasons(input.extra.reasons.as_deref())
        || (kind == LetterKind::ExtensionNotice && has_reasons(input.case.extension_reason.as_deref()));
    if kind == LetterKind::Refusal && input.extra.ground.is_none() {
        return Err(LetterError::MissingGround);
    }
    if kind.needs_reasons() && !reasons_given {
        return Err(LetterError::MissingReasons { kind });
    }
    if kind == LetterKind::FeeNotice && !has_reasons(input.extra.fee.as_deref()) {
        return Err(LetterError::MissingFee);
    }
    if let Some(ground) = input.extra.ground.filter(|_| kind == LetterKind::Refusal) {
        let country = input.register.controller.country.clone();
        if !ground.applies(input.case.jurisdiction, &country) {
            return Err(LetterError::GroundNotApplicable { ground, jurisdiction: input.case.jurisdiction, country });
        }
    }
    let name = format!("{}/{}.j2", input.language.code(), kind.code());
    let ctx = minijinja::Value::from(minijinja::value::Serde(context::build(input, kind)));
    let xml = templates.render(&name, ctx).map_err(|e| LetterError::Template { name: e.name().unwrap_or(&name).to_string(), problem: describe(&e) })?;
    let parsed = markup::parse(&xml).map_err(|problem| LetterError::Template { name: name.clone(), problem })?;
    let mut doc = parsed.doc;
    doc.language = input.language.code().to_string();
    doc.date = Some(input.today);
    let mut text = parsed.text;
    let mut subject_line = parsed.subject;
    let mut file_name = format!("{}-{}-{}.pdf", input.case.reference, kind.code(), input.language.code());
    if draft {
        let word = draft_word(input.language);
        doc.header = format!("{word} · {}", doc.header);
        doc.title = format!("{word}: {}", doc.title);
        text = format!("{word}\n\n{text}");
        subject_line = format!("{word}: {subject_line}");
        file_name = file_name.replace(".pdf", "-draft.pdf");
    }
    let pdf = pdf::render(&doc)?;
    Ok(Letter { kind, language: input.language, subject_line, text, pdf, file_name })
}

/// minijinja's message with the line, without its source excerpt (which may hold values).
fn describe(e: &minijinja::Error) -> String {
    let mut s = e.kind().to_string();
    if let Some(d) = e.detail() {
        s.push_str(": ");
        s.push_str(d);
    }
    if let Some(line) = e.line() {
        s.push_str(&format!(" (line {line})"));
    }
    s
}

/// A letter for a stored case, with what the DPO should know before sending it.
#[derive(Debug, Clone)]
pub struct Composed {
    /// The letter.
    pub letter: Letter,
    /// The case it is for.
    pub case: Case,
    /// Register gaps for access and portability answers (empty for other kinds).
    pub gaps: Vec<Gap>,
    /// Ids of systems listed as still being checked (not searched to the end).
    pub being_checked: Vec<String>,
    /// What the desk must record before this letter may go out as final (SPEC §10): a
    /// confirmation without a record is refused, one line per missing record.
    pub unrecorded: Vec<Unrecorded>,
}

/// What the user asks for.
#[derive(Debug, Clone)]
pub struct LetterRequest {
    /// Case reference.
    pub reference: String,
    /// Kind.
    pub kind: LetterKind,
    /// Language; the case's when `None`.
    pub language: Option<Language>,
    /// Reasons and notes.
    pub extra: LetterExtra,
}

/// Loads the case, the current register and the case's evidence, and renders the letter.
pub fn compose(store: &Store, today: NaiveDate, req: &LetterRequest, templates: &Templates) -> Result<Composed> {
    compose_marked(store, today, req, templates, false)
}

/// Like [`compose`], as a draft (marked on every page): for review, never recorded or sent.
pub fn compose_draft(store: &Store, today: NaiveDate, req: &LetterRequest, templates: &Templates) -> Result<Composed> {
    compose_marked(store, today, req, templates, true)
}

fn compose_marked(store: &Store, today: NaiveDate, req: &LetterRequest, templates: &Templates, draft: bool) -> Result<Composed> {
    let case = cases::get(store, &req.reference)?;
    let Some(register) = crate::register_store::current(store)? else {
        return Err(crate::error::InputError::new("register", "no register imported yet", "import the firm's register first: dsar register import FILE").into());
    };
    let overrides = cases::calendar_overrides(store.conn(), case.region)?;
    let deadline = case.deadline(&overrides)?;
    let ev = evidence::for_case(store.conn(), &case.id)?;
    let mut results = evidence::results(store.conn(), &case.id)?;
    // A manual system whose operator answered "nothing held" was searched, by them.
    for id in crate::acting::answers::nothing_held(store.conn(), &case.id)? {
        if let Some(r) = results.iter_mut().find(|r| r.system_id == id && r.status == evidence::PullStatus::Manual) {
            r.status = evidence::PullStatus::Ok;
            r.records = 0;
        }
    }
    let language = req.language.unwrap_or(case.language);
    let acted = crate::acting::acted(store, &req.reference)?;
    let earlier = crate::documents::latest_of_kind(store.conn(), &case.id, LetterKind::AccessResponse.code())?;
    let earlier_access = earlier.as_ref().map(|(day, at)| (*day, at.as_str()));
    let input = LetterInput {
        kind: req.kind,
        case: &case,
        register: &register,
        evidence: &ev,
        results: &results,
        language,
        today,
        deadline: &deadline,
        extra: &req.extra,
        acted: &acted,
        earlier_access,
    };
    let letter = render_marked(&input, templates, draft)?;
    let found = findings(&register, &ev, &results);
    let listed: Vec<&str> = found.iter().filter(|f| f.listed()).map(|f| f.system.id.as_str()).collect();
    let gaps = if req.kind.uses_register_content() { completeness(&register, &listed, language) } else { Vec::new() };
    let being_checked = found.iter().filter(|f| f.status == FindingStatus::BeingChecked).map(|f| f.system.id.clone()).collect();
    let mut unrecorded = acted.missing_for(req.kind, &case.reference.to_string());
    // RULES.md §3: "no data" only once every system was searched to the end and none held any.
    if req.kind == LetterKind::NoData {
        for f in &found {
            match f.status {
                FindingStatus::Found { records } => unrecorded.push(Unrecorded::new(
                    "unrecorded.holds-data",
                    vec![("system", f.system.id.clone()), ("records", records.to_string())],
                    format!("system {} holds {records} record(s) about the subject: answer with access-response", f.system.id),
                )),
                FindingStatus::BeingChecked => unrecorded.push(Unrecorded::system(
                    "unrecorded.not-searched",
                    &f.system.id,
                    format!("system {} has not been searched to the end (manual, failed or not yet pulled): pull it, or record the operator's answer", f.system.id),
                )),
                FindingStatus::NoneFound => {}
            }
        }
    }
    unrecorded.extend(preconditions::unmet(store.conn(), &input, &found)?);
    Ok(Composed { letter, case, gaps, being_checked, unrecorded })
}

/// Records that a letter was saved: one `letter.saved` audit event with the kind, language,
/// file name, SHA-256 and number of register gaps — never the content.
pub fn record_saved(store: &mut Store, ctx: &Context, composed: &Composed) -> Result<()> {
    record_saved_accepting(store, ctx, composed, None)
}

/// [`record_saved`] for a final letter sent despite register gaps: the DPO's reason for
/// accepting them goes into the event (`gaps_accepted`), with the gaps' fields.
pub fn record_saved_accepting(store: &mut Store, ctx: &Context, composed: &Composed, accepted: Option<&str>) -> Result<()> {
    let l = &composed.letter;
    let mut details = json!({
        "reference": composed.case.reference.to_string(),
        "kind": l.kind.code(),
        "language": l.language.code(),
        "file_name": l.file_name,
        "sha256": l.sha256(),
        "bytes": l.pdf.len(),
        "gaps": composed.gaps.len(),
    });
    if let Some(reason) = accepted {
        details["gaps_accepted"] = json!(reason);
        details["gap_fields"] = json!(composed.gaps.iter().map(|g| format!("{}:{}", g.system_id.as_deref().unwrap_or("register"), g.field)).collect::<Vec<_>>());
    }
    store.write(|tx| {
        crate::audit::append(tx, Some(&composed.case.id), &ctx.actor, "letter.saved", &details, ctx.now)?;
        crate::cases::start_work(tx, ctx, &composed.case.id, "letter")?;
        Ok(())
    })
}
