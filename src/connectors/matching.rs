//! Comparing values found in files (CSV cells, JSON values) with the subject's keys: both
//! sides go through the same normalisation as the case's identifiers, so `0171 1234567`,
//! `+49 (171) 123-4567` and `+491711234567` are one number and e-mail case never matters.

use crate::domain::subject::normalise;
use crate::domain::IdentifierKind;
use crate::register::{Connector, DigestEncoding, OrderedMap};

use super::keys::collapse_whitespace;
use super::{ConnectorError, SearchKeys};

/// How a kind's values are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Comparison {
    /// Case-insensitive with whitespace collapsed; several targets are joined with a space.
    Name,
    /// Normalised e-mail.
    Email,
    /// Normalised to E.164.
    Phone,
    /// Canonical IP.
    Ip,
    /// Trimmed, exact (customer numbers, user names, custom keys).
    Exact,
    /// A derived digest: hex compares case-insensitively, base64 exactly.
    Digest {
        /// Hex (case-insensitive) rather than base64.
        hex: bool,
    },
}

/// One `match` entry: an identifier kind, where to look (columns or JSON pointers) and the
/// subject's values of that kind.
#[derive(Debug, Clone)]
pub(crate) struct Rule<T> {
    /// Columns (resolved to indexes) or JSON pointers.
    pub targets: Vec<T>,
    cmp: Comparison,
    wanted: Vec<String>,
    /// Last digits of each wanted phone number: a cheap test before the full parse.
    tails: Vec<String>,
    country: String,
}

/// Enough trailing digits to rule out almost every other number before parsing it.
const PHONE_TAIL: usize = 6;

impl<T> Rule<T> {
    /// Whether several targets form one value (a name split over first/last name columns).
    pub fn joins_targets(&self) -> bool {
        self.cmp == Comparison::Name
    }

    /// Lower-case ASCII texts one of which any matching line of a text format must contain
    /// verbatim when the line is ASCII without escapes — `None` when this kind's values can
    /// be written differently (phone formats, IP forms, names with other spacing, numbers).
    pub fn needles(&self) -> Option<Vec<String>> {
        let literal = matches!(self.cmp, Comparison::Email | Comparison::Digest { .. });
        (literal && self.wanted.iter().all(|w| w.is_ascii())).then(|| self.wanted.iter().map(|w| w.to_ascii_lowercase()).collect())
    }

    /// Whether the subject has values of this kind (otherwise the rule can never match).
    pub fn is_active(&self) -> bool {
        !self.wanted.is_empty()
    }

    /// Whether a raw value from the data equals one of the subject's values.
    pub fn matches(&self, raw: &str) -> bool {
        let t = raw.trim();
        if t.is_empty() || self.wanted.is_empty() {
            return false;
        }
        match &self.cmp {
            Comparison::Name => self.wanted.iter().any(|w| same_name(t, w)),
            Comparison::Email => {
                if t.is_ascii() {
                    // For ASCII, normalisation is lower-casing plus a syntax check the
                    // subject's value already passed: equal ignoring case means equal.
                    self.wanted.iter().any(|w| t.eq_ignore_ascii_case(w))
                } else {
                    self.normalised_in(&IdentifierKind::Email, t)
                }
            }
            Comparison::Phone => {
                let plausible = t.bytes().any(|b| b.is_ascii_alphabetic())
                    || self.tails.iter().any(|tail| digits_end_with(t, tail));
                plausible && self.normalised_in(&IdentifierKind::Phone, t)
            }
            Comparison::Ip => self.normalised_in(&IdentifierKind::Ip, t),
            Comparison::Exact => self.wanted.iter().any(|w| w == t),
            Comparison::Digest { hex: true } => self.wanted.iter().any(|w| t.eq_ignore_ascii_case(w)),
            Comparison::Digest { hex: false } => self.wanted.iter().any(|w| w == t),
        }
    }

    fn normalised_in(&self, kind: &IdentifierKind, t: &str) -> bool {
        normalise(kind, t, &self.country).is_ok_and(|v| self.wanted.contains(&v))
    }
}

/// Whether `raw` equals `wanted` (already lower-case, single-spaced) ignoring case and
/// runs of whitespace — without allocating, as it runs for every row of a file.
fn same_name(raw: &str, wanted: &str) -> bool {
    let mut words = raw.split_whitespace();
    wanted.split(' ').all(|w| words.next().is_some_and(|x| x.chars().flat_map(char::to_lowercase).eq(w.chars()))) && words.next().is_none()
}

/// Whether the ASCII digits of `s`, read from the end, end with `tail`.
fn digits_end_with(s: &str, tail: &str) -> bool {
    let mut digits = s.bytes().rev().filter(u8::is_ascii_digit);
    tail.bytes().rev().all(|t| digits.next() == Some(t))
}

