//! Which rights a request e-mail invokes, guessed from its words in German, English and
//! Dutch. A pure function of the text: the user confirms the guess before a case exists.

use crate::domain::Right;

/// How a pattern must sit in the text.
#[derive(Clone, Copy)]
enum At {
    /// At the start of a word ("delete" in "deleted", not in "undelete").
    WordStart,
    /// Anywhere: German compounds put the stem inside ("Datenlöschung", "Werbewiderspruch").
    Anywhere,
}

use At::{Anywhere, WordStart};

/// Phrases per right. Multi-word phrases are matched after whitespace is collapsed.
/// Deliberately absent: bare "correct", "object", "copy" and "access" (too common in
/// ordinary sentences: "is this correct", "access my account") — only in phrases.
const PHRASES: &[(Right, At, &str)] = &[
    // Access (Art. 15)
    (Right::Access, Anywhere, "auskunft"),
    (Right::Access, WordStart, "kopie meiner"),
    (Right::Access, WordStart, "kopie der"),
    (Right::Access, WordStart, "kopie aller"),
    (Right::Access, WordStart, "welche daten"),
    (Right::Access, WordStart, "welche personenbezogenen"),
    (Right::Access, WordStart, "inzage"),
    (Right::Access, WordStart, "kopie van"),
    (Right::Access, WordStart, "welke gegevens"),
    (Right::Access, WordStart, "welke persoonsgegevens"),
    (Right::Access, WordStart, "subject access"),
    (Right::Access, WordStart, "access request"),
    (Right::Access, WordStart, "right of access"),
    (Right::Access, WordStart, "right to access"),
    (Right::Access, WordStart, "access to my"),
    (Right::Access, WordStart, "access to the personal"),
    (Right::Access, WordStart, "access to all"),
    (Right::Access, WordStart, "copy of my"),
    (Right::Access, WordStart, "copy of the personal"),
    (Right::Access, WordStart, "copy of all"),
    (Right::Access, WordStart, "what personal data"),
    (Right::Access, WordStart, "what data you"),
    (Right::Access, WordStart, "which personal data"),
    (Right::Access, WordStart, "dsar"),
    (Right::Access, WordStart, "was sie über mich"),
    (Right::Access, WordStart, "was sie alles über mich"),
    (Right::Access, WordStart, "welche daten sie über mich"),
    (Right::Access, WordStart, "welche informationen"),
    (Right::Access, WordStart, "welke informatie"),
    (Right::Access, WordStart, "wat u over mij"),
    (Right::Access, WordStart, "what information"),
    (Right::Access, WordStart, "what data"),
    // Erasure (Art. 17)
    (Right::Erasure, Anywhere, "lösch"),
    (Right::Erasure, Anywhere, "loesch"),
    (Right::Erasure, WordStart, "vergessen"),
    (Right::Erasure, WordStart, "verwijder"),
    // Not bare "wissen": in German it means "to know" ("ich möchte wissen, was …").
    (Right::Erasure, WordStart, "gegevens wissen"),
    (Right::Erasure, WordStart, "gegevens te wissen"),
    (Right::Erasure, WordStart, "wissen van"),
    (Right::Erasure, WordStart, "gegevens wist"),
    (Right::Erasure, WordStart, "alles wist"),
    (Right::Erasure, WordStart, "entfernen sie"),
    (Right::Erasure, WordStart, "daten entfernen"),
    (Right::Erasure, WordStart, "gewist"),
    (Right::Erasure, WordStart, "vergeten te worden"),
    (Right::Erasure, WordStart, "erase"),
    (Right::Erasure, WordStart, "erasure"),
    (Right::Erasure, WordStart, "delete"),
    (Right::Erasure, WordStart, "deletion"),
    (Right::Erasure, WordStart, "forgotten"),
    (Right::Erasure, WordStart, "forget me"),
    (Right::Erasure, WordStart, "remove my"),
    (Right::Erasure, WordStart, "close my account"),
    // Rectification (Art. 16)
    (Right::Rectification, Anywhere, "berichtig"),
    (Right::Rectification, WordStart, "korrigier"),
    (Right::Rectification, WordStart, "rectific"),
    (Right::Rectification, WordStart, "rectify"),
    (Right::Rectification, WordStart, "corrigeer"),
    (Right::Rectification, WordStart, "correctie"),
    (Right::Rectification, WordStart, "correct my"),
    (Right::Rectification, WordStart, "correct the"),
    (Right::Rectification, WordStart, "correct this"),
    (Right::Rectification, WordStart, "incorrect"),
    (Right::Rectification, WordStart, "inaccurate"),
    (Right::Rectification, WordStart, "update my address"),
    // Restriction (Art. 18)
    (Right::Restriction, Anywhere, "einschränkung"),
    (Right::Restriction, WordStart, "einschränken"),
    (Right::Restriction, WordStart, "sperrung"),
    (Right::Restriction, WordStart, "beperking"),
    (Right::Restriction, WordStart, "restrict"),
    // Portability (Art. 20)
    (Right::Portability, Anywhere, "datenübertragbarkeit"),
    (Right::Portability, Anywhere, "übertragbarkeit"),
    (Right::Portability, WordStart, "overdraagbaarheid"),
    (Right::Portability, WordStart, "portability"),
    (Right::Portability, WordStart, "machine-readable"),
    (Right::Portability, WordStart, "maschinenlesbar"),
    // Objection (Art. 21), direct marketing included
    (Right::Objection, Anywhere, "widerspruch"),
    (Right::Objection, WordStart, "widerspreche"),
    (Right::Objection, Anywhere, "werbung"),
    (Right::Objection, WordStart, "newsletter abbestellen"),
    (Right::Objection, WordStart, "abmelden"),
    (Right::Objection, WordStart, "bezwaar"),
    (Right::Objection, WordStart, "direct marketing"),
    (Right::Objection, WordStart, "geen reclame"),
    (Right::Objection, WordStart, "afmelden"),
    (Right::Objection, WordStart, "object to"),
    (Right::Objection, WordStart, "objection"),
    (Right::Objection, WordStart, "unsubscribe"),
    (Right::Objection, WordStart, "stop sending me"),
    (Right::Objection, WordStart, "marketing e-mails"),
    (Right::Objection, WordStart, "marketing emails"),
    (Right::Objection, WordStart, "mailing list"),
    (Right::Objection, WordStart, "mailinglist"),
    (Right::Objection, WordStart, "verteiler"),
    // Withdrawal of consent (Art. 7(3))
    (Right::WithdrawConsent, WordStart, "einwilligung widerrufe"),
    (Right::WithdrawConsent, WordStart, "widerrufe meine einwilligung"),
    (Right::WithdrawConsent, WordStart, "widerruf meiner einwilligung"),
    (Right::WithdrawConsent, WordStart, "widerruf der einwilligung"),
    (Right::WithdrawConsent, WordStart, "einwilligung zurück"),
    (Right::WithdrawConsent, WordStart, "toestemming in"),
    (Right::WithdrawConsent, WordStart, "intrekken van mijn toestemming"),
    (Right::WithdrawConsent, WordStart, "trek mijn toestemming"),
    (Right::WithdrawConsent, WordStart, "trek ik mijn toestemming"),
    (Right::WithdrawConsent, WordStart, "withdraw my consent"),
    (Right::WithdrawConsent, WordStart, "withdraw consent"),
    (Right::WithdrawConsent, WordStart, "withdrawing my consent"),
    (Right::WithdrawConsent, WordStart, "revoke my consent"),
    (Right::WithdrawConsent, WordStart, "withdrawal of consent"),
];

