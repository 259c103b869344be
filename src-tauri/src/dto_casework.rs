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

/// One thing a letter lacks, as a code the window words in the user's language (`gap.<code>`
/// in its dictionaries) with the code's parameters: a register gap (`GAP_CODES` in the core)
/// or what the desk has not recorded (`unrecorded.*`, `UNRECORDED_CODES`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct GapDto {
    /// The register system concerned; `None` for the controller's own details.
    pub system: Option<String>,
    /// That system's name as the letter shows it (a register fact).
    pub system_name: Option<String>,
    /// The register field (e.g. `retention.description`); empty for what is not recorded.
    pub field: String,
    /// The kind of gap (`GapParams.ts` lists every code with its parameters).
    pub code: String,
    /// The code's parameters: register facts only (a country, recipient categories, language
    /// codes, system ids, a legal basis code, a count).
    pub params: std::collections::BTreeMap<String, String>,
    /// The core's English line (`where, field: problem — fix`), as the CLI prints it.
    pub text: String,
}

impl GapDto {
    /// A register gap.
    pub fn register(g: &dsar::letters::Gap) -> GapDto {
        let at = g.system_id.as_deref().map_or_else(|| "register".to_string(), |id| format!("system {id}"));
        GapDto {
            system: g.system_id.clone(),
            system_name: g.system_name.clone(),
            field: g.field.clone(),
            code: g.code.to_string(),
            params: g.params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            text: format!("{at}, {}: {} — {}", g.field, g.problem, g.fix),
        }
    }

    /// Something the letter would confirm that the desk has not recorded; `text` as the
    /// window says it (`acting_api::in_window`: its buttons, not the CLI's commands).
    pub fn unrecorded(u: &dsar::letters::Unrecorded, reference: &str) -> GapDto {
        let system = u.params.iter().find(|(k, _)| *k == "system").map(|(_, v)| v.clone());
        GapDto {
            system,
            system_name: None,
            field: String::new(),
            code: u.code.to_string(),
            params: u.params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            text: format!("not recorded: {}", crate::acting_api::in_window(u, reference)),
        }
    }
}

/// Every gap code with the names of its parameters (`GapParams.ts`), so the UI's test can
/// check each label without a hand-kept list.
pub fn gap_params_ts() -> String {
    let mut out = String::from(
        "// Generated from src/letters/completeness.rs and unrecorded.rs by dto::export_bindings. Do not edit this file manually.\n\n\
         /** Every gap code a letter can report, with the names of the parameters it carries. */\n\
         export const GAP_PARAMS: { readonly [code: string]: readonly string[] } = {\n",
    );
    for (code, names) in dsar::letters::GAP_CODES.iter().chain(dsar::letters::UNRECORDED_CODES) {
        let names: Vec<String> = names.iter().map(|p| format!("\"{p}\"")).collect();
        out.push_str(&format!("  \"{code}\": [{}],\n", names.join(", ")));
    }
    out.push_str("};\n");
    out
}

/// One problem of a refused register: where (a JSON pointer), and a code the window words in
/// the user's language (`regproblem.<code>`; `ProblemParams.ts` lists every code with its
/// parameters), the core's English sentence beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegisterProblemDto {
    /// JSON pointer, e.g. `/systems/2/role`; empty for the whole file.
    pub path: String,
    /// The kind of problem (`other`: worded generically, the English text beside it).
    pub code: String,
    /// The code's parameters: register keys, system ids, legal basis codes, numbers.
    pub params: std::collections::BTreeMap<String, String>,
    /// The core's English line (`problem — fix`).
    pub text: String,
}

impl From<&dsar::register::Problem> for RegisterProblemDto {
    fn from(p: &dsar::register::Problem) -> RegisterProblemDto {
        RegisterProblemDto {
            path: p.path.clone(),
            code: p.code.to_string(),
            params: p.params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
            text: format!("{} — {}", p.problem, p.fix),
        }
    }
}

/// Every register problem code with its parameters (`ProblemParams.ts`).
pub fn problem_params_ts() -> String {
    let mut out = String::from(
        "// Generated from src/register/error.rs by dto::export_bindings. Do not edit this file manually.\n\n\
         /** Every register problem code, with the names of the parameters it carries. */\n\
         export const PROBLEM_PARAMS: { readonly [code: string]: readonly string[] } = {\n",
    );
    for (code, names) in dsar::register::PROBLEM_CODES {
        let names: Vec<String> = names.iter().map(|p| format!("\"{p}\"")).collect();
        out.push_str(&format!("  \"{code}\": [{}],\n", names.join(", ")));
    }
    out.push_str("};\n");
    out
}

/// A letter as it would be sent, before anything is saved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LetterPreview {
    /// E-mail subject line.
    pub subject: String,
    /// Plain text of the letter (the e-mail body; the PDF says the same).
    pub body_text: String,
    /// What the letter lacks: what the desk has not recorded, then the register's gaps.
    pub gaps: Vec<GapDto>,
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
    /// Register gaps accepted with the DPO's reason.
    pub gaps: Vec<GapDto>,
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
    GapDto::export_all_to(dir)?;
    std::fs::write(dir.join("GapParams.ts"), gap_params_ts()).map_err(ts_rs::ExportError::from)?;
    std::fs::write(dir.join("ProblemParams.ts"), problem_params_ts()).map_err(ts_rs::ExportError::from)?;
    LetterTextDto::export_all_to(dir)?;
    LetterSent::export_all_to(dir)?;
    RegisterExported::export_all_to(dir)?;
    SystemFieldsDto::export_all_to(dir)?;
    Ok(())
}
