//! The embedded JSON Schema of the register format, and its errors turned into problems a DPO
//! can fix (using the schema's own `x-fix` / `x-example` annotations for the hints).

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::Validator;
use serde_json::Value;

use super::error::{cut, join, Problems};

/// The schema text (`schemas/register.schema.json`), for `dsar` to publish or print.
pub const SCHEMA: &str = include_str!("../../schemas/register.schema.json");

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> Result<&'static Compiled, &'static str> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(SCHEMA).map_err(|e| e.to_string())?;
            let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
            Ok(Compiled { schema, validator })
        })
        .as_ref()
        .map_err(String::as_str)
}

/// Validates `doc` against the schema, adding one problem per violation.
pub(crate) fn check(doc: &Value, problems: &mut Problems) {
    let c = match compiled() {
        Ok(c) => c,
        Err(e) => {
            problems.add(
                "",
                format!("the built-in register schema does not load ({})", cut(e)),
                "report this bug",
            );
            return;
        }
    };
    for err in c.validator.iter_errors(doc) {
        let at = err.instance_path().as_str().to_string();
        let node = parent_node(&c.schema, err.schema_path().as_str());
        let hint = node.and_then(|n| n.get("x-fix")).and_then(Value::as_str);
        let instance = err.instance();
        match err.kind() {
            ValidationErrorKind::Required { property } => {
                let prop = property.as_str().unwrap_or("?");
                let example =
                    example_for(&c.schema, err.schema_path().as_str(), prop).unwrap_or("...");
                problems.coded(
                    join(&at, prop),
                    "field.missing",
                    vec![("field", prop.to_string())],
                    format!("missing field '{prop}'"),
                    format!("add \"{prop}\": {example} to {}", describe(doc, &at)),
                );
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = node.map(allowed_keys).unwrap_or_default();
                for key in unexpected {
                    // A key written one level too high (`derive` or `yields` beside the
                    // connector instead of inside it) is not to be removed but moved.
                    if let Some(home) = node
                        .and_then(|n| n.get("x-belongs-in"))
                        .and_then(|m| m.get(key.as_str()))
                        .and_then(Value::as_str)
                    {
                        problems.coded(
                            join(&at, key),
                            "field.misplaced",
                            vec![("field", cut(key)), ("home", home.to_string())],
                            format!("'{}' belongs in the {home} of {}, not beside it", cut(key), describe(doc, &at)),
                            format!("move it into {home}: \"{home}\": {{\"kind\": …, \"{key}\": …}}"),
                        );
                        continue;
                    }
                    let fix = match closest(key, &allowed) {
                        Some(near) => format!("did you mean '{near}'? Rename or remove it"),
                        None => format!("remove it; allowed here: {}", allowed.join(", ")),
                    };
                    problems.coded(
                        join(&at, key),
                        "field.unknown",
                        vec![("field", cut(key))],
                        format!("unknown field '{}' in {}", cut(key), describe(doc, &at)),
                        fix,
                    );
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => t.to_string(),
                    TypeKind::Multiple(ts) => ts
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                problems.coded(
                    at,
                    "type.wrong",
                    Vec::new(),
                    format!(
                        "wrong type: expected {expected}, found {}",
                        type_name(instance)
                    ),
                    hint.map_or_else(|| format!("write it as {expected}"), str::to_string),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let allowed = options
                    .as_array()
                    .map(|a| a.iter().map(show).collect::<Vec<_>>().join(", "));
                problems.coded(
                    at,
                    "value.unknown",
                    Vec::new(),
                    format!("unknown value {}", show(instance)),
                    hint.map(str::to_string)
                        .unwrap_or_else(|| format!("use one of {}", allowed.unwrap_or_default())),
                );
            }
            ValidationErrorKind::Constant { expected_value } => {
                problems.coded(
                    at,
                    "value.constant",
                    Vec::new(),
                    format!("must be {}, found {}", expected_value, show(instance)),
                    hint.map(str::to_string)
                        .unwrap_or_else(|| format!("set it to {expected_value}")),
                );
            }
            ValidationErrorKind::Pattern { .. } => {
                // A field meant for a secret reference may hold the secret itself: never echo it.
                let secret = node
                    .and_then(|n| n.get("x-secret"))
                    .and_then(Value::as_bool)
                    == Some(true);
                let problem = if secret {
                    "not a {secret:NAME} reference (value not shown)".to_string()
                } else {
                    format!("invalid value {}", show(instance))
                };
                let code = if secret { "secret.not-reference" } else { "value.invalid" };
                problems.coded(at, code, Vec::new(), problem, hint.unwrap_or("see schemas/register.schema.json"));
            }
            ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::MinLength { .. }
            | ValidationErrorKind::MinProperties { .. } => {
                problems.coded(at, "value.empty", Vec::new(), "must not be empty", hint.unwrap_or("fill it in"));
            }
            ValidationErrorKind::MaxLength { limit } => {
                problems.coded(
                    at,
                    "value.too-long",
                    vec![("max", limit.to_string())],
                    format!("too long (at most {limit} characters)"),
                    hint.unwrap_or("shorten it"),
                );
            }
            ValidationErrorKind::PropertyNames { error } => {
                let key = show(error.instance());
                problems.coded(
                    at,
                    "key.invalid",
                    Vec::new(),
                    format!("invalid key {key}"),
                    hint.unwrap_or(
                        "use a two-letter lower-case language code such as de, en or nl",
                    ),
                );
            }
            _ => {
                problems.add(
                    at,
                    cut(&err.masked().to_string()),
                    hint.unwrap_or("see schemas/register.schema.json"),
                );
            }
        }
    }
}

/// The schema object holding the failing keyword (the keyword's path minus its last segment).
fn parent_node<'s>(schema: &'s Value, keyword_path: &str) -> Option<&'s Value> {
    let parent = keyword_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema.pointer(parent)
}

