//! The DPO's vocabulary: rights, channels, languages, status and outcomes, subjects, references.

mod codes;
pub mod reference;
pub mod status;
pub mod subject;

pub use codes::{Authority, Channel, IdentityMethod, Language, Outcome, Right, SalutationForm, UnknownCode};
pub use reference::CaseRef;
pub use status::{Status, TransitionError};
pub use subject::{Identifier, IdentifierError, IdentifierKind, Subject};
