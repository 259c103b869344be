//! The language a request is written in (de, en, nl), guessed by counting common words: the
//! desk answers in the subject's language. A pure function with no opinion when the text
//! gives none.

use crate::domain::Language;

const DE: &[&str] = &[
    "ich", "und", "der", "die", "das", "nicht", "meine", "meiner", "meinen", "mich", "mir", "sie", "bitte", "ihre", "ihnen", "mit",
    "von", "zu", "ist", "auf", "für", "sehr", "geehrte", "damen", "herren", "freundlichen", "grüßen", "daten", "hiermit",
];
const EN: &[&str] = &[
    "i", "and", "the", "my", "me", "you", "your", "please", "to", "of", "is", "for", "with", "dear", "regards", "sincerely", "data",
    "request", "would", "like", "that", "this",
];
const NL: &[&str] = &[
    "ik", "en", "de", "het", "een", "mijn", "niet", "u", "uw", "graag", "van", "met", "voor", "is", "geachte", "heer", "mevrouw",
    "groet", "gegevens", "verzoek", "dat", "wil", "hierbij",
];

/// The most likely language of `text`, or `None` when it holds too few known words (fewer
/// than three) or two languages tie.
pub fn guess(text: &str) -> Option<Language> {
    let mut counts = [(Language::De, 0usize), (Language::En, 0), (Language::Nl, 0)];
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(5_000) {
        let w = word.to_lowercase();
        for (lang, list) in [(0, DE), (1, EN), (2, NL)] {
            if list.contains(&w.as_str()) {
                counts[lang].1 += 1;
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let (best, n) = counts[0];
    (n >= 3 && n > counts[1].1).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language() {
        assert_eq!(guess("Sehr geehrte Damen und Herren, bitte löschen Sie meine Daten."), Some(Language::De));
        assert_eq!(guess("Dear Sir or Madam, please send me a copy of my data."), Some(Language::En));
        assert_eq!(guess("Geachte heer, mevrouw, graag ontvang ik een kopie van mijn gegevens."), Some(Language::Nl));
    }

    #[test]
    fn too_little_text_has_no_language() {
        assert_eq!(guess("DSAR"), None);
        assert_eq!(guess(""), None);
    }
}
