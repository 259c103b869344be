//! The export bundle read back by programs that are not ours (`unzip`, `7z`) and compared
//! with what the desk holds — not with what the exporter says it wrote: every JSON record
//! equals the evidence stored for the case (read with plain SQL), every CSV row is derived
//! from those stored records independently, the letter PDF inside is the very letter the
//! `dsar letter` command stored (SHA-256 of the stored bytes), and every manifest hash is
//! recomputed from the unpacked files. Plain and AES-256 bundles, both written by
//! `dsar export`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use common::*;
use dsar::evidence::{self, Found, PullStatus, SystemResult};

const NAME: &str = "Jana Beispiel";
const EMAIL: &str = "jana.beispiel@example.org";
const PASSWORD: &str = "Pferd Batterie Heftklammer";

/// An external program; `None` (the test is skipped with a message) only outside CI.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|c| c.is_file()));
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "`{name}` is missing in CI: scripts/test.sh installs p7zip-full and unzip");
        eprintln!("SKIPPED: `{name}` is not installed (apt-get install p7zip-full unzip, or run bash scripts/test.sh)");
    }
    found
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Every file under `dir`, `/`-separated and relative.
fn walk(dir: &Path) -> Vec<String> {
    fn go(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Records as connectors return them, with everything a CSV writer can get wrong.
fn planted() -> Vec<(&'static str, &'static str, Vec<Value>)> {
    vec![
        (
            "dashboard",
            "kunden",
            vec![
                json!({"id": 1001, "name": NAME, "email": EMAIL, "ort": "Köln, Altstadt-Nord", "umsatz": 1234.5, "newsletter": true}),
                json!({"id": 1002, "email": EMAIL, "notiz": "sagt \"danke\"\nzweite Zeile", "tags": ["vip", "ĳsselmeer"], "meta": {"quelle": "web"}, "gelöscht": null}),
                json!({"id": 1003, "email": EMAIL, "formel": "=HYPERLINK(\"http://x.example\")", "notiz": "@home"}),
            ],
        ),
        ("dashboard", "logins", vec![json!({"at": "2026-10-01T08:00:00Z", "ip": "203.0.113.7"}), json!("GET /konto 200 — €")]),
        ("fastbill", "invoices", vec![json!({"nr": "R-2025-17", "betrag": "99,90 €"}), json!({"nr": "R-2026-03", "betrag": "12,00 €", "storno": false})]),
    ]
}

/// How a stored JSON value must read in a CSV cell, written here from the format's rules:
/// text as is, other values as JSON, null and missing empty, and a leading `= + - @ TAB CR`
/// neutralised with `'`.
fn cell(v: Option<&Value>) -> String {
    let s = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

struct Stored {
    /// (system, dataset) → records, in the order stored.
    evidence: BTreeMap<(String, String), Vec<Value>>,
    letter: Vec<u8>,
    letter_sha: String,
    letter_name: String,
}

/// What the desk holds for the case, read with plain SQL (not through the exporter's code).
fn stored(db: &TempDb, reference: &str) -> Stored {
    let store = db.open();
    let c = store.conn();
    let case_id: String = c.query_row("SELECT id FROM cases WHERE reference = ?1", [reference], |r| r.get(0)).unwrap();
    let mut evidence: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    let mut st = c.prepare("SELECT system_id, dataset, record FROM evidence WHERE case_id = ?1 ORDER BY id").unwrap();
    let rows = st.query_map([&case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).unwrap();
    for row in rows {
        let (s, d, rec) = row.unwrap();
        evidence.entry((s, d)).or_default().push(serde_json::from_str(&rec).unwrap());
    }
    let (letter, letter_sha, letter_name): (Vec<u8>, String, String) = c
        .query_row(
            "SELECT content, sha256, file_name FROM documents WHERE case_id = ?1 AND kind = 'access-response' ORDER BY rowid DESC LIMIT 1",
            [&case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    Stored { evidence, letter, letter_sha, letter_name }
}

/// The unpacked bundle against the desk: exactly the manifest's files, each hash and size
/// recomputed, the JSON records equal to the stored evidence, the CSV rows derived from the
/// stored records, and the letter byte-identical to the stored document.
fn check(dir: &Path, want: &Stored, label: &str) {
    let manifest: Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let mut listed: Vec<String> = files.iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    listed.push("manifest.json".into());
    listed.sort();
    assert_eq!(walk(dir), listed, "{label}: the archive holds exactly the manifest's files");
    for f in files {
        let path = f["path"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(path)).unwrap();
        assert_eq!(Some(bytes.len() as u64), f["bytes"].as_u64(), "{label}: size of {path}");
        assert_eq!(Some(sha256(&bytes).as_str()), f["sha256"].as_str(), "{label}: sha256 of {path}");
    }

    // The letter: the stored document's exact bytes, a real PDF.
    let pdfs: Vec<&Value> = files.iter().filter(|f| f["media_type"] == "application/pdf").collect();
    assert_eq!(pdfs.len(), 1, "{label}: one letter");
    let inside = std::fs::read(dir.join(pdfs[0]["path"].as_str().unwrap())).unwrap();
    assert_eq!(sha256(&inside), want.letter_sha, "{label}: the letter in the bundle is the stored one");
    assert_eq!(inside, want.letter, "{label}: letter bytes");
    assert_eq!(pdfs[0]["path"].as_str(), Some(want.letter_name.as_str()), "{label}: letter name");
    assert!(inside.starts_with(b"%PDF-") && inside.len() > 10_000, "{label}: a real PDF ({} bytes)", inside.len());

    // Every stored (system, dataset) is in the bundle once, with the same records in order.
    let mut seen = BTreeMap::new();
    let mut total = 0;
    for s in manifest["systems"].as_array().unwrap() {
        let system = s["id"].as_str().unwrap();
        for d in s["datasets"].as_array().unwrap() {
            let key = (system.to_string(), d["name"].as_str().unwrap().to_string());
            let stored = want.evidence.get(&key).unwrap_or_else(|| panic!("{label}: {key:?} is in the bundle but not in the desk"));
            let records: Vec<Value> = serde_json::from_slice(&std::fs::read(dir.join(d["json"].as_str().unwrap())).unwrap()).unwrap();
            assert_eq!(&records, stored, "{label}: JSON of {key:?} equals the stored evidence");
            assert_eq!(d["records"].as_u64(), Some(stored.len() as u64), "{label}: count of {key:?}");
            total += stored.len();

            let raw = std::fs::read(dir.join(d["csv"].as_str().unwrap())).unwrap();
            let body = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or_else(|| panic!("{label}: {key:?} CSV lacks its BOM"));
            let mut rdr = csv::Reader::from_reader(body);
            let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
            let mut keys: Vec<String> = Vec::new();
            for r in stored {
                for k in r.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
            let scalar = stored.iter().any(|r| !r.is_object());
            // Every stored key is a column (under its own name), plus `value` for non-objects.
            let mut want_cols: Vec<String> = keys.clone();
            if scalar {
                want_cols.push("value".into());
            }
            let mut got_sorted = header.clone();
            got_sorted.sort();
            want_cols.sort();
            assert_eq!(got_sorted, want_cols, "{label}: CSV columns of {key:?}");
            let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), stored.len(), "{label}: one CSV row per stored record of {key:?}");
            for (row, rec) in rows.iter().zip(stored) {
                for (col, got) in header.iter().zip(row.iter()) {
                    let want = match rec {
                        Value::Object(o) => cell(o.get(col)),
                        other if col == "value" => cell(Some(other)),
                        _ => String::new(),
                    };
                    assert_eq!(got, want, "{label}: {key:?} column {col}");
                }
            }
            seen.insert(key, ());
        }
    }
    assert_eq!(seen.len(), want.evidence.len(), "{label}: every stored dataset is in the bundle");
    assert_eq!(manifest["records"].as_u64(), Some(total as u64), "{label}: total");
}

#[test]
fn a_bundle_read_by_unzip_and_7z_holds_the_stored_evidence_and_the_stored_letter() {
    let (Some(unzip), Some(sevenz)) = (tool("unzip"), tool("7z")) else { return };
    let db = TempDb::new();
    {
        let mut store = db.create();
        let register = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/jaimo-demo.json");
        dsar::register_store::import_file(&mut store, &ctx("2026-11-21"), &register).unwrap();
    }
    let reference = ok(db.dsar(&["case", "new", "--right", "access", "--name", NAME, "--email", EMAIL, "--received", "2026-11-02", "--language", "de"]));
    let reference = reference.trim().to_string();
    {
        let mut store = db.open();
        let case = dsar::cases::get(&store, &reference).unwrap();
        let mut by_system: BTreeMap<&str, Vec<Found>> = BTreeMap::new();
        for (system, dataset, records) in planted() {
            for (i, r) in records.into_iter().enumerate() {
                by_system.entry(system).or_default().push(Found { dataset: dataset.into(), locator: format!("{dataset}:{i}"), record: r });
            }
        }
        for (system, found) in by_system {
            let result = SystemResult { system_id: system.into(), status: PullStatus::Ok, records: found.len() as u64, duration_ms: 3, error: None, pulled_at: "2026-11-20T10:00:00Z".into() };
            store.write(|tx| evidence::replace_system(tx, &case.id, &result, &found)).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    // A real letter, rendered and stored by the CLI.
    let letter_out = dir.path().join("letter.pdf");
    let o = db.dsar(&["letter", &reference, "--kind", "access-response", "--out", letter_out.to_str().unwrap()]);
    ok(o);
    let want = stored(&db, &reference);
    assert_eq!(std::fs::read(&letter_out).unwrap(), want.letter, "the stored letter is the one written out");
    assert_eq!(want.evidence.len(), 3);

    // Plain: unzip and 7z each unpack it.
    let plain = dir.path().join("plain.zip");
    ok(db.dsar(&["export", &reference, "--out", plain.to_str().unwrap()]));
    let out = dir.path().join("unzip");
    let o = run(Command::new(&unzip).arg("-q").arg(&plain).arg("-d").arg(&out));
    assert!(o.status.success(), "unzip: {}", String::from_utf8_lossy(&o.stderr));
    check(&out, &want, "plain/unzip");
    let out = dir.path().join("7z-plain");
    let o = run(Command::new(&sevenz).arg("x").arg("-y").arg(format!("-o{}", out.display())).arg(&plain));
    assert!(o.status.success(), "7z: {}", String::from_utf8_lossy(&o.stdout));
    check(&out, &want, "plain/7z");

    // AES-256: 7z with the password (Info-ZIP's unzip cannot read AES entries).
    let pw = dir.path().join("pw.txt");
    std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();
    let enc = dir.path().join("enc.zip");
    ok(db.dsar(&["export", &reference, "--out", enc.to_str().unwrap(), "--password-file", pw.to_str().unwrap()]));
    let out = dir.path().join("7z-enc");
    let o = run(Command::new(&sevenz).arg("x").arg("-y").arg(format!("-p{PASSWORD}")).arg(format!("-o{}", out.display())).arg(&enc));
    assert!(o.status.success(), "7z (AES): {}", String::from_utf8_lossy(&o.stdout));
    check(&out, &want, "aes/7z");
    let listing = run(Command::new(&sevenz).arg("l").arg("-slt").arg(format!("-p{PASSWORD}")).arg(&enc));
    let text = String::from_utf8_lossy(&listing.stdout);
    let methods: Vec<&str> = text.lines().filter(|l| l.starts_with("Method = ")).collect();
    assert!(!methods.is_empty() && methods.iter().all(|m| m.contains("AES-256")), "every entry AES-256: {methods:?}");
}
