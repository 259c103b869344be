//! What the register lacks for a lawful Art. 15 answer, found before the letter is final:
//! each gap names the system, the field and the fix.

use crate::domain::Language;
use crate::register::{Register, Role, Safeguard, System};

/// One thing the register must say before an access answer is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The system concerned; `None` for the controller's own details.
    pub system_id: Option<String>,
    /// The system's name as a letter in the checked language shows it (a register fact).
    pub system_name: Option<String>,
    /// The register field, e.g. `retention.description` or `controller.supervisory_authority.address`.
    pub field: String,
    /// The kind of gap, one of [`GAP_CODES`] (e.g. `purposes`, `translation.source`): the
    /// desktop words it in the user's language from this and `params`.
    pub code: &'static str,
    /// The code's parameters, by the names [`GAP_CODES`] gives (register facts only: a
    /// country, recipient categories, language codes).
    pub params: Vec<(&'static str, String)>,
    /// What is missing, in English (the CLI's words; no personal data: register facts only).
    pub problem: String,
    /// What to write in the register, in English.
    pub fix: String,
}

/// Every gap code [`completeness`] can produce, with the names of its parameters (the
/// desktop's labels may use only these; the system is named beside them, not as a parameter).
pub const GAP_CODES: &[(&str, &[&str])] = &[
    ("authority.name", &[]),
    ("authority.address", &[]),
    ("purposes", &[]),
    ("data-categories", &[]),
    ("legal-bases", &[]),
    ("processor-unnamed", &[]),
    ("recipients-unknown", &[]),
    ("recipients-categories-only", &["categories"]),
    ("legitimate-interest", &[]),
    ("purpose-bases", &[]),
    ("significance", &[]),
    ("retention", &[]),
    ("source-missing", &[]),
    ("source-vague", &[]),
    ("logic", &[]),
    ("transfer-safeguard", &["country"]),
    ("transfer-derogation", &["country"]),
    ("translation.name", TRANSLATION_PARAMS),
    ("translation.purposes", TRANSLATION_PARAMS),
    ("translation.data-categories", TRANSLATION_PARAMS),
    ("translation.recipients", TRANSLATION_PARAMS),
    ("translation.retention", TRANSLATION_PARAMS),
    ("translation.source", TRANSLATION_PARAMS),
    ("translation.legitimate-interest", TRANSLATION_PARAMS),
    ("translation.logic", TRANSLATION_PARAMS),
    ("translation.significance", TRANSLATION_PARAMS),
    ("translation.purpose-bases", TRANSLATION_PARAMS),
    ("translation.transfers", TRANSLATION_PARAMS),
    ("translation.statutory-retention", TRANSLATION_PARAMS),
];

/// A missing translation's parameters: the letter's language and the register's (codes).
const TRANSLATION_PARAMS: &[&str] = &["language", "register_language"];

/// Checks the controller and the systems that hold data on the subject (by id) against what
/// Art. 15(1)(a)–(h) and 15(2) require, reading texts as a letter in `language` would.
/// Unknown ids are ignored (the register may have changed since the pull).
pub fn completeness(register: &Register, systems_with_data: &[&str], language: Language) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let ctl_lang = register.controller.language();
    let authority = &register.controller.supervisory_authority;
    if is_placeholder(&authority.name) {
        gaps.push(gap(None, "controller.supervisory_authority.name", "authority.name", vec![], "the supervisory authority has no name", "name the authority the subject may complain to (Art. 15(1)(f))"));
    }
    if authority.address.as_ref().is_none_or(|a| a.iter().all(|l| l.trim().is_empty())) {
        gaps.push(gap(None, "controller.supervisory_authority.address", "authority.address", vec![], "the supervisory authority has no address", "add its postal address so the subject can reach it (Art. 15(1)(f))"));
    }
    for id in systems_with_data {
        let Some(s) = register.system(id) else { continue };
        let from = gaps.len();
        check_system(s, language, ctl_lang, &mut gaps);
        let name = s.name.pick(language, ctl_lang).to_string();
        for g in &mut gaps[from..] {
            g.system_name = Some(name.clone());
        }
    }
    gaps
}

