//! The words letters print for codes and dates, per language: dates as each language writes
//! them, retention periods, countries, safeguards, legal bases, rights and data sources.

use chrono::{Datelike, NaiveDate};

use crate::deadline::Jurisdiction;
use crate::domain::{Language, Right};
use crate::register::{Article, LegalBasis, Period, Safeguard};

/// A date as the language writes it in a letter: `21.11.2026`, `21 November 2026`,
/// `21 november 2026`.
pub fn date(d: NaiveDate, lang: Language) -> String {
    const EN: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    const NL: [&str; 12] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    let month = d.month0() as usize;
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => format!("{} {} {}", d.day(), EN[month], d.year()),
        Language::Nl => format!("{} {} {}", d.day(), NL[month], d.year()),
    }
}

/// A retention period in words: `8 Jahre`, `8 weeks`, `6 maanden`.
pub fn period(p: &Period, lang: Language) -> String {
    // (singular, plural) per unit and language.
    let units: [(u32, [(&str, &str); 3]); 7] = [
        (p.years, [("Jahr", "Jahre"), ("year", "years"), ("jaar", "jaar")]),
        (p.months, [("Monat", "Monate"), ("month", "months"), ("maand", "maanden")]),
        (p.weeks, [("Woche", "Wochen"), ("week", "weeks"), ("week", "weken")]),
        (p.days, [("Tag", "Tage"), ("day", "days"), ("dag", "dagen")]),
        (p.hours, [("Stunde", "Stunden"), ("hour", "hours"), ("uur", "uur")]),
        (p.minutes, [("Minute", "Minuten"), ("minute", "minutes"), ("minuut", "minuten")]),
        (p.seconds, [("Sekunde", "Sekunden"), ("second", "seconds"), ("seconde", "seconden")]),
    ];
    let i = lang_index(lang);
    let parts: Vec<String> = units
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, names)| format!("{n} {}", if *n == 1 { names[i].0 } else { names[i].1 }))
        .collect();
    let and = ["und", "and", "en"][i];
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {and} {last}", rest.join(", ")),
    }
}

pub(crate) fn lang_index(lang: Language) -> usize {
    match lang {
        Language::De => 0,
        Language::En => 1,
        Language::Nl => 2,
    }
}

/// A country's name for an ISO 3166-1 alpha-2 code; the code itself for countries letters
/// rarely name (the register's note may say more).
pub fn country(code: &str, lang: Language) -> String {
    const NAMES: &[(&str, [&str; 3])] = &[
        ("US", ["USA", "United States", "Verenigde Staten"]),
        ("CA", ["Kanada", "Canada", "Canada"]),
        ("GB", ["Vereinigtes Königreich", "United Kingdom", "Verenigd Koninkrijk"]),
        ("CH", ["Schweiz", "Switzerland", "Zwitserland"]),
        ("IN", ["Indien", "India", "India"]),
        ("JP", ["Japan", "Japan", "Japan"]),
        ("KR", ["Südkorea", "South Korea", "Zuid-Korea"]),
        ("AU", ["Australien", "Australia", "Australië"]),
        ("NZ", ["Neuseeland", "New Zealand", "Nieuw-Zeeland"]),
        ("IL", ["Israel", "Israel", "Israël"]),
        ("SG", ["Singapur", "Singapore", "Singapore"]),
        ("CN", ["China", "China", "China"]),
        ("BR", ["Brasilien", "Brazil", "Brazilië"]),
        ("AR", ["Argentinien", "Argentina", "Argentinië"]),
        ("UY", ["Uruguay", "Uruguay", "Uruguay"]),
        ("PH", ["Philippinen", "Philippines", "Filipijnen"]),
        ("UA", ["Ukraine", "Ukraine", "Oekraïne"]),
        ("RS", ["Serbien", "Serbia", "Servië"]),
        ("TR", ["Türkei", "Turkey", "Turkije"]),
        ("ZA", ["Südafrika", "South Africa", "Zuid-Afrika"]),
        ("AE", ["Vereinigte Arabische Emirate", "United Arab Emirates", "Verenigde Arabische Emiraten"]),
        ("MX", ["Mexiko", "Mexico", "Mexico"]),
        ("DE", ["Deutschland", "Germany", "Duitsland"]),
        ("NL", ["Niederlande", "Netherlands", "Nederland"]),
        ("IE", ["Irland", "Ireland", "Ierland"]),
        ("FR", ["Frankreich", "France", "Frankrijk"]),
    ];
    let upper = code.trim().to_ascii_uppercase();
    NAMES
        .iter()
        .find(|(c, _)| *c == upper)
        .map_or(upper.clone(), |(_, names)| names[lang_index(lang)].to_string())
}

