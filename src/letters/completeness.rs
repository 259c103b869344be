//! What the register lacks for a lawful Art. 15 answer, found before the letter is final:
//! each gap names the system, the field and the fix.

use crate::domain::Language;
use crate::register::{Register, Role, Safeguard, System};

/// One thing the register must say before an access answer is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The system concerned; `None` for the controller's own details.
    pub system_id: Option<String>,
    /// The register field, e.g. `retention.description` or `controller.supervisory_authority.address`.
    pub field: String,
    /// What is missing (no personal data: register facts only).
    pub problem: String,
    /// What to write in the register.
    pub fix: String,
}

/// Checks the controller and the systems that hold data on the subject (by id) against what
/// Art. 15(1)(a)–(h) and 15(2) require, reading texts as a letter in `language` would.
/// Unknown ids are ignored (the register may have changed since the pull).
pub fn completeness(register: &Register, systems_with_data: &[&str], language: Language) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let ctl_lang = register.controller.language();
    let authority = &register.controller.supervisory_authority;
    if is_placeholder(&authority.name) {
        gaps.push(gap(None, "controller.supervisory_authority.name", "the supervisory authority has no name", "name the authority the subject may complain to (Art. 15(1)(f))"));
    }
    if authority.address.as_ref().is_none_or(|a| a.iter().all(|l| l.trim().is_empty())) {
        gaps.push(gap(None, "controller.supervisory_authority.address", "the supervisory authority has no address", "add its postal address so the subject can reach it (Art. 15(1)(f))"));
    }
    for id in systems_with_data {
        let Some(s) = register.system(id) else { continue };
        check_system(s, language, ctl_lang, &mut gaps);
    }
    gaps
}

fn check_system(s: &System, lang: Language, ctl: Language, gaps: &mut Vec<Gap>) {
    let id = Some(s.id.as_str());
    if s.purposes.pick(lang, ctl).iter().all(|p| is_placeholder(p)) {
        gaps.push(gap(id, "purposes", "no purpose is named", "list why the data is processed (Art. 15(1)(a))"));
    }
    if s.data_categories.pick(lang, ctl).iter().all(|p| is_placeholder(p)) {
        gaps.push(gap(id, "data_categories", "no category of data is named", "list the kinds of data held, e.g. name, e-mail address (Art. 15(1)(b))"));
    }
    if s.legal_bases.is_empty() {
        gaps.push(gap(id, "legal_bases", "no legal basis is given", "add the basis of the processing, e.g. art6-1-b"));
    }
    if s.role == Role::Processor && s.vendor.is_none() && s.recipients.pick(lang, ctl).is_empty() {
        gaps.push(gap(id, "recipients", "the system is run by a processor that is not named", "add the vendor or list it under recipients (Art. 15(1)(c))"));
    }
    if is_placeholder(s.retention.description.pick(lang, ctl)) && s.retention.period.is_none() {
        gaps.push(gap(id, "retention.description", "no storage period or criteria for it", "say how long the data is kept or what decides it, e.g. \"until the end of the contract\" or period P2Y (Art. 15(1)(d))"));
    }
    if is_placeholder(s.source.pick(lang, ctl)) {
        gaps.push(gap(id, "source", "the source of the data is not named", "write data-subject, automatic, or where the data came from (Art. 15(1)(g))"));
    }
    if s.automated_decision_making && s.logic.as_ref().is_none_or(|l| is_placeholder(l.pick(lang, ctl))) {
        gaps.push(gap(id, "logic", "automated decision-making without its logic", "explain the logic involved and its consequences for the subject (Art. 15(1)(h))"));
    }
    for (k, t) in s.transfers.iter().enumerate() {
        match t.safeguard {
            Safeguard::None => gaps.push(gap(id, &format!("transfers/{k}/safeguard"), &format!("the transfer to {} has no safeguard", t.country), "name the Art. 45–47 safeguard or the Art. 49 derogation relied on, or stop the transfer (Art. 15(2))")),
            Safeguard::Art49 if t.note.is_none() => gaps.push(gap(id, &format!("transfers/{k}/note"), &format!("the transfer to {} relies on Art. 49 without saying which derogation", t.country), "say in the note which point of Art. 49(1) applies")),
            _ => {}
        }
    }
}

fn gap(system: Option<&str>, field: &str, problem: &str, fix: &str) -> Gap {
    Gap { system_id: system.map(str::to_string), field: field.to_string(), problem: problem.to_string(), fix: fix.to_string() }
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
    fn placeholders_are_recognised_but_real_criteria_are_not() {
        for p in ["Keine Angabe", "n/a", "k. A.", " ", "TBD", "onbekend", "?"] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in ["Für die Dauer des Kundenkontos", "Keine Angabe des Anbieters; Löschung nach Zweckfortfall", "8 Wochen"] {
            assert!(!is_placeholder(p), "{p}");
        }
    }
}