/// The `x-example` of `prop` in the nearest enclosing schema object that declares it.
fn example_for<'s>(schema: &'s Value, keyword_path: &str, prop: &str) -> Option<&'s str> {
    let mut path = keyword_path;
    while let Some((parent, _)) = path.rsplit_once('/') {
        if let Some(decl) = schema
            .pointer(parent)
            .and_then(|n| n.get("properties"))
            .and_then(|p| p.get(prop))
        {
            return example_in(schema, decl, 0);
        }
        path = parent;
    }
    None
}

fn example_in<'s>(schema: &'s Value, decl: &'s Value, depth: u8) -> Option<&'s str> {
    if let Some(e) = decl.get("x-example").and_then(Value::as_str) {
        return Some(e);
    }
    let target = decl.get("$ref")?.as_str()?.strip_prefix('#')?;
    if depth > 4 {
        return None;
    }
    example_in(schema, schema.pointer(target)?, depth + 1)
}

fn allowed_keys(node: &Value) -> Vec<String> {
    node.get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The allowed key within edit distance 2 of `key`, if any.
pub(crate) fn closest<'a>(key: &str, allowed: &'a [impl AsRef<str>]) -> Option<&'a str> {
    allowed
        .iter()
        .map(AsRef::as_ref)
        .map(|a| (edit_distance(&key.to_ascii_lowercase(), a), a))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let old = row[j + 1];
            row[j + 1] = (old + 1).min(row[j] + 1).min(prev + usize::from(ca != *cb));
            prev = old;
        }
    }
    row[b.len()]
}

/// Where a pointer is, in words: "system 'crm'", "the connector of system 'crm'", …
pub(crate) fn describe(doc: &Value, pointer: &str) -> String {
    let segs: Vec<&str> = pointer.split('/').skip(1).collect();
    match segs.as_slice() {
        [] => "the top level".to_string(),
        ["controller"] => "the controller".to_string(),
        ["controller", rest @ ..] => format!("controller/{}", rest.join("/")),
        ["systems", n, rest @ ..] => {
            let id = doc
                .pointer(&format!("/systems/{n}/id"))
                .and_then(Value::as_str)
                .map_or_else(
                    || format!("system #{n}"),
                    |id| format!("system '{}'", cut(id)),
                );
            match rest {
                [] => id,
                ["connector"] => format!("the connector of {id}"),
                _ => format!("{} of {id}", rest.join("/")),
            }
        }
        _ => pointer.to_string(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value for a message: short scalars quoted, long text cut, containers by type only.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{}'", cut(s)),
        Value::Array(_) | Value::Object(_) => type_name(v).to_string(),
        other => cut(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_compiles_and_suggests_near_keys() {
        assert!(compiled().is_ok());
        assert_eq!(
            closest("retension", &["retention", "recipients"]),
            Some("retention")
        );
        assert_eq!(closest("zzz", &["retention"]), None);
    }
}