/// The instrument of a transfer in words (Art. 15(2) asks for "the appropriate safeguards").
pub fn safeguard(s: Safeguard, lang: Language) -> &'static str {
    let words: [&str; 3] = match s {
        Safeguard::Adequacy => [
            "Angemessenheitsbeschluss der EU-Kommission (Art. 45 DSGVO)",
            "adequacy decision of the European Commission (Art. 45 GDPR)",
            "adequaatheidsbesluit van de Europese Commissie (art. 45 AVG)",
        ],
        Safeguard::Scc => [
            "EU-Standardvertragsklauseln (Art. 46 Abs. 2 lit. c DSGVO)",
            "EU standard contractual clauses (Art. 46(2)(c) GDPR)",
            "standaardcontractbepalingen van de Europese Commissie (art. 46 lid 2 sub c AVG)",
        ],
        Safeguard::Dpf => [
            "Zertifizierung des Empfängers nach dem EU-US Data Privacy Framework (Angemessenheitsbeschluss, Art. 45 DSGVO)",
            "the recipient's certification under the EU-US Data Privacy Framework (adequacy decision, Art. 45 GDPR)",
            "certificering van de ontvanger onder het EU-VS Data Privacy Framework (adequaatheidsbesluit, art. 45 AVG)",
        ],
        Safeguard::Bcr => [
            "verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)",
            "binding corporate rules (Art. 47 GDPR)",
            "bindende bedrijfsvoorschriften (art. 47 AVG)",
        ],
        Safeguard::Art49 => [
            "Ausnahme für bestimmte Fälle (Art. 49 DSGVO)",
            "derogation for a specific situation (Art. 49 GDPR)",
            "afwijking voor een specifieke situatie (art. 49 AVG)",
        ],
        Safeguard::None => [
            "keine geeigneten Garantien – für dieses Land besteht kein Angemessenheitsbeschluss",
            "no appropriate safeguards – there is no adequacy decision for this country",
            "geen passende waarborgen – voor dit land bestaat geen adequaatheidsbesluit",
        ],
    };
    words[lang_index(lang)]
}

/// A transfer safeguard under the UK GDPR: UK adequacy regulations, the IDTA or the UK
/// Addendum, the UK extension of the Data Privacy Framework — never the Commission's terms.
pub fn safeguard_uk(s: Safeguard, lang: Language) -> &'static str {
    let words: [&str; 3] = match s {
        Safeguard::Adequacy => [
            "Angemessenheitsvorschriften des Vereinigten Königreichs (Art. 45 UK GDPR)",
            "UK adequacy regulations (Art. 45 UK GDPR)",
            "adequaatheidsregels van het Verenigd Koninkrijk (art. 45 UK GDPR)",
        ],
        Safeguard::Scc => [
            "International Data Transfer Agreement (IDTA) oder UK Addendum (Art. 46 UK GDPR)",
            "the International Data Transfer Agreement (IDTA) or the UK Addendum (Art. 46 UK GDPR)",
            "International Data Transfer Agreement (IDTA) of UK Addendum (art. 46 UK GDPR)",
        ],
        Safeguard::Dpf => [
            "Zertifizierung des Empfängers nach der UK-Erweiterung des Data Privacy Framework (UK-US Data Bridge, Art. 45 UK GDPR)",
            "the recipient's certification under the UK Extension to the Data Privacy Framework (UK-US data bridge, Art. 45 UK GDPR)",
            "certificering van de ontvanger onder de Britse uitbreiding van het Data Privacy Framework (UK-US data bridge, art. 45 UK GDPR)",
        ],
        Safeguard::Bcr => [
            "verbindliche interne Datenschutzvorschriften (Art. 47 UK GDPR)",
            "binding corporate rules (Art. 47 UK GDPR)",
            "bindende bedrijfsvoorschriften (art. 47 UK GDPR)",
        ],
        Safeguard::Art49 => [
            "Ausnahme für bestimmte Fälle (Art. 49 UK GDPR)",
            "derogation for a specific situation (Art. 49 UK GDPR)",
            "afwijking voor een specifieke situatie (art. 49 UK GDPR)",
        ],
        Safeguard::None => return safeguard(s, lang),
    };
    words[lang_index(lang)]
}

