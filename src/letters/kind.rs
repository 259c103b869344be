//! The kinds of letter a case can end in (SPEC §6), with their stable codes.

use std::fmt;
use std::str::FromStr;

use crate::domain::UnknownCode;

/// What a letter says; one template per kind and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterKind {
    /// Receipt of the request confirmed, with the due date.
    Acknowledgement,
    /// Information needed to identify the subject (Art. 12(6)); the clock stops.
    IdentityRequest,
    /// The request needs to be specified (Recital 63); the clock stops.
    ClarificationRequest,
    /// The period is extended by two months, with reasons (Art. 12(3)).
    ExtensionNotice,
    /// The Art. 15 answer: per system, everything the subject is entitled to know.
    AccessResponse,
    /// The Art. 20 answer: the data in a machine-readable bundle.
    PortabilityResponse,
    /// The data was erased (Art. 17).
    ErasureConfirmation,
    /// Erased where the law allows; the rest is restricted under a retention duty.
    ErasurePartial,
    /// Processing is restricted (Art. 18).
    RestrictionConfirmation,
    /// A restriction will be lifted (Art. 18(3)).
    RestrictionLiftNotice,
    /// The objection succeeded; processing stopped (Art. 21).
    ObjectionAccepted,
    /// The objection was rejected on compelling legitimate grounds (Art. 21(1)).
    ObjectionRejected,
    /// The data was corrected or completed (Art. 16).
    RectificationConfirmation,
    /// The requested correction is not made, with reasons and remedies (Art. 16, 12(4)).
    RectificationRefused,
    /// The recipients informed of an erasure, restriction or correction, on request (Art. 19).
    RecipientsInformed,
    /// The request is refused (Art. 12(4)/(5)), with reasons and remedies.
    Refusal,
    /// No data about the subject was found (Art. 15(1): negative confirmation).
    NoData,
    /// The rest of an access answer: systems whose results came after the first letter.
    AccessSupplement,
    /// An objection against processing on contract or legal obligation, where Art. 21 does
    /// not apply (basis 6(1)(b)/(c)).
    ObjectionNotApplicable,
    /// Identity could not be established after asking (Art. 11(2), 12(2)).
    IdentityNotEstablished,
    /// A reasonable fee for a manifestly unfounded or excessive request (Art. 12(5)(a)).
    FeeNotice,
    /// Withdrawal of consent carried out (Art. 7(3)), with what was stopped and erased.
    ConsentWithdrawalConfirmation,
    /// To a representative: the authority to act for the subject is needed first.
    RequestByRepresentative,
}

impl LetterKind {
    /// Every kind, in SPEC order.
    pub const ALL: &'static [LetterKind] = &[
        LetterKind::Acknowledgement,
        LetterKind::IdentityRequest,
        LetterKind::ClarificationRequest,
        LetterKind::ExtensionNotice,
        LetterKind::AccessResponse,
        LetterKind::PortabilityResponse,
        LetterKind::ErasureConfirmation,
        LetterKind::ErasurePartial,
        LetterKind::RestrictionConfirmation,
        LetterKind::RestrictionLiftNotice,
        LetterKind::ObjectionAccepted,
        LetterKind::ObjectionRejected,
        LetterKind::RectificationConfirmation,
        LetterKind::RectificationRefused,
        LetterKind::RecipientsInformed,
        LetterKind::Refusal,
        LetterKind::NoData,
        LetterKind::AccessSupplement,
        LetterKind::ObjectionNotApplicable,
        LetterKind::IdentityNotEstablished,
        LetterKind::FeeNotice,
        LetterKind::ConsentWithdrawalConfirmation,
        LetterKind::RequestByRepresentative,
    ];

    /// Stable spelling (CLI `--kind`, template file name, documents table).
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::IdentityRequest => "identity-request",
            LetterKind::ClarificationRequest => "clarification-request",
            LetterKind::ExtensionNotice => "extension-notice",
            LetterKind::AccessResponse => "access-response",
            LetterKind::PortabilityResponse => "portability-response",
            LetterKind::ErasureConfirmation => "erasure-confirmation",
            LetterKind::ErasurePartial => "erasure-partial",
            LetterKind::RestrictionConfirmation => "restriction-confirmation",
            LetterKind::RestrictionLiftNotice => "restriction-lift-notice",
            LetterKind::ObjectionAccepted => "objection-accepted",
            LetterKind::ObjectionRejected => "objection-rejected",
            LetterKind::RectificationConfirmation => "rectification-confirmation",
            LetterKind::RectificationRefused => "rectification-refused",
            LetterKind::RecipientsInformed => "recipients-informed",
            LetterKind::Refusal => "refusal",
            LetterKind::NoData => "no-data",
            LetterKind::AccessSupplement => "access-supplement",
            LetterKind::ObjectionNotApplicable => "objection-not-applicable",
            LetterKind::IdentityNotEstablished => "identity-not-established",
            LetterKind::FeeNotice => "fee-notice",
            LetterKind::ConsentWithdrawalConfirmation => "consent-withdrawal-confirmation",
            LetterKind::RequestByRepresentative => "request-by-representative",
        }
    }

    /// Kinds that must state the controller's reasons (refusal, extension, objection
    /// rejected) — the law requires them, so a letter without them is not rendered.
    pub fn needs_reasons(self) -> bool {
        matches!(
            self,
            LetterKind::Refusal
                | LetterKind::ExtensionNotice
                | LetterKind::ObjectionRejected
                | LetterKind::RectificationRefused
                | LetterKind::IdentityNotEstablished
                | LetterKind::FeeNotice
        )
    }

    /// Kinds whose content comes from the register's Art. 15 items, checked for gaps.
    pub fn uses_register_content(self) -> bool {
        matches!(self, LetterKind::AccessResponse | LetterKind::PortabilityResponse | LetterKind::AccessSupplement)
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for LetterKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let t = s.trim().to_ascii_lowercase();
        LetterKind::ALL.iter().copied().find(|k| k.code() == t).ok_or_else(|| UnknownCode {
            field: "letter kind",
            given: s.chars().take(40).collect(),
            allowed: LetterKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_lists_all() {
        for k in LetterKind::ALL {
            assert_eq!(k.code().parse::<LetterKind>().unwrap(), *k);
        }
        assert_eq!(LetterKind::ALL.len(), 23);
        let e = "acess-response".parse::<LetterKind>().unwrap_err();
        assert!(e.to_string().contains("access-response, portability-response"), "{e}");
    }
}
