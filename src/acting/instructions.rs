//! The ready e-mails of acting: an instruction to whoever runs a system the desk cannot act
//! on itself (erase or restrict by hand), and the Art. 19 notice to a recipient — a
//! notification to another controller, an instruction under Art. 28(3)(g) to a processor.
//! Plain text in the case's language (de, en, nl), sent by the DPO as is.

use crate::domain::{Language, Subject};

/// What a mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    /// Erase the subject's data.
    Erase,
    /// Restrict the processing of the subject's data.
    Restrict,
    /// Correct the subject's data.
    Rectify,
    /// Lift a restriction of processing again.
    Lift,
}

/// Who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum To {
    /// Whoever runs the firm's own system (a colleague, the IT provider).
    Operator,
    /// A processor acting for the firm (Art. 28(3)(g)).
    Processor,
    /// Another controller the data was disclosed to (Art. 19).
    Controller,
}

/// The task title and the e-mail body.
pub(crate) fn compose(lang: Language, ask: Ask, to: To, firm: &str, reference: &str, system: &str, subject: &Subject) -> (String, String) {
    let (verb, title) = match (lang, ask) {
        (Language::De, Ask::Erase) => ("zu löschen", format!("{system}: Löschung veranlassen")),
        (Language::De, Ask::Restrict) => ("in der Verarbeitung einzuschränken (zu sperren)", format!("{system}: Einschränkung veranlassen")),
        (Language::De, Ask::Rectify) => ("zu berichtigen", format!("{system}: Berichtigung veranlassen")),
        (Language::Nl, Ask::Erase) => ("te wissen", format!("{system}: wissing laten uitvoeren")),
        (Language::Nl, Ask::Restrict) => ("de verwerking ervan te beperken", format!("{system}: beperking laten uitvoeren")),
        (Language::Nl, Ask::Rectify) => ("te rectificeren", format!("{system}: rectificatie laten uitvoeren")),
        (_, Ask::Erase) => ("erase", format!("{system}: have the data erased")),
        (_, Ask::Restrict) => ("restrict the processing of", format!("{system}: have the processing restricted")),
        (_, Ask::Rectify) => ("correct", format!("{system}: have the data corrected")),
        (Language::De, Ask::Lift) => ("wieder uneingeschränkt zu verarbeiten (Einschränkung aufheben)", format!("{system}: Einschränkung aufheben")),
        (Language::Nl, Ask::Lift) => ("weer zonder beperking te verwerken (beperking opheffen)", format!("{system}: beperking opheffen")),
        (_, Ask::Lift) => ("lift the restriction of processing of", format!("{system}: have the restriction lifted")),
    };
    let title = match to {
        To::Operator | To::Processor => title,
        To::Controller => match lang {
            Language::De => format!("Empfänger informieren: {system}"),
            Language::Nl => format!("Ontvanger informeren: {system}"),
            _ => format!("Inform the recipient: {system}"),
        },
    };
    let mut body = String::new();
    let who = format!("{} ({})", subject.name, subject.identifiers.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join(", "));
    match lang {
        Language::De => {
            body.push_str(&format!("Betreff: {reference} – {title}\n\nGuten Tag,\n\n"));
            body.push_str(&match to {
                To::Operator => format!("bitte sorgen Sie dafür, die Daten der folgenden Person in {system} {verb}:\n\n  {who}\n\n"),
                To::Processor => format!("als Auftragsverarbeiter von {firm} weisen wir Sie nach Art. 28 Abs. 3 lit. g DSGVO an, die Daten der folgenden Person in {system} {verb}, auch in Kopien und Sicherungen, soweit keine Pflicht zur Speicherung besteht:\n\n  {who}\n\n"),
                To::Controller => format!("wir haben Ihnen Daten der folgenden Person übermittelt. Nach Art. 19 DSGVO teilen wir Ihnen mit, dass wir diese Daten auf ihren Antrag hin in {system} {}:\n\n  {who}\n\n", past(lang, ask)),
            });
            body.push_str(&format!("Bitte bestätigen Sie uns kurz, was Sie getan haben, und nennen Sie unser Zeichen {reference}.\n\nMit freundlichen Grüßen\n{firm}\n"));
        }
        Language::Nl => {
            body.push_str(&format!("Onderwerp: {reference} – {title}\n\nGoedendag,\n\n"));
            body.push_str(&match to {
                To::Operator => format!("wilt u ervoor zorgen de gegevens van de volgende persoon in {system} {verb}:\n\n  {who}\n\n"),
                To::Processor => format!("als verwerker van {firm} geven wij u op grond van art. 28, lid 3, onder g AVG de instructie de gegevens van de volgende persoon in {system} {verb}, ook in kopieën en back-ups, voor zover geen bewaarplicht geldt:\n\n  {who}\n\n"),
                To::Controller => format!("wij hebben u gegevens van de volgende persoon verstrekt. Op grond van art. 19 AVG laten wij u weten dat wij deze gegevens op haar of zijn verzoek in {system} {}:\n\n  {who}\n\n", past(lang, ask)),
            });
            body.push_str(&format!("Wilt u kort bevestigen wat u heeft gedaan, onder vermelding van ons kenmerk {reference}?\n\nMet vriendelijke groet\n{firm}\n"));
        }
        _ => {
            body.push_str(&format!("Subject: {reference} – {title}\n\nHello,\n\n"));
            body.push_str(&match to {
                To::Operator => format!("please {verb} the data of the following person in {system}:\n\n  {who}\n\n"),
                To::Processor => format!("as the processor of {firm}, you are instructed under Art. 28(3)(g) GDPR to {verb} the data of the following person in {system}, including copies and backups, unless a law requires you to keep it:\n\n  {who}\n\n"),
                To::Controller => format!("we disclosed data of the following person to you. Under Art. 19 GDPR we inform you that, at their request, we have {} this data in {system}:\n\n  {who}\n\n", past(lang, ask)),
            });
            body.push_str(&format!("Please confirm briefly what you have done, quoting our reference {reference}.\n\nKind regards\n{firm}\n"));
        }
    }
    (title, body)
}