/// A legal basis as the language cites it, with what it means:
/// `Art. 6 Abs. 1 lit. b DSGVO (Vertrag)`.
pub fn legal_basis(b: LegalBasis, lang: Language, law: &str) -> String {
    let (article, para) = match b.article() {
        Article::Art6 => (6, 1),
        Article::Art9 => (9, 2),
        Article::Art49 => (49, 1),
    };
    let p = b.point();
    let cite = match lang {
        Language::De => format!("Art. {article} Abs. {para} lit. {p} {law}"),
        Language::En => format!("Art. {article}({para})({p}) {law}"),
        Language::Nl => format!("art. {article} lid {para} sub {p} {law}"),
    };
    let meaning: Option<[&str; 3]> = match (b.article(), p) {
        (Article::Art6, 'a') => Some(["Einwilligung", "consent", "toestemming"]),
        (Article::Art6, 'b') => Some(["Vertrag oder vorvertragliche Maßnahmen", "contract or steps before a contract", "overeenkomst of precontractuele maatregelen"]),
        (Article::Art6, 'c') => Some(["rechtliche Verpflichtung", "legal obligation", "wettelijke verplichting"]),
        (Article::Art6, 'd') => Some(["lebenswichtige Interessen", "vital interests", "vitale belangen"]),
        (Article::Art6, 'e') => Some(["Aufgabe im öffentlichen Interesse", "task in the public interest", "taak van algemeen belang"]),
        (Article::Art6, 'f') => Some(["berechtigte Interessen", "legitimate interests", "gerechtvaardigde belangen"]),
        (Article::Art9, 'a') => Some(["ausdrückliche Einwilligung", "explicit consent", "uitdrukkelijke toestemming"]),
        (Article::Art49, 'a') => Some(["ausdrückliche Einwilligung in die Übermittlung", "explicit consent to the transfer", "uitdrukkelijke toestemming voor de doorgifte"]),
        (Article::Art49, 'b') => Some(["Erfüllung eines Vertrags", "performance of a contract", "uitvoering van een overeenkomst"]),
        _ => None,
    };
    match meaning {
        Some(m) => format!("{cite} ({})", m[lang_index(lang)]),
        None => cite,
    }
}

/// The short name of the law in the language (`DSGVO`, `GDPR`, `AVG`; `UK GDPR` always).
pub fn law(j: Jurisdiction, lang: Language) -> &'static str {
    match (j, lang) {
        (Jurisdiction::UkGdpr, _) => "UK GDPR",
        (_, Language::De) => "DSGVO",
        (_, Language::En) => "GDPR",
        (_, Language::Nl) => "AVG",
    }
}

/// What entitles a representative, as a noun phrase.
pub fn authority(a: crate::domain::Authority, lang: Language) -> &'static str {
    use crate::domain::Authority as A;
    match (lang, a) {
        (Language::De, A::PowerOfAttorney) => "Vollmacht",
        (Language::De, A::Parent) => "elterliche Sorge",
        (Language::De, A::Guardian) => "rechtliche Betreuung oder Vormundschaft",
        (Language::De, A::Lawyer) => "anwaltliche Vertretung",
        (Language::De, A::Other) => "Vertretung",
        (Language::Nl, A::PowerOfAttorney) => "volmacht",
        (Language::Nl, A::Parent) => "ouderlijk gezag",
        (Language::Nl, A::Guardian) => "voogdij, curatele of mentorschap",
        (Language::Nl, A::Lawyer) => "bijstand door een advocaat",
        (Language::Nl, A::Other) => "vertegenwoordiging",
        (_, A::PowerOfAttorney) => "power of attorney",
        (_, A::Parent) => "parental responsibility",
        (_, A::Guardian) => "guardianship",
        (_, A::Lawyer) => "legal representation",
        (_, A::Other) => "representation",
    }
}

