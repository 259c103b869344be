//! `index.html`: the page a subject without technical knowledge opens first — what the bundle
//! holds, per system in plain words, and how to open the files. One template, auto-escaped, no
//! external resources (its Content-Security-Policy forbids them); texts in de, en and nl.

use minijinja::value::Serde;
use minijinja::{context, AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use super::manifest::Manifest;
use super::BundleError;
use crate::domain::Language;

const TEMPLATE: &str = include_str!("index.html.jinja");
const TEXTS: &str = include_str!("index-text.json");

#[derive(Serialize)]
struct DatasetView<'a> {
    name: &'a str,
    records: u64,
    csv_href: String,
    json_href: String,
}

#[derive(Serialize)]
struct SystemView<'a> {
    name: &'a str,
    status: &'a str,
    records: u64,
    datasets: Vec<DatasetView<'a>>,
}

#[derive(Serialize)]
struct LetterView<'a> {
    path: &'a str,
    href: String,
}

/// A relative link to a file in the archive: every byte outside the unreserved set is
/// percent-encoded per path segment, so spaces, `#`, `%` and non-ASCII names still resolve.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn date_in(lang: Language, generated_at: &chrono::DateTime<chrono::Utc>) -> String {
    match lang {
        Language::De => generated_at.format("%d.%m.%Y").to_string(),
        Language::Nl => generated_at.format("%d-%m-%Y").to_string(),
        Language::En => generated_at.format("%-d %B %Y").to_string(),
    }
}

/// Renders the page for `manifest` in `lang`; `letter` is the letter's path in the archive.
pub fn render(
    manifest: &Manifest,
    lang: Language,
    generated_at: &chrono::DateTime<chrono::Utc>,
    letter: Option<&str>,
) -> Result<String, BundleError> {
    let texts: serde_json::Value =
        serde_json::from_str(TEXTS).map_err(|e| BundleError::Template(format!("index-text.json: {e}")))?;
    let t = texts.get(lang.code()).ok_or_else(|| BundleError::Template(format!("no texts for {}", lang.code())))?;
    let mut env = Environment::new();
    // A missing text is a bug to catch in tests, not an empty gap in the subject's page.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("index.html", TEMPLATE).map_err(|e| BundleError::Template(e.to_string()))?;
    let systems: Vec<SystemView<'_>> = manifest
        .systems
        .iter()
        .map(|s| SystemView {
            name: &s.name,
            status: &s.status,
            records: s.records,
            datasets: s
                .datasets
                .iter()
                .map(|d| DatasetView { name: &d.name, records: d.records, csv_href: href(&d.csv), json_href: href(&d.json) })
                .collect(),
        })
        .collect();
    let letter = letter.map(|p| LetterView { path: p, href: href(p) });
    let tmpl = env.get_template("index.html").map_err(|e| BundleError::Template(e.to_string()))?;
    tmpl.render(context! {
        lang => lang.code(),
        t => Value::from(Serde(t)),
        reference => &manifest.reference,
        generated => date_in(lang, generated_at),
        controller => Value::from(Serde(&manifest.controller)),
        systems => Value::from(Serde(&systems)),
        letter => Value::from(Serde(&letter)),
    })
    .map_err(|e| BundleError::Template(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_encode_every_unsafe_byte_per_segment() {
        assert_eq!(href("data/crm/kunden.csv"), "data/crm/kunden.csv");
        assert_eq!(href("data/a b/Ä#%?.csv"), "data/a%20b/%C3%84%23%25%3F.csv");
    }

    #[test]
    fn every_language_has_every_text() {
        let texts: serde_json::Value = serde_json::from_str(TEXTS).unwrap();
        let en: Vec<&String> = texts["en"].as_object().unwrap().keys().collect();
        for lang in Language::ALL {
            let t = texts[lang.code()].as_object().unwrap_or_else(|| panic!("no {lang} texts"));
            let keys: Vec<&String> = t.keys().collect();
            assert_eq!(keys, en, "{lang} texts differ from en");
            assert!(t.values().all(|v| v.as_str().is_some_and(|s| !s.trim().is_empty())), "{lang}: empty text");
        }
    }
}