fn past(lang: Language, ask: Ask) -> &'static str {
    match (lang, ask) {
        (Language::De, Ask::Erase) => "gelöscht haben",
        (Language::De, Ask::Restrict) => "in der Verarbeitung eingeschränkt haben",
        (Language::De, Ask::Rectify) => "berichtigt haben",
        (Language::Nl, Ask::Erase) => "hebben gewist",
        (Language::Nl, Ask::Restrict) => "de verwerking hebben beperkt",
        (Language::Nl, Ask::Rectify) => "hebben gerectificeerd",
        (_, Ask::Erase) => "erased",
        (_, Ask::Restrict) => "restricted the processing of",
        (_, Ask::Rectify) => "corrected",
        (Language::De, Ask::Lift) => "die Einschränkung der Verarbeitung aufgehoben haben",
        (Language::Nl, Ask::Lift) => "de beperking van de verwerking hebben opgeheven",
        (_, Ask::Lift) => "lifted the restriction of processing of",
    }
}

/// The e-mail with the corrections listed before its closing request.
pub(crate) fn with_corrections(lang: Language, body: &str, lines: &[String]) -> String {
    if lines.is_empty() {
        return body.to_string();
    }
    let head = match lang {
        Language::De => "Bitte berichtigen Sie:",
        Language::Nl => "Wilt u het volgende corrigeren:",
        _ => "Please correct:",
    };
    // After the block naming the person (the first blank line after it).
    match body.find(":\n\n  ").and_then(|at| body[at + 4..].find("\n\n").map(|end| at + 4 + end + 2)) {
        Some(split) => format!("{}{head}\n{}\n\n{}", &body[..split], lines.join("\n"), &body[split..]),
        None => format!("{body}\n{head}\n{}\n", lines.join("\n")),
    }
}
