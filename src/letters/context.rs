//! What a template sees: the case, the controller and, per system that holds data on the
//! subject, the Art. 15 items — all already in words of the letter's language, so templates
//! only arrange text.

use std::collections::BTreeMap;

use serde::Serialize;

use super::words;
use crate::domain::Language;
use super::{LetterInput, LetterKind};
use crate::evidence::{Evidence, PullStatus, SystemResult};
use crate::register::{LegalBasis, Register, Role, System};

/// What the last pull says about one system for this case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingStatus {
    /// Records were found.
    Found {
        /// How many.
        records: u64,
    },
    /// Not searched to the end (manual system, error, cancelled, never pulled): the letter
    /// lists it as still being checked rather than claim there is nothing.
    BeingChecked,
    /// Searched; nothing found.
    NoneFound,
}

/// One system of the register with what the pull found there.
#[derive(Debug, Clone)]
pub struct Finding<'a> {
    /// The register's system.
    pub system: &'a System,
    /// The outcome.
    pub status: FindingStatus,
}

impl Finding<'_> {
    /// Whether the letter lists this system with its Art. 15 items.
    pub fn listed(&self) -> bool {
        !matches!(self.status, FindingStatus::NoneFound)
    }
}

/// Classifies every system of the register for a case, in register order: found (evidence or
/// records counted), none found (searched, zero records), or being checked (anything else).
pub fn findings<'a>(register: &'a Register, evidence: &[Evidence], results: &[SystemResult]) -> Vec<Finding<'a>> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for e in evidence {
        *counts.entry(e.system_id.as_str()).or_default() += 1;
    }
    register
        .systems
        .iter()
        .map(|system| {
            let held = counts.get(system.id.as_str()).copied().unwrap_or(0);
            let result = results.iter().find(|r| r.system_id == system.id);
            let status = match result {
                _ if held > 0 => FindingStatus::Found { records: held.max(result.filter(|r| r.status == PullStatus::Ok).map_or(0, |r| r.records)) },
                Some(r) if r.status == PullStatus::Ok && r.records > 0 => FindingStatus::Found { records: r.records },
                Some(r) if r.status == PullStatus::Ok => FindingStatus::NoneFound,
                _ => FindingStatus::BeingChecked,
            };
            Finding { system, status }
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct Ctx {
    kind: &'static str,
    lang: &'static str,
    law: &'static str,
    uk: bool,
    controller: ControllerCtx,
    subject: SubjectCtx,
    /// Who made the request for the subject, when not the subject: the letter goes to them.
    requester: Option<RequesterCtx>,
    /// The greeting line without its comma: neutral by default, formal when the case has a
    /// salutation; a requester is greeted by name.
    greeting: String,
    case: CaseCtx,
    dates: DatesCtx,
    extra: ExtraCtx,
    /// Systems listed with their Art. 15 items (found or being checked).
    systems: Vec<SystemCtx>,
    /// Names of systems searched without result (for the no-data letter).
    searched: Vec<String>,
    /// Statutory retention duties of systems holding data (erasure-partial).
    retained: Vec<RetainedCtx>,
    /// Every recipient of systems holding data (Art. 19 notifications).
    recipients: Vec<String>,
    /// What the desk recorded as done (SPEC §10): confirmations read only this.
    acted: ActedCtx,
    total_records: u64,
    any_checking: bool,
    any_consent: bool,
    any_objectionable: bool,
    /// Some listed system's data falls under Art. 20 (the rights list names portability).
    any_portable: bool,
    /// Some listed system makes automated decisions (the rights list names Art. 22(3)).
    any_adm: bool,
}

#[derive(Serialize)]
struct ControllerCtx {
    name: String,
    address: Vec<String>,
    email: String,
    phone: Option<String>,
    country: String,
    dpo: Option<PersonCtx>,
    authority: AuthorityCtx,
    /// A public body (NL: decisions are Awb besluiten, art. 34 UAVG).
    public_body: bool,
    /// Who signs for the controller.
    signatory: Option<SignatoryCtx>,
}

#[derive(Serialize)]
struct SignatoryCtx {
    name: String,
    role: Option<String>,
}

#[derive(Serialize)]
struct PersonCtx {
    name: String,
    email: String,
    address: Vec<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct AuthorityCtx {
    name: String,
    address: Vec<String>,
    email: Option<String>,
    url: Option<String>,
    /// The Dutch authority: Dutch letters add the UAVG's court route only then.
    is_ap: bool,
}

#[derive(Serialize)]
struct SubjectCtx {
    name: String,
    address: Vec<String>,
}

#[derive(Serialize)]
struct RequesterCtx {
    name: String,
    address: Vec<String>,
    /// What entitles them, in words.
    authority: String,
}

#[derive(Serialize)]
struct CaseCtx {
    reference: String,
    received: String,
    rights: Vec<&'static str>,
    asked_erasure: bool,
    asked_objection: bool,
}

#[derive(Serialize)]
struct DatesCtx {
    today: String,
    due: String,
    extended_due: Option<String>,
    extension_notice_by: Option<String>,
    /// The date that counts now (extended once extended).
    answer_by: String,
    extended: bool,
    /// The day of the last access answer (a supplement completes it).
    earlier_access: Option<String>,
    /// The day the subject was last asked to confirm their identity.
    identity_asked: Option<String>,
}

#[derive(Serialize)]
struct ExtraCtx {
    /// Paragraphs of the controller's reasons.
    reasons: Vec<String>,
    /// Paragraphs of free notes.
    notes: Vec<String>,
    /// A refusal's legal ground in words, with its citation.
    ground: Option<String>,
    /// The fee asked (fee notice), as written.
    fee: Option<String>,
    /// The copy is sent as an encrypted bundle.
    encrypted_bundle: bool,
}

#[derive(Serialize)]
struct SystemCtx {
    id: String,
    name: String,
    checking: bool,
    records: u64,
    purposes: Vec<String>,
    categories: Vec<String>,
    recipients: Vec<String>,
    retention: String,
    retention_period: Option<String>,
    source: String,
    source_is_subject: bool,
    legal_bases: Vec<String>,
    transfers: Vec<TransferCtx>,
    /// Art. 49 derogations the register names without a transfer marked `art49`: shown with
    /// the transfers, where they belong, rather than dropped.
    transfer_derogations: Vec<String>,
    adm: bool,
    logic: Option<String>,
    portable: bool,
    objectionable: bool,
    /// Processing rests on consent (Art. 6(1)(a) / 9(2)(a)).
    consent: bool,
    /// The register says nobody outside the firm receives the data.
    no_recipients: bool,
    /// The legitimate interest pursued (basis 6(1)(f)).
    legitimate_interest: Option<String>,
    /// Purposes with the bases they rest on, where the register maps them.
    purpose_bases: Vec<PurposeBasisCtx>,
    /// Significance and envisaged consequences of automated decisions.
    significance: Option<String>,
    /// Results arrived after the last access answer (what a supplement adds).
    new_since: bool,
}

#[derive(Serialize)]
struct PurposeBasisCtx {
    purpose: String,
    bases: Vec<String>,
}

#[derive(Serialize)]
struct TransferCtx {
    country: String,
    safeguard: &'static str,
    safeguard_code: &'static str,
    note: Option<String>,
    /// For a transfer under Art. 49: the derogations the register names (in words with
    /// their citation) — they belong here, not among the legal bases of the processing.
    derogations: Vec<String>,
}

#[derive(Serialize)]
struct RetainedCtx {
    system: String,
    law: String,
    applies_to: String,
    period: String,
}

/// The acting record in words: systems by name, dates in the letter's language.
#[derive(Serialize, Default)]
struct ActedCtx {
    /// Systems whose data was erased and verified gone.
    erased: Vec<String>,
    /// Systems whose data was restricted and verified flagged (retained ones included).
    restricted: Vec<String>,
    /// Retention duties of the retained systems, with the day erasure follows.
    retained: Vec<RetainedUntilCtx>,
    /// Recipients recorded as informed (Art. 19).
    informed: Vec<String>,
    /// Whether the subject was put on the suppression list.
    suppressed: bool,
    /// Systems whose operator confirmed the correction.
    rectified: Vec<String>,
    /// Systems whose records age out on their own (log files), with the day.
    aging_out: Vec<AgingOutCtx>,
    /// The corrections noted: what, and the value now held.
    corrections: Vec<CorrectionCtx>,
}

#[derive(Serialize)]
struct AgingOutCtx {
    system: String,
    until: String,
}

#[derive(Serialize)]
struct CorrectionCtx {
    field: String,
    new: String,
}

#[derive(Serialize)]
struct RetainedUntilCtx {
    system: String,
    law: String,
    applies_to: String,
    period: String,
    until: Option<String>,
}

/// Removes characters that have no place in a letter (control characters other than line
/// breaks); everything else is kept exactly as entered.
pub(super) fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').collect::<String>().replace("\r\n", "\n")
}

/// Splits free text into paragraphs at blank lines.
fn paragraphs(s: Option<&str>) -> Vec<String> {
    let Some(s) = s else { return Vec::new() };
    clean(s)
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

pub(super) fn build(input: &LetterInput<'_>, kind: LetterKind) -> Ctx {
    let lang = input.language;
    let reg = input.register;
    let c = &reg.controller;
    let ctl_lang = c.language();
    let law = words::law(input.case.jurisdiction, lang);
    let pick = |t: &crate::register::Text| clean(t.pick(lang, ctl_lang));
    let pick_list = |l: &crate::register::TextList| l.pick(lang, ctl_lang).iter().map(|s| clean(s)).collect::<Vec<_>>();

    let found = findings(reg, input.evidence, input.results);
    let mut systems = Vec::new();
    let mut searched = Vec::new();
    let mut retained = Vec::new();
    let mut recipients: Vec<String> = Vec::new();
    let mut total_records = 0;
    let new_since = input.earlier_access.map(|(_, at)| super::preconditions::new_since(input, at)).unwrap_or_default();
    for f in &found {
        let s = f.system;
        let name = pick(&s.name);
        if !f.listed() {
            searched.push(name);
            continue;
        }
        let records = match f.status {
            FindingStatus::Found { records } => records,
            _ => 0,
        };
        total_records += records;
        let shown = s.recipients.pick(lang, ctl_lang);
        let mut recips: Vec<String> = shown.iter().map(|r| recipient_words(&r.text, r.country.as_deref(), r.category, lang)).collect();
        // A processor is a recipient (Art. 4(9)) even when the register lists none.
        if let (Role::Processor, Some(v)) = (s.role, &s.vendor) {
            if !shown.iter().any(|r| r.text.contains(v.name.as_str())) {
                recips.push(recipient_words(&v.name, v.country.as_deref(), false, lang));
            }
        }
        if matches!(f.status, FindingStatus::Found { .. }) {
            for r in &recips {
                if !recipients.contains(r) {
                    recipients.push(r.clone());
                }
            }
            for d in &s.statutory_retention {
                retained.push(RetainedCtx { system: name.clone(), law: pick(&d.law), applies_to: pick(&d.applies_to), period: words::period(&d.period, lang) });
            }
        }
        let source_code = s.source.pick(lang, ctl_lang).trim();
        systems.push(SystemCtx {
            id: s.id.clone(),
            checking: f.status == FindingStatus::BeingChecked,
            records,
            purposes: pick_list(&s.purposes),
            categories: pick_list(&s.data_categories),
            recipients: recips,
            retention: pick(&s.retention.description),
            retention_period: s.retention.period.as_ref().map(|p| words::period(p, lang)),
            source: clean(&words::source(source_code, lang)),
            source_is_subject: source_code == "data-subject",
            legal_bases: s.legal_bases.iter().filter(|b| b.article() != crate::register::Article::Art49).map(|b| words::legal_basis(*b, lang, law)).collect(),
            transfers: s
                .transfers
                .iter()
                .map(|t| TransferCtx {
                    country: words::country(&t.country, lang),
                    safeguard: if input.case.jurisdiction == crate::deadline::Jurisdiction::UkGdpr {
                        words::safeguard_uk(t.safeguard, lang)
                    } else {
                        words::safeguard(t.safeguard, lang)
                    },
                    safeguard_code: t.safeguard.code(),
                    note: t.note.as_ref().map(&pick),
                    derogations: if t.safeguard == crate::register::Safeguard::Art49 {
                        s.legal_bases.iter().filter(|b| b.article() == crate::register::Article::Art49).map(|b| words::legal_basis(*b, lang, law)).collect()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            transfer_derogations: if s.transfers.iter().any(|t| t.safeguard == crate::register::Safeguard::Art49) {
                Vec::new()
            } else {
                s.legal_bases.iter().filter(|b| b.article() == crate::register::Article::Art49).map(|b| words::legal_basis(*b, lang, law)).collect()
            },
            adm: s.automated_decision_making,
            logic: s.logic.as_ref().map(&pick),
            portable: is_portable(s),
            objectionable: s.legal_bases.iter().any(|b| b.is_legitimate_interest() || is_public_task(*b)),
            consent: s.legal_bases.iter().any(|b| b.is_consent()),
            no_recipients: s.no_recipients,
            legitimate_interest: s.legitimate_interest.as_ref().filter(|_| s.legal_bases.iter().any(|b| b.is_legitimate_interest())).map(&pick),
            purpose_bases: s
                .purpose_bases
                .iter()
                .map(|pb| PurposeBasisCtx { purpose: pick(&pb.purpose), bases: pb.legal_bases.iter().map(|b| words::legal_basis(*b, lang, law)).collect() })
                .collect(),
            significance: s.significance.as_ref().map(&pick),
            new_since: new_since.contains(&s.id.as_str()),
            name,
        });
    }
    let any_consent = found.iter().filter(|f| f.listed()).any(|f| f.system.legal_bases.iter().any(|b| b.is_consent()));
    let any_objectionable = systems.iter().any(|s| s.objectionable);
    let any_portable = systems.iter().any(|s| s.portable);
    let any_adm = systems.iter().any(|s| s.adm);
    let any_checking = systems.iter().any(|s| s.checking);
    let dl = input.deadline;
    let extended = input.case.extended_on.is_some() && dl.extended_due.is_some();
    let answer_by = if extended { dl.extended_due.unwrap_or(dl.due) } else { dl.due };
    let reasons = input.extra.reasons.as_deref().or(match kind {
        LetterKind::ExtensionNotice => input.case.extension_reason.as_deref(),
        _ => None,
    });
    let authority = &c.supervisory_authority;
    Ctx {
        kind: kind.code(),
        lang: lang.code(),
        law,
        uk: input.case.jurisdiction == crate::deadline::Jurisdiction::UkGdpr,
        controller: ControllerCtx {
            name: clean(&c.name),
            address: c.address.iter().map(|l| clean(l)).collect(),
            email: clean(&c.email),
            phone: c.phone.as_deref().map(clean),
            country: c.country.clone(),
            dpo: c.dpo.as_ref().map(|d| PersonCtx {
                name: clean(&d.name),
                email: clean(&d.email),
                address: d.address.iter().flatten().map(|l| clean(l)).collect(),
                phone: d.phone.as_deref().map(clean),
            }),
            authority: AuthorityCtx {
                name: clean(&authority.name),
                address: authority.address.iter().flatten().map(|l| clean(l)).collect(),
                email: authority.email.as_deref().map(clean),
                url: authority.url.as_deref().map(clean),
                is_ap: is_dutch_authority(&authority.name),
            },
            public_body: c.public_body,
            signatory: c.signatory.as_ref().map(|sg| SignatoryCtx { name: clean(&sg.name), role: sg.role.as_ref().map(&pick) }),
        },
        subject: SubjectCtx {
            name: clean(&input.case.subject.name),
            address: input.case.subject.address.iter().map(|l| clean(l)).collect(),
        },
        greeting: match (&input.case.requester, &input.case.salutation) {
            (Some(r), _) => crate::cases::salutation::neutral(&clean(&r.name), lang),
            (None, Some(s)) => clean(&s.greeting(lang)),
            (None, None) => crate::cases::salutation::neutral(&clean(&input.case.subject.name), lang),
        },
        requester: input.case.requester.as_ref().map(|r| RequesterCtx {
            name: clean(&r.name),
            address: r.address.iter().map(|l| clean(l)).collect(),
            authority: r.authority_note.as_deref().map(clean).unwrap_or_else(|| words::authority(r.authority, lang).to_string()),
        }),
        case: CaseCtx {
            reference: input.case.reference.to_string(),
            received: words::date(input.case.received, lang),
            rights: input.case.rights.iter().map(|r| words::right(*r, lang)).collect(),
            asked_erasure: input.case.rights.iter().any(|r| matches!(r, crate::domain::Right::Erasure)),
            asked_objection: input.case.rights.iter().any(|r| matches!(r, crate::domain::Right::Objection)),
        },
        dates: DatesCtx {
            today: words::date(input.today, lang),
            due: words::date(dl.due, lang),
            extended_due: dl.extended_due.map(|d| words::date(d, lang)),
            extension_notice_by: dl.extension_notice_by.map(|d| words::date(d, lang)),
            answer_by: words::date(answer_by, lang),
            extended,
            earlier_access: input.earlier_access.map(|(d, _)| words::date(d, lang)),
            identity_asked: input
                .case
                .pauses
                .iter()
                .filter_map(|p| match p {
                    crate::deadline::Pause::Identity { asked, .. } => Some(*asked),
                    _ => None,
                })
                .max()
                .map(|d| words::date(d, lang)),
        },
        extra: ExtraCtx {
            reasons: paragraphs(reasons),
            notes: paragraphs(input.extra.notes.as_deref()),
            ground: input.extra.ground.filter(|_| kind == LetterKind::Refusal).map(|g| g.text(lang, law)),
            fee: input.extra.fee.as_deref().map(str::trim).filter(|f| !f.is_empty()).map(clean),
            encrypted_bundle: input.extra.encrypted_bundle,
        },
        systems,
        searched,
        retained,
        recipients,
        acted: acted_ctx(input, &pick),
        total_records,
        any_checking,
        any_consent,
        any_objectionable,
        any_portable,
        any_adm,
    }
}

/// A recipient as the letter names it: the name with its country, or a category marked as one.
fn recipient_words(text: &str, country: Option<&str>, category: bool, lang: Language) -> String {
    let text = clean(text);
    match (country, category) {
        (_, true) => format!("{text} ({})", ["Kategorie", "category", "categorie"][words::lang_index(lang)]),
        (Some(c), false) => format!("{text} ({})", words::country(c, lang)),
        (None, false) => text,
    }
}

/// Art. 20(1): data the subject provided, processed on consent or contract.
fn is_portable(s: &System) -> bool {
    // "Provided by" the subject includes data observed from their use of a service (WP242).
    s.source.strings().iter().any(|t| matches!(t.trim(), "data-subject" | "automatic"))
        && s.legal_bases.iter().any(|b| b.is_consent() || (b.article() == crate::register::Article::Art6 && b.point() == 'b'))
}

fn is_public_task(b: LegalBasis) -> bool {
    b.article() == crate::register::Article::Art6 && b.point() == 'e'
}

/// RULES.md §2 NL: Dutch letters name the Autoriteit Persoonsgegevens only when the register
/// does; this tells the templates whether it does.
fn is_dutch_authority(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("autoriteit persoonsgegevens") || n.trim() == "ap"
}

fn acted_ctx(input: &LetterInput<'_>, pick: &dyn Fn(&crate::register::Text) -> String) -> ActedCtx {
    let lang = input.language;
    let a = input.acted;
    let name = |id: &str| input.register.system(id).map_or_else(|| id.to_string(), |s| pick(&s.name));
    let mut retained = Vec::new();
    for r in a.retained() {
        let Some(system) = input.register.system(&r.id) else { continue };
        for d in &system.statutory_retention {
            retained.push(RetainedUntilCtx {
                system: pick(&system.name),
                law: pick(&d.law),
                applies_to: pick(&d.applies_to),
                period: words::period(&d.period, lang),
                until: r.retained_until.map(|u| words::date(u, lang)),
            });
        }
    }
    ActedCtx {
        erased: a.erased().map(|s| name(&s.id)).collect(),
        restricted: a.restricted().map(|s| name(&s.id)).collect(),
        retained,
        informed: a.informed().into_iter().map(clean).collect(),
        suppressed: a.suppressed,
        rectified: a.rectified().map(|s| name(&s.id)).collect(),
        aging_out: a.aging_out().filter_map(|s| Some(AgingOutCtx { system: name(&s.id), until: words::date(s.retained_until?, lang) })).collect(),
        corrections: a.corrections.iter().map(|c| CorrectionCtx { field: clean(&c.field), new: clean(&c.new) }).collect(),
    }
}
