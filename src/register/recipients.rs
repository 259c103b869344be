//! Recipients of a system's data (Art. 15(1)(c), CJEU C-154/21): named recipients with their
//! country, or — where naming them is impossible — categories. Older registers wrote plain
//! strings (one list, or one list per language); they stay importable and read as recipients
//! named as written.

use serde::{Deserialize, Serialize};

use super::text::{OrderedMap, Text};
use crate::domain::Language;

/// One recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipient {
    /// As older registers wrote it: a name, without a country.
    Written(String),
    /// A named recipient and the country its data goes to.
    Named {
        /// The recipient's name.
        name: String,
        /// ISO 3166-1 alpha-2.
        country: String,
    },
    /// Only a category is known ("IT service providers"): a gap a reason may accept.
    Category {
        /// The category, per language.
        category: Text,
    },
}

/// A recipient as a letter in one language shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The name or the category.
    pub text: String,
    /// ISO country code of a named recipient.
    pub country: Option<String>,
    /// Whether only a category is known.
    pub category: bool,
}

/// The `recipients` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Recipients {
    /// One list for every language.
    List(Vec<Recipient>),
    /// Older registers: one list of strings per language.
    Localized(OrderedMap<Vec<String>>),
}

impl Default for Recipients {
    fn default() -> Self {
        Recipients::List(Vec::new())
    }
}

impl Recipients {
    /// The recipients for a letter in `lang` (same fallback as texts).
    pub fn pick(&self, lang: Language, ctl: Language) -> Vec<Shown> {
        match self {
            Recipients::List(items) => items
                .iter()
                .map(|r| match r {
                    Recipient::Written(s) => Shown { text: s.clone(), country: None, category: false },
                    Recipient::Named { name, country } => Shown { text: name.clone(), country: Some(country.clone()), category: false },
                    Recipient::Category { category } => Shown { text: category.pick(lang, ctl).to_string(), country: None, category: true },
                })
                .collect(),
            Recipients::Localized(m) => m
                .get(lang.code())
                .or_else(|| m.get(ctl.code()))
                .or_else(|| m.first().map(|(_, v)| v))
                .map(|v| v.iter().map(|s| Shown { text: s.clone(), country: None, category: false }).collect())
                .unwrap_or_default(),
        }
    }

    /// Names and categories as text (Art. 19 notices, the register editor).
    pub fn names(&self, lang: Language, ctl: Language) -> Vec<String> {
        self.pick(lang, ctl).into_iter().map(|s| s.text).collect()
    }

    /// Whether no recipient is listed in any language.
    pub fn is_empty(&self) -> bool {
        match self {
            Recipients::List(v) => v.is_empty(),
            Recipients::Localized(m) => m.iter().all(|(_, v)| v.is_empty()),
        }
    }

    /// Whether the texts a letter in `lang` shows are written in `lang`: names are names, but
    /// a category and a per-language list must have that language (a plain list counts as
    /// written in the controller's language).
    pub fn has_language(&self, lang: Language, ctl: Language) -> bool {
        match self {
            Recipients::List(items) => items.iter().all(|r| match r {
                Recipient::Category { category } => category.has_language(lang, ctl),
                _ => true,
            }),
            Recipients::Localized(m) => m.get(lang.code()).is_some() || (lang == ctl && m.is_empty()),
        }
    }
}

impl From<Vec<&str>> for Recipients {
    fn from(v: Vec<&str>) -> Recipients {
        Recipients::List(v.into_iter().map(|s| Recipient::Written(s.to_string())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_forms_read_alike() {
        let old: Recipients = serde_json::from_str(r#"["Slack Inc."]"#).expect("old list");
        assert_eq!(old.pick(Language::En, Language::De), [Shown { text: "Slack Inc.".into(), country: None, category: false }]);
        let per_lang: Recipients = serde_json::from_str(r#"{"de": ["Steuerberater"], "en": ["Tax adviser"]}"#).expect("old per language");
        assert_eq!(per_lang.names(Language::En, Language::De), ["Tax adviser"]);
        assert!(!per_lang.has_language(Language::Nl, Language::De));
        let new: Recipients = serde_json::from_str(
            r#"[{"name": "Slack Inc.", "country": "US"}, {"category": {"de": "IT-Dienstleister", "en": "IT service providers"}}, "Kunz & Partner"]"#,
        )
        .expect("new list");
        let shown = new.pick(Language::En, Language::De);
        assert_eq!(shown[0], Shown { text: "Slack Inc.".into(), country: Some("US".into()), category: false });
        assert_eq!(shown[1], Shown { text: "IT service providers".into(), country: None, category: true });
        assert_eq!(shown[2].text, "Kunz & Partner");
        assert!(new.has_language(Language::En, Language::De));
        assert!(!new.has_language(Language::Nl, Language::De));
        assert_eq!(serde_json::to_value(&new).expect("ser")[0], serde_json::json!({"name": "Slack Inc.", "country": "US"}));
    }
}
