//! Human case references `DSAR-YYYY-NNNN`, sequential per year.

use std::fmt;
use std::str::FromStr;

/// A human reference such as `DSAR-2026-0042`: unique, sequential within its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseRef {
    /// Year the case was received.
    pub year: i32,
    /// Sequence number within the year, from 1.
    pub number: u32,
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // At least four digits; a firm with more than 9 999 requests a year simply gets five.
        write!(f, "DSAR-{}-{:04}", self.year, self.number)
    }
}

/// A string that is not a case reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a case reference: expected DSAR-YYYY-NNNN, e.g. DSAR-2026-0042 (see `dsar case list`)")]
pub struct BadReference(pub String);

impl FromStr for CaseRef {
    type Err = BadReference;
    fn from_str(s: &str) -> Result<Self, BadReference> {
        let bad = || BadReference(s.chars().take(40).collect());
        let t = s.trim().to_ascii_uppercase();
        let mut parts = t.splitn(3, '-');
        if parts.next() != Some("DSAR") {
            return Err(bad());
        }
        let year = parts.next().filter(|y| y.len() == 4).and_then(|y| y.parse::<i32>().ok()).ok_or_else(bad)?;
        let num = parts.next().filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).ok_or_else(bad)?;
        let number = num.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(bad)?;
        Ok(CaseRef { year, number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let r: CaseRef = "dsar-2026-0042".parse().unwrap();
        assert_eq!(r, CaseRef { year: 2026, number: 42 });
        assert_eq!(r.to_string(), "DSAR-2026-0042");
        assert_eq!(CaseRef { year: 2026, number: 12345 }.to_string(), "DSAR-2026-12345");
        for bad in ["", "DSAR-26-1", "DSAR-2026-", "DSAR-2026-0000", "CASE-2026-0001", "DSAR-2026-1x"] {
            assert!(bad.parse::<CaseRef>().is_err(), "{bad}");
        }
    }
}
