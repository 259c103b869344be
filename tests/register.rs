//! Register import/export: the three real fixture registers, round trips, path resolution,
//! localised text, and a table of broken registers (`tests/data/registers/broken/expected.tsv`).

use std::path::{Path, PathBuf};

use dsar::deadline::{Jurisdiction, Region};
use dsar::domain::Language;
use dsar::register::{self, ConnectorKind, Register, RegisterError, Settings};
use serde_json::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/registers")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn load(name: &str) -> Register {
    register::parse(&read(name), &data_dir())
        .unwrap_or_else(|e| panic!("{name} does not import:\n{e}"))
}

const FIXTURES: &[&str] = &["jaimo.json", "smart-cx.json", "websmart.json"];

#[test]
fn fixture_registers_import() {
    let jaimo = load("jaimo.json");
    assert_eq!(jaimo.controller.region(), Region::DeBw);
    assert_eq!(jaimo.controller.jurisdiction(), Jurisdiction::Gdpr);
    assert_eq!(jaimo.controller.language(), Language::De);
    assert_eq!(jaimo.systems.len(), 6);
    assert_eq!(
        jaimo.system("gmail").map(|s| s.connector_kind()),
        Some(ConnectorKind::Manual)
    );
    assert_eq!(
        jaimo.system("dashboard").map(|s| s.connector_kind()),
        Some(ConnectorKind::Sqlite)
    );
    assert!(jaimo.system("nope").is_none());
    assert_eq!(
        jaimo.secret_names().into_iter().collect::<Vec<_>>(),
        ["cleverreach_token"]
    );
    let fastbill = jaimo.system("fastbill").expect("fastbill");
    assert_eq!(fastbill.statutory_retention[0].period.to_string(), "P8Y");

    let smart = load("smart-cx.json");
    assert_eq!(
        smart
            .system("hosting-logs")
            .and_then(|s| s.retention.period)
            .map(|p| p.weeks),
        Some(8)
    );
    assert!(smart.controller.dpo.is_some());
    let websmart = load("websmart.json");
    assert_eq!(
        websmart
            .system("crm")
            .map(|s| s.legal_bases.iter().map(|b| b.code()).collect::<Vec<_>>()),
        Some(vec![
            "art6-1-b".to_string(),
            "art6-1-a".into(),
            "art49-1-b".into()
        ])
    );
}

#[test]
fn export_then_import_gives_the_same_register_and_the_same_json() {
    for name in FIXTURES {
        let r = load(name);
        let exported = register::to_json(&r);
        assert!(
            exported.starts_with("{\n  \"format\": \"dsar-register\",\n  \"version\": 1,"),
            "{name}"
        );
        let again = register::parse(&exported, Path::new("/elsewhere"))
            .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        assert_eq!(again, r, "{name}");

        // Apart from the paths made absolute, the export is the file as written.
        let mut original: Value = serde_json::from_str(&read(name)).unwrap();
        absolutise(&mut original, &data_dir());
        let exported: Value = serde_json::from_str(&exported).unwrap();
        assert_eq!(exported, original, "{name}");
    }
}

