//! Refusal grounds (SPEC §8 `--ground`, RULES.md §3 "Refusal"): the legal basis on which a
//! request is refused is chosen by the DPO, never assumed, and the letter names it in words
//! with its citation. Grounds of national law apply only under that law.

use std::fmt;
use std::str::FromStr;

use crate::deadline::Jurisdiction;
use crate::domain::{Language, UnknownCode};

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalGround {
    /// Art. 12(5)(b): manifestly unfounded.
    Art12Unfounded,
    /// Art. 12(5)(b): manifestly excessive, in particular repetitive.
    Art12Excessive,
    /// Art. 15(4): the copy would adversely affect the rights and freedoms of others.
    Art15_4,
    /// Art. 17(3)(a)–(e): erasure is not required; the letter is the point.
    Art17_3(char),
    /// Art. 11(2) with 12(2): the subject cannot be identified.
    Art11_2,
    /// § 29(1) BDSG: secrecy obligations.
    Bdsg29,
    /// § 34 BDSG: data kept only for retention or backup; answering disproportionate.
    Bdsg34,
    /// Art. 41 UAVG: restrictions (e.g. protection of the subject or others' rights).
    Uavg41,
    /// DPA 2018 Schedule 2, 3 or 4: UK exemptions.
    Dpa2018(u8),
}

