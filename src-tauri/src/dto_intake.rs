//! Wire types of the case screen's identity, requester, linked-cases and found-identifiers
//! panels (TypeScript in `ui/src/bindings/`, like `dto.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Identifier kinds that matched data held in one system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MatchedInDto {
    /// Register system id.
    pub system: String,
    /// The system's name in the controller's language (filled by the desk; ignored on input).
    #[serde(default)]
    pub system_name: String,
    /// Identifier kinds (`email`, `customer_id`, …).
    pub kinds: Vec<String>,
}

/// One recorded identity check.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct IdentityCheckDto {
    /// Its id.
    pub id: String,
    /// `held-data`, `email-round-trip`, `document-seen`, `representative-authority`.
    pub method: String,
    /// Day of the check.
    pub on: String,
    /// Who recorded it (`app:anna`).
    pub by: String,
    /// For `held-data`: where which identifiers matched.
    pub matched: Vec<MatchedInDto>,
    /// What was checked, in the DPO's words.
    pub note: Option<String>,
    /// A document was seen (its SHA-256 is recorded).
    pub document_seen: bool,
    /// The document's copy is kept, and why.
    pub kept_reason: Option<String>,
}

/// The person who made the request for the subject.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RequesterDto {
    /// Name (or firm).
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// `power-of-attorney`, `parent`, `guardian`, `lawyer`, `other`.
    pub authority: String,
    /// What the authority is, in the DPO's words.
    pub authority_note: Option<String>,
    /// File name of the stored authority document, if one was shown.
    pub document: Option<String>,
}

/// A case linked to this one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LinkedDto {
    /// Its reference.
    pub reference: String,
    /// Its right codes.
    pub rights: Vec<String>,
    /// Day received.
    pub received: String,
    /// Status code.
    pub status: String,
    /// Day closed, if closed.
    pub closed_on: Option<String>,
}

/// An identifier a system yielded during a pull, searched with in the other systems.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct YieldedDto {
    /// Identifier kind key.
    pub kind: String,
    /// The value.
    pub value: String,
    /// The system it was read from.
    pub system_id: String,
    /// That system's name.
    pub system_name: String,
    /// Dataset and place it was read from.
    pub dataset: String,
    /// Where exactly.
    pub locator: String,
    /// When (RFC 3339).
    pub pulled_at: String,
    /// The DPO dropped it: no longer searched with.
    pub dropped: bool,
}

/// What the case screen shows about identity, who asked, related cases and found identifiers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CaseIntakeDto {
    /// The case.
    pub reference: String,
    /// Checks recorded, oldest first.
    pub checks: Vec<IdentityCheckDto>,
    /// Where the subject's identifiers appear in the records pulled: the proposal for a
    /// held-data check (the DPO confirms it).
    pub held_matches: Vec<MatchedInDto>,
    /// The case's identifier kinds (what a held-data match can name).
    pub identifier_kinds: Vec<String>,
    /// The requester, when someone asked for the subject.
    pub requester: Option<RequesterDto>,
    /// Cases linked to this one.
    pub linked: Vec<LinkedDto>,
    /// A linked case within the twelve months before with one of the same rights: a
    /// *possible* repeat (Art. 12(5)), shown, never acted on.
    pub possible_repeat: Option<LinkedDto>,
    /// An open case (or one closed within twelve months) with one of this case's identifiers,
    /// not linked yet: a suggested link.
    pub suggested_link: Option<crate::dto_inbox::DuplicateDto>,
    /// Identifiers found on the way, with their source.
    pub yielded: Vec<YieldedDto>,
    /// The formal salutation letters use (`ms`/`mr` and the family name); none: neutral.
    pub salutation: Option<SalutationDto>,
}

/// A formal salutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SalutationDto {
    /// `ms` or `mr`.
    pub form: String,
    /// The family name as printed.
    pub family_name: String,
}

/// A check as the DPO enters it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct IdentityInput {
    /// Method code.
    pub method: String,
    /// Day of the check, `YYYY-MM-DD`.
    pub on: String,
    /// For `held-data`: where which identifiers matched.
    pub matched: Vec<MatchedInDto>,
    /// What was checked.
    pub note: Option<String>,
    /// For `document-seen`: the file of the document seen.
    pub document_path: Option<String>,
    /// Why its copy is kept after the check; none: it is not kept.
    pub keep_reason: Option<String>,
}

/// A requester as the DPO enters it (on the case screen or on New case).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct RequesterInput {
    /// Name (or firm).
    pub name: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Authority code.
    pub authority: String,
    /// What the authority is.
    pub authority_note: Option<String>,
    /// The authority document's file, stored with the case.
    pub document_path: Option<String>,
}

pub(crate) fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    CaseIntakeDto::export_all_to(dir)?;
    IdentityInput::export_all_to(dir)?;
    RequesterInput::export_all_to(dir)?;
    Ok(())
}