fn absolutise(doc: &mut Value, base: &Path) {
    for system in doc["systems"].as_array_mut().unwrap() {
        let Some(conn) = system.get_mut("connector") else {
            continue;
        };
        if let Some(Value::String(p)) = conn.get_mut("path") {
            *p = base.join(&*p).to_string_lossy().into_owned();
        }
        if let Some(Value::Array(ps)) = conn.get_mut("paths") {
            for p in ps {
                *p = Value::from(
                    base.join(p.as_str().unwrap())
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
}

#[test]
fn unknown_connector_keys_are_kept_on_export() {
    let text = read("minimal.json").replace(
        "\"kind\": \"sqlite\",",
        "\"kind\": \"sqlite\", \"busy_timeout_ms\": 500, \"x-note\": {\"a\": [1]},",
    );
    let r = register::parse(&text, &data_dir()).unwrap();
    let out: Value = serde_json::from_str(&register::to_json(&r)).unwrap();
    assert_eq!(out["systems"][0]["connector"]["busy_timeout_ms"], 500);
    assert_eq!(out["systems"][0]["connector"]["x-note"]["a"][0], 1);
}

#[test]
fn relative_connector_paths_resolve_against_the_register_folder() {
    let dotted = data_dir().join("broken/..");
    let r = register::parse(&read("smart-cx.json"), &dotted).unwrap();
    let expect = data_dir().join("data/smartcx.sqlite");
    match &r
        .system("appointments")
        .and_then(|s| s.connector.as_ref())
        .map(|c| &c.settings)
    {
        Some(Settings::Sqlite(s)) => assert_eq!(s.path, expect),
        other => panic!("{other:?}"),
    }
    match &r
        .system("hosting-logs")
        .and_then(|s| s.connector.as_ref())
        .map(|c| &c.settings)
    {
        Some(Settings::Logs(l)) => assert_eq!(l.paths, [data_dir().join("data/logs/access.log*")]),
        other => panic!("{other:?}"),
    }
    // A relative base folder still gives absolute paths; URLs are untouched.
    let r = register::parse(&read("jaimo.json"), Path::new("some/where/../dir")).unwrap();
    for system in &r.systems {
        match system.connector.as_ref().map(|c| &c.settings) {
            Some(Settings::Csv(c)) => {
                assert!(c.path.is_absolute(), "{:?}", c.path);
                assert!(
                    c.path.to_string_lossy().contains("/some/dir/data/"),
                    "{:?}",
                    c.path
                );
            }
            Some(Settings::Http(h)) => {
                assert_eq!(h.url, "http://127.0.0.1:18080/v3/receivers?email={email}")
            }
            _ => {}
        }
    }
}

#[test]
fn localised_text_falls_back_to_the_controllers_language_then_the_first() {
    let r = load("minimal.json");
    let crm = r.system("crm").unwrap();
    let home = r.controller.language();
    assert_eq!(crm.name.pick(Language::En, home), "Customer records");
    assert_eq!(crm.name.pick(Language::Nl, home), "Kundenverwaltung");
    let text = read("minimal.json").replace(
        "\"purposes\": [\n        \"Vertrag\"\n      ]",
        "\"purposes\": {\"nl\": [\"Overeenkomst\"], \"en\": [\"Contract\", \"Marketing\"]}",
    );
    let r = register::parse(&text, &data_dir()).unwrap();
    let crm = r.system("crm").unwrap();
    assert_eq!(
        crm.purposes.pick(Language::En, Language::De),
        ["Contract", "Marketing"]
    );
    assert_eq!(
        crm.purposes.pick(Language::De, Language::De),
        ["Overeenkomst"]
    );
    assert_eq!(
        crm.purposes.pick(Language::De, Language::En),
        ["Contract", "Marketing"]
    );
}

fn problems(file: &str) -> RegisterError {
    match register::parse(&read(&format!("broken/{file}.json")), &data_dir()) {
        Ok(_) => panic!("broken/{file}.json imported"),
        Err(e) => e,
    }
}

#[test]
fn broken_registers_name_the_field_and_the_fix() {
    let table = read("broken/expected.tsv");
    let mut files = std::collections::BTreeSet::new();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, path, problem, fix] = cols[..] else {
            panic!("bad line: {line}")
        };
        files.insert(file);
        let err = problems(file);
        let hit = err
            .problems
            .iter()
            .find(|p| p.path == path && p.problem.contains(problem));
        let Some(hit) = hit else {
            panic!("{file}: no problem at '{path}' containing {problem:?}; got:\n{err}")
        };
        assert!(
            hit.fix.contains(fix),
            "{file}: fix {:?} lacks {fix:?}",
            hit.fix
        );
        let shown = if path.is_empty() { "(file)" } else { path };
        assert!(
            err.to_string()
                .lines()
                .any(|l| l.starts_with(&format!("{shown}: ")) && l.contains(" — ")),
            "{err}"
        );
    }
    assert!(files.len() >= 20, "{files:?}");
    // Every broken file is in the table.
    for entry in std::fs::read_dir(data_dir().join("broken")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".json") {
            assert!(files.contains(stem), "{name} has no line in expected.tsv");
        }
    }
}

#[test]
fn all_problems_are_reported_at_once_one_per_line() {
    let err = problems("many-problems");
    assert_eq!(err.problems.len(), 5, "{err}");
    assert_eq!(err.to_string().lines().count(), 5);
}

#[test]
fn messages_never_echo_secrets_or_long_text() {
    for (file, secret) in [
        ("plain-password", "hunter2"),
        ("url-with-password", "hunter2"),
        ("plain-header-token", "sk_live"),
    ] {
        let err = problems(file);
        assert!(!err.to_string().contains(secret), "{err}");
    }
    let long = "x".repeat(500);
    let text =
        read("minimal.json").replace("\"role\": \"internal\"", &format!("\"role\": \"{long}\""));
    let err = register::parse(&text, &data_dir()).unwrap_err();
    assert!(
        err.to_string().lines().all(|l| l.chars().count() < 200),
        "{err}"
    );
}

#[test]
fn garbage_never_panics() {
    let minimal = read("minimal.json");
    let mut inputs: Vec<String> = vec![
        String::new(),
        "null".into(),
        "[]".into(),
        "\"dsar-register\"".into(),
        "{}".into(),
        "{\"controller\": 5, \"systems\": {\"a\": 1}}".into(),
        "\u{feff}{}".into(),
        "[".repeat(100_000),
        format!("{}{}", "{\"a\":".repeat(50_000), "1"),
        format!(
            "{{\"systems\": [{{\"connector\": {}1{}}}]}}",
            "[".repeat(120),
            "]".repeat(120)
        ),
        minimal.replace(":email", ":"),
        minimal.replace("{secret:mailer_token}", "{secret:"),
        minimal.replace("\"P10Y\"", "\"P99999999999999999999Y\""),
    ];
    // Every prefix of a register (truncation at any byte that is a char boundary).
    inputs.extend(
        (0..minimal.len())
            .filter(|i| minimal.is_char_boundary(*i))
            .step_by(7)
            .map(|i| minimal[..i].to_string()),
    );
    for input in &inputs {
        if let Err(e) = register::parse(input, &data_dir()) {
            assert!(!e.problems.is_empty());
        }
    }
    // Every value of a valid register replaced by every JSON type.
    let doc: Value = serde_json::from_str(&minimal).unwrap();
    let replacements = [
        Value::Null,
        Value::from(7),
        Value::from(""),
        Value::from("{secret:"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!([{"kind": "sqlite"}]),
    ];
    let mut pointers = Vec::new();
    collect_pointers(&doc, String::new(), &mut pointers);
    for pointer in &pointers {
        for replacement in &replacements {
            let mut broken = doc.clone();
            *broken.pointer_mut(pointer).unwrap() = replacement.clone();
            let _ = register::parse(&broken.to_string(), &data_dir());
        }
    }
    assert!(pointers.len() > 50);
}

fn collect_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, item)| collect_pointers(item, format!("{at}/{i}"), out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, item)| collect_pointers(item, format!("{at}/{k}"), out)),
        _ => {}
    }
    out.push(at);
}