impl RefusalGround {
    /// Every ground, in the order the CLI lists them.
    pub const ALL: &'static [RefusalGround] = &[
        RefusalGround::Art12Unfounded,
        RefusalGround::Art12Excessive,
        RefusalGround::Art15_4,
        RefusalGround::Art17_3('a'),
        RefusalGround::Art17_3('b'),
        RefusalGround::Art17_3('c'),
        RefusalGround::Art17_3('d'),
        RefusalGround::Art17_3('e'),
        RefusalGround::Art11_2,
        RefusalGround::Bdsg29,
        RefusalGround::Bdsg34,
        RefusalGround::Uavg41,
        RefusalGround::Dpa2018(2),
        RefusalGround::Dpa2018(3),
        RefusalGround::Dpa2018(4),
    ];

    /// Stable spelling (`--ground`).
    pub fn code(self) -> String {
        match self {
            RefusalGround::Art12Unfounded => "art12-5-unfounded".into(),
            RefusalGround::Art12Excessive => "art12-5-excessive".into(),
            RefusalGround::Art15_4 => "art15-4".into(),
            RefusalGround::Art17_3(p) => format!("art17-3-{p}"),
            RefusalGround::Art11_2 => "art11-2".into(),
            RefusalGround::Bdsg29 => "bdsg-29".into(),
            RefusalGround::Bdsg34 => "bdsg-34".into(),
            RefusalGround::Uavg41 => "uavg-41".into(),
            RefusalGround::Dpa2018(n) => format!("dpa2018-sch{n}"),
        }
    }

    /// Whether the ground exists under the case's law and for a controller in `country`.
    pub fn applies(self, jurisdiction: Jurisdiction, country: &str) -> bool {
        match self {
            RefusalGround::Bdsg29 | RefusalGround::Bdsg34 => jurisdiction == Jurisdiction::Gdpr && country.eq_ignore_ascii_case("DE"),
            RefusalGround::Uavg41 => jurisdiction == Jurisdiction::Gdpr && country.eq_ignore_ascii_case("NL"),
            RefusalGround::Dpa2018(_) => jurisdiction == Jurisdiction::UkGdpr,
            _ => matches!(jurisdiction, Jurisdiction::Gdpr | Jurisdiction::UkGdpr),
        }
    }

    /// The ground in words with its citation, for the letter; `law` is "DSGVO", "GDPR",
    /// "UK GDPR", "AVG".
    pub fn text(self, lang: Language, law: &str) -> String {
        let de = lang == Language::De;
        let nl = lang == Language::Nl;
        match self {
            RefusalGround::Art12Unfounded if de => format!("Ihr Antrag ist offenkundig unbegründet (Art. 12 Abs. 5 Satz 2 lit. b {law})."),
            RefusalGround::Art12Unfounded if nl => format!("Uw verzoek is kennelijk ongegrond (art. 12 lid 5, onder b, {law})."),
            RefusalGround::Art12Unfounded => format!("Your request is manifestly unfounded (Art. 12(5)(b) {law})."),
            RefusalGround::Art12Excessive if de => format!("Ihr Antrag ist offenkundig exzessiv, insbesondere wegen häufiger Wiederholung (Art. 12 Abs. 5 Satz 2 lit. b {law})."),
            RefusalGround::Art12Excessive if nl => format!("Uw verzoek is buitensporig, met name vanwege het repetitieve karakter (art. 12 lid 5, onder b, {law})."),
            RefusalGround::Art12Excessive => format!("Your request is manifestly excessive, in particular because it is repetitive (Art. 12(5)(b) {law})."),
            RefusalGround::Art15_4 if de => format!("Eine Kopie würde die Rechte und Freiheiten anderer Personen beeinträchtigen (Art. 15 Abs. 4 {law})."),
            RefusalGround::Art15_4 if nl => format!("Een kopie zou afbreuk doen aan de rechten en vrijheden van anderen (art. 15 lid 4 {law})."),
            RefusalGround::Art15_4 => format!("A copy would adversely affect the rights and freedoms of others (Art. 15(4) {law})."),
            RefusalGround::Art17_3(p) => {
                let why = match (p, lang) {
                    ('a', Language::De) => "zur Ausübung des Rechts auf freie Meinungsäußerung und Information",
                    ('b', Language::De) => "zur Erfüllung einer rechtlichen Verpflichtung oder einer Aufgabe im öffentlichen Interesse",
                    ('c', Language::De) => "aus Gründen des öffentlichen Interesses im Bereich der öffentlichen Gesundheit",
                    ('d', Language::De) => "für im öffentlichen Interesse liegende Archivzwecke, wissenschaftliche oder historische Forschungszwecke oder statistische Zwecke",
                    (_, Language::De) => "zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen",
                    ('a', Language::Nl) => "voor het uitoefenen van het recht op vrijheid van meningsuiting en informatie",
                    ('b', Language::Nl) => "om te voldoen aan een wettelijke verplichting of voor een taak van algemeen belang",
                    ('c', Language::Nl) => "om redenen van algemeen belang op het gebied van volksgezondheid",
                    ('d', Language::Nl) => "met het oog op archivering in het algemeen belang, wetenschappelijk of historisch onderzoek of statistische doeleinden",
                    (_, Language::Nl) => "voor de instelling, uitoefening of onderbouwing van een rechtsvordering",
                    ('a', _) => "for exercising the right of freedom of expression and information",
                    ('b', _) => "for compliance with a legal obligation or for a task carried out in the public interest",
                    ('c', _) => "for reasons of public interest in the area of public health",
                    ('d', _) => "for archiving purposes in the public interest, scientific or historical research or statistical purposes",
                    _ => "for the establishment, exercise or defence of legal claims",
                };
                match lang {
                    Language::De => format!("Wir benötigen die Daten {why}; die Pflicht zur Löschung besteht insoweit nicht (Art. 17 Abs. 3 lit. {p} {law})."),
                    Language::Nl => format!("Wij hebben de gegevens nodig {why}; de plicht tot wissing geldt in zoverre niet (art. 17 lid 3, onder {p}, {law})."),
                    _ => format!("We need the data {why}; to that extent there is no duty to erase it (Art. 17(3)({p}) {law})."),
                }
            }
            RefusalGround::Art11_2 if de => format!("Wir können Sie anhand der vorliegenden Angaben nicht als betroffene Person identifizieren (Art. 11 Abs. 2, Art. 12 Abs. 2 {law}). Wenn Sie uns zusätzliche Angaben geben, die Ihre Identifizierung ermöglichen, prüfen wir Ihren Antrag erneut."),
            RefusalGround::Art11_2 if nl => format!("Wij kunnen u met de beschikbare gegevens niet als betrokkene identificeren (art. 11 lid 2 en art. 12 lid 2 {law}). Als u ons aanvullende gegevens verstrekt waarmee wij u kunnen identificeren, beoordelen wij uw verzoek opnieuw."),
            RefusalGround::Art11_2 => format!("We are not in a position to identify you from the information available (Art. 11(2) and 12(2) {law}). If you provide additional information that allows us to identify you, we will consider your request again."),
            RefusalGround::Bdsg29 if de => "Die Daten unterliegen einer Geheimhaltungspflicht; insoweit besteht das Recht nicht (§ 29 Abs. 1 BDSG).".into(),
            RefusalGround::Bdsg29 => "The data is subject to a duty of secrecy; to that extent the right does not apply (§ 29(1) BDSG, German Federal Data Protection Act).".into(),
            RefusalGround::Bdsg34 if de => "Die Daten werden nur noch gespeichert, weil gesetzliche Aufbewahrungsvorschriften ihrer Löschung entgegenstehen oder weil sie ausschließlich der Datensicherung oder der Datenschutzkontrolle dienen; die Auskunft erforderte einen unverhältnismäßigen Aufwand, und eine Verarbeitung zu anderen Zwecken ist durch technische und organisatorische Maßnahmen ausgeschlossen (§ 34 Abs. 1 Nr. 2 BDSG). Die Gründe der Ablehnung haben wir dokumentiert (§ 34 Abs. 2 BDSG).".into(),
            RefusalGround::Bdsg34 => "The data is only stored because statutory retention rules prevent its erasure, or only for backup or data protection control; providing access would require a disproportionate effort, and processing for other purposes is excluded by technical and organisational measures (§ 34(1) no. 2 BDSG). We have documented the reasons for this refusal (§ 34(2) BDSG).".into(),
            RefusalGround::Uavg41 if nl => "Het recht is beperkt op grond van art. 41 UAVG, voor zover dat noodzakelijk en evenredig is ter waarborging van de daar genoemde belangen, waaronder de bescherming van de betrokkene of van de rechten en vrijheden van anderen.".into(),
            RefusalGround::Uavg41 => "The right is restricted under Art. 41 of the Dutch GDPR Implementation Act (UAVG), as far as necessary and proportionate to safeguard the interests named there, including the protection of the data subject or the rights and freedoms of others.".into(),
            RefusalGround::Dpa2018(n) => format!("An exemption in Schedule {n} to the Data Protection Act 2018 applies to the data concerned."),
        }
    }
}