fn check_system(s: &System, lang: Language, ctl: Language, gaps: &mut Vec<Gap>) {
    let id = Some(s.id.as_str());
    if s.purposes.pick(lang, ctl).iter().all(|p| is_placeholder(p)) {
        gaps.push(gap(id, "purposes", "purposes", vec![], "no purpose is named", "list why the data is processed (Art. 15(1)(a))"));
    }
    if s.data_categories.pick(lang, ctl).iter().all(|p| is_placeholder(p)) {
        gaps.push(gap(id, "data_categories", "data-categories", vec![], "no category of data is named", "list the kinds of data held, e.g. name, e-mail address (Art. 15(1)(b))"));
    }
    if s.legal_bases.is_empty() {
        gaps.push(gap(id, "legal_bases", "legal-bases", vec![], "no legal basis is given", "add the basis of the processing, e.g. art6-1-b"));
    }
    if s.role == Role::Processor && s.vendor.is_none() && s.recipients.is_empty() {
        gaps.push(gap(id, "recipients", "processor-unnamed", vec![], "the system is run by a processor that is not named", "add the vendor or list it under recipients (Art. 15(1)(c))"));
    } else if s.recipients.is_empty() && s.vendor.is_none() && !s.no_recipients {
        gaps.push(gap(
            id,
            "recipients",
            "recipients-unknown",
            vec![],
            "the register does not say whether anyone outside the firm receives the data",
            "name each recipient with its country ({\"name\": \"…\", \"country\": \"DE\"}), or write \"no_recipients\": true (Art. 15(1)(c))",
        ));
    }
    let categories: Vec<String> = s.recipients.pick(lang, ctl).into_iter().filter(|r| r.category).map(|r| r.text).collect();
    if !categories.is_empty() {
        gaps.push(gap(
            id,
            "recipients",
            "recipients-categories-only",
            vec![("categories", categories.join(", "))],
            &format!("only categories of recipients are named ({})", categories.join(", ")),
            "name the actual recipients with their country (CJEU C-154/21); if naming them is impossible, accept the gap with your reason",
        ));
    }
    if s.legal_bases.iter().any(|b| b.is_legitimate_interest()) && s.legitimate_interest.as_ref().is_none_or(|t| is_placeholder(t.pick(lang, ctl))) {
        gaps.push(gap(id, "legitimate_interest", "legitimate-interest", vec![], "the processing rests on legitimate interests that are not named", "say which interest is pursued (Art. 13(1)(d), 15(1)(c) as read with EDPB 01/2022)"));
    }
    let bases: std::collections::BTreeSet<_> = s.legal_bases.iter().filter(|b| b.article() != crate::register::Article::Art49).collect();
    if s.purposes.pick(lang, ctl).len() > 1 && bases.len() > 1 && s.purpose_bases.is_empty() {
        gaps.push(gap(id, "purpose_bases", "purpose-bases", vec![], "several purposes and several legal bases, but not which purpose rests on which", "map each purpose to its bases: \"purpose_bases\": [{\"purpose\": …, \"legal_bases\": [\"art6-1-b\"]}]"));
    }
    if s.automated_decision_making && s.significance.as_ref().is_none_or(|t| is_placeholder(t.pick(lang, ctl))) {
        gaps.push(gap(id, "significance", "significance", vec![], "automated decisions without their significance and envisaged consequences", "say what the decisions mean for the subject (Art. 15(1)(h))"));
    }
    translations(s, lang, ctl, gaps);
    if is_placeholder(s.retention.description.pick(lang, ctl)) && s.retention.period.is_none() {
        gaps.push(gap(id, "retention.description", "retention", vec![], "no storage period or criteria for it", "say how long the data is kept or what decides it, e.g. \"until the end of the contract\" or period P2Y (Art. 15(1)(d))"));
    }
    if is_placeholder(s.source.pick(lang, ctl)) {
        gaps.push(gap(id, "source", "source-missing", vec![], "the source of the data is not named", "write data-subject, automatic, or where the data came from (Art. 15(1)(g))"));
    } else if is_vague_source(s.source.pick(lang, ctl)) {
        gaps.push(gap(id, "source", "source-vague", vec![], "the source is named only as \"third parties\" or the like", "name where the data came from, e.g. \"Creditreform Köln (credit check)\" (Art. 15(1)(g))"));
    }
    if s.automated_decision_making && s.logic.as_ref().is_none_or(|l| is_placeholder(l.pick(lang, ctl))) {
        gaps.push(gap(id, "logic", "logic", vec![], "automated decision-making without its logic", "explain the logic involved and its consequences for the subject (Art. 15(1)(h))"));
    }
    for (k, t) in s.transfers.iter().enumerate() {
        match t.safeguard {
            Safeguard::None => gaps.push(gap(id, &format!("transfers/{k}/safeguard"), "transfer-safeguard", vec![("country", t.country.to_string())], &format!("the transfer to {} has no safeguard", t.country), "name the Art. 45–47 safeguard or the Art. 49 derogation relied on, or stop the transfer (Art. 15(2))")),
            Safeguard::Art49 if t.note.is_none() => gaps.push(gap(id, &format!("transfers/{k}/note"), "transfer-derogation", vec![("country", t.country.to_string())], &format!("the transfer to {} relies on Art. 49 without saying which derogation", t.country), "say in the note which point of Art. 49(1) applies")),
            _ => {}
        }
    }
}