/// Builds the rules of a `match` map. `resolve` turns a column name or pointer into the
/// connector's target (it may fail, e.g. for a column missing from the header).
pub(crate) fn rules<T>(
    match_on: &OrderedMap<Vec<String>>,
    keys: &SearchKeys,
    connector: &Connector,
    country: &str,
    mut resolve: impl FnMut(&str) -> Result<T, ConnectorError>,
) -> Result<Vec<Rule<T>>, ConnectorError> {
    let mut out = Vec::new();
    for (kind, targets) in match_on.iter() {
        let cmp = comparison(kind, connector);
        let wanted: Vec<String> = keys
            .get(kind)
            .iter()
            .map(|v| match cmp {
                Comparison::Name => collapse_whitespace(v).to_lowercase(),
                _ => v.clone(),
            })
            .collect();
        let tails = if cmp == Comparison::Phone {
            wanted
                .iter()
                .map(|w| {
                    let digits: String = w.chars().filter(char::is_ascii_digit).collect();
                    digits[digits.len().saturating_sub(PHONE_TAIL)..].to_string()
                })
                .collect()
        } else {
            Vec::new()
        };
        let targets = targets.iter().map(|t| resolve(t)).collect::<Result<Vec<T>, _>>()?;
        out.push(Rule { targets, cmp, wanted, tails, country: country.to_string() });
    }
    Ok(out)
}

/// Whether a JSON record matches any rule; the rules' targets are JSON pointers. Values may
/// be strings or numbers, or arrays of them (any element matches); several `name` pointers
/// are joined with a space.
pub(crate) fn json_matches(rules: &[&Rule<String>], record: &serde_json::Value) -> bool {
    rules.iter().any(|rule| {
        if rule.joins_targets() {
            let parts: Vec<std::borrow::Cow<'_, str>> = rule.targets.iter().filter_map(|p| record.pointer(p)).filter_map(scalar_text).collect();
            !parts.is_empty() && rule.matches(&parts.join(" "))
        } else {
            rule.targets.iter().filter_map(|p| record.pointer(p)).any(|v| match v {
                serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).any(|t| rule.matches(&t)),
                other => scalar_text(other).is_some_and(|t| rule.matches(&t)),
            })
        }
    })
}

fn scalar_text(v: &serde_json::Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        serde_json::Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        serde_json::Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

fn comparison(kind: &str, connector: &Connector) -> Comparison {
    if let Some(d) = connector.derive.get(kind) {
        return Comparison::Digest { hex: d.encoding.unwrap_or_default() == DigestEncoding::Hex };
    }
    if kind == "name" {
        return Comparison::Name;
    }
    match IdentifierKind::from_key(kind) {
        Ok(IdentifierKind::Email) => Comparison::Email,
        Ok(IdentifierKind::Phone) => Comparison::Phone,
        Ok(IdentifierKind::Ip) => Comparison::Ip,
        _ => Comparison::Exact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: &str, value: &str) -> Rule<()> {
        let mut keys = SearchKeys::new();
        keys.add(kind, value);
        let mut m = OrderedMap::default();
        m.insert(kind, vec!["c".to_string()]);
        let c = Connector::manual();
        rules(&m, &keys, &c, "DE", |_| Ok(())).unwrap().remove(0)
    }

    #[test]
    fn phone_formats_match_and_other_numbers_do_not() {
        let r = rule("phone", "+491711234567");
        for yes in ["+491711234567", "0171 1234567", "+49 (171) 123-4567", "0049 171 1234567", " 01711234567 "] {
            assert!(r.matches(yes), "{yes}");
        }
        for no in ["0171 1234568", "+43 171 1234567", "+49 171 12345670", "1234567", "", "call me"] {
            assert!(!r.matches(no), "{no}");
        }
    }

    #[test]
    fn email_and_name_compare_normalised() {
        let r = rule("email", "max.mustermann@example.org");
        assert!(r.matches(" MAX.Mustermann@Example.ORG "));
        for no in ["max.mustermann@example.org.evil", "xmax.mustermann@example.org", "max.mustermann@example.com"] {
            assert!(!r.matches(no), "{no}");
        }
        let n = rule("name", "Max Mustermann");
        assert!(n.matches("  max   MUSTERMANN"));
        assert!(!n.matches("Maxi Mustermann"));
        let ip = rule("ip", "2001:db8::1");
        assert!(ip.matches("2001:DB8:0:0::1"));
        assert!(!ip.matches("2001:db8::10"));
        let id = rule("customer_id", "K-1001");
        assert!(id.matches(" K-1001"));
        assert!(!id.matches("K-10011"));
    }
}
