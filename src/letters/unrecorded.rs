//! What a letter would confirm that the desk has not recorded (SPEC §10, RULES.md §3): one
//! line each, with a stable code and its parameters so the desktop words it in the user's
//! language, and the English sentence the CLI prints.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// One thing to record (or another letter to choose) before a letter may go out as final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded {
    /// One of [`UNRECORDED_CODES`], e.g. `unrecorded.not-verified`.
    pub code: &'static str,
    /// The code's parameters (system ids, a legal basis code, a count, a recipient as the
    /// register names it): never the subject's data.
    pub params: Vec<(&'static str, String)>,
    /// The English sentence, ending with the CLI command that fixes it where there is one.
    pub text: String,
}

/// Every code an [`Unrecorded`] line can carry, with the names of its parameters.
pub const UNRECORDED_CODES: &[(&str, &[&str])] = &[
    ("unrecorded.notice-open", &["recipient"]),
    ("unrecorded.none-informed", &[]),
    ("unrecorded.nothing-carried-out", &[]),
    ("unrecorded.not-acted", &["system"]),
    ("unrecorded.failed", &["system"]),
    ("unrecorded.not-verified", &["system"]),
    ("unrecorded.still-holds", &["system"]),
    ("unrecorded.task-open", &["system"]),
    ("unrecorded.refused", &["system"]),
    ("unrecorded.retained", &[]),
    ("unrecorded.none-retained", &[]),
    ("unrecorded.no-restriction", &[]),
    ("unrecorded.no-correction", &[]),
    ("unrecorded.holds-data", &["system", "records"]),
    ("unrecorded.not-searched", &["system"]),
    ("unrecorded.no-access-answer", &[]),
    ("unrecorded.nothing-new", &[]),
    ("unrecorded.nothing-held", &[]),
    ("unrecorded.objection-applies", &["system", "basis"]),
    ("unrecorded.identity-never-asked", &[]),
    ("unrecorded.identity-established", &[]),
    ("unrecorded.no-requester", &[]),
    ("unrecorded.no-consent-right", &[]),
];

impl Unrecorded {
    pub(crate) fn new(code: &'static str, params: Vec<(&'static str, String)>, text: impl Into<String>) -> Unrecorded {
        debug_assert!(UNRECORDED_CODES.iter().any(|(c, names)| *c == code && names.len() == params.len() && params.iter().all(|(n, _)| names.contains(n))), "{code}");
        Unrecorded { code, params, text: text.into() }
    }

    /// A line about one system (`system` the register id).
    pub(crate) fn system(code: &'static str, system: &str, text: impl Into<String>) -> Unrecorded {
        Unrecorded::new(code, vec![("system", system.to_string())], text)
    }
}

impl Deref for Unrecorded {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl Borrow<str> for Unrecorded {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Unrecorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
