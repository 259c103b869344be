//! Closed code lists (rights, channels, languages, outcomes) with their wire spellings.

use std::fmt;
use std::str::FromStr;

/// A code that is not in its closed list; says which field and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {field} '{given}': use one of {allowed}")]
pub struct UnknownCode {
    /// The field being parsed, e.g. `right`.
    pub field: &'static str,
    /// What was given (a code, never personal data).
    pub given: String,
    /// The allowed spellings, comma separated.
    pub allowed: String,
}

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable spelling used in the CLI, the database and JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, UnknownCode> {
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(UnknownCode {
                        field: $field,
                        given: s.chars().take(40).collect(),
                        allowed: [$($code),+].join(", "),
                    }),
                }
            }
        }
    };
}

code_enum!(
    /// A right the subject invokes (GDPR Art. 15–22 and CCPA § 1798.100 ff.).
    Right, "right", {
        /// Art. 15 access.
        Access => "access",
        /// Art. 16 rectification.
        Rectification => "rectification",
        /// Art. 17 erasure.
        Erasure => "erasure",
        /// Art. 18 restriction of processing.
        Restriction => "restriction",
        /// Art. 20 data portability.
        Portability => "portability",
        /// Art. 21 objection.
        Objection => "objection",
        /// Art. 7(3) withdrawal of consent.
        WithdrawConsent => "withdraw-consent",
        /// CCPA right to know.
        Know => "know",
        /// CCPA right to delete.
        Delete => "delete",
        /// CCPA right to correct.
        Correct => "correct",
        /// CCPA right to opt out of sale/sharing.
        OptOut => "opt-out",
        /// CCPA right to limit use of sensitive personal information.
        Limit => "limit",
    }
);

impl Right {
    /// CCPA rights answered within 15 business days rather than 45 calendar days.
    pub fn is_ccpa_fast_track(self) -> bool {
        matches!(self, Right::OptOut | Right::Limit)
    }
}

code_enum!(
    /// How the request reached the controller.
    Channel, "channel", {
        /// E-mail.
        Email => "email",
        /// Postal letter.
        Letter => "letter",
        /// A web form.
        WebForm => "web-form",
        /// Telephone.
        Phone => "phone",
        /// In person.
        InPerson => "in-person",
        /// Anything else.
        Other => "other",
    }
);

code_enum!(
    /// Language of the correspondence with the subject.
    Language, "language", {
        /// German.
        De => "de",
        /// English.
        En => "en",
        /// Dutch.
        Nl => "nl",
    }
);

code_enum!(
    /// How a closed case ended.
    Outcome, "outcome", {
        /// Everything asked for was done.
        Fulfilled => "fulfilled",
        /// Part was done, part refused or impossible (e.g. retention duty).
        PartiallyFulfilled => "partially-fulfilled",
        /// Refused (Art. 12(5), identity not established, …).
        Refused => "refused",
        /// The subject withdrew the request.
        Withdrawn => "withdrawn",
        /// No data on the subject was found.
        NoData => "no-data",
    }
);

code_enum!(
    /// How the subject's identity was established (Art. 12(2), 12(6); SPEC §11).
    IdentityMethod, "method", {
        /// Identifiers the desk already holds matched (which, in which system, is recorded).
        HeldData => "held-data",
        /// A reply from the address the desk already knows.
        EmailRoundTrip => "email-round-trip",
        /// An identity document was seen (a copy is kept only with a reason).
        DocumentSeen => "document-seen",
        /// A representative showed their authority and the subject's identity.
        RepresentativeAuthority => "representative-authority",
    }
);

code_enum!(
    /// A formal salutation (letters are neutral without one).
    SalutationForm, "salutation", {
        /// "Frau", "Ms", "mevrouw".
        Ms => "ms",
        /// "Herr", "Mr", "heer".
        Mr => "mr",
    }
);

code_enum!(
    /// What entitles a representative to make the request for the subject.
    Authority, "authority", {
        /// A written power of attorney.
        PowerOfAttorney => "power-of-attorney",
        /// A parent of a child.
        Parent => "parent",
        /// A court-appointed guardian or carer.
        Guardian => "guardian",
        /// A lawyer acting for the subject.
        Lawyer => "lawyer",
        /// Anything else (the note says what).
        Other => "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_names_field() {
        for r in Right::ALL {
            assert_eq!(r.code().parse::<Right>().unwrap(), *r);
        }
        let e = "acess".parse::<Right>().unwrap_err();
        assert_eq!(e.field, "right");
        assert!(e.to_string().contains("access, rectification"), "{e}");
        assert_eq!(" Web-Form ".parse::<Channel>().unwrap(), Channel::WebForm);
    }
}