/// Pairs of stems that name a right when both occur, in any order and distance: word order
/// varies too much for phrases ("widerrufe ich hiermit meine Einwilligung", "ik trek mijn
/// toestemming voor de nieuwsbrief in").
const TOGETHER: &[(Right, &str, &str)] = &[
    (Right::WithdrawConsent, "widerruf", "einwilligung"),
    (Right::WithdrawConsent, "zurückziehen", "einwilligung"),
    (Right::WithdrawConsent, "intrek", "toestemming"),
    (Right::WithdrawConsent, "withdraw", "consent"),
    (Right::WithdrawConsent, "revoke", "consent"),
];

/// The order rights are listed in, whatever order the text names them.
const ORDER: &[Right] =
    &[Right::Access, Right::Rectification, Right::Erasure, Right::Restriction, Right::Portability, Right::Objection, Right::WithdrawConsent];

/// The GDPR rights `text` (subject and body) asks for, in a fixed order, no duplicates;
/// empty when nothing matched (the user then chooses with `dsar case new`).
pub fn guess(text: &str) -> Vec<Right> {
    let text = flatten(text);
    let mut found: Vec<Right> = Vec::new();
    for (right, at, phrase) in PHRASES {
        if !found.contains(right) && contains(&text, phrase, *at) {
            found.push(*right);
        }
    }
    for (right, a, b) in TOGETHER {
        if !found.contains(right) && text.contains(a) && text.contains(b) {
            found.push(*right);
        }
    }
    for right in articles(&text) {
        if !found.contains(&right) {
            found.push(right);
        }
    }
    ORDER.iter().copied().filter(|r| found.contains(r)).collect()
}