/// RULES.md §3 "one language": a text a letter in `lang` shows must exist in `lang` (a plain
/// text counts as written in the controller's language); never silently another language.
fn translations(s: &System, lang: Language, ctl: Language, gaps: &mut Vec<Gap>) {
    if lang == ctl {
        return;
    }
    let id = Some(s.id.as_str());
    let mut missing: Vec<&str> = Vec::new();
    if !s.name.has_language(lang, ctl) {
        missing.push("name");
    }
    if !s.purposes.has_language(lang, ctl) {
        missing.push("purposes");
    }
    if !s.data_categories.has_language(lang, ctl) {
        missing.push("data_categories");
    }
    if !s.recipients.has_language(lang, ctl) {
        missing.push("recipients");
    }
    if !s.retention.description.has_language(lang, ctl) && !is_placeholder(s.retention.description.pick(lang, ctl)) {
        missing.push("retention.description");
    }
    // `data-subject` and `automatic` are codes the letter words itself.
    if !matches!(s.source.pick(lang, ctl).trim(), "data-subject" | "automatic") && !s.source.has_language(lang, ctl) {
        missing.push("source");
    }
    let optional = [("legitimate_interest", &s.legitimate_interest), ("logic", &s.logic), ("significance", &s.significance)];
    for (field, text) in optional {
        if text.as_ref().is_some_and(|t| !t.has_language(lang, ctl)) {
            missing.push(field);
        }
    }
    if s.purpose_bases.iter().any(|pb| !pb.purpose.has_language(lang, ctl)) {
        missing.push("purpose_bases");
    }
    if s.transfers.iter().any(|t| t.note.as_ref().is_some_and(|n| !n.has_language(lang, ctl))) {
        missing.push("transfers");
    }
    if s.statutory_retention.iter().any(|d| !d.applies_to.has_language(lang, ctl)) {
        missing.push("statutory_retention");
    }
    for field in missing {
        gaps.push(gap(
            id,
            field,
            translation_code(field),
            vec![("language", lang.code().to_string()), ("register_language", ctl.code().to_string())],
            &format!("no {} text: the letter would print the register's {} text", lang_name(lang), lang_name(ctl)),
            &format!("write it per language, e.g. {{\"{}\": \"…\", \"{}\": \"…\"}}", ctl.code(), lang.code()),
        ));
    }
}

fn lang_name(l: Language) -> &'static str {
    match l {
        Language::De => "German",
        Language::En => "English",
        Language::Nl => "Dutch",
    }
}

fn gap(system: Option<&str>, field: &str, code: &'static str, params: Vec<(&'static str, String)>, problem: &str, fix: &str) -> Gap {
    debug_assert!(GAP_CODES.iter().any(|(c, names)| *c == code && names.len() == params.len() && params.iter().all(|(n, _)| names.contains(n))), "{code}");
    Gap { system_id: system.map(str::to_string), system_name: None, field: field.to_string(), code, params, problem: problem.to_string(), fix: fix.to_string() }
}

/// The code of a missing translation of `field`.
fn translation_code(field: &str) -> &'static str {
    match field {
        "name" => "translation.name",
        "purposes" => "translation.purposes",
        "data_categories" => "translation.data-categories",
        "recipients" => "translation.recipients",
        "retention.description" => "translation.retention",
        "source" => "translation.source",
        "legitimate_interest" => "translation.legitimate-interest",
        "logic" => "translation.logic",
        "significance" => "translation.significance",
        "purpose_bases" => "translation.purpose-bases",
        "transfers" => "translation.transfers",
        _ => "translation.statutory-retention",
    }
}

/// A source that names no one: Art. 15(1)(g) asks for "any available information" on it.
fn is_vague_source(s: &str) -> bool {
    let t: String = s.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect();
    const VAGUE: &[&str] = &[
        "third parties", "third party", "other sources", "external sources", "dritte", "dritter", "dritten", "externe quellen", "andere quellen",
        "derden", "derde partijen", "externe bronnen", "andere bronnen", "public sources", "öffentliche quellen", "openbare bronnen",
    ];
    VAGUE.contains(&t.as_str())
}

/// Texts registers use when they have nothing to say ("Keine Angabe", "n/a", "onbekend").
fn is_placeholder(s: &str) -> bool {
    let t: String = s.trim().to_lowercase().chars().filter(|c| !matches!(c, '.' | ' ' | '-' | '/' | '?' | '…')).collect();
    const NONE: &[&str] = &[
        "", "na", "ka", "keineangabe", "keineangaben", "unbekannt", "nichtbekannt", "offen", "tbd", "todo", "unknown",
        "notspecified", "none", "nospecification", "onbekend", "nietbekend", "geenopgave", "nvt", "xxx",
    ];
    NONE.contains(&t.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_that_names_no_one_is_vague() {
        for s in ["Dritte", "third parties", " Derden.", "Öffentliche Quellen"] {
            assert!(is_vague_source(s), "{s}");
        }
        for s in ["Creditreform Köln (Bonitätsauskunft)", "data-subject", "Partner-Shop Müller GmbH"] {
            assert!(!is_vague_source(s), "{s}");
        }
    }

    #[test]
    fn placeholders_are_recognised_but_real_criteria_are_not() {
        for p in ["Keine Angabe", "n/a", "k. A.", " ", "TBD", "onbekend", "?"] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in ["Für die Dauer des Kundenkontos", "Keine Angabe des Anbieters; Löschung nach Zweckfortfall", "8 Wochen"] {
            assert!(!is_placeholder(p), "{p}");
        }
    }
}
