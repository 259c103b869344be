//! The file connectors' record matching, through the public API only: the fuzz bytes are
//! written to a file in this process's scratch folder, a `csv`, `json`, `jsonl` or `logs`
//! system pointing at it is deserialised from register JSON, opened with
//! `dsar::connectors::open` and searched (`search_report`, then `test`) with the keys of a
//! subject whose identifiers are normalised from fuzz text (`connectors::keys::for_system`,
//! derived HMAC identifiers included). Encodings, delimiters, records pointers and the logs
//! scanner's block and segment sizes are chosen by the input too.
//!
//! Reached: csv.rs, json.rs, jsonl.rs, logs.rs (plain and .gz), text_encoding.rs,
//! matching.rs, tokens.rs, keys.rs. The matching functions themselves are crate-private.
#![no_main]

use dsar::connectors::{self, keys, logs, Cancel, OpenContext, Source};
use dsar::domain::{Identifier, IdentifierKind, Subject};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

/// Input: `kind variant block segment` (four bytes), the subject's text up to the first
/// newline, then the file's bytes.
struct Input<'a> {
    kind: u8,
    variant: u8,
    block: u8,
    segment: u8,
    subject: &'a str,
    content: &'a [u8],
}

impl<'a> Input<'a> {
    fn read(data: &'a [u8]) -> Option<Input<'a>> {
        let (head, rest) = data.split_at_checked(4)?;
        let nl = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let subject = std::str::from_utf8(&rest[..nl]).ok()?;
        let content = rest.get(nl + 1..).unwrap_or(&[]);
        Some(Input { kind: head[0], variant: head[1], block: head[2], segment: head[3], subject, content })
    }
}

const ENCODINGS: &[Option<&str>] = &[
    None,
    Some("windows-1252"),
    Some("utf-8"),
    Some("utf-16le"),
    Some("utf-16be"),
    Some("shift_jis"),
    Some("iso-8859-15"),
    Some("gb18030"),
    Some("x-user-defined"),
    Some("no-such-encoding"),
];
const DELIMITERS: &[Option<&str>] = &[None, Some(";"), Some("\t"), Some("|"), Some(" "), Some("\""), Some("ab")];
const POINTERS: &[Option<&str>] = &[None, Some(""), Some("/records"), Some("/data/items"), Some("/0"), Some("/a~1b/~0c"), Some("records")];

fn derive() -> Value {
    json!({
        "email_hash": {"from": "email", "hmac_sha256_key": "{secret:pepper}", "encoding": "hex"},
        "phone_b64": {"from": "phone", "hmac_sha256_key": "{secret:pepper}", "prefix": "p:", "encoding": "base64"}
    })
}

fn system(connector: Value) -> dsar::register::System {
    serde_json::from_value(json!({
        "id": "s", "name": "S", "role": "internal", "purposes": [], "data_categories": [], "legal_bases": [],
        "retention": {"description": "x"}, "recipients": [], "transfers": [], "source": "x",
        "automated_decision_making": false, "connector": connector
    }))
    .expect("the fuzz target's system JSON is valid")
}

fn subject(text: &str) -> Subject {
    let mut s = Subject { name: text.to_string(), address: Vec::new(), identifiers: Vec::new() };
    let defaults = [
        (IdentifierKind::Email, "jana.beispiel@example.org"),
        (IdentifierKind::Phone, "+49 171 1234567"),
        (IdentifierKind::Ip, "198.51.100.23"),
        (IdentifierKind::CustomerId, "K-1001"),
        (IdentifierKind::Username, "jana"),
    ];
    for (kind, value) in defaults {
        s.add(Identifier::new(kind.clone(), value, "DE").expect("default identifier"));
        if let Ok(id) = Identifier::new(kind, text, "DE") {
            s.add(id);
        }
    }
    if s.name.trim().is_empty() {
        s.name = "Jana Beispiel".into();
    }
    s
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    let v = usize::from(input.variant);
    let connector = match input.kind % 5 {
        0 => {
            let path = dsar_fuzz::scratch_file("data.csv", input.content);
            let mut c = json!({"kind": "csv", "path": path, "derive": derive(), "match": {
                "email": ["email", "E-Mail"], "phone": ["phone"], "name": ["first_name", "last_name"],
                "ip": ["ip"], "customer_id": ["customer_id"], "email_hash": ["email_hash"], "phone_b64": ["phone_b64"]
            }});
            if let Some(d) = DELIMITERS[v % DELIMITERS.len()] {
                c["delimiter"] = d.into();
            }
            if let Some(e) = ENCODINGS[(v / DELIMITERS.len()) % ENCODINGS.len()] {
                c["encoding"] = e.into();
            }
            c
        }
        1 => {
            let path = dsar_fuzz::scratch_file("data.json", input.content);
            let mut c = json!({"kind": "json", "path": path, "derive": derive(), "match": {
                "email": ["/email", "/contact/email"], "phone": ["/phone"], "name": ["/first_name", "/last_name"],
                "ip": ["/ip"], "customer_id": ["/id"], "email_hash": ["/h"], "phone_b64": ["/p"]
            }});
            if let Some(p) = POINTERS[v % POINTERS.len()] {
                c["records"] = p.into();
            }
            c
        }
        2 => {
            let path = dsar_fuzz::scratch_file("data.jsonl", input.content);
            json!({"kind": "jsonl", "path": path, "derive": derive(), "match": {
                "email": ["/email"], "phone": ["/phone", "/contact/phones"], "name": ["/name"],
                "ip": ["/ip"], "username": ["/user"], "email_hash": ["/h"]
            }})
        }
        k => {
            // logs: a plain file, or (k == 4) the bytes as a .gz file (hostile gzip streams).
            let gz = k == 4;
            let path = dsar_fuzz::scratch_file(if gz { "logs/app.log.gz" } else { "logs/app.log" }, input.content);
            let _ = std::fs::remove_file(dsar_fuzz::scratch_dir().join(if gz { "logs/app.log" } else { "logs/app.log.gz" }));
            json!({"kind": "logs", "paths": [path.parent().unwrap().join("*.log*")],
                    "match": ["email", "phone", "ip", "customer_id", "username"]})
        }
    };
    let system = system(connector);
    let connector = system.connector.clone().expect("connector present");
    let secrets = |name: &str| (name == "pepper").then(|| "fuzz-pepper".to_string());
    let subject = subject(input.subject);
    let keys = match keys::for_system(&subject, &connector, &secrets) {
        Ok(k) => k,
        Err(e) => panic!("deriving keys failed with the secret present: {e}"),
    };
    let cancel = Cancel::new();
    let source: Box<dyn Source> = match &connector.settings {
        dsar::register::Settings::Logs(settings) => {
            // Tiny blocks and segments put lines and hits on their edges.
            let options = logs::ScanOptions {
                block_bytes: 1 + usize::from(input.block % 64),
                segment_bytes: 1 + u64::from(input.segment & 0x7f),
                threads: if input.segment & 0x80 != 0 { 2 } else { 1 },
            };
            Box::new(logs::LogsSource::new(settings, "DE").with_options(options))
        }
        _ => match connectors::open(&OpenContext { system: &system, connector: &connector, secrets: &secrets, default_country: "DE" }) {
            Ok(s) => s,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        },
    };
    match source.search_report(&keys, &cancel) {
        Ok(report) => {
            for f in &report.found {
                let _ = f.record.to_string();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // Bit 7 of the kind byte: also `test` (reads the first records again).
    if input.kind & 0x80 != 0 {
        if let Err(e) = source.test() {
            let _ = e.to_string();
        }
    }
});