#[test]
fn published_schema_accepts_the_fixtures() {
    let schema: Value = serde_json::from_str(register::SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in FIXTURES.iter().chain(&["minimal.json"]) {
        let doc: Value = serde_json::from_str(&read(name)).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn derived_and_declared_identifiers_are_usable_as_query_parameters() {
    let with = |connector_extra: &str, sql: &str| {
        read("minimal.json")
            .replace(
                "\"kind\": \"sqlite\",",
                &format!("\"kind\": \"sqlite\", {connector_extra}"),
            )
            .replace("kunde = :customer_id", sql)
    };
    let derive = r#""derive": {"phone_hash": {"from": "phone", "hmac_sha256_key": "{secret:wa_key}", "prefix": "wa:"}}, "identifiers": ["member_no"],"#;
    let r = register::parse(
        &with(derive, "h = :phone_hash OR m = :member_no"),
        &data_dir(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let conn = r.system("crm").and_then(|s| s.connector.as_ref()).unwrap();
    assert_eq!(
        conn.derive
            .get("phone_hash")
            .and_then(|d| d.prefix.as_deref()),
        Some("wa:")
    );
    assert_eq!(conn.identifiers, ["member_no"]);
    assert_eq!(
        r.secret_names().into_iter().collect::<Vec<_>>(),
        ["mailer_token", "wa_key"]
    );
    assert_eq!(
        register::parse(&register::to_json(&r), &data_dir()).unwrap(),
        r
    );

    let err = register::parse(&with("", "m = :member_no"), &data_dir()).unwrap_err();
    assert!(err.mentions("/systems/0/connector/queries/1/sql"), "{err}");
    assert!(err.to_string().contains("\"identifiers\""), "{err}");
    let bad_from = derive.replace("\"from\": \"phone\"", "\"from\": \"fax\"");
    let err = register::parse(&with(&bad_from, "h = :phone_hash"), &data_dir()).unwrap_err();
    assert!(
        err.mentions("/systems/0/connector/derive/phone_hash/from"),
        "{err}"
    );
}

/// Every register problem code made once, from the minimal register broken one way each: the
/// codes are exactly `PROBLEM_CODES` (the desktop words each), each with its parameters.
#[test]
fn every_problem_code_is_in_the_one_list_with_its_parameters() {
    use serde_json::json;
    let base: Value = serde_json::from_str(&read("minimal.json")).unwrap();
    let broken = |change: &dyn Fn(&mut Value)| -> String {
        let mut doc = base.clone();
        change(&mut doc);
        serde_json::to_string(&doc).unwrap()
    };
    let mut files: Vec<String> = vec!["{\"format\": ".to_string()];
    let changes: Vec<Box<dyn Fn(&mut Value)>> = vec![
        Box::new(|d| {
            d["controller"].as_object_mut().unwrap().remove("name");
        }),
        Box::new(|d| d["systems"][0]["purpose"] = json!(["Vertrag"])),
        Box::new(|d| d["systems"][0]["yields"] = json!(["customer_id"])),
        Box::new(|d| d["systems"][0]["purposes"] = json!("Vertrag")),
        Box::new(|d| d["systems"][0]["role"] = json!("boss")),
        Box::new(|d| d["format"] = json!("other")),
        Box::new(|d| d["systems"][0]["legal_bases"] = json!(["art99"])),
        Box::new(|d| d["systems"][0]["connector"] = json!({"kind": "postgres", "url": "postgres://db/crm", "user": "dsar", "password": "hunter2", "queries": [{"name": "k", "sql": "SELECT * FROM k WHERE email = :email"}]})),
        Box::new(|d| d["systems"][0]["purposes"] = json!([])),
        Box::new(|d| d["systems"][0]["connector"] = json!({"kind": "csv", "path": "data/x.csv", "delimiter": ";;", "match": {"email": ["email"]}})),
        Box::new(|d| d["systems"][0]["name"] = json!({"DEU": "Kunden"})),
        Box::new(|d| d["systems"][1]["id"] = json!("crm")),
        Box::new(|d| d["systems"][0]["transfers"] = json!([{"country": "US", "safeguard": "none"}])),
        Box::new(|d| d["systems"][0]["purpose_bases"] = json!([{"purpose": "Vertrag", "legal_bases": ["art6-1-f"]}])),
        Box::new(|d| d["systems"][0]["retention"]["period"] = json!("P")),
        // A problem without a code of its own: worded generically by the desktop.
        Box::new(|d| d["systems"][0]["connector"]["queries"][1]["name"] = json!("kunden")),
    ];
    files.extend(changes.iter().map(|c| broken(c.as_ref())));
    let mut made = std::collections::BTreeSet::new();
    for (i, file) in files.iter().enumerate() {
        let e = register::parse(file, &data_dir()).expect_err(&format!("case {i} imported"));
        for p in &e.problems {
            made.insert(p.code);
            let names = register::PROBLEM_CODES.iter().find(|(c, _)| *c == p.code).unwrap_or_else(|| panic!("{} not listed", p.code)).1;
            let given: Vec<&str> = p.params.iter().map(|(n, _)| *n).collect();
            assert_eq!(given, names, "{p:?}");
            assert!(!p.params.iter().any(|(_, v)| v.contains("hunter2")), "a secret never becomes a parameter: {p:?}");
        }
    }
    let listed: std::collections::BTreeSet<&str> = register::PROBLEM_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(made, listed, "made but not listed, or listed but never made");
}
