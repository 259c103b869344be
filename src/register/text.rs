//! Localisable register text: a plain value or one value per language, and the fallback rule
//! letters use to pick one (the case's language, then the controller's, then the first present).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::Language;

/// A JSON object with string keys that keeps the file's key order (the "first present"
/// language of a text is the first one written in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    /// The value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The first entry in file order.
    pub fn first(&self) -> Option<(&str, &V)> {
        self.0.first().map(|(k, v)| (k.as_str(), v))
    }

    /// Entries in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Keys in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets `key` to `value`, keeping its position when it exists already.
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut out: OrderedMap<V> = OrderedMap::default();
                while let Some((k, v)) = access.next_entry::<String, V>()? {
                    if out.get(&k).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate key '{}'",
                            super::error::cut(&k)
                        )));
                    }
                    out.0.push((k, v));
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}

/// A text field: one string for every language, or one string per language code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text whatever the language.
    Plain(String),
    /// Per language code (`de`, `en`, `nl`, …), in file order.
    Localized(OrderedMap<String>),
}

impl Text {
    /// The text for a letter in `lang`: that language, else the controller's language, else
    /// the first language present (empty only for an empty object, which import rejects).
    pub fn pick(&self, lang: Language, controller_lang: Language) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localized(m) => pick(m, lang, controller_lang)
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// Whether the text is written in `lang`: a plain text counts as written in the
    /// controller's language, a per-language one must have `lang`.
    pub fn has_language(&self, lang: Language, controller_lang: Language) -> bool {
        match self {
            Text::Plain(_) => lang == controller_lang,
            Text::Localized(m) => m.get(lang.code()).is_some(),
        }
    }

    /// Every string in the text (all languages), for checks and searches.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            Text::Plain(s) => vec![s.as_str()],
            Text::Localized(m) => m.iter().map(|(_, v)| v.as_str()).collect(),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_string())
    }
}

/// A list field (`purposes`, `data_categories`, `recipients`): one list for every language,
/// or one list per language code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TextList {
    /// The same list whatever the language.
    Plain(Vec<String>),
    /// Per language code, in file order.
    Localized(OrderedMap<Vec<String>>),
}

impl Default for TextList {
    fn default() -> Self {
        TextList::Plain(Vec::new())
    }
}

impl TextList {
    /// The list for a letter in `lang`, with the same fallback as [`Text::pick`].
    pub fn pick(&self, lang: Language, controller_lang: Language) -> &[String] {
        match self {
            TextList::Plain(v) => v,
            TextList::Localized(m) => pick(m, lang, controller_lang)
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        }
    }

    /// Whether the list is written in `lang` (as [`Text::has_language`]; an empty plain list
    /// has nothing to translate).
    pub fn has_language(&self, lang: Language, controller_lang: Language) -> bool {
        match self {
            TextList::Plain(v) => v.is_empty() || lang == controller_lang,
            TextList::Localized(m) => m.get(lang.code()).is_some(),
        }
    }

    /// Whether the list is empty in every language.
    pub fn is_empty(&self) -> bool {
        match self {
            TextList::Plain(v) => v.is_empty(),
            TextList::Localized(m) => m.iter().all(|(_, v)| v.is_empty()),
        }
    }
}

impl From<Vec<&str>> for TextList {
    fn from(v: Vec<&str>) -> TextList {
        TextList::Plain(v.into_iter().map(str::to_string).collect())
    }
}

fn pick<V>(m: &OrderedMap<V>, lang: Language, controller_lang: Language) -> Option<&V> {
    m.get(lang.code())
        .or_else(|| m.get(controller_lang.code()))
        .or_else(|| m.first().map(|(_, v)| v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_falls_back_to_controller_language_then_first_present() {
        let t: Text =
            serde_json::from_str(r#"{"nl": "hallo", "de": "Hallo", "en": "hello"}"#).unwrap();
        assert_eq!(t.pick(Language::En, Language::De), "hello");
        let t: Text = serde_json::from_str(r#"{"nl": "hallo", "de": "Hallo"}"#).unwrap();
        assert_eq!(t.pick(Language::En, Language::De), "Hallo");
        assert_eq!(t.pick(Language::En, Language::En), "hallo");
        let l: TextList = serde_json::from_str(r#"{"nl": ["a"], "de": ["b", "c"]}"#).unwrap();
        assert_eq!(l.pick(Language::De, Language::Nl), ["b", "c"]);
        assert_eq!(Text::from("x").pick(Language::Nl, Language::De), "x");
    }
}