impl fmt::Display for RefusalGround {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for RefusalGround {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        RefusalGround::ALL.iter().copied().find(|g| g.code() == t).ok_or_else(|| UnknownCode {
            field: "ground",
            given: s.chars().take(40).collect(),
            allowed: RefusalGround::ALL.iter().map(|g| g.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_national_grounds_apply_only_under_their_law() {
        for g in RefusalGround::ALL {
            assert_eq!(g.code().parse::<RefusalGround>().unwrap(), *g);
            for lang in [Language::De, Language::En, Language::Nl] {
                assert!(!g.text(lang, "DSGVO").is_empty());
            }
        }
        assert!("art17-3-f".parse::<RefusalGround>().is_err());
        assert!(RefusalGround::Bdsg34.applies(Jurisdiction::Gdpr, "DE"));
        assert!(!RefusalGround::Bdsg34.applies(Jurisdiction::Gdpr, "NL"));
        assert!(!RefusalGround::Uavg41.applies(Jurisdiction::UkGdpr, "NL"));
        assert!(RefusalGround::Dpa2018(2).applies(Jurisdiction::UkGdpr, "GB"));
        assert!(!RefusalGround::Dpa2018(2).applies(Jurisdiction::Gdpr, "DE"));
        assert!(RefusalGround::Art15_4.applies(Jurisdiction::UkGdpr, "GB"));
    }
}
