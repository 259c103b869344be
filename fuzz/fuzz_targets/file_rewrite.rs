//! Erasure by rewrite (`dsar::connectors::rewrite`) on hostile files: the fuzz bytes are a
//! CSV, JSON or JSON Lines file in this process's scratch folder; the subject's e-mail comes
//! from the input. The oracle, beyond "no panic": when the rewrite succeeds,
//! - finding the subject in the rewritten file gives 0 records;
//! - the rewritten file is the original minus whole records: it is never longer, and a JSON
//!   file that was valid JSON still is;
//! - the search connector (`connectors::open(..).search`) counted the same records as the
//!   rewrite found, for files both could read — the plan's count is the pull's count.
#![no_main]

use dsar::connectors::{self, keys, rewrite, Cancel, OpenContext};
use dsar::domain::{Identifier, IdentifierKind, Subject};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const ENCODINGS: &[Option<&str>] = &[None, Some("windows-1252"), Some("utf-8"), Some("iso-8859-15"), Some("utf-16le")];
const DELIMITERS: &[Option<&str>] = &[None, Some(";"), Some("\t"), Some("|")];
const POINTERS: &[Option<&str>] = &[None, Some("/records"), Some("/data/items"), Some("/0"), Some("/a~1b")];

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let nl = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let Ok(email) = std::str::from_utf8(&rest[..nl]) else { return };
    let content = rest.get(nl + 1..).unwrap_or(&[]);
    let v = usize::from(head / 3);
    let (name, mut connector) = match head % 3 {
        0 => ("data.csv", json!({"kind": "csv", "match": {"email": ["email"], "name": ["first", "last"]}, "erase": "rewrite"})),
        1 => ("data.json", json!({"kind": "json", "match": {"email": ["/email", "/c/email"]}, "erase": "rewrite"})),
        _ => ("data.jsonl", json!({"kind": "jsonl", "match": {"email": ["/email"]}, "erase": "rewrite"})),
    };
    let path = dsar_fuzz::scratch_file(name, content);
    connector["path"] = json!(path);
    if head % 3 == 0 {
        if let Some(d) = DELIMITERS[v % DELIMITERS.len()] {
            connector["delimiter"] = d.into();
        }
        if let Some(e) = ENCODINGS[(v / DELIMITERS.len()) % ENCODINGS.len()] {
            connector["encoding"] = e.into();
        }
    } else if head % 3 == 1 {
        if let Some(p) = POINTERS[v % POINTERS.len()] {
            connector["records"] = p.into();
        }
    }
    let system: dsar::register::System = serde_json::from_value(json!({
        "id": "s", "name": "S", "role": "internal", "purposes": [], "data_categories": [], "legal_bases": [],
        "retention": {"description": "x"}, "recipients": [], "transfers": [], "source": "x",
        "automated_decision_making": false, "connector": connector
    }))
    .expect("the fuzz target's system JSON is valid");
    let connector = system.connector.clone().expect("connector present");
    let mut subject = Subject { name: "Jana Beispiel".into(), address: Vec::new(), identifiers: Vec::new() };
    subject.add(Identifier::new(IdentifierKind::Email, "jana@example.org", "DE").expect("default e-mail"));
    if let Ok(id) = Identifier::new(IdentifierKind::Email, email, "DE") {
        subject.add(id);
    }
    let none = |_: &str| None;
    let Ok(keys) = keys::for_system(&subject, &connector, &none) else { return };
    let Ok(found) = rewrite::find(&connector, &keys, "DE") else { return };
    let cx = OpenContext { system: &system, connector: &connector, secrets: &none, default_country: "DE" };
    if let Ok(searched) = connectors::open(&cx).and_then(|s| s.search(&keys, &Cancel::new())) {
        // Only where both read the whole file: the search may skip what the rewrite keeps.
        if head % 3 != 2 {
            assert_eq!(searched.len() as u64, found.records, "search and rewrite disagree on the subject's records");
        }
    }
    let was_json = serde_json::from_slice::<Value>(content).is_ok();
    match rewrite::rewrite(&connector, &keys, "DE", found.records) {
        Ok(n) => {
            assert_eq!(n, found.records);
            let after = std::fs::read(&path).expect("the rewritten file is there");
            assert!(after.len() <= content.len(), "a rewrite never adds bytes");
            if n == 0 {
                assert_eq!(after, content, "nothing found, nothing changed");
            }
            let again = rewrite::find(&connector, &keys, "DE").expect("the rewritten file reads as the original did");
            assert_eq!(again.records, 0, "the subject is still in the rewritten file");
            if head % 3 == 1 && was_json {
                assert!(serde_json::from_slice::<Value>(&after).is_ok(), "the rewrite broke the JSON");
            }
        }
        Err(rewrite::RewriteError::Changed { .. }) => panic!("nothing changed the file between find and rewrite"),
        Err(rewrite::RewriteError::Connector(_)) => {}
    }
});
