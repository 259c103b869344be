//! The register (record of processing): controller and systems, imported from and exported to
//! the `dsar-register` v1 JSON format.
//!
//! Import is a pipeline that reports every problem it can find in one go:
//! JSON syntax ([`parse`] stops here on error) → the embedded JSON Schema
//! (`schemas/register.schema.json`) and the semantic checks the schema cannot express, both on
//! the raw JSON → typed deserialisation → the order of systems that yield identifiers to
//! others (a cycle is refused) → connector paths made absolute against the register's folder.
//! Export ([`to_json`]) writes the same format back, unknown connector keys included.

mod connector;
mod error;
mod legal;
mod model;
mod order;
mod paths;
mod period;
mod recipients;
mod schema;
mod secret;
mod text;
mod validate;

use std::path::Path;

use serde_json::{Map, Value};

pub use connector::{
    Connector, ConnectorKind, Contact, CsvSettings, Derivation, DigestEncoding, FileErase, HttpErase, HttpSettings, ImapSettings,
    JsonSettings, JsonlSettings, LogsSettings, ManualSettings, Query, ServerSettings, Settings,
    SqlParam, SqliteSettings, BUILTIN_IDENTIFIERS,
};
pub use error::{Problem, RegisterError, PROBLEM_CODES};
pub use legal::{Article, LegalBasis, Role, Safeguard};
pub use model::{
    Address, Controller, Dpo, PurposeBasis, Register, Retention, Signatory, StatutoryRetention, SupervisoryAuthority,
    System, Transfer, Vendor,
};
pub use recipients::{Recipient, Recipients, Shown as ShownRecipient};
pub use order::{waves as yield_waves, YieldCycle, YieldLink};
pub use period::{BadPeriod, Period};
pub use schema::SCHEMA;
pub use secret::{
    expand_secrets, is_secret_name, secret_refs, BadSecretRef, ExpandError, MissingSecret,
};
pub use text::{OrderedMap, Text, TextList};
pub(crate) use validate::leading_keyword;

use error::{cut, Problems};

/// The `"format"` value of a register file.
pub const FORMAT: &str = "dsar-register";
/// The `"version"` this code reads and writes.
pub const VERSION: u64 = 1;

/// Reads a register file's text. `base_dir` is the folder of the file: relative connector
/// paths are resolved against it and stored absolute.
///
/// On error, every problem found is returned, each with a JSON pointer and a fix.
pub fn parse(json: &str, base_dir: &Path) -> Result<Register, RegisterError> {
    let doc: Value = serde_json::from_str(json).map_err(syntax_error)?;
    let mut problems = Problems::default();
    schema::check(&doc, &mut problems);
    validate::check(&doc, &mut problems);
    problems.into_result()?;
    let mut register = typed(doc)?;
    // The yield graph needs the typed connectors (derived names resolved to their source).
    let mut cycles = Problems::default();
    order::check(&register.systems, &mut cycles);
    cycles.into_result()?;
    paths::resolve(&mut register, base_dir);
    Ok(register)
}

/// Writes a register in the import format (pretty, `format` and `version` first), so that
/// `parse(&to_json(&r), dir) == Ok(r)`. Secrets stay `{secret:NAME}` references.
pub fn to_json(register: &Register) -> String {
    let mut out = Map::new();
    out.insert("format".into(), Value::from(FORMAT));
    out.insert("version".into(), Value::from(VERSION));
    // Serialising the model cannot fail: all map keys are strings and paths are written lossily.
    if let Ok(Value::Object(fields)) = serde_json::to_value(register) {
        out.extend(fields);
    }
    serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default()
}

fn syntax_error(e: serde_json::Error) -> RegisterError {
    let (line, column) = (e.line(), e.column());
    let message = e.to_string();
    let message = message
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&message)
        .to_string();
    let fix = match e.classify() {
        serde_json::error::Category::Eof => {
            "the file ends too early (truncated?): check that every { and [ is closed"
        }
        _ => "fix the JSON at that position (a missing comma or quote is the usual cause)",
    };
    RegisterError::single_coded(
        "",
        "json.invalid",
        vec![("line", line.to_string()), ("column", column.to_string())],
        format!(
            "not valid JSON at line {line}, column {column}: {}",
            cut(&message)
        ),
        fix,
    )
}

/// The checked JSON into the model; errors here mean the schema and the model disagree.
fn typed(doc: Value) -> Result<Register, RegisterError> {
    let mut doc = doc;
    if let Some(map) = doc.as_object_mut() {
        for key in ["$schema", "format", "version"] {
            map.remove(key);
        }
    }
    serde_path_to_error::deserialize::<_, Register>(doc).map_err(|e| {
        let mut pointer = String::new();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer = error::join(&pointer, index)
                }
                serde_path_to_error::Segment::Map { key } => pointer = error::join(&pointer, key),
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        RegisterError::single(
            pointer,
            cut(&e.into_inner().to_string()),
            "correct this value (see schemas/register.schema.json)",
        )
    })
}
