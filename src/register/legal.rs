//! The register's closed legal vocabularies: a system's role, the legal basis of processing and
//! the safeguard of a transfer abroad.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::UnknownCode;

/// Who runs a system relative to the controller (decides whether a processor e-mail is needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Run by the controller itself.
    Internal,
    /// A processor acting on the controller's instructions (Art. 28).
    Processor,
    /// A recipient that decides for itself (notified under Art. 19, not instructed).
    IndependentController,
}

impl Role {
    /// Stable spelling in the register file.
    pub fn code(self) -> &'static str {
        match self {
            Role::Internal => "internal",
            Role::Processor => "processor",
            Role::IndependentController => "independent-controller",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The Chapter V instrument a transfer to a third country relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safeguard {
    /// Adequacy decision (Art. 45).
    Adequacy,
    /// Standard contractual clauses (Art. 46(2)(c)).
    Scc,
    /// EU-US Data Privacy Framework (adequacy for certified recipients).
    Dpf,
    /// Binding corporate rules (Art. 47).
    Bcr,
    /// A derogation for a specific situation (Art. 49).
    Art49,
    /// No safeguard (the access letter must say so).
    None,
}

impl Safeguard {
    /// Stable spelling in the register file.
    pub fn code(self) -> &'static str {
        match self {
            Safeguard::Adequacy => "adequacy",
            Safeguard::Scc => "scc",
            Safeguard::Dpf => "dpf",
            Safeguard::Bcr => "bcr",
            Safeguard::Art49 => "art49",
            Safeguard::None => "none",
        }
    }
}

impl fmt::Display for Safeguard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The article a legal basis comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Article {
    /// Art. 6(1): lawfulness of processing, points a–f.
    Art6,
    /// Art. 9(2): special categories of data, points a–j.
    Art9,
    /// Art. 49(1): derogations for transfers, points a–g.
    Art49,
}

/// A legal basis such as `art6-1-b` (Art. 6(1)(b), contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegalBasis {
    article: Article,
    point: char,
}

impl LegalBasis {
    /// The article.
    pub fn article(self) -> Article {
        self.article
    }

    /// The point letter, `a` …
    pub fn point(self) -> char {
        self.point
    }

    /// Stable spelling, e.g. `art6-1-a`, `art9-2-h`, `art49-1-b`.
    pub fn code(self) -> String {
        let prefix = match self.article {
            Article::Art6 => "art6-1-",
            Article::Art9 => "art9-2-",
            Article::Art49 => "art49-1-",
        };
        format!("{prefix}{}", self.point)
    }

    /// Consent (Art. 6(1)(a) or explicit consent, Art. 9(2)(a)): withdrawal ends the processing.
    pub fn is_consent(self) -> bool {
        self.point == 'a' && matches!(self.article, Article::Art6 | Article::Art9)
    }

    /// Legitimate interests (Art. 6(1)(f)): the subject may object under Art. 21.
    pub fn is_legitimate_interest(self) -> bool {
        self.article == Article::Art6 && self.point == 'f'
    }
}

impl fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for LegalBasis {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        let parsed = [
            ("art6-1-", Article::Art6, 'f'),
            ("art9-2-", Article::Art9, 'j'),
            ("art49-1-", Article::Art49, 'g'),
        ]
        .iter()
        .find_map(|(prefix, article, last)| {
            let rest = t.strip_prefix(prefix)?;
            let mut chars = rest.chars();
            let point = chars.next()?;
            (chars.next().is_none() && ('a'..=*last).contains(&point)).then_some(LegalBasis {
                article: *article,
                point,
            })
        });
        parsed.ok_or_else(|| UnknownCode {
            field: "legal basis",
            given: s.chars().take(40).collect(),
            allowed: "art6-1-a … art6-1-f, art9-2-a … art9-2-j, art49-1-a … art49-1-g".to_string(),
        })
    }
}

impl Serialize for LegalBasis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for LegalBasis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_bases_parse_within_their_article_ranges() {
        for ok in ["art6-1-a", "art6-1-f", "art9-2-j", "art49-1-g"] {
            assert_eq!(ok.parse::<LegalBasis>().unwrap().code(), ok);
        }
        for bad in [
            "art6-1-g",
            "art9-2-k",
            "art49-1-h",
            "art6-1-",
            "art6-1-ab",
            "art7-1-a",
            "",
        ] {
            assert!(bad.parse::<LegalBasis>().is_err(), "{bad}");
        }
        assert!("art9-2-a".parse::<LegalBasis>().unwrap().is_consent());
    }
}