/// A right the subject invoked, as a noun phrase.
pub fn right(r: Right, lang: Language) -> &'static str {
    let w: [&str; 3] = match r {
        Right::Access | Right::Know => ["Auskunft (Art. 15)", "access (Art. 15)", "inzage (art. 15)"],
        Right::Rectification | Right::Correct => ["Berichtigung (Art. 16)", "rectification (Art. 16)", "rectificatie (art. 16)"],
        Right::Erasure | Right::Delete => ["Löschung (Art. 17)", "erasure (Art. 17)", "wissing (art. 17)"],
        Right::Restriction | Right::Limit => ["Einschränkung der Verarbeitung (Art. 18)", "restriction of processing (Art. 18)", "beperking van de verwerking (art. 18)"],
        Right::Portability => ["Datenübertragbarkeit (Art. 20)", "data portability (Art. 20)", "overdraagbaarheid van gegevens (art. 20)"],
        Right::Objection | Right::OptOut => ["Widerspruch (Art. 21)", "objection (Art. 21)", "bezwaar (art. 21)"],
        Right::WithdrawConsent => ["Widerruf der Einwilligung (Art. 7 Abs. 3)", "withdrawal of consent (Art. 7(3))", "intrekking van toestemming (art. 7 lid 3)"],
    };
    w[lang_index(lang)]
}

/// Where data came from: the register's codes `data-subject` and `automatic` in words, any
/// other text as written.
pub fn source(text: &str, lang: Language) -> String {
    let w: Option<[&str; 3]> = match text.trim() {
        "data-subject" => Some([
            "bei Ihnen selbst erhoben (z. B. bei Registrierung, Vertragsschluss oder in Ihren Nachrichten an uns)",
            "collected from you (e.g. when you registered, entered into a contract or wrote to us)",
            "van uzelf verkregen (bijv. bij registratie, bij het sluiten van een overeenkomst of in uw berichten aan ons)",
        ]),
        "automatic" => Some([
            "automatisch bei Ihrer Nutzung unserer Dienste erfasst (z. B. von Ihrem Browser übermittelt)",
            "recorded automatically when you used our services (e.g. sent by your browser)",
            "automatisch vastgelegd bij uw gebruik van onze diensten (bijv. door uw browser verstuurd)",
        ]),
        _ => None,
    };
    w.map_or_else(|| text.to_string(), |w| w[lang_index(lang)].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_periods_read_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(date(d, Language::De), "21.11.2026");
        assert_eq!(date(d, Language::En), "21 November 2026");
        assert_eq!(date(d, Language::Nl), "21 november 2026");
        let p: Period = "P1Y6M".parse().unwrap();
        assert_eq!(period(&p, Language::De), "1 Jahr und 6 Monate");
        assert_eq!(period(&"P8W".parse().unwrap(), Language::Nl), "8 weken");
        assert_eq!(period(&"P10Y".parse().unwrap(), Language::En), "10 years");
    }

    #[test]
    fn legal_bases_are_cited_per_language() {
        let b: LegalBasis = "art6-1-f".parse().unwrap();
        assert_eq!(legal_basis(b, Language::De, "DSGVO"), "Art. 6 Abs. 1 lit. f DSGVO (berechtigte Interessen)");
        assert_eq!(legal_basis(b, Language::Nl, "AVG"), "art. 6 lid 1 sub f AVG (gerechtvaardigde belangen)");
        assert_eq!(country("us", Language::De), "USA");
        assert_eq!(country("KE", Language::En), "KE");
    }
}