/// Lower-cased, whitespace (line breaks of quoted mail included) collapsed to one space and
/// quote markers (`>`) dropped, so phrases match across wrapped lines.
fn flatten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() || c == '>' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

fn contains(text: &str, phrase: &str, at: At) -> bool {
    match at {
        Anywhere => text.contains(phrase),
        WordStart => text.match_indices(phrase).any(|(i, _)| text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric())),
    }
}

/// Rights named by article: "Art. 15", "Artikel 17 DSGVO", "article 20", "art 21 AVG".
fn articles(text: &str) -> Vec<Right> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("art") {
        if text[..i].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[i + 3..];
        let rest = rest.strip_prefix("ikel").or_else(|| rest.strip_prefix("icle")).or_else(|| rest.strip_prefix("ículo")).unwrap_or(rest);
        let rest = rest.trim_start_matches(['.', ' ']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[digits.len()..];
        // "Art. 7 Abs. 3" / "Art. 7(3)": withdrawal of consent; a bare "Art. 7" is not.
        let right = match digits.as_str() {
            "15" => Some(Right::Access),
            "16" => Some(Right::Rectification),
            "17" => Some(Right::Erasure),
            "18" => Some(Right::Restriction),
            "20" => Some(Right::Portability),
            "21" => Some(Right::Objection),
            "7" if after.starts_with("(3)") || after.starts_with(" (3)") || after.starts_with(" abs. 3") || after.starts_with(" lid 3") => Some(Right::WithdrawConsent),
            _ => None,
        };
        if let Some(r) = right {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Right::*;

    fn check(text: &str, expected: &[Right]) {
        assert_eq!(guess(text), expected, "text: {text}");
    }

    #[test]
    fn german() {
        check("Auskunftsersuchen nach Art. 15 DSGVO", &[Access]);
        check("Bitte löschen Sie alle meine Daten.", &[Erasure]);
        check("Ich widerspreche der Nutzung meiner Daten für Werbung.", &[Objection]);
        check("Hiermit widerrufe ich meine Einwilligung.", &[WithdrawConsent]);
        check("Antrag auf Berichtigung meiner Anschrift", &[Rectification]);
        check("Recht auf Datenübertragbarkeit und Einschränkung der Verarbeitung", &[Restriction, Portability]);
        check("Ich möchte vergessen werden", &[Erasure]);
        check("Ich möchte wissen, was Sie über mich gespeichert haben.", &[Access]);
        check("Meine Einwilligung zur Datenverarbeitung widerrufe ich hiermit.", &[WithdrawConsent]);
    }

    #[test]
    fn dutch() {
        check("Verzoek tot inzage (art. 15 AVG)", &[Access]);
        check("Graag mijn gegevens verwijderen", &[Erasure]);
        check("Ik maak bezwaar tegen direct marketing", &[Objection]);
        check("Ik trek mijn toestemming in", &[WithdrawConsent]);
        check("Verzoek om rectificatie van mijn adres", &[Rectification]);
    }

    #[test]
    fn english() {
        check("Subject access request", &[Access]);
        check("Please send me a copy of my personal data", &[Access]);
        check("Please delete my account and all data", &[Erasure]);
        check("I object to\nprofiling. Unsubscribe me.", &[Objection]);
        check("I withdraw my consent to the newsletter", &[WithdrawConsent]);
        check("Right to data portability, Article 20", &[Portability]);
        check("Please rectify my date of birth", &[Rectification]);
    }

    #[test]
    fn articles_alone() {
        check("Antrag nach Artikel 17 DSGVO", &[Erasure]);
        check("under art 21 GDPR", &[Objection]);
        check("Art. 7 Abs. 3 DSGVO", &[WithdrawConsent]);
        check("Art. 7 DSGVO", &[]);
        check("smart 15 cars", &[]);
    }

    #[test]
    fn ordinary_words_are_not_rights() {
        check("Is this correct? I could not access my account. Copy attached.", &[]);
        check("Wann kommt meine Bestellung?", &[]);
        check("", &[]);
    }

    #[test]
    fn several_in_one_mail_in_fixed_order() {
        check("Please delete my data. Before that, I want a copy of my data.", &[Access, Erasure]);
    }
}
