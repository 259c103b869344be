//! Wire types of the case screen's record preview, tasks and letters, and of the register
//! editor (TypeScript in `ui/src/bindings/`, like `dto.rs`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One field of a found record: its key and its value as text (nested values as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RecordField {
    /// Key in the record.
    pub name: String,
    /// Value as text: strings as they are, everything else as JSON.
    pub value: String,
}

/// One record found in one system.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EvidenceDto {
    /// Register system id.
    pub system_id: String,
    /// Dataset within the system (query, file, endpoint).
    pub dataset: String,
    /// Where exactly it was found.
    pub locator: String,
    /// The record's fields in the order found.
    pub fields: Vec<RecordField>,
    /// When pulled (RFC 3339).
    pub pulled_at: String,
}

/// What the DPO writes into a letter: the reasons (a refusal, an extension notice, a rejected
/// objection need them) and notes (what was corrected, which identification is needed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LetterTextDto {
    /// Reasons; blank lines separate paragraphs.
    pub reasons: Option<String>,
    /// Notes added to the letter.
    pub notes: Option<String>,
    /// A refusal's legal ground (code, e.g. `art12-5-excessive`); the window offers the list.
    pub ground: Option<String>,
    /// The fee of a fee notice, as written (e.g. "25,00 EUR").
    #[serde(default)]
    #[ts(optional)]
    pub fee: Option<String>,
    /// The copy goes out as an encrypted bundle (the letter says how it is opened).
    #[serde(default)]
    #[ts(optional)]
    pub encrypted_bundle: Option<bool>,
}

impl LetterTextDto {
    /// Blank fields count as not given.
    pub fn into_extra(self) -> dsar::letters::LetterExtra {
        let keep = |t: Option<String>| t.filter(|t| !t.trim().is_empty());
        // The window offers only valid codes; anything else counts as no ground, which the
        // core then refuses for a refusal with its own message.
        let ground = keep(self.ground).and_then(|g| g.parse().ok());
        dsar::letters::LetterExtra { reasons: keep(self.reasons), notes: keep(self.notes), ground, fee: keep(self.fee), encrypted_bundle: self.encrypted_bundle.unwrap_or(false) }
    }
}

/// A letter as it would be sent, before anything is saved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterPreview {
    /// E-mail subject line.
    pub subject: String,
    /// Plain text of the letter (the e-mail body; the PDF says the same).
    pub body_text: String,
    /// Register gaps the DPO should fix (`where, field: problem — fix`).
    pub gaps: Vec<String>,
    /// The PDF's file name when saved.
    pub file_name: String,
}

/// What sending or saving a letter as e-mail did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterSent {
    /// The PDF's file name (stored on the case).
    pub file_name: String,
    /// Whether the mail server accepted the e-mail.
    pub sent: bool,
    /// Where the `.eml` was written.
    pub eml_path: Option<String>,
    /// Register gaps the DPO should fix.
    pub gaps: Vec<String>,
}

/// A written register file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RegisterExported {
    /// Where it was written.
    pub path: String,
    /// Systems in it.
    #[ts(type = "number")]
    pub systems: u64,
}

/// The human-facing fields of one system, in the controller's language (the editor's form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SystemFieldsDto {
    /// Display name.
    pub name: String,
    /// `internal`, `processor` or `independent-controller`.
    pub role: String,
    /// Purposes, one per entry.
    pub purposes: Vec<String>,
    /// Categories of personal data.
    pub data_categories: Vec<String>,
    /// Recipients.
    pub recipients: Vec<String>,
    /// Legal basis codes, e.g. `art6-1-b`.
    pub legal_bases: Vec<String>,
    /// Retention in words.
    pub retention: String,
    /// Retention as an ISO 8601 period, e.g. `P3Y`.
    pub retention_period: Option<String>,
    /// Where the data comes from.
    pub source: String,
}

impl From<dsar::register_store::SystemFields> for SystemFieldsDto {
    fn from(f: dsar::register_store::SystemFields) -> SystemFieldsDto {
        SystemFieldsDto {
            name: f.name,
            role: f.role,
            purposes: f.purposes,
            data_categories: f.data_categories,
            recipients: f.recipients,
            legal_bases: f.legal_bases,
            retention: f.retention,
            retention_period: f.retention_period,
            source: f.source,
        }
    }
}

impl From<SystemFieldsDto> for dsar::register_store::SystemFields {
    fn from(f: SystemFieldsDto) -> dsar::register_store::SystemFields {
        dsar::register_store::SystemFields {
            name: f.name,
            role: f.role,
            purposes: f.purposes,
            data_categories: f.data_categories,
            recipients: f.recipients,
            legal_bases: f.legal_bases,
            retention: f.retention,
            retention_period: f.retention_period,
            source: f.source,
        }
    }
}

/// Writes these types' TypeScript into `dir`.
pub(crate) fn export_bindings(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
    EvidenceDto::export_all_to(dir)?;
    LetterPreview::export_all_to(dir)?;
    LetterTextDto::export_all_to(dir)?;
    LetterSent::export_all_to(dir)?;
    RegisterExported::export_all_to(dir)?;
    SystemFieldsDto::export_all_to(dir)?;
    Ok(())
}
