//! The ready e-mail of a manual-search task: a short plain-text request to the processor (or
//! whoever runs the system) to search for the subject, in the case's language. The formal
//! letters to the subject live elsewhere; this is a working note the DPO sends as is.

use chrono::NaiveDate;

use crate::domain::{IdentifierKind, Language, Subject};
use crate::register::{Controller, Role, Settings, System};

/// What the e-mail is made from.
pub(crate) struct MailInput<'a> {
    /// The firm asking.
    pub controller: &'a Controller,
    /// The system to search.
    pub system: &'a System,
    /// The case's reference.
    pub reference: &'a str,
    /// The person to search for.
    pub subject: &'a Subject,
    /// The case's language.
    pub language: Language,
    /// The answer the processor is asked for by this day.
    pub answer_by: NaiveDate,
}

/// The task's title and body (the e-mail with its `To:` and `Subject:` lines).
pub(crate) fn compose(m: &MailInput<'_>) -> (String, String) {
    let lang = m.language;
    let ctl_lang = m.controller.language();
    let system = m.system.name.pick(lang, ctl_lang);
    let t = texts(lang);
    let (contact, instructions) = match m.system.connector.as_ref().map(|c| &c.settings) {
        Some(Settings::Manual(s)) => (s.contact.clone().unwrap_or_default(), s.instructions.as_ref().map(|i| i.pick(lang, ctl_lang).to_string())),
        _ => (Default::default(), None),
    };
    let mut body = String::new();
    let to = contact.email.clone().or_else(|| m.system.vendor.as_ref().map(|v| v.name.clone()));
    if let Some(to) = to {
        body.push_str(&format!("{}: {to}\n", t.to));
    }
    body.push_str(&format!("{}: {}\n\n", t.subject_line, (t.subject)(m.reference, system)));
    body.push_str(&match contact.name.as_deref() {
        Some(n) => (t.hello_named)(n),
        None => t.hello.to_string(),
    });
    body.push_str("\n\n");
    let role = if m.system.role == Role::Processor { t.as_processor } else { t.as_operator };
    body.push_str(&(t.ask)(&m.controller.name, m.reference, role, system, &date(lang, m.answer_by)));
    body.push_str("\n\n");
    body.push_str(&format!("  {}: {}\n", t.name, m.subject.name));
    for id in &m.subject.identifiers {
        body.push_str(&format!("  {}: {}\n", label(lang, &id.kind), id.value));
    }
    if let Some(i) = instructions.filter(|i| !i.trim().is_empty()) {
        body.push('\n');
        body.push_str(i.trim());
        body.push('\n');
    }
    body.push('\n');
    body.push_str(t.closing);
    body.push_str("\n\n");
    body.push_str(t.regards);
    body.push('\n');
    body.push_str(&m.controller.name);
    body.push('\n');
    body.push_str(&m.controller.email);
    body.push('\n');
    ((t.title)(system), body)
}

struct Texts {
    to: &'static str,
    subject_line: &'static str,
    subject: fn(&str, &str) -> String,
    title: fn(&str) -> String,
    hello: &'static str,
    hello_named: fn(&str) -> String,
    as_processor: &'static str,
    as_operator: &'static str,
    ask: fn(&str, &str, &str, &str, &str) -> String,
    name: &'static str,
    closing: &'static str,
    regards: &'static str,
}

fn texts(lang: Language) -> Texts {
    match lang {
        Language::De => Texts {
            to: "An",
            subject_line: "Betreff",
            subject: |r, s| format!("Betroffenenanfrage {r}: Bitte um Suche in {s}"),
            title: |s| format!("Manuelle Suche: {s}"),
            hello: "Sehr geehrte Damen und Herren,",
            hello_named: |n| format!("Guten Tag {n},"),
            as_processor: "Als unser Auftragsverarbeiter für",
            as_operator: "Als Zuständige für",
            ask: |c, r, role, s, by| {
                format!(
                    "bei {c} ist die Anfrage einer betroffenen Person eingegangen (Aktenzeichen {r}). {role} „{s}“ \
                     bitten wir Sie, dort nach personenbezogenen Daten der folgenden Person zu suchen und uns das \
                     Ergebnis bis zum {by} zu senden:"
                )
            },
            name: "Name",
            closing: "Bitte senden Sie uns alle gefundenen Daten (am besten als maschinenlesbaren Export) oder \
                      bestätigen Sie, dass keine gefunden wurden, jeweils unter Angabe des Aktenzeichens. Bitte \
                      nehmen Sie keinen direkten Kontakt mit der betroffenen Person auf.",
            regards: "Mit freundlichen Grüßen",
        },
        Language::Nl => Texts {
            to: "Aan",
            subject_line: "Onderwerp",
            subject: |r, s| format!("Verzoek van betrokkene {r}: graag zoeken in {s}"),
            title: |s| format!("Handmatig zoeken: {s}"),
            hello: "Geachte heer, mevrouw,",
            hello_named: |n| format!("Beste {n},"),
            as_processor: "Als onze verwerker voor",
            as_operator: "Als beheerder van",
            ask: |c, r, role, s, by| {
                format!(
                    "{c} heeft een verzoek van een betrokkene ontvangen (kenmerk {r}). {role} ‘{s}’ vragen wij u \
                     daarin te zoeken naar persoonsgegevens van de volgende persoon en ons het resultaat uiterlijk \
                     {by} toe te sturen:"
                )
            },
            name: "Naam",
            closing: "Stuur ons alstublieft alle gevonden gegevens (bij voorkeur als machineleesbare export) of \
                      bevestig dat er geen gegevens zijn gevonden, steeds onder vermelding van het kenmerk. Neem \
                      geen rechtstreeks contact op met de betrokkene.",
            regards: "Met vriendelijke groet,",
        },
        Language::En => Texts {
            to: "To",
            subject_line: "Subject",
            subject: |r, s| format!("Data subject request {r}: please search {s}"),
            title: |s| format!("Search manually: {s}"),
            hello: "Dear Sir or Madam,",
            hello_named: |n| format!("Dear {n},"),
            as_processor: "As our processor for",
            as_operator: "As the operator of",
            ask: |c, r, role, s, by| {
                format!(
                    "{c} has received a request from a data subject (reference {r}). {role} \"{s}\", please search \
                     it for personal data of the following person and send us the result by {by}:"
                )
            },
            name: "Name",
            closing: "Please send us all data found (a machine-readable export is best), or confirm that none was \
                      found, quoting the reference. Please do not contact the data subject directly.",
            regards: "Kind regards,",
        },
    }
}

fn label(lang: Language, kind: &IdentifierKind) -> String {
    let (de, en, nl) = match kind {
        IdentifierKind::Email => ("E-Mail", "E-mail", "E-mail"),
        IdentifierKind::Phone => ("Telefon", "Phone", "Telefoon"),
        IdentifierKind::CustomerId => ("Kundennummer", "Customer number", "Klantnummer"),
        IdentifierKind::Ip => ("IP-Adresse", "IP address", "IP-adres"),
        IdentifierKind::Username => ("Benutzername", "User name", "Gebruikersnaam"),
        IdentifierKind::Other(k) => return k.clone(),
    };
    match lang {
        Language::De => de,
        Language::En => en,
        Language::Nl => nl,
    }
    .to_string()
}

fn date(lang: Language, d: NaiveDate) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::Nl => d.format("%d-%m-%Y").to_string(),
        Language::En => d.format("%-d %B %Y").to_string(),
    }
}
